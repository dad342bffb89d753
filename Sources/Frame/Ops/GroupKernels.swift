// GroupKernels: per-group accumulators, computed over contiguous row chunks in parallel, one
// partial array per chunk, merged in chunk order.
//
// A `SlotMap` sends each row to an accumulator slot: directly (an integer key minus its
// minimum, null in the last slot) or through precomputed group ids. Moments use shifted sums
// per slot and chunk: K = the first value the chunk saw in the slot, s1 = Σ(x - K),
// s2 = Σ(x - K)², so mean = K + s1/n and M2 = s2 - s1²/n lose no digits on timestamps near
// 1.5e9. Chunks merge with Chan et al.'s update:
//   n = na + nb,  δ = mean_b - mean_a,  mean = mean_a + δ nb / n,  M2 = M2a + M2b + δ² na nb / n.
// Integer sums are exact in Int64; an overflow is reported so the caller can fall back to floats.
// Missing values (nulls, and NaN in float columns) are skipped by every value kernel.

/// Maps a row to its accumulator slot in 0..<slotCount.
protocol SlotMap: Sendable {
    var slotCount: Int { get }
    func slot(_ row: Int) -> Int
}

/// Slots of an integer key with a small range: value - min, and the last slot for null.
struct DirectSlots<K: KernelElement>: SlotMap {
    let key: ColumnView<K>
    let minimum: Int64
    /// range + 2: one slot per value in min...max, and one for null.
    let slotCount: Int

    @inline(__always)
    func slot(_ row: Int) -> Int {
        key.isValid(row) ? Int(truncatingIfNeeded: key.values[row].kernelInt64 &- minimum) : slotCount &- 1
    }
}

/// Slots given by a group id per row.
struct IndexedSlots: SlotMap {
    let ids: ColumnView<UInt32>
    let slotCount: Int

    @inline(__always)
    func slot(_ row: Int) -> Int { Int(ids.values[row]) }
}

/// Count, mean and centred sum of squares of each slot's values.
struct SlotMoments {
    var n: [Int]
    var mean: [Double]
    var m2: [Double]
}

enum GroupKernels {
    /// Batches of buckets to sort per thread: several, so uneven buckets still balance.
    static let batchesPerThread = 4

    /// The row chunks a kernel over `slots` runs on: parallel only while the partial arrays
    /// (one per chunk) stay no larger than the input, so millions of groups run on one thread.
    static func chunks<S: SlotMap>(_ slots: S, rows: Int) -> [Range<Int>] {
        let parts = Swift.max(1, Swift.min(Parallel.threadCount, rows / Swift.max(slots.slotCount, 1)))
        return Parallel.chunks(rows, parts: parts)
    }

    /// Rows per slot and, if asked, the first row of each slot (Int.max for an empty slot).
    static func rowCounts<S: SlotMap>(_ slots: S, rows: Int, firstRows: Bool) -> (counts: [Int], first: [Int]?) {
        let ranges = chunks(slots, rows: rows)
        let m = slots.slotCount
        let parts = Parallel.map(ranges.count) { c -> ([Int], [Int]) in
            var counts = [Int](repeating: 0, count: m)
            var first = [Int](repeating: Int.max, count: firstRows ? m : 0)
            counts.withUnsafeMutableBufferPointer { cnt in
                if firstRows {
                    first.withUnsafeMutableBufferPointer { f in
                        for r in ranges[c] {
                            let s = slots.slot(r)
                            if cnt[s] == 0 { f[s] = r }
                            cnt[s] &+= 1
                        }
                    }
                } else {
                    for r in ranges[c] { cnt[slots.slot(r)] &+= 1 }
                }
            }
            return (counts, first)
        }
        guard var (counts, first) = parts.first else {
            return ([Int](repeating: 0, count: m), firstRows ? [Int](repeating: Int.max, count: m) : nil)
        }
        for (c, f) in parts.dropFirst() {
            for s in 0..<m where c[s] != 0 {
                if firstRows && counts[s] == 0 { first[s] = f[s] }
                counts[s] += c[s]
            }
        }
        return (counts, firstRows ? first : nil)
    }

    /// Non-missing values per slot.
    static func valueCounts<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>) -> [Int] {
        let ranges = chunks(slots, rows: view.count)
        return mergeSums(chunkValueCounts(slots, view, ranges), count: slots.slotCount, zero: 0, +)
    }

    /// Non-missing values per slot within each row chunk of `ranges`, counted in parallel.
    private static func chunkValueCounts<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>,
                                                                       _ ranges: [Range<Int>]) -> [[Int]] {
        let m = slots.slotCount
        return Parallel.map(ranges.count) { c -> [Int] in
            var counts = [Int](repeating: 0, count: m)
            counts.withUnsafeMutableBufferPointer { cnt in
                for r in ranges[c] where view.hasValue(r) { cnt[slots.slot(r)] &+= 1 }
            }
            return counts
        }
    }

    /// Exact Int64 sums per slot of an integer column, or nil when one overflows.
    static func integerSums<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>) -> [Int64]? {
        let ranges = chunks(slots, rows: view.count)
        let m = slots.slotCount
        let parts = Parallel.map(ranges.count) { c -> [Int64]? in
            var sums = [Int64](repeating: 0, count: m)
            var overflow = false
            sums.withUnsafeMutableBufferPointer { sum in
                for r in ranges[c] where view.isValid(r) {
                    let s = slots.slot(r)
                    let (v, o) = sum[s].addingReportingOverflow(view.values[r].kernelInt64)
                    sum[s] = v
                    overflow = overflow || o
                }
            }
            return overflow ? nil : sums
        }
        guard var total = parts.first ?? [Int64](repeating: 0, count: m) else { return nil }
        for part in parts.dropFirst() {
            guard let part else { return nil }
            for s in 0..<m {
                let (v, o) = total[s].addingReportingOverflow(part[s])
                if o { return nil }
                total[s] = v
            }
        }
        return total
    }

    /// Float64 sums per slot (missing values skipped).
    static func doubleSums<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>) -> [Double] {
        let ranges = chunks(slots, rows: view.count)
        let m = slots.slotCount
        let parts = Parallel.map(ranges.count) { c -> [Double] in
            var sums = [Double](repeating: 0, count: m)
            sums.withUnsafeMutableBufferPointer { sum in
                for r in ranges[c] where view.hasValue(r) { sum[slots.slot(r)] += view.values[r].kernelDouble }
            }
            return sums
        }
        return mergeSums(parts, count: m, zero: 0, +)
    }

    /// Count, mean and (when `squares`) centred sum of squares per slot.
    static func moments<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>, squares: Bool) -> SlotMoments {
        let ranges = chunks(slots, rows: view.count)
        let m = slots.slotCount
        let parts = Parallel.map(ranges.count) { c -> SlotMoments in
            var n = [Int](repeating: 0, count: m)
            var shift = [Double](repeating: 0, count: m)
            var s1 = [Double](repeating: 0, count: m)
            var s2 = [Double](repeating: 0, count: squares ? m : 0)
            n.withUnsafeMutableBufferPointer { n in
                shift.withUnsafeMutableBufferPointer { k in
                    s1.withUnsafeMutableBufferPointer { s1 in
                        if squares {
                            s2.withUnsafeMutableBufferPointer { s2 in
                                for r in ranges[c] where view.hasValue(r) {
                                    let s = slots.slot(r), x = view.values[r].kernelDouble
                                    if n[s] == 0 { k[s] = x }
                                    let d = x - k[s]
                                    s1[s] += d
                                    s2[s] += d * d
                                    n[s] &+= 1
                                }
                            }
                        } else {
                            for r in ranges[c] where view.hasValue(r) {
                                let s = slots.slot(r), x = view.values[r].kernelDouble
                                if n[s] == 0 { k[s] = x }
                                s1[s] += x - k[s]
                                n[s] &+= 1
                            }
                        }
                    }
                }
            }
            // Shifted sums to (mean, M2) per slot.
            var m2 = [Double](repeating: 0, count: m)
            for s in 0..<m where n[s] > 0 {
                let count = Double(n[s])
                shift[s] += s1[s] / count
                if squares { m2[s] = Swift.max(0, s2[s] - s1[s] * s1[s] / count) }
            }
            return SlotMoments(n: n, mean: shift, m2: m2)
        }
        guard var total = parts.first else {
            return SlotMoments(n: [Int](repeating: 0, count: m), mean: [Double](repeating: 0, count: m),
                               m2: [Double](repeating: 0, count: m))
        }
        for part in parts.dropFirst() {
            for s in 0..<m where part.n[s] > 0 {
                let na = Double(total.n[s]), nb = Double(part.n[s]), n = na + nb
                let delta = part.mean[s] - total.mean[s]
                total.mean[s] += delta * nb / n
                total.m2[s] += part.m2[s] + delta * delta * na * nb / n
                total.n[s] += part.n[s]
            }
        }
        return total
    }

    /// Smallest and largest non-missing value per slot, and how many there were (a slot with
    /// no value holds an arbitrary min and max).
    static func extremes<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>) -> (n: [Int], min: [T], max: [T]) {
        let ranges = chunks(slots, rows: view.count)
        let m = slots.slotCount
        guard view.count > 0 else { return ([Int](repeating: 0, count: m), [], []) }
        let filler = view.values[0]
        let parts = Parallel.map(ranges.count) { c -> (n: [Int], min: [T], max: [T]) in
            var n = [Int](repeating: 0, count: m)
            var lo = [T](repeating: filler, count: m), hi = lo
            n.withUnsafeMutableBufferPointer { n in
                lo.withUnsafeMutableBufferPointer { lo in
                    hi.withUnsafeMutableBufferPointer { hi in
                        for r in ranges[c] where view.hasValue(r) {
                            let s = slots.slot(r), x = view.values[r]
                            if n[s] == 0 {
                                lo[s] = x
                                hi[s] = x
                            } else {
                                if x < lo[s] { lo[s] = x }
                                if hi[s] < x { hi[s] = x }
                            }
                            n[s] &+= 1
                        }
                    }
                }
            }
            return (n, lo, hi)
        }
        var total = parts[0]
        for part in parts.dropFirst() {
            for s in 0..<m where part.n[s] > 0 {
                if total.n[s] == 0 {
                    total.min[s] = part.min[s]
                    total.max[s] = part.max[s]
                } else {
                    if part.min[s] < total.min[s] { total.min[s] = part.min[s] }
                    if total.max[s] < part.max[s] { total.max[s] = part.max[s] }
                }
                total.n[s] += part.n[s]
            }
        }
        return total
    }

    /// Each slot's non-missing values, sorted ascending, as ranges of one flat array.
    /// Rows are bucketed by a counting sort over slots (per-chunk offsets, so the scatter is
    /// parallel), then each bucket is sorted; buckets are shared out among threads by size.
    static func sortedValues<S: SlotMap, T: KernelElement>(_ slots: S, _ view: ColumnView<T>) -> (values: [T], starts: [Int]) {
        let ranges = chunks(slots, rows: view.count)
        let m = slots.slotCount
        let perChunk = chunkValueCounts(slots, view, ranges)
        // starts[s] = first position of slot s; offsets[c][s] = where chunk c writes slot s.
        var starts = [Int](repeating: 0, count: m + 1)
        var offsets = perChunk
        var at = 0
        for s in 0..<m {
            starts[s] = at
            for c in 0..<perChunk.count {
                offsets[c][s] = at
                at += perChunk[c][s]
            }
        }
        starts[m] = at
        let total = at
        guard total > 0 else { return ([], starts) }
        var values = [T](repeating: view.values[0], count: total)
        values.withUnsafeMutableBufferPointer { out in
            let shared = SharedPointer(out.baseAddress!)
            // Chunk c writes only the positions its offsets reserve for it.
            Parallel.forEach(ranges.count) { c in
                var next = offsets[c]
                next.withUnsafeMutableBufferPointer { next in
                    for r in ranges[c] where view.hasValue(r) {
                        let s = slots.slot(r)
                        shared[next[s]] = view.values[r]
                        next[s] &+= 1
                    }
                }
            }
            // Sort the buckets, in batches of about equal size.
            let batches = bucketBatches(starts: starts, parts: Parallel.threadCount * batchesPerThread)
            Parallel.forEach(batches.count) { b in
                for s in batches[b] where starts[s + 1] - starts[s] > 1 {
                    var bucket = UnsafeMutableBufferPointer(start: shared.base + starts[s], count: starts[s + 1] - starts[s])
                    bucket.sort()
                }
            }
        }
        return (values, starts)
    }

    /// Consecutive slot ranges holding about equal numbers of values.
    private static func bucketBatches(starts: [Int], parts: Int) -> [Range<Int>] {
        let m = starts.count - 1, total = starts[m]
        guard total > Parallel.minimumChunk, parts > 1 else { return [0..<m] }
        var out: [Range<Int>] = []
        var lo = 0
        for p in 1...parts {
            let target = total * p / parts
            var hi = lo
            while hi < m && starts[hi] < target { hi += 1 }
            if p == parts { hi = m }
            if hi > lo { out.append(lo..<hi) }
            lo = hi
        }
        return out
    }

    /// Element-wise merge of per-chunk arrays.
    private static func mergeSums<V>(_ parts: [[V]], count: Int, zero: V, _ add: (V, V) -> V) -> [V] {
        guard var total = parts.first else { return [V](repeating: zero, count: count) }
        for part in parts.dropFirst() {
            for s in 0..<count { total[s] = add(total[s], part[s]) }
        }
        return total
    }
}
