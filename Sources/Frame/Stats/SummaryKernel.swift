// SummaryKernel: the numeric statistics of `ColumnSummary` (see its file for the algorithm):
// a counting histogram for small integer ranges, a radix-sorted copy otherwise, both after a
// first pass for count, min, max and an exact sum.

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

    /// First-pass totals of one chunk (or of the column).
    private struct Totals {
        var n = 0
        var lo: Double = .infinity
        var hi: Double = -.infinity
        var loInt = Int64.max
        var hiInt = Int64.min
        /// Integers: exact sum = wraps * 2^64 + sum. Floats: sum.
        var sum: Int64 = 0
        var wraps: Int64 = 0
        var floatSum: Double = 0

        mutating func add(_ v: Int64) {
            let (s, overflow) = sum.addingReportingOverflow(v)
            if overflow { wraps += v < 0 ? -1 : 1 }
            sum = s
        }

        var total: Double { Double(wraps) * 0x1p64 + Double(sum) }
    }

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> ColumnSummary {
        let totals = firstPass(view)
        var summary = ColumnSummary(count: 0, nulls: 0, distinct: 0)
        let n = totals.n
        guard n > 0 else { return summary }
        let mean = T.isFloatingPoint ? totals.floatSum / Double(n) : totals.total / Double(n)
        let stats: (m2: Double, distinct: Int, orderStatistic: ([Int]) -> [Double])
        if !T.isFloatingPoint, let width = IntegerRange.width(totals.loInt, totals.hiInt),
           width < SummaryKernel.countingRangeLimit,
           width < Swift.max(SummaryKernel.countingRangeFloor, view.count) {
            stats = counted(view, lo: totals.loInt, width: width, mean: mean)
        } else {
            stats = sortedCopy(view, n: n, mean: mean, loInt: totals.loInt, hiInt: totals.hiInt)
        }
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
        summary.mean = mean
        summary.std = n > 1 ? (stats.m2 / Double(n - 1)).squareRoot() : nil
        summary.min = x[0]
        summary.q25 = quantile(0)
        summary.median = quantile(1)
        summary.q75 = quantile(2)
        summary.max = x[1]
        summary.distinct = stats.distinct
        return summary
    }

    /// Count, min, max and sum of the present values, over parallel chunks.
    private func firstPass<T: KernelElement>(_ view: ColumnView<T>) -> Totals {
        let narrow = MemoryLayout<T>.size <= 4 && view.count < Int(Int32.max)
        let parts = Parallel.mapChunks(view.count) { range -> Totals in
            var t = Totals()
            if T.isFloatingPoint {
                var block = 0.0, inBlock = 0
                for i in range where view.hasValue(i) {
                    let x = view.values[i].kernelDouble
                    t.lo = Swift.min(t.lo, x)
                    t.hi = Swift.max(t.hi, x)
                    block += x
                    inBlock += 1
                    t.n += 1
                    if inBlock == SummaryKernel.sumBlock {
                        t.floatSum += block
                        block = 0
                        inBlock = 0
                    }
                }
                t.floatSum += block
            } else if view.validity == nil && narrow {
                // No nulls, and a sum of at most 2^31 values below 2^31 fits Int64: no checks.
                var lo = Int64.max, hi = Int64.min, sum: Int64 = 0
                for i in range {
                    let v = view.values[i].kernelInt64
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                    sum &+= v
                }
                t.n = range.count
                t.loInt = lo
                t.hiInt = hi
                t.sum = sum
            } else {
                for i in range where view.isValid(i) {
                    let v = view.values[i].kernelInt64
                    t.loInt = Swift.min(t.loInt, v)
                    t.hiInt = Swift.max(t.hiInt, v)
                    t.add(v)
                    t.n += 1
                }
            }
            return t
        }
        var total = Totals()
        for p in parts {
            total.n += p.n
            total.lo = Swift.min(total.lo, p.lo)
            total.hi = Swift.max(total.hi, p.hi)
            total.loInt = Swift.min(total.loInt, p.loInt)
            total.hiInt = Swift.max(total.hiInt, p.hiInt)
            total.add(p.sum)
            total.wraps += p.wraps
            total.floatSum += p.floatSum
        }
        return total
    }

    /// Statistics from a counting histogram of an integer column over lo...lo + width.
    private func counted<T: KernelElement>(_ view: ColumnView<T>, lo: Int64, width: Int, mean: Double)
        -> (m2: Double, distinct: Int, orderStatistic: ([Int]) -> [Double]) {
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
        var m2 = 0.0, distinct = 0
        for b in 0..<bins where counts[b] > 0 {
            let d = Double(lo &+ Int64(b)) - mean
            m2 += Double(counts[b]) * d * d
            distinct += 1
        }
        return (m2, distinct, { ranks in
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

    /// Statistics from a radix-sorted copy of the values.
    private func sortedCopy<T: KernelElement>(_ view: ColumnView<T>, n: Int, mean: Double, loInt: Int64, hiInt: Int64)
        -> (m2: Double, distinct: Int, orderStatistic: ([Int]) -> [Double]) {
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
            base = UInt64(bitPattern: loInt) ^ (1 << 63)
            span = UInt64(bitPattern: hiInt &- loInt)
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
            let (keys, m2) = copyKeys(view, n: n, mean: mean, base: base, as: UInt32.self)
            return finish(keys, bits: bits, m2: m2, value: value)
        }
        let (keys, m2) = copyKeys(view, n: n, mean: mean, base: base, as: UInt64.self)
        return finish(keys, bits: bits, m2: m2, value: value)
    }

    /// The present values as keys (ordered value - base), in parallel chunks, and Σ(x - mean)².
    private func copyKeys<T: KernelElement, K: FixedWidthInteger & UnsignedInteger>(
        _ view: ColumnView<T>, n: Int, mean: Double, base: UInt64, as _: K.Type
    ) -> ([K], Double) {
        let ranges = Parallel.chunks(view.count)
        // Where each chunk's present values start in the copy.
        let present = Parallel.map(ranges.count) { c in
            view.validity == nil && !T.isFloatingPoint ? ranges[c].count : ranges[c].reduce(0) { $0 + (view.hasValue($1) ? 1 : 0) }
        }
        var starts = [0]
        for p in present { starts.append(starts.last! + p) }
        var m2Parts = [Double](repeating: 0, count: ranges.count)
        let keys = [K](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = SharedPointer(buffer.baseAddress!)
            m2Parts.withUnsafeMutableBufferPointer { m2 in
                let sums = SharedPointer(m2.baseAddress!)
                // Chunk c writes only keys starts[c]..<starts[c + 1] and sums[c].
                Parallel.forEach(ranges.count) { c in
                    var at = starts[c], m2 = 0.0
                    for i in ranges[c] where view.hasValue(i) {
                        let x = view.values[i]
                        let d = x.kernelDouble - mean
                        m2 += d * d
                        (out.base + at).initialize(to: K(truncatingIfNeeded: OrderedValueVisitor.ordered(x) &- base))
                        at += 1
                    }
                    sums[c] = m2
                }
            }
            initialized = n
        }
        return (keys, m2Parts.reduce(0, +))
    }

    /// Sorts the keys and reads distinct count and order statistics off them.
    private func finish<K: FixedWidthInteger & UnsignedInteger>(_ keys: [K], bits: Int, m2: Double, value: @escaping (UInt64) -> Double)
        -> (m2: Double, distinct: Int, orderStatistic: ([Int]) -> [Double]) {
        var sorted = keys
        let n = sorted.count
        let distinct = sorted.withUnsafeMutableBufferPointer { k -> Int in
            RadixSort.sort(k.baseAddress!, payload: nil, count: n, bits: bits)
            var d = 1
            for i in 1..<Swift.max(n, 1) where k[i] != k[i - 1] { d += 1 }
            return d
        }
        return (m2, distinct, { ranks in ranks.map { value(UInt64(sorted[$0])) } })
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
