namespace Alimentar.Semantics;

/// <summary>What a temporal value denotes; values of different kinds are never the same cell.</summary>
public enum TemporalKind
{
    /// <summary>A calendar date.</summary>
    Date = 1,

    /// <summary>A wall-clock date and time with no zone.</summary>
    LocalDateTime = 2,

    /// <summary>A point in time (a timestamp adjusted to UTC, or written with a zone).</summary>
    Instant = 3,

    /// <summary>A time of day.</summary>
    TimeOfDay = 4,

    /// <summary>A length of time.</summary>
    Duration = 5,
}
