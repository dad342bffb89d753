// RowGroups: rows with equal keys (over one or more columns) get the same dense group id; ids
// are given in order of first appearance, so group 0 holds row 0.
//
// Stage 1 gives every key column a code per row in 0..<cardinality, equal codes for equal
// values and a code of its own for null:
//   - integers and booleans whose range fits `directCodeLimit`: code = value - min, null = range + 1;
//   - strings: the dictionary code (dictionary values are unique), null = dictionary size;
//   - other integers and floats: ids from a `KeyTable` over the value's bits (floats normalised:
//     -0.0 is 0.0, every NaN is one NaN), null = number of distinct values.
// Stage 2 folds the columns left to right: (a, b) -> a * cardB + b when the product stays under
// the limit, else the rank of the pair among the distinct pairs, found by radix sorting the
// pairs (a << bitsB | b) with their rows. Stage 3 renumbers the final codes in
// order of first appearance. Invariant: ids[r] == ids[s] iff rows r and s agree on every key,
// with null equal to null.

/// Rows grouped by equal keys: a dense group id per row, groups in order of first appearance.
struct RowGroups {
    /// Codes at most this large index arrays directly instead of going through a hash table.
    static let directCodeLimit = 1 << 22
    /// A direct code range may also be at most this many times the row count (small frames
    /// with a wide range use the hash table instead of a large, mostly empty array).
    static let directCodeSlack = 4
    /// Direct ranges up to this size are always allowed, however few the rows.
    static let directCodeFloor = 65_536

    /// The group of each row.
    let ids: ColumnBuffer<UInt32>
    /// The first row of each group, ascending.
    let firstRows: [Int]

    /// The number of groups.
    var count: Int { firstRows.count }

    /// Groups the rows of `columns` (equally long, at least one) by equal values.
    init(_ columns: [Column]) {
        precondition(!columns.isEmpty, "grouping needs a key column")
        let rows = columns[0].count
        precondition(rows < Int(UInt32.max), "too many rows to group")
        var folded = KeyCodes(columns[0])
        for column in columns.dropFirst() {
            folded = folded.combined(with: KeyCodes(column))
        }
        (ids, firstRows) = folded.renumbered()
    }

    /// The largest direct range allowed for `rows` rows.
    static func directLimit(rows: Int) -> Int {
        Swift.min(directCodeLimit, Swift.max(directCodeFloor, rows * directCodeSlack))
    }
}

/// A code per row in 0..<cardinality with equal codes for equal keys.
struct KeyCodes {
    var codes: [UInt32]
    var cardinality: Int

    /// The codes of one column.
    init(_ column: Column) {
        if case .string(let codes, let dictionary) = column.data {
            let nullCode = UInt32(dictionary.values.count)
            let view = ColumnView(codes, validity: column.validity)
            self.codes = Parallel.array(view.count) { view.isValid($0) ? view.values[$0] : nullCode }
            cardinality = dictionary.values.count + 1
        } else {
            self = column.visitNumeric(KeyCodeVisitor())!
        }
    }

    init(codes: [UInt32], cardinality: Int) {
        self.codes = codes
        self.cardinality = cardinality
    }

    /// Codes for pairs (self, other): mixed radix when small enough, hashed pairs otherwise.
    func combined(with other: KeyCodes) -> KeyCodes {
        let (product, overflow) = cardinality.multipliedReportingOverflow(by: other.cardinality)
        if !overflow && product <= RowGroups.directLimit(rows: codes.count) {
            let b = UInt32(other.cardinality)
            let out = codes.withUnsafeBufferPointer { x in
                other.codes.withUnsafeBufferPointer { y in
                    Parallel.array(x.count) { x[$0] &* b &+ y[$0] }
                }
            }
            return KeyCodes(codes: out, cardinality: product)
        }
        // Too many pairs for an array: number the distinct pairs by sorting them (a radix sort
        // of a << bitsB | b, rows carried along), which beats a hash table of millions of pairs
        // (measured 0.77 s -> 0.22 s for user x track on the 7.56M-row log, 2 cores).
        let n = codes.count
        let bitsA = UInt64(Swift.max(cardinality - 1, 0)).bitWidthNeeded
        let bitsB = UInt64(Swift.max(other.cardinality - 1, 0)).bitWidthNeeded
        var keys = codes.withUnsafeBufferPointer { x in
            other.codes.withUnsafeBufferPointer { y in
                Parallel.array(n) { UInt64(x[$0]) &<< UInt64(bitsB) | UInt64(y[$0]) }
            }
        }
        var rows = Parallel.array(n) { UInt32(truncatingIfNeeded: $0) }
        var out = [UInt32](repeating: 0, count: n)
        var distinct = 0
        keys.withUnsafeMutableBufferPointer { k in
            rows.withUnsafeMutableBufferPointer { r in
                guard n > 0 else { return }
                RadixSort.sort(k.baseAddress!, payload: r.baseAddress, count: n, bits: bitsA + bitsB)
                out.withUnsafeMutableBufferPointer { o in
                    var code: UInt32 = 0
                    for i in 0..<n {
                        if i > 0 && k[i] != k[i - 1] { code &+= 1 }
                        o[Int(r[i])] = code
                    }
                    distinct = Int(code) + 1
                }
            }
        }
        return KeyCodes(codes: out, cardinality: distinct)
    }

    /// Ids in order of first appearance and the first row of each id.
    func renumbered() -> (ids: ColumnBuffer<UInt32>, firstRows: [Int]) {
        let unseen = UInt32.max
        var remap = [UInt32](repeating: unseen, count: cardinality)
        var firstRows: [Int] = []
        let ids = ColumnBuffer<UInt32>(count: codes.count) { out in
            codes.withUnsafeBufferPointer { c in
                remap.withUnsafeMutableBufferPointer { m in
                    for i in 0..<c.count {
                        var g = m[Int(c[i])]
                        if g == unseen {
                            g = UInt32(truncatingIfNeeded: firstRows.count)
                            m[Int(c[i])] = g
                            firstRows.append(i)
                        }
                        out[i] = g
                    }
                }
            }
        }
        return (ids, firstRows)
    }
}

/// Key codes of a numeric column: direct for small integer ranges, hashed otherwise.
private struct KeyCodeVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> KeyCodes {
        let n = view.count
        if !T.isFloatingPoint, let (lo, hi) = IntegerRange.of(view),
           let range = IntegerRange.width(lo, hi), range + 2 <= RowGroups.directLimit(rows: n) {
            let nullCode = UInt32(range + 1)
            let codes = Parallel.array(n) { i in
                view.isValid(i) ? UInt32(truncatingIfNeeded: view.values[i].kernelInt64 &- lo) : nullCode
            }
            return KeyCodes(codes: codes, cardinality: range + 2)
        }
        let table = KeyTable()
        let nullMark = UInt32.max
        var codes = [UInt32](repeating: 0, count: n)
        var sawNull = false
        codes.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                if view.isValid(i) {
                    out[i] = table.id(KeyBits.of(view.values[i]))
                } else {
                    out[i] = nullMark
                    sawNull = true
                }
            }
        }
        let nullCode = UInt32(table.count)
        if sawNull {
            codes.withUnsafeMutableBufferPointer { out in
                for i in 0..<n where out[i] == nullMark { out[i] = nullCode }
            }
        }
        return KeyCodes(codes: codes, cardinality: table.count + 1)
    }
}

/// The bits that identify a key value: equal values (and every NaN) give equal bits.
enum KeyBits {
    /// The canonical bit pattern of a value: integers sign-extended, floats normalised.
    @inline(__always)
    static func of<T: KernelElement>(_ value: T) -> UInt64 {
        if T.isFloatingPoint {
            let d = value.kernelDouble
            if d.isNaN { return Double.nan.bitPattern }
            return d == 0 ? 0 : d.bitPattern
        }
        return UInt64(bitPattern: value.kernelInt64)
    }
}

/// Minimum and maximum of integer columns, and the width of their range.
enum IntegerRange {
    /// The smallest and largest non-null value, or nil when every row is null (or none exist).
    /// Compared in the column's own type (narrow compares vectorise; Int64 ones do not here).
    static func of<T: KernelElement>(_ view: ColumnView<T>) -> (Int64, Int64)? {
        let parts = Parallel.mapChunks(view.count) { range -> (T, T)? in
            guard let start = range.first(where: { view.isValid($0) }) else { return nil }
            var lo = view.values[start], hi = lo
            if view.validity == nil {
                for i in start..<range.upperBound {
                    let v = view.values[i]
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                }
            } else {
                for i in start..<range.upperBound where view.isValid(i) {
                    let v = view.values[i]
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                }
            }
            return (lo, hi)
        }
        var result: (Int64, Int64)?
        for case let (lo, hi)? in parts {
            let (l, h) = (lo.kernelInt64, hi.kernelInt64)
            result = result.map { (Swift.min($0.0, l), Swift.max($0.1, h)) } ?? (l, h)
        }
        return result
    }

    /// hi - lo as an Int, or nil when it does not fit.
    static func width(_ lo: Int64, _ hi: Int64) -> Int? {
        let w = UInt64(bitPattern: hi &- lo)
        return w <= UInt64(Int.max / 2) ? Int(w) : nil
    }
}
