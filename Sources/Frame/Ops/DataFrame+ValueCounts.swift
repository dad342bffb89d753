// Value counts: how often each distinct value of a column occurs, most frequent first.
//
// The rows are grouped by `RowGroups` (null is a value of its own), counted per group by
// `GroupKernels.rowCounts`, then ordered by (count descending, value ascending, null last)
// with the frame's radix sort; ties in count are so broken by value, never by chance.

extension DataFrame {
    /// Columns `value` (the distinct values, typed as the column, null counted as a value),
    /// `count` and `share` (count / rows), ordered by count descending then value ascending;
    /// only the first `top` rows when given.
    package func valueCounts(_ column: String, top: Int? = nil) throws(FrameError) -> DataFrame {
        let key = try self.column(column)
        if let top, top < 1 { throw .invalidArgument("top must be at least 1, not \(top)") }
        guard rowCount > 0 else {
            return DataFrame(unchecked: [key.renamed("value"), .integers("count", []), .doubles("share", [])], rowCount: 0)
        }
        let groups = RowGroups([key])
        let slots = IndexedSlots(ids: ColumnView(groups.ids, validity: nil), slotCount: groups.count)
        let counts = GroupKernels.rowCounts(slots, rows: rowCount, firstRows: false).counts
        let values = groups.firstRows.withUnsafeBufferPointer { key.gatherParallel($0).renamed("value") }
        let table = DataFrame(unchecked: [values, .integers("count", counts.map(Int64.init))], rowCount: groups.count)
        var order = try table.sortOrder(by: [SortKey("count", descending: true), SortKey("value")])
        if let top, top < order.count { order.removeSubrange(top...) }
        let total = Double(rowCount)
        return order.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: [values.gatherParallel(rows),
                                  .integers("count", rows.map { Int64(counts[$0]) }),
                                  .doubles("share", rows.map { Double(counts[$0]) / total })],
                      rowCount: rows.count)
        }
    }
}
