namespace Alimentar.Transforms.Augment;

/// <summary>
/// Exact k-nearest-neighbour search (Euclidean) over a few dimensions without an all-pairs matrix: a k-d tree split at
/// the median of the widest dimension, leaves of up to 16 points, searched branch-and-bound.
/// </summary>
internal sealed class KdTree
{
    private const int LeafSize = 16;
    private readonly double[] _points;
    private readonly int _dimensions;
    private readonly int[] _order;
    private readonly List<Node> _nodes = [];

    public KdTree(double[] points, int dimensions)
    {
        _points = points;
        _dimensions = dimensions;
        _order = Enumerable.Range(0, dimensions == 0 ? 0 : points.Length / dimensions).ToArray();
        if (_order.Length > 0)
        {
            Build(0, _order.Length);
        }
    }

    /// <summary>The <paramref name="k"/> nearest other points of point <paramref name="index"/>, nearest first (ties by index).</summary>
    public int[] Nearest(int index, int k)
    {
        var best = new List<(double Distance, int Index)>(k + 1);
        if (_nodes.Count > 0)
        {
            Search(0, index, k, best);
        }

        return best.Select(b => b.Index).ToArray();
    }

    private double Coordinate(int point, int dimension) => _points[(point * _dimensions) + dimension];

    private int Build(int start, int end)
    {
        var id = _nodes.Count;
        _nodes.Add(default);
        if (end - start <= LeafSize)
        {
            _nodes[id] = new Node(start, end, -1, 0, -1, -1);
            return id;
        }

        var split = 0;
        var widest = -1.0;
        for (var d = 0; d < _dimensions; d++)
        {
            double min = double.MaxValue, max = double.MinValue;
            for (var i = start; i < end; i++)
            {
                var v = Coordinate(_order[i], d);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            if (max - min > widest)
            {
                widest = max - min;
                split = d;
            }
        }

        var middle = (start + end) / 2;
        Array.Sort(_order, start, end - start, Comparer<int>.Create((a, b) => Coordinate(a, split).CompareTo(Coordinate(b, split)) is var c && c != 0 ? c : a.CompareTo(b)));
        var value = Coordinate(_order[middle], split);
        var left = Build(start, middle);
        var right = Build(middle, end);
        _nodes[id] = new Node(start, end, split, value, left, right);
        return id;
    }

    private void Search(int id, int query, int k, List<(double Distance, int Index)> best)
    {
        var node = _nodes[id];
        if (node.Dimension < 0)
        {
            for (var i = node.Start; i < node.End; i++)
            {
                var candidate = _order[i];
                if (candidate == query)
                {
                    continue;
                }

                var distance = 0.0;
                for (var d = 0; d < _dimensions; d++)
                {
                    var delta = Coordinate(candidate, d) - Coordinate(query, d);
                    distance += delta * delta;
                }

                Offer(best, k, distance, candidate);
            }

            return;
        }

        var offset = Coordinate(query, node.Dimension) - node.Value;
        var (near, far) = offset < 0 ? (node.Left, node.Right) : (node.Right, node.Left);
        Search(near, query, k, best);
        if (best.Count < k || offset * offset <= best[^1].Distance)
        {
            Search(far, query, k, best);
        }
    }

    private static void Offer(List<(double Distance, int Index)> best, int k, double distance, int index)
    {
        if (best.Count == k && (distance > best[^1].Distance || (distance == best[^1].Distance && index > best[^1].Index)))
        {
            return;
        }

        var at = best.Count;
        while (at > 0 && (best[at - 1].Distance > distance || (best[at - 1].Distance == distance && best[at - 1].Index > index)))
        {
            at--;
        }

        best.Insert(at, (distance, index));
        if (best.Count > k)
        {
            best.RemoveAt(k);
        }
    }

    private readonly record struct Node(int Start, int End, int Dimension, double Value, int Left, int Right);
}
