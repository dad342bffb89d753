// Value counts: how often each distinct value of a column occurs, most frequent first.
//
// The rows are grouped and counted by the group-by (null is a value of its own), then ordered
// by (count descending, value ascending, null last)
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
        // The group-by's plans (direct slots for small integer ranges); "#" keeps the count's
        // name apart from any column's.
        let grouped = try DataFrame(unchecked: [key], rowCount: rowCount)
            .grouped(by: [column], aggregates: [Aggregation(.count, as: column + "#")])
        let values = grouped.columns[0].renamed("value")
        let counts = grouped.columns[1].int64Values()!
        let table = DataFrame(unchecked: [values, grouped.columns[1].renamed("count")], rowCount: grouped.rowCount)
        var order = try table.sortOrder(by: [SortKey("count", descending: true), SortKey("value")])
        if let top, top < order.count { order.removeSubrange(top...) }
        let total = Double(rowCount)
        return order.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: [values.gatherParallel(rows),
                                  .integers("count", rows.map { counts[$0] }),
                                  .doubles("share", rows.map { Double(counts[$0]) / total })],
                      rowCount: rows.count)
        }
    }
}
