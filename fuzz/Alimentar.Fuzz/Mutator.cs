namespace Alimentar.Fuzz;

/// <summary>
/// Byte-level mutations of the kinds that found the hostile-input bugs: flips, boundary values, the format's own
/// punctuation, runs repeated (deep nesting, huge lengths), truncation and splices of two inputs.
/// </summary>
public sealed class Mutator(Random random)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x1C, 0x19, (byte)'"', (byte)',', (byte)';', (byte)'\n', (byte)'\r', (byte)'{', (byte)'[', (byte)'}', (byte)']', (byte)':', (byte)'\\', (byte)'-', (byte)'e', (byte)'9'];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> pool, int maxLength)
    {
        var data = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            Apply(data, pool);
        }

        return data.Count > maxLength ? data.GetRange(0, maxLength).ToArray() : data.ToArray();
    }

    private void Apply(List<byte> data, IReadOnlyList<byte[]> pool)
    {
        if (data.Count == 0)
        {
            data.Add(Interesting[random.Next(Interesting.Length)]);
            return;
        }

        var at = random.Next(data.Count);
        switch (random.Next(8))
        {
            case 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                data[at] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                data.Insert(at, Interesting[random.Next(Interesting.Length)]);
                break;
            case 3:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            case 4:
                // A run repeated many times: deep nesting, long fields, many columns.
                var length = Math.Min(data.Count - at, 1 + random.Next(8));
                var run = data.GetRange(at, length);
                var times = 1 + random.Next(random.Next(2) == 0 ? 8 : 2000);
                for (var t = 0; t < times; t++)
                {
                    data.InsertRange(at, run);
                }

                break;
            case 5:
                data.RemoveRange(at, data.Count - at);
                break;
            case 6:
                var other = pool[random.Next(pool.Count)];
                if (other.Length > 0)
                {
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(256))).ToArray());
                }

                break;
            default:
                // A little-endian integer field overwritten with an extreme value (lengths, counts, offsets).
                var value = random.Next(3) switch { 0 => int.MaxValue, 1 => -1, _ => random.Next() };
                var bytes = BitConverter.GetBytes(value);
                for (var i = 0; i < bytes.Length && at + i < data.Count; i++)
                {
                    data[at + i] = bytes[i];
                }

                break;
        }
    }
}
