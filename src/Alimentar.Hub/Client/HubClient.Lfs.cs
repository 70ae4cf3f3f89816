using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alimentar.Hub.Lfs;
using Alimentar.Hub.Repos;


namespace Alimentar.Hub.Client;

/// <summary>LFS transfer: the batch API, basic and multipart uploads, verify (huggingface_hub's <c>lfs</c>).</summary>
public sealed partial class HubClient
{
    private async Task UploadLfsAsync(RepoId repo, string revision, bool createPr, IReadOnlyList<UploadPlan> plans, CancellationToken cancel)
    {
        var distinct = plans.GroupBy(p => p.Sha256!).ToDictionary(g => g.Key, g => g.ToList());
        var batch = LfsBatchRequest.ForUpload(createPr ? null : revision, distinct.Select(d => new LfsObject(d.Key, d.Value[0].Size)).ToList());
        using var response = await SendAsync(() =>
        {
            var request = Json_(HttpMethod.Post, $"/{repo.UrlPrefix}{repo.FullName}.git/info/lfs/objects/batch", batch.ToJson());
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue(LfsBatchRequest.MediaType);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsBatchRequest.MediaType));
            return request;
        }, retry: true, cancel);
        await EnsureAsync(response, "LFS batch");
        LfsBatchResponse answer;
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancel));
            answer = LfsBatchResponse.Read(json.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new HubApiException($"LFS batch: the server's answer is not the batch shape ({ex.Message})");
        }

        var errors = new List<string>();
        var uploads = new List<Func<Task>>();
        foreach (var item in answer.Objects)
        {
            if (!distinct.TryGetValue(item.Oid, out var group))
            {
                throw new HubApiException($"LFS batch answered for an object that was not requested ({item.Oid})");
            }

            if (item.Error is { } error)
            {
                errors.Add($"{group[0].Operation.PathInRepo}: {error.Code} {error.Message}");
                continue;
            }

            if (item.Upload is not { } upload)
            {
                group.ForEach(p => p.AlreadyStored = true);
                Report(group[0].Operation.PathInRepo, group[0].Size, group[0].Size, "already stored");
                continue;
            }

            var plan = group[0];
            uploads.Add(async () =>
            {
                if (upload.ChunkSize is { } chunk)
                {
                    await UploadMultipartAsync(plan, upload, chunk, cancel);
                }
                else
                {
                    await UploadBasicAsync(plan, upload.Href, cancel);
                }

                if (item.Verify is { } verify)
                {
                    using var verified = await SendAsync(() => Json_(HttpMethod.Post, verify.Href, new LfsObject(plan.Sha256!, plan.Size).ToJson(), absolute: true), retry: true, cancel);
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

    private async Task UploadMultipartAsync(UploadPlan plan, LfsAction upload, long chunkSize, CancellationToken cancel)
    {
        var parts = upload.Parts;
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
            var completion = new LfsMultipartCompletion(plan.Sha256!, etags.Select((etag, i) => new LfsPart(i + 1, etag)).ToList());
            var request = new HttpRequestMessage(HttpMethod.Post, upload.Href)
            {
                Content = JsonBody(completion.ToJson(), LfsBatchRequest.MediaType),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsBatchRequest.MediaType));
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
