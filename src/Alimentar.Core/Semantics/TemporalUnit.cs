using Apache.Arrow.Types;

namespace Alimentar.Semantics;

/// <summary>What an integer column's values count: the temporal kind and the unit in nanoseconds.</summary>
public readonly record struct TemporalUnit(TemporalKind Kind, long NanosPerUnit)
{
    private const long NanosPerDay = 86_400_000_000_000L;

    public static TemporalUnit? FromArrow(IArrowType type) => type switch
    {
        Date32Type => new TemporalUnit(TemporalKind.Date, NanosPerDay),
        Date64Type => new TemporalUnit(TemporalKind.Date, 1_000_000),
        TimestampType t => new TemporalUnit(string.IsNullOrEmpty(t.Timezone) ? TemporalKind.LocalDateTime : TemporalKind.Instant, Nanos(t.Unit)),
        Time32Type t => new TemporalUnit(TemporalKind.TimeOfDay, Nanos(t.Unit)),
        Time64Type t => new TemporalUnit(TemporalKind.TimeOfDay, Nanos(t.Unit)),
        DurationType t => new TemporalUnit(TemporalKind.Duration, Nanos(t.Unit)),
        _ => null,
    };

    public static long Nanos(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1_000_000_000,
        TimeUnit.Millisecond => 1_000_000,
        TimeUnit.Microsecond => 1_000,
        _ => 1,
    };
}
