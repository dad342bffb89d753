// Crosstab: counts of rows for every pair (value of one column, value of another).
//
// Both columns' distinct values are found with `RowGroups` and put in ascending order (null
// last) by the frame's sort; each row then adds one to cell (rank of its row value, rank of its
// column value) in a per-chunk count matrix, and the matrices are summed. Output: the row
// column's values, then one count column per value of the other column, named by its text
// ("null" for null; a repeated name gets "_2", "_3", ...).
// Limits: more than `crosstabColumnLimit` distinct values in the second column is an error
// rather than a silent truncation (a table that wide cannot be read; put the column with fewer
// values second or filter first), and so is a table over `crosstabCellLimit` cells.

extension DataFrame {
    /// The most columns a crosstab makes: wider tables are unreadable and usually a mistake.
    package static let crosstabColumnLimit = 1_000
    /// The most cells a crosstab holds (each thread keeps a count matrix this large).
    package static let crosstabCellLimit = 20_000_000

    /// One row per value of `rows` (ascending, null last), one count column per value of
    /// `columns` (same order), each cell the number of rows with that pair of values.
    package func crosstab(_ rows: String, _ columns: String) throws(FrameError) -> DataFrame {
        let rowColumn = try column(rows), colColumn = try column(columns)
        let (rowIds, rowValues, rowRank) = DataFrame.sortedGroups(rowColumn)
        let (colIds, colValues, colRank) = DataFrame.sortedGroups(colColumn)
        let r = rowValues.count, c = colValues.count
        guard c <= DataFrame.crosstabColumnLimit else {
            throw .invalidArgument("crosstab of '\(rows)' by '\(columns)' would have \(c) columns, over the limit of \(DataFrame.crosstabColumnLimit); put the column with fewer values second, or filter first")
        }
        guard r * c <= DataFrame.crosstabCellLimit else {
            throw .invalidArgument("crosstab of '\(rows)' by '\(columns)' would have \(r) x \(c) cells, over the limit of \(DataFrame.crosstabCellLimit); filter first")
        }
        let rowView = ColumnView(rowIds, validity: nil), colView = ColumnView(colIds, validity: nil)
        let cells = CrosstabCells(rowIds: rowView, colIds: colView, rowRank: rowRank, colRank: colRank, width: c, slotCount: r * c)
        let counts = GroupKernels.rowCounts(cells, rows: rowCount, firstRows: false).counts

        var out = [rowValues]
        var names: Set<String> = [rowValues.name]
        for j in 0..<c {
            let text = colValues[j].text
            var name = text, k = 2
            while names.contains(name) { name = "\(text)_\(k)"; k += 1 }
            names.insert(name)
            out.append(.integers(name, (0..<r).map { Int64(counts[$0 * c + j]) }))
        }
        return try DataFrame(out)
    }

    /// Group ids of `column`'s rows, its distinct values in ascending order (null last), and
    /// the rank of each group in that order.
    private static func sortedGroups(_ column: Column) -> (ColumnBuffer<UInt32>, Column, [Int]) {
        let groups = RowGroups([column])
        let values = groups.firstRows.withUnsafeBufferPointer { column.gatherParallel($0) }
        let table = DataFrame(unchecked: [values], rowCount: values.count)
        let order = (try? table.sortOrder(by: [SortKey(column.name)])) ?? []
        var rank = [Int](repeating: 0, count: order.count)
        for (position, group) in order.enumerated() { rank[group] = position }
        let sorted = order.withUnsafeBufferPointer { values.gatherParallel($0) }
        return (groups.ids, sorted, rank)
    }
}

/// Slots of a crosstab: row rank * width + column rank.
private struct CrosstabCells: SlotMap {
    let rowIds: ColumnView<UInt32>
    let colIds: ColumnView<UInt32>
    let rowRank: [Int]
    let colRank: [Int]
    let width: Int
    let slotCount: Int

    @inline(__always)
    func slot(_ row: Int) -> Int {
        rowRank[Int(rowIds.values[row])] &* width &+ colRank[Int(colIds.values[row])]
    }
}

extension Cell {
    /// The value as a column name: numbers and booleans in Swift's notation, "null" for null.
    var text: String {
        switch self {
        case .null: "null"
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .bool(let v): String(v)
        case .string(let v): v
        }
    }
}
