using Alimentar.Hub.Publishing;

namespace Alimentar.Pipelines.Publishing;

/// <summary>
/// <c>publish</c> next to <see cref="HfPublisher.UploadParquetFile"/> and <see cref="HfPublisher.UploadReadmeValidated"/>:
/// <code>
/// var result = new HfPublisher("paiml/my-dataset").WithToken(token).Publish("data/", new PublishOptions { License = "apache-2.0" });
/// </code>
/// The publisher's endpoint (<c>local</c> for the embedded hub), token, revision, privacy and commit message apply.
/// </summary>
public static class HfPublisherExtensions
{
    public static PublishResult Publish(this HfPublisher publisher, string source, PublishOptions? options = null) =>
        publisher.PublishAsync(source, options).GetAwaiter().GetResult();

    public static Task<PublishResult> PublishAsync(this HfPublisher publisher, string source, PublishOptions? options = null)
    {
        options ??= new PublishOptions();
        options = options with
        {
            Revision = options.Revision == "main" ? publisher.Revision : options.Revision,
            Private = options.Private || publisher.Private,
            Message = options.Message ?? publisher.CommitMessage,
        };
        var client = LocalHub.IsLocal(publisher.RequestedEndpoint) ? publisher.LocalClientOptions() : publisher.ClientOptions();
        return DatasetPublisher.PublishAsync([source], publisher.Repo, client, options);
    }
}
