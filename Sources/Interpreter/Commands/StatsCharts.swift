// Charts built from the frame's statistics kernels, shared by `plot` and by `hist`/`corr`,
// so that a histogram or a correlation heatmap is computed and drawn one way only.

import Frame

/// Builders of charts from frame statistics.
enum StatsCharts {
    /// A one-column frame, to run a frame kernel on a column value such as `listens.user_age`.
    static func frame(of column: Column) -> DataFrame {
        DataFrame(unchecked: [column], rowCount: column.count)
    }

    /// Equal-width histogram of a numeric column (numpy's bins), with its counts table.
    static func histogram(_ column: Column, bins: Int, _ inv: Invocation, at argument: String) throws(RuntimeError) -> (Chart, DataFrame) {
        guard column.type.isNumeric else {
            throw RuntimeError("a histogram needs a numeric column, but '\(column.name)' holds text", at: inv.range(of: argument),
                               notes: ["count f by \(column.name) counts the values of a text column"])
        }
        let h = try inv.frameOperation(at: "bins") { () throws(FrameError) in try frame(of: column).histogram(column.name, bins: bins) }
        let total = h.counts.reduce(0, +)
        guard total > 0 else { throw RuntimeError("'\(column.name)' has no values to count", at: inv.range(of: argument)) }
        var notes = ["\(NumberFormat.count(total, "value")) in \(NumberFormat.count(bins, "bin")) of width \(NumberFormat.general(h.edges[1] - h.edges[0]))"]
        if h.nulls > 0 { notes.append("\(NumberFormat.count(h.nulls, "missing value")) left out") }
        let chart = Chart(title: "distribution of \(column.name)", xLabel: column.name, yLabel: "count",
                          mark: .histogram(edges: h.edges, counts: h.counts.map(Double.init)), notes: notes)
        let table = DataFrame(unchecked: [
            .doubles("from", Array(h.edges.dropLast())), .doubles("to", Array(h.edges.dropFirst())),
            .integers("count", h.counts.map(Int64.init)),
        ], rowCount: h.counts.count)
        return (chart, table)
    }

    /// The most frequent values of a column as bars.
    static func valueBars(_ column: Column, top: Int, _ inv: Invocation) throws(RuntimeError) -> Chart {
        let counts = try inv.frameOperation(at: "data") { () throws(FrameError) in try frame(of: column).valueCounts(column.name) }
        let shown = min(top, counts.rowCount)
        let values = counts["value"]!, n = counts["count"]!.int64Values() ?? []
        var notes = ["\(NumberFormat.count(counts.rowCount, "distinct value")) in \(NumberFormat.count(column.count, "row"))"]
        if counts.rowCount > shown {
            let rest = n.dropFirst(shown).reduce(0, +)
            notes.append("\(NumberFormat.count(counts.rowCount - shown, "other value")) (\(NumberFormat.count(Int(rest), "row"))) not shown")
        }
        return Chart(title: "most frequent values of \(column.name)", xLabel: column.name, yLabel: "rows",
                     mark: .bars(labels: (0..<shown).map { PlotCommands.cellLabel(values[$0]) }, values: n.prefix(shown).map(Double.init)),
                     notes: notes)
    }

    /// The correlation matrix of a frame's numeric columns, and its heatmap.
    static func correlation(_ f: DataFrame, columns: [String]?, method: CorrelationMethod,
                            _ inv: Invocation) throws(RuntimeError) -> (CorrelationMatrix, Chart) {
        let names = columns ?? f.columns.filter { $0.type.isNumeric }.map(\.name)
        guard names.count >= 2 else {
            throw RuntimeError("a correlation needs at least two numeric columns", at: inv.range)
        }
        let matrix = try inv.frameOperation(at: "columns") { () throws(FrameError) in try f.correlation(columns: names, method: method) }
        let chart = Chart(title: "\(method.rawValue) correlation", mark: .heatmap(rows: matrix.names, columns: matrix.names, values: matrix.values),
                          notes: ["over \(NumberFormat.count(f.rowCount, "row")); pairs use the rows where both columns have a value"])
        return (matrix, chart)
    }
}
