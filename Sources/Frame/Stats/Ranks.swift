// Ranks: average ranks of a column's values (scipy's `rankdata(method="average")`), the input
// of Spearman's correlation.
//
// Values are order-preserving unsigned keys (`OrderedValueVisitor`). A run of c equal values
// preceded by b smaller ones takes sorted positions b..<b+c (0-based) and so the average rank
// b + (c + 1) / 2, the mean of the 1-based ranks b + 1 ... b + c. When the keys' range is small
// (`countingRangeLimit`) a counting histogram gives b and c for every key in O(n + range);
// otherwise the present values are put in order with the radix sort and runs are read off.
// Missing rows (null, NaN) get NaN and take no rank, so ranks run 1...n over the n present
// values.

enum Ranks {
    /// Average 1-based ranks of `column`'s present values; NaN for missing rows.
    static func average(_ column: Column) -> [Double] {
        let ordered = column.visitNumeric(OrderedValueVisitor())!
        return average(ordered.values, present: ordered.present)
    }

    /// Key ranges up to this size are ranked by counting, not sorting.
    static let countingRangeLimit = 1 << 20
    /// Ranges up to this size always count, however few the values; above it, the range may
    /// be at most the number of values.
    static let countingRangeFloor = 1 << 16

    /// Average ranks of order-preserving keys; rows with `present[i] == false` get NaN.
    static func average(_ keys: [UInt64], present: [Bool]?) -> [Double] {
        let bounds = Parallel.mapChunks(keys.count) { range -> (UInt64, UInt64)? in
            var lo = UInt64.max, hi = UInt64.min, any = false
            for i in range where present?[i] ?? true {
                lo = Swift.min(lo, keys[i])
                hi = Swift.max(hi, keys[i])
                any = true
            }
            return any ? (lo, hi) : nil
        }
        let present_ = bounds.compactMap { $0 }
        guard let lo = present_.map(\.0).min(), let hi = present_.map(\.1).max() else {
            return [Double](repeating: .nan, count: keys.count)
        }
        if hi &- lo < UInt64(Swift.min(countingRangeLimit, Swift.max(countingRangeFloor, keys.count))) {
            return counted(keys, present: present, lo: lo, width: Int(hi &- lo))
        }
        return sorted(keys, present: present, lo: lo, hi: hi)
    }

    /// Ranks from a counting histogram of keys in lo...lo + width.
    private static func counted(_ keys: [UInt64], present: [Bool]?, lo: UInt64, width: Int) -> [Double] {
        let parts = Parallel.mapChunks(keys.count) { range -> [Int] in
            var counts = [Int](repeating: 0, count: width + 1)
            counts.withUnsafeMutableBufferPointer { c in
                for i in range where present?[i] ?? true { c[Int(keys[i] &- lo)] &+= 1 }
            }
            return counts
        }
        var rank = [Double](repeating: 0, count: width + 1)
        var below = 0
        for k in 0...width {
            let c = parts.reduce(0) { $0 + $1[k] }
            rank[k] = Double(below) + Double(c + 1) / 2
            below += c
        }
        return Parallel.array(keys.count) { i in (present?[i] ?? true) ? rank[Int(keys[i] &- lo)] : .nan }
    }

    /// Ranks from a radix sort of the present keys (offset by lo, 32-bit when they fit).
    private static func sorted(_ keys: [UInt64], present: [Bool]?, lo: UInt64, hi: UInt64) -> [Double] {
        let bits = (hi &- lo).bitWidthNeeded
        return bits <= 32 ? sorted(keys, present: present, lo: lo, bits: bits, as: UInt32.self)
            : sorted(keys, present: present, lo: lo, bits: bits, as: UInt64.self)
    }

    private static func sorted<K: FixedWidthInteger & UnsignedInteger>(
        _ keys: [UInt64], present: [Bool]?, lo: UInt64, bits: Int, as _: K.Type
    ) -> [Double] {
        var positions: [UInt32] = [], sortedKeys: [K] = []
        positions.reserveCapacity(keys.count)
        sortedKeys.reserveCapacity(keys.count)
        for i in keys.indices where present?[i] ?? true {
            positions.append(UInt32(truncatingIfNeeded: i))
            sortedKeys.append(K(truncatingIfNeeded: keys[i] &- lo))
        }
        return [Double](unsafeUninitializedCapacity: keys.count) { ranks, initialized in
            ranks.initialize(repeating: .nan)
            assign(&sortedKeys, &positions, bits: bits, into: ranks)
            initialized = keys.count
        }
    }

    /// Sorts `keys` (each below 2^bits) carrying `positions`, then writes each run's average
    /// rank at its positions in `ranks`.
    static func assign<K: FixedWidthInteger & UnsignedInteger>(_ keys: inout [K], _ positions: inout [UInt32], bits: Int,
                                                               into ranks: UnsafeMutableBufferPointer<Double>) {
        let n = keys.count
        keys.withUnsafeMutableBufferPointer { k in
            positions.withUnsafeMutableBufferPointer { p in
                if n > 1 { RadixSort.sort(k.baseAddress!, payload: p.baseAddress, count: n, bits: bits) }
                var i = 0
                while i < n {
                    var j = i + 1
                    while j < n && k[j] == k[i] { j += 1 }
                    let rank = Double(i + 1 + j) / 2
                    for t in i..<j { ranks[Int(p[t])] = rank }
                    i = j
                }
            }
        }
    }
}

/// Average ranks of a column without missing values as a `TileSource`: a small integer range
/// reads each row's rank from a table indexed by value - min; anything else is ranked by
/// sorting into a stored Double column. The mean of n average ranks is (n + 1) / 2.
struct RankTileVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> TileSource {
        let n = view.count
        let mean = { Double(n + 1) / 2 }
        if !T.isFloatingPoint, let (lo, hi) = IntegerRange.of(view), let width = IntegerRange.width(lo, hi),
           width < Swift.min(Ranks.countingRangeLimit, Swift.max(Ranks.countingRangeFloor, n)) {
            let parts = Parallel.mapChunks(n) { range -> [Int] in
                var counts = [Int](repeating: 0, count: width + 1)
                counts.withUnsafeMutableBufferPointer { c in
                    for i in range { c[Int(truncatingIfNeeded: view.values[i].kernelInt64 &- lo)] &+= 1 }
                }
                return counts
            }
            var below = 0
            let table = ColumnBuffer<Double>(count: width + 1) { rank in
                for k in 0...width {
                    let c = parts.reduce(0) { $0 + $1[k] }
                    rank[k] = Double(below) + Double(c + 1) / 2
                    below += c
                }
            }
            let ranks = ColumnView(table, validity: nil)
            return TileSource(hasMissing: false, fill: { start, count, shift, values, masks in
                let base = view.values + start
                for i in 0..<count {
                    values[i] = ranks.values[Int(truncatingIfNeeded: base[i].kernelInt64 &- lo)] - shift
                    masks[i] = 1
                }
            }, mean: mean)
        }
        let ranks: ColumnBuffer<Double>
        if !T.isFloatingPoint, let (lo, hi) = IntegerRange.of(view), let width = IntegerRange.width(lo, hi), width < Int(UInt32.max) {
            // Keys value - min straight from the column, ranks straight into the buffer.
            var keys = Parallel.array(n) { UInt32(truncatingIfNeeded: view.values[$0].kernelInt64 &- lo) }
            var positions = Parallel.array(n) { UInt32(truncatingIfNeeded: $0) }
            ranks = ColumnBuffer(count: n) { Ranks.assign(&keys, &positions, bits: UInt64(width).bitWidthNeeded, into: $0) }
        } else {
            ranks = ColumnBuffer(Ranks.average(OrderedValueVisitor().visit(view).values, present: nil))
        }
        let source = TileSourceVisitor().visit(ColumnView(ranks, validity: nil))
        return TileSource(hasMissing: false, fill: source.fill, mean: mean)
    }
}
