namespace Alimentar.Fuzz;

/// <summary>
/// One parser under fuzzing: a name, the seed inputs it starts from, and the code that feeds it one input. The code
/// may fail only in the ways a user is meant to see (<see cref="Expected"/>: the one-line errors); any other exception,
/// a hang or a crash of the process is a bug.
/// </summary>
public sealed record FuzzTarget(string Name, Func<IReadOnlyList<byte[]>> Seeds, Action<byte[]> Run, Func<Exception, bool> Expected);
