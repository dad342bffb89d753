// Ranks: average ranks of a column's values (scipy's `rankdata(method="average")`), the input
// of Spearman's correlation.
//
// The present values are put in order with the frame's radix sort (order-preserving unsigned
// values, `OrderedValueVisitor`); a run of equal values at sorted positions i..<j (0-based)
// all get rank (i + 1 + j) / 2, the mean of the 1-based ranks i + 1 ... j. Missing rows (null,
// NaN) get NaN and take no rank, so ranks run 1...n over the n present values.

enum Ranks {
    /// Average 1-based ranks of `column`'s present values; NaN for missing rows.
    static func average(_ column: Column) -> [Double] {
        let ordered = column.visitNumeric(OrderedValueVisitor())!
        return average(ordered.values, present: ordered.present)
    }

    /// Average ranks of order-preserving keys; rows with `present[i] == false` get NaN.
    static func average(_ keys: [UInt64], present: [Bool]?) -> [Double] {
        var positions: [UInt32] = []
        var sortedKeys: [UInt64] = []
        positions.reserveCapacity(keys.count)
        sortedKeys.reserveCapacity(keys.count)
        for i in keys.indices where present?[i] ?? true {
            positions.append(UInt32(truncatingIfNeeded: i))
            sortedKeys.append(keys[i])
        }
        let n = sortedKeys.count
        if n > 1 {
            // Sort (key - min) by as few bits as the range needs.
            let lo = sortedKeys.min()!, hi = sortedKeys.max()!
            sortedKeys.withUnsafeMutableBufferPointer { k in
                for i in 0..<n { k[i] &-= lo }
                positions.withUnsafeMutableBufferPointer { p in
                    RadixSort.sort(k.baseAddress!, payload: p.baseAddress, count: n, bits: (hi &- lo).bitWidthNeeded)
                }
            }
        }
        var ranks = [Double](repeating: .nan, count: keys.count)
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && sortedKeys[j] == sortedKeys[i] { j += 1 }
            let rank = Double(i + 1 + j) / 2
            for t in i..<j { ranks[Int(positions[t])] = rank }
            i = j
        }
        return ranks
    }
}
