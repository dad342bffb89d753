// IntegerIndex: a read-only map from distinct Int64 keys to their positions 0..<n, built once
// and then looked up from many threads (a model's raw ids -> its matrix rows).
//
// Keys spanning a small range index an array directly (position = table[key - min], -1 for
// a hole); others go through a `KeyTable`, whose ids are the insertion order, so inserting the
// keys in order makes id == position. Lookups of a whole column run in parallel chunks.

/// Positions of distinct integer keys.
package final class IntegerIndex: Sendable {
    /// A direct table may be at most this many times larger than the number of keys (or
    /// `directFloor` slots), so ids spread over 1.4e8 (DSG17's media_id) use the hash table.
    static let directSlack = 8
    static let directFloor = 1 << 16

    private enum Lookup {
        case direct(minimum: Int64, table: [Int32])
        case hashed(KeyTable)
    }

    private let lookup: Lookup
    /// The number of keys.
    package let count: Int

    /// An index of `keys`, which must be distinct: `keys[p]` gets position p.
    package init(_ keys: [Int64]) {
        count = keys.count
        if let lo = keys.min(), let hi = keys.max(), let width = IntegerRange.width(lo, hi),
           width < Swift.max(Self.directFloor, keys.count * Self.directSlack) {
            var table = [Int32](repeating: -1, count: width + 1)
            for (p, k) in keys.enumerated() { table[Int(k - lo)] = Int32(p) }
            lookup = .direct(minimum: lo, table: table)
        } else {
            let table = KeyTable(expected: keys.count)
            for k in keys { _ = table.id(UInt64(bitPattern: k)) }
            precondition(table.count == keys.count, "IntegerIndex keys must be distinct")
            lookup = .hashed(table)
        }
    }

    /// The position of `key`, or nil when it is not a key.
    package func position(of key: Int64) -> Int32? {
        let p = find(key)
        return p < 0 ? nil : p
    }

    @inline(__always)
    private func find(_ key: Int64) -> Int32 {
        switch lookup {
        case .direct(let lo, let table):
            // key - lo can overflow Int64 (a huge key over a negative minimum): compare unsigned.
            guard key >= lo else { return -1 }
            let offset = UInt64(bitPattern: key &- lo)
            guard offset < UInt64(table.count) else { return -1 }
            return table[Int(offset)]
        case .hashed(let table):
            return table.find(UInt64(bitPattern: key)).map { Int32(truncatingIfNeeded: $0) } ?? -1
        }
    }

    /// The position of each row's value, -1 where it is not a key or is null; nil for float
    /// and string columns.
    package func positions(_ column: Column) -> [Int32]? {
        guard column.type.isInteger || column.type == .bool else { return nil }
        return column.visitNumeric(PositionVisitor(index: self))
    }

    private struct PositionVisitor: NumericVisitor {
        let index: IntegerIndex
        func visit<T: KernelElement>(_ view: ColumnView<T>) -> [Int32] {
            Parallel.array(view.count) { i in view.isValid(i) ? index.find(view.values[i].kernelInt64) : -1 }
        }
    }
}
