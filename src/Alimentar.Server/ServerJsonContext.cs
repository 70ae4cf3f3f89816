using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Alimentar.Server.Storage;

namespace Alimentar.Server;

/// <summary>
/// Source-generated JSON metadata for everything the server reads and writes. Responses are built as JSON nodes
/// and records are generated here, so the server needs no reflection and runs in the ahead-of-time compiled CLI.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(RepoRecord))]
[JsonSerializable(typeof(CommitRecord))]
[JsonSerializable(typeof(Endpoints.UploadEndpoints.UploadMeta))]
[JsonSerializable(typeof(Faults.FaultPlan.FaultDocument))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
