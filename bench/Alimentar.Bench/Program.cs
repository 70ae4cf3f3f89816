using Alimentar.Bench;

var command = args.Length > 0 ? args[0] : "quality";
switch (command)
{
    case "sample":
        DataGenerator.WriteSample(args.Length > 1 ? args[1] : "samples/reviews.parquet");
        Console.WriteLine("wrote sample");
        return 0;
    case "quality":
        return QualityBenchmark.Run(args.Skip(1).ToArray());
    case "floor":
        // The bare decode alone, for (a') of the quality benchmark.
        QualityBenchmark.DecodeFloor(args[1], buffered: true);
        return 0;
    case "clean":
        return CleanBenchmark.Run(args.Skip(1).ToArray());
    case "augment":
        return AugmentBenchmark.Run(args.Skip(1).ToArray());
    case "push":
        return PushBenchmark.Run(args.Skip(1).ToArray());
    case "publish":
        return PublishBenchmark.Run(args.Skip(1).ToArray());
    case "pull":
        return PullBenchmark.Run(args.Skip(1).ToArray());
    case "wide":
        return WideBenchmark.Run(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine("usage: bench [quality [--rows N] [--file PATH] | clean [--rows N] [--near-rows N] [--file PATH] | augment [--rows N] | push [--size-mb N] | publish [--rows N] [--runs N] | pull [--size-mb N] | wide [--columns N] [--rows N] | sample PATH]");
        return 2;
}
