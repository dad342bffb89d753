// Dense codes: the distinct values of an integer key column numbered 0, 1, 2, … in order of
// first appearance, with the group-by's kernels (`RowGroups`: direct slots for small ranges, a
// hash table over the value's bits otherwise). Models use them to turn raw user and item ids
// into matrix rows in one parallel pass instead of a dictionary lookup per row.

/// The distinct values of a column, numbered in order of first appearance.
package struct DenseCodes: Sendable {
    /// The code of each row, in 0..<values.count.
    package let codes: [Int32]
    /// The value of each code: the value at the code's first row.
    package let values: [Int64]
    /// The first row of each code.
    package let firstRows: [Int]
}

extension Column {
    /// Numbers the distinct values of an integer or boolean column in order of first appearance;
    /// nil for a float or string column, or one with nulls (no id can stand for a null).
    package func denseCodes() -> DenseCodes? {
        guard type.isInteger || type == .bool, nullCount == 0 else { return nil }
        guard count > 0 else { return DenseCodes(codes: [], values: [], firstRows: []) }
        let groups = RowGroups([self])
        let ids = ColumnView(groups.ids, validity: nil)
        let codes = Parallel.array(count) { Int32(truncatingIfNeeded: ids.values[$0]) }
        let values = groups.firstRows.map { row -> Int64 in
            if case .int(let v) = self[row] { return v }
            if case .bool(let b) = self[row] { return b ? 1 : 0 }
            return 0
        }
        return DenseCodes(codes: codes, values: values, firstRows: groups.firstRows)
    }
}
