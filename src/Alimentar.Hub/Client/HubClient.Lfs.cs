using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Repos;


namespace Alimentar.Hub.Client;

/// <summary>LFS transfer: the batch API, basic and multipart uploads, verify (huggingface_hub's <c>lfs</c>).</summary>
public sealed partial class HubClient
{
    private async Task UploadLfsAsync(RepoId repo, string revision, bool createPr, IReadOnlyList<UploadPlan> plans, CancellationToken cancel)
    {
        var distinct = plans.GroupBy(p => p.Sha256!).ToDictionary(g => g.Key, g => g.ToList());
        using var response = await SendAsync(() =>
        {
            var request = Json_(HttpMethod.Post, $"/{repo.UrlPrefix}{repo.FullName}.git/info/lfs/objects/batch", new JsonObject
            {
                ["operation"] = "upload",
                ["transfers"] = new JsonArray("basic", "multipart"),
                ["hash_algo"] = "sha256",
                ["ref"] = createPr ? null : new JsonObject { ["name"] = revision },
                ["objects"] = new JsonArray(distinct.Select(d => (JsonNode)new JsonObject { ["oid"] = d.Key, ["size"] = d.Value[0].Size }).ToArray()),
            });
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaType));
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue(LfsMediaType);
            return request;
        }, retry: true, cancel);
        await EnsureAsync(response, "LFS batch");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
        var errors = new List<string>();
        var uploads = new List<Func<Task>>();
        foreach (var item in json.RootElement.GetProperty("objects").EnumerateArray())
        {
            var oid = item.GetProperty("oid").GetString()!;
            if (!distinct.TryGetValue(oid, out var group))
            {
                throw new HubApiException($"LFS batch answered for an object that was not requested ({oid})");
            }

            if (item.TryGetProperty("error", out var error))
            {
                errors.Add($"{group[0].Operation.PathInRepo}: {error.GetProperty("code")} {error.GetProperty("message").GetString()}");
                continue;
            }

            if (!item.TryGetProperty("actions", out var actions) || !actions.TryGetProperty("upload", out var upload))
            {
                group.ForEach(p => p.AlreadyStored = true);
                Report(group[0].Operation.PathInRepo, group[0].Size, group[0].Size, "already stored");
                continue;
            }

            var plan = group[0];
            var verify = actions.TryGetProperty("verify", out var v) ? v.GetProperty("href").GetString() : null;
            var href = upload.GetProperty("href").GetString()!;
            var header = upload.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object ? h.Clone() : default;
            uploads.Add(async () =>
            {
                if (header.ValueKind == JsonValueKind.Object && header.TryGetProperty("chunk_size", out var chunk))
                {
                    await UploadMultipartAsync(plan, href, header, ParseChunk(chunk), cancel);
                }
                else
                {
                    await UploadBasicAsync(plan, href, cancel);
                }

                if (verify is not null)
                {
                    using var verified = await SendAsync(() => Json_(HttpMethod.Post, verify, new JsonObject { ["oid"] = plan.Sha256, ["size"] = plan.Size }, absolute: true), retry: true, cancel);
                    await EnsureAsync(verified, $"verify {plan.Operation.PathInRepo}");
                }
            });
        }

        if (errors.Count > 0)
        {
            throw new HubApiException("LFS batch API returned errors: " + string.Join("; ", errors));
        }

        foreach (var upload in uploads)
        {
            await upload();
        }
    }

    private static long ParseChunk(JsonElement chunk) =>
        chunk.ValueKind == JsonValueKind.Number ? chunk.GetInt64() : long.Parse(chunk.GetString()!, CultureInfo.InvariantCulture);

    private async Task UploadBasicAsync(UploadPlan plan, string href, CancellationToken cancel)
    {
        var progress = new ProgressCounter(this, plan.Operation.PathInRepo, plan.Size);
        using var response = await SendAsync(() =>
        {
            progress.Reset();
            // No Authorization and no header map: the URL carries its own signature, as with S3.
            var request = new HttpRequestMessage(HttpMethod.Put, href)
            {
                Content = new SliceContent(plan.Operation.Source, 0, plan.Size, progress),
            };
            return request;
        }, retry: true, cancel);
        await EnsureAsync(response, $"upload {plan.Operation.PathInRepo}");
    }

    private async Task UploadMultipartAsync(UploadPlan plan, string completionHref, JsonElement header, long chunkSize, CancellationToken cancel)
    {
        var parts = header.EnumerateObject()
            .Where(p => p.Name.All(char.IsAsciiDigit))
            .Select(p => (Number: int.Parse(p.Name, CultureInfo.InvariantCulture), Url: p.Value.GetString()!))
            .OrderBy(p => p.Number)
            .ToList();
        var expected = (int)((plan.Size + chunkSize - 1) / chunkSize);
        if (parts.Count != expected || parts.Select((p, i) => p.Number == i + 1).Any(ok => !ok))
        {
            throw new HubApiException($"multipart upload of {plan.Operation.PathInRepo}: the server sent {parts.Count} part URLs, {expected} expected");
        }

        var progress = new ProgressCounter(this, plan.Operation.PathInRepo, plan.Size);
        var etags = new string[parts.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, Options.Parallelism));
        await Task.WhenAll(parts.Select(async part =>
        {
            await gate.WaitAsync(cancel);
            try
            {
                var offset = (part.Number - 1) * chunkSize;
                var length = Math.Min(chunkSize, plan.Size - offset);
                var partProgress = progress.Part();
                using var response = await SendAsync(() =>
                {
                    partProgress.Reset();
                    return new HttpRequestMessage(HttpMethod.Put, part.Url) { Content = new SliceContent(plan.Operation.Source, offset, length, partProgress) };
                }, retry: true, cancel);
                await EnsureAsync(response, $"upload part {part.Number} of {plan.Operation.PathInRepo}");
                etags[part.Number - 1] = response.Headers.ETag?.ToString()
                    ?? (response.Headers.TryGetValues("ETag", out var values) ? values.First() : null)
                    ?? throw new HubApiException($"part {part.Number} of {plan.Operation.PathInRepo}: the storage answered without an ETag");
            }
            finally
            {
                gate.Release();
            }
        }));

        using var completed = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, completionHref)
            {
                Content = JsonBody(new JsonObject
                {
                    ["oid"] = plan.Sha256,
                    ["parts"] = new JsonArray(etags.Select((etag, i) => (JsonNode)new JsonObject { ["partNumber"] = i + 1, ["etag"] = etag }).ToArray()),
                }, LfsMediaType),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaType));
            return request;
        }, retry: true, cancel);
        await EnsureAsync(completed, $"complete the upload of {plan.Operation.PathInRepo}");
    }

    /// <summary>
    /// Posts the commit. It is never blindly retried: after an ambiguous failure the branch head is read, and the
    /// commit is sent again only if it did not land.
    /// </summary>
    /// <summary>Counts bytes sent for one file across parallel parts; a retried part starts its count again.</summary>
    private sealed class ProgressCounter(HubClient client, string path, long total)
    {
        private long _done;
        private long _mine;

        public ProgressCounter Part() => new(client, path, total) { Parent = this };

        private ProgressCounter? Parent { get; init; }

        public void Reset()
        {
            Add(-Interlocked.Exchange(ref _mine, 0));
        }

        public void Add(long bytes)
        {
            if (Parent is not null)
            {
                Interlocked.Add(ref _mine, bytes);
                Parent.Add(bytes);
                return;
            }

            Interlocked.Add(ref _mine, bytes);
            var done = Interlocked.Add(ref _done, bytes);
            client.Report(path, done, total, "uploading");
        }
    }

    /// <summary>Streams [offset, offset+length) of a source, reopening it for every attempt.</summary>
    private sealed class SliceContent : HttpContent
    {
        private readonly FileSource _source;
        private readonly long _offset;
        private readonly long _length;
        private readonly ProgressCounter _progress;

        public SliceContent(FileSource source, long offset, long length, ProgressCounter progress)
        {
            (_source, _offset, _length, _progress) = (source, offset, length, progress);
            Headers.ContentLength = length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var input = _source.Open();
            if (_offset > 0)
            {
                if (input.CanSeek)
                {
                    input.Seek(_offset, SeekOrigin.Begin);
                }
                else
                {
                    await CopyAsync(input, Stream.Null, _offset, count: false, cancellationToken);
                }
            }

            await CopyAsync(input, stream, _length, count: true, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        private async Task CopyAsync(Stream input, Stream output, long bytes, bool count, CancellationToken cancel)
        {
            var buffer = new byte[(int)Math.Min(1 << 18, Math.Max(1, bytes))];
            var remaining = bytes;
            while (remaining > 0)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancel);
                if (read == 0)
                {
                    throw new IOException($"{_source.Description} is shorter than expected (it changed during the upload?)");
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancel);
                remaining -= read;
                if (count)
                {
                    _progress.Add(read);
                }
            }
        }
    }
}
