// SummaryKernel: the numeric statistics of `ColumnSummary` (see its file for the algorithm):
// a counting histogram for small integer ranges, a radix-sorted copy otherwise. Integers need
// only their range first (compared in their own type, which vectorises); their exact sum comes
// from the histogram or the copy, M2 from the histogram or the sorted copy. Floats take a first
// pass for count, range and a blockwise sum, and accumulate M2 while being copied.

/// Computes a numeric column's summary (count and nulls are filled in by the caller).
struct SummaryKernel: NumericVisitor {
    /// The widest integer range summarised by a counting histogram (4 MiB of UInt32 counters
    /// a chunk); wider ranges are sorted.
    static let countingRangeLimit = 1 << 20
    /// Ranges up to this size always count; above it, the range may be at most the row count
    /// (a histogram much larger than the column would cost more than sorting it).
    static let countingRangeFloor = 1 << 16
    /// Floats are summed in blocks this long, then the block sums are summed (error grows with
    /// block length + blocks, not with n).
    static let sumBlock = 256

    /// First-pass totals of a float column's chunk (or of the whole column).
    private struct Totals {
        var n = 0
        var lo: Double = .infinity
        var hi: Double = -.infinity
        var sum: Double = 0
    }

    /// What the counting or sorting path found: count, mean, M2, distinct values, and a way to
    /// read order statistics (0-based ranks among the present values).
    private struct Stats {
        var n: Int
        var mean: Double
        var m2: Double
        var distinct: Int
        var orderStatistic: ([Int]) -> [Double]
    }

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> ColumnSummary {
        var summary = ColumnSummary(count: 0, nulls: 0, distinct: 0)
        let stats: Stats
        if T.isFloatingPoint {
            let totals = firstPass(view)
            guard totals.n > 0 else { return summary }
            stats = sortedCopy(view, n: totals.n, floatMean: totals.sum / Double(totals.n), lo: 0, hi: 0)
        } else {
            guard let (lo, hi) = IntegerRange.of(view) else { return summary }
            let n = view.count - (view.validity == nil ? 0 : SummaryKernel.nullCount(view))
            if let width = IntegerRange.width(lo, hi), width < SummaryKernel.countingRangeLimit,
               width < Swift.max(SummaryKernel.countingRangeFloor, view.count) {
                stats = counted(view, lo: lo, width: width)
            } else {
                stats = sortedCopy(view, n: n, floatMean: 0, lo: lo, hi: hi)
            }
        }
        let n = stats.n
        // Order statistics at the interpolation points of the three quartiles.
        let h = [0.25, 0.5, 0.75].map { Double(n - 1) * $0 }
        let ranks = h.flatMap { h -> [Int] in
            let lo = Int(h.rounded(.down))
            return [lo, Swift.min(lo + 1, n - 1)]
        }
        let x = stats.orderStatistic([0, n - 1] + ranks)
        func quantile(_ q: Int) -> Double {
            let lo = x[2 + 2 * q], hi = x[3 + 2 * q]
            return lo + (h[q] - h[q].rounded(.down)) * (hi - lo)
        }
        summary.mean = stats.mean
        summary.std = n > 1 ? (stats.m2 / Double(n - 1)).squareRoot() : nil
        summary.min = x[0]
        summary.q25 = quantile(0)
        summary.median = quantile(1)
        summary.q75 = quantile(2)
        summary.max = x[1]
        summary.distinct = stats.distinct
        return summary
    }

    /// Null rows of a column with a validity bitmap.
    private static func nullCount<T>(_ view: ColumnView<T>) -> Int {
        guard let words = view.validity else { return 0 }
        var set = 0
        for w in 0..<((view.count + 63) / 64) { set += words[w].nonzeroBitCount }
        return view.count - set
    }

    /// Count, min, max and blockwise sum of a float column's present values, in parallel chunks.
    private func firstPass<T: KernelElement>(_ view: ColumnView<T>) -> Totals {
        let parts = Parallel.mapChunks(view.count) { range -> Totals in
            var t = Totals()
            var block = 0.0, inBlock = 0
            for i in range where view.hasValue(i) {
                let x = view.values[i].kernelDouble
                t.lo = Swift.min(t.lo, x)
                t.hi = Swift.max(t.hi, x)
                block += x
                inBlock += 1
                t.n += 1
                if inBlock == SummaryKernel.sumBlock {
                    t.sum += block
                    block = 0
                    inBlock = 0
                }
            }
            t.sum += block
            return t
        }
        var total = Totals()
        for p in parts {
            total.n += p.n
            total.lo = Swift.min(total.lo, p.lo)
            total.hi = Swift.max(total.hi, p.hi)
            total.sum += p.sum
        }
        return total
    }

    /// Statistics from a counting histogram of an integer column over lo...lo + width.
    private func counted<T: KernelElement>(_ view: ColumnView<T>, lo: Int64, width: Int) -> Stats {
        let bins = width + 1
        let parts = Parallel.mapChunks(view.count) { range -> [UInt32] in
            var counts = [UInt32](repeating: 0, count: bins)
            counts.withUnsafeMutableBufferPointer { c in
                if view.validity == nil {
                    for i in range { c[Int(truncatingIfNeeded: view.values[i].kernelInt64 &- lo)] &+= 1 }
                } else {
                    for i in range where view.isValid(i) {
                        c[Int(truncatingIfNeeded: view.values[i].kernelInt64 &- lo)] &+= 1
                    }
                }
            }
            return counts
        }
        var counts = [Int](repeating: 0, count: bins)
        for part in parts {
            for b in 0..<bins { counts[b] &+= Int(part[b]) }
        }
        // Exact sum of value - lo: at most 2^31 rows times a width below 2^20.
        var n = 0, shifted = 0, distinct = 0
        for b in 0..<bins where counts[b] > 0 {
            n += counts[b]
            shifted += counts[b] * b
            distinct += 1
        }
        let mean = Double(lo) + Double(shifted) / Double(n)
        var m2 = 0.0
        for b in 0..<bins where counts[b] > 0 {
            let d = Double(lo &+ Int64(b)) - mean
            m2 += Double(counts[b]) * d * d
        }
        return Stats(n: n, mean: mean, m2: m2, distinct: distinct, orderStatistic: { ranks in
            // One scan of the cumulative counts finds every asked-for order statistic.
            let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
            var out = [Double](repeating: 0, count: ranks.count)
            var b = 0, below = 0
            for i in order {
                while below + counts[b] <= ranks[i] {
                    below += counts[b]
                    b += 1
                }
                out[i] = Double(lo &+ Int64(b))
            }
            return out
        })
    }

    /// Statistics from a radix-sorted copy of the values. Floats come with their mean (M2 is
    /// summed while copying); integers with their range (the exact sum is taken while copying,
    /// M2 after sorting).
    private func sortedCopy<T: KernelElement>(_ view: ColumnView<T>, n: Int, floatMean: Double, lo: Int64, hi: Int64) -> Stats {
        // Keys: order-preserving unsigned values minus the smallest one.
        let (base, span): (UInt64, UInt64)
        if T.isFloatingPoint {
            let bounds = Parallel.mapChunks(view.count) { range -> (UInt64, UInt64) in
                var lo = UInt64.max, hi = UInt64.min
                for i in range where view.hasValue(i) {
                    let k = OrderedValueVisitor.ordered(view.values[i])
                    lo = Swift.min(lo, k)
                    hi = Swift.max(hi, k)
                }
                return (lo, hi)
            }
            base = bounds.map(\.0).min()!
            span = bounds.map(\.1).max()! &- base
        } else {
            base = UInt64(bitPattern: lo) ^ (1 << 63)
            span = UInt64(bitPattern: hi &- lo)
        }
        let bits = span.bitWidthNeeded
        func value(_ key: UInt64) -> Double {
            let ordered = key &+ base
            if T.isFloatingPoint {
                return Double(bitPattern: ordered >> 63 == 1 ? ordered & ~(1 << 63) : ~ordered)
            }
            return Double(Int64(bitPattern: ordered ^ (1 << 63)))
        }
        if bits <= 32 {
            let copy = copyKeys(view, n: n, floatMean: floatMean, base: base, as: UInt32.self)
            return finish(copy, bits: bits, integers: !T.isFloatingPoint, lo: lo, value: value)
        }
        let copy = copyKeys(view, n: n, floatMean: floatMean, base: base, as: UInt64.self)
        return finish(copy, bits: bits, integers: !T.isFloatingPoint, lo: lo, value: value)
    }

    /// A copy of the present values as keys (ordered value - base), in parallel chunks, with
    /// Σ(x - mean)² for floats and the exact key sum (wraps * 2^64 + sum) for integers.
    private struct KeyCopy<K> {
        var keys: [K]
        var floatMean: Double
        var floatM2: Double
        var keySum: UInt64
        var keyWraps: Int
    }

    private func copyKeys<T: KernelElement, K: FixedWidthInteger & UnsignedInteger>(
        _ view: ColumnView<T>, n: Int, floatMean: Double, base: UInt64, as _: K.Type
    ) -> KeyCopy<K> {
        let ranges = Parallel.chunks(view.count)
        // Where each chunk's present values start in the copy.
        let present = Parallel.map(ranges.count) { c in
            view.validity == nil && !T.isFloatingPoint ? ranges[c].count : ranges[c].reduce(0) { $0 + (view.hasValue($1) ? 1 : 0) }
        }
        var starts = [0]
        for p in present { starts.append(starts.last! + p) }
        var sums = [(m2: Double, sum: UInt64, wraps: Int)](repeating: (0, 0, 0), count: ranges.count)
        let keys = [K](unsafeUninitializedCapacity: n) { buffer, initialized in
            guard n > 0 else { initialized = 0; return }
            let out = SharedPointer(buffer.baseAddress!)
            sums.withUnsafeMutableBufferPointer { sums in
                let partial = SharedPointer(sums.baseAddress!)
                // Chunk c writes only keys starts[c]..<starts[c + 1] and partial[c].
                Parallel.forEach(ranges.count) { c in
                    var at = starts[c], m2 = 0.0, sum: UInt64 = 0, wraps = 0
                    for i in ranges[c] where view.hasValue(i) {
                        let x = view.values[i]
                        let key = OrderedValueVisitor.ordered(x) &- base
                        if T.isFloatingPoint {
                            let d = x.kernelDouble - floatMean
                            m2 += d * d
                        } else {
                            let (s, o) = sum.addingReportingOverflow(key)
                            sum = s
                            if o { wraps += 1 }
                        }
                        (out.base + at).initialize(to: K(truncatingIfNeeded: key))
                        at += 1
                    }
                    partial[c] = (m2, sum, wraps)
                }
            }
            initialized = n
        }
        var total = KeyCopy(keys: keys, floatMean: floatMean, floatM2: 0, keySum: 0, keyWraps: 0)
        for part in sums {
            total.floatM2 += part.m2
            let (s, o) = total.keySum.addingReportingOverflow(part.sum)
            total.keySum = s
            total.keyWraps += part.wraps + (o ? 1 : 0)
        }
        return total
    }

    /// Sorts the keys and reads mean, M2, distinct count and order statistics off them.
    private func finish<K: FixedWidthInteger & UnsignedInteger>(_ copy: KeyCopy<K>, bits: Int, integers: Bool, lo: Int64,
                                                                 value: @escaping (UInt64) -> Double) -> Stats {
        var sorted = copy.keys
        let n = sorted.count
        var mean = copy.floatMean, m2 = copy.floatM2
        if integers {
            // The exact sum of keys (value - lo) gives the mean without rounding the values.
            mean = Double(lo) + (Double(copy.keyWraps) * 0x1p64 + Double(copy.keySum)) / Double(n)
        }
        let distinct = sorted.withUnsafeMutableBufferPointer { k -> Int in
            RadixSort.sort(k.baseAddress!, payload: nil, count: n, bits: bits)
            var d = 1
            for i in 1..<Swift.max(n, 1) where k[i] != k[i - 1] { d += 1 }
            return d
        }
        if integers {
            // M2 over the sorted copy (key + lo is the value), in parallel chunks.
            m2 = sorted.withUnsafeBufferPointer { k in
                Parallel.mapChunks(n) { range -> Double in
                    var m2 = 0.0
                    for i in range {
                        let d = Double(lo &+ Int64(truncatingIfNeeded: k[i])) - mean
                        m2 += d * d
                    }
                    return m2
                }.reduce(0, +)
            }
        }
        return Stats(n: n, mean: mean, m2: m2, distinct: distinct, orderStatistic: { ranks in ranks.map { value(UInt64(sorted[$0])) } })
    }

    /// The number of distinct codes among a string column's non-null rows.
    static func distinctCodes(_ view: ColumnView<UInt32>, dictionarySize: Int) -> Int {
        let parts = Parallel.mapChunks(view.count) { range -> [Bool] in
            var seen = [Bool](repeating: false, count: dictionarySize)
            seen.withUnsafeMutableBufferPointer { s in
                for i in range where view.isValid(i) {
                    let code = Int(view.values[i])
                    if code < dictionarySize { s[code] = true }
                }
            }
            return seen
        }
        var seen = [Bool](repeating: false, count: dictionarySize)
        for part in parts {
            for code in 0..<dictionarySize where part[code] { seen[code] = true }
        }
        return seen.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
}
