// Dedupe: keep the first row of every distinct key, in the original order.
//
// The rows are grouped by `RowGroups` (nulls equal to nulls, floats by value with all NaNs
// equal); a group's first row is its first occurrence, and those rows ascend, so gathering them
// keeps the frame's order. Invariant: the result has exactly one row per distinct key.

extension DataFrame {
    /// The frame without repeated rows: the first occurrence of every distinct combination of
    /// `columns` (all columns when nil) is kept, in the original order.
    package func deduplicated(on columns: [String]? = nil) throws(FrameError) -> DataFrame {
        let keys = try (columns ?? columnNames).map { name throws(FrameError) in try column(name) }
        guard !keys.isEmpty, rowCount > 0 else { return self }
        let first = RowGroups(keys).firstRows
        if first.count == rowCount { return self }
        return first.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: self.columns.map { $0.gatherParallel(rows) }, rowCount: rows.count, schema: schema)
        }
    }
}
