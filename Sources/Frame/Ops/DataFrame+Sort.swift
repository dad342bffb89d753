// Sort: a stable, multi-key sort of rows, nulls (and NaN) last whatever the direction.
//
// Every key column becomes an order-preserving unsigned value per row: integers flip their
// sign bit; floats map IEEE bits to a total order (negative: invert all bits, positive: set the
// sign bit; -0.0 counts as 0.0); strings take the rank of their dictionary value (`StringRanks`,
// the only comparison sort, over distinct strings). The value is then offset to 0...w, w = max -
// min over present rows (descending: max - v), and a missing row takes w + 1, so nulls sort last
// in both directions. When w + 1 does not fit 64 bits, a 1-bit "missing" key goes in front.
// Keys are packed, least significant first, into as few 64-bit composites as fit, and the row
// order is LSD radix sorted by each composite in turn, last key first: a stable sort by key k
// after a stable sort by keys k+1... leaves rows ordered by keys k, k+1, ... (the LSD invariant).

/// One key of a sort: a column and its direction.
package struct SortKey: Sendable, Equatable {
    /// The column sorted by.
    package var column: String
    /// Largest first (nulls still last).
    package var descending: Bool

    /// `column`, ascending unless `descending`.
    package init(_ column: String, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }
}

extension DataFrame {
    /// The rows ordered by `keys` (first key most significant), stably: rows with equal keys
    /// keep their order. Nulls and NaN come last in either direction.
    package func sorted(by keys: [SortKey]) throws(FrameError) -> DataFrame {
        let order = try sortOrder(by: keys)
        return order.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: columns.map { $0.gatherParallel(rows) }, rowCount: rowCount, schema: schema)
        }
    }

    /// The row positions in the order `sorted(by:)` puts them.
    package func sortOrder(by keys: [SortKey]) throws(FrameError) -> [Int] {
        guard !keys.isEmpty else { throw .invalidArgument("sort needs at least one key column") }
        var parts: [SortPart] = []
        for key in keys {
            parts += SortPart.parts(of: try column(key.column), descending: key.descending)
        }
        precondition(rowCount < Int(UInt32.max), "too many rows to sort")
        var order = (0..<rowCount).map { UInt32(truncatingIfNeeded: $0) }
        // Pack parts into composites from the least significant end, then sort by each.
        var end = parts.count
        while end > 0 {
            var start = end - 1, bits = parts[start].bits
            while start > 0 && bits + parts[start - 1].bits <= UInt64.bitWidth {
                start -= 1
                bits += parts[start].bits
            }
            SortPart.sort(&order, by: parts[start..<end], bits: bits, identity: end == parts.count)
            end = start
        }
        return order.map { Int($0) }
    }
}

/// One radix key of a sort: an unsigned value per row below 2^bits.
struct SortPart {
    let values: [UInt64]
    let bits: Int

    /// The part(s) of one column: its offset values, preceded by a missing flag if needed.
    static func parts(of column: Column, descending: Bool) -> [SortPart] {
        let ordered: OrderedValues
        if case .string(let codes, let dictionary) = column.data {
            let ranks = StringRanks(dictionary).ranks(of: codes)
            ordered = OrderedValueVisitor().visit(ColumnView(ranks, validity: column.validity))
        } else {
            ordered = column.visitNumeric(OrderedValueVisitor())!
        }
        guard let lo = ordered.lo, let hi = ordered.hi else {
            return [SortPart(values: [UInt64](repeating: 0, count: column.count), bits: 1)]  // all missing
        }
        let width = hi - lo
        let present = ordered.present
        let values = ordered.values
        func offset(_ i: Int) -> UInt64 { descending ? hi &- values[i] : values[i] &- lo }
        guard let present else {
            return [SortPart(values: Parallel.array(values.count, offset), bits: width.bitWidthNeeded)]
        }
        if width < UInt64.max {
            let missing = width + 1
            return [SortPart(values: Parallel.array(values.count) { present[$0] ? offset($0) : missing },
                             bits: missing.bitWidthNeeded)]
        }
        return [SortPart(values: Parallel.array(values.count) { present[$0] ? 0 : 1 }, bits: 1),
                SortPart(values: Parallel.array(values.count) { present[$0] ? offset($0) : 0 }, bits: UInt64.bitWidth)]
    }

    /// Stably sorts `order` by the packed `parts` (first most significant, `bits` in all).
    /// With `identity`, `order` is still 0..<n and the composite needs no gather.
    static func sort(_ order: inout [UInt32], by parts: ArraySlice<SortPart>, bits: Int, identity: Bool) {
        let n = order.count
        func composite(_ row: Int) -> UInt64 {
            var key: UInt64 = 0
            for part in parts { key = (part.bits == 64 ? 0 : key &<< UInt64(part.bits)) | part.values[row] }
            return key
        }
        let current = order
        func at(_ i: Int) -> UInt64 { composite(identity ? i : Int(current[i])) }
        order.withUnsafeMutableBufferPointer { o in
            guard let payload = o.baseAddress else { return }
            if bits <= UInt32.bitWidth {
                var keys = Parallel.array(n) { UInt32(truncatingIfNeeded: at($0)) }
                keys.withUnsafeMutableBufferPointer { RadixSort.sort($0.baseAddress!, payload: payload, count: n, bits: bits) }
            } else {
                var keys = Parallel.array(n) { at($0) }
                keys.withUnsafeMutableBufferPointer { RadixSort.sort($0.baseAddress!, payload: payload, count: n, bits: bits) }
            }
        }
    }
}

/// A column's values mapped to unsigned integers in the same order, and which rows are present.
struct OrderedValues {
    var values: [UInt64]
    /// nil when every row is present (not null, not NaN).
    var present: [Bool]?
    /// Smallest and largest mapped value over present rows; nil when none is present.
    var lo: UInt64?
    var hi: UInt64?
}

/// Maps numeric values to order-preserving unsigned integers.
struct OrderedValueVisitor: NumericVisitor {
    @inline(__always)
    static func ordered<T: KernelElement>(_ x: T) -> UInt64 {
        if T.isFloatingPoint {
            let d = x.kernelDouble
            let bits = d == 0 ? 0 : d.bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        return UInt64(bitPattern: x.kernelInt64) ^ (1 << 63)
    }

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> OrderedValues {
        let n = view.count
        let values = Parallel.array(n) { OrderedValueVisitor.ordered(view.values[$0]) }
        let present = view.presence()
        let bounds = Parallel.mapChunks(n) { range -> (UInt64, UInt64)? in
            var lo = UInt64.max, hi = UInt64.min, any = false
            for i in range where present?[i] ?? true {
                lo = Swift.min(lo, values[i])
                hi = Swift.max(hi, values[i])
                any = true
            }
            return any ? (lo, hi) : nil
        }
        var out = OrderedValues(values: values, present: present)
        for case let (lo, hi)? in bounds {
            out.lo = Swift.min(out.lo ?? lo, lo)
            out.hi = Swift.max(out.hi ?? hi, hi)
        }
        return out
    }
}
