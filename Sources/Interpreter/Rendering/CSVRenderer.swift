// Draws presentations as CSV: each table as a header and rows (RFC 4180 quoting), text as
// `#` comment lines, so the output of a script can feed a spreadsheet or another program.

import Frame

/// Renders presentations as CSV.
package struct CSVRenderer: Sendable {
    package init() {}

    package func render(_ p: Presentation) -> String {
        p.blocks.map { block -> String in
            switch block {
            case .text(let s):
                return s.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.isEmpty }.map { "# " + $0 }.joined(separator: "\n") + "\n"
            case .table(let t):
                var out = t.columns.map { quote($0.name) }.joined(separator: ",") + "\n"
                for row in t.rows { out += row.map { quote(raw($0)) }.joined(separator: ",") + "\n" }
                return out
            case .keyValues(_, let pairs):
                return "key,value\n" + pairs.map { quote($0.0) + "," + quote(raw($0.1)) }.joined(separator: "\n") + "\n"
            case .chart(let chart):
                return render(Presentation([.table(CSVRenderer.dataTable(chart))]))
            }
        }.joined(separator: "\n")
    }

    /// Full precision, unlike the rounded terminal tables.
    private func raw(_ c: Cell) -> String {
        switch c {
        case .null: ""
        case .int(let v): String(v)
        case .double(let v): v.isFinite ? String(v) : ""
        case .bool(let b): String(b)
        case .string(let s): s
        }
    }

    private func quote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

extension CSVRenderer {
    /// The numbers behind a chart, as a table.
    static func dataTable(_ c: Chart) -> Table {
        switch c.mark {
        case .bars(let labels, let values):
            return Table(columns: [TableColumn(c.xLabel ?? "label"), TableColumn(c.yLabel ?? "value")],
                         rows: zip(labels, values).map { [.string($0), .double($1)] })
        case .histogram(let edges, let counts):
            return Table(columns: [TableColumn("from"), TableColumn("to"), TableColumn("count")],
                         rows: counts.indices.map { [.double(edges[$0]), .double(edges[$0 + 1]), .double(counts[$0])] })
        case .lines(let series), .points(let series):
            var rows: [[Cell]] = []
            for s in series { for (x, y) in zip(s.xs, s.ys) { rows.append([.string(s.name), .double(x), .double(y)]) } }
            return Table(columns: [TableColumn("series"), TableColumn(c.xLabel ?? "x"), TableColumn(c.yLabel ?? "y")], rows: rows)
        case .heatmap(let rowNames, let columns, let values):
            return Table(columns: [TableColumn("")] + columns.map { TableColumn($0) },
                         rows: rowNames.indices.map { r in [.string(rowNames[r])] + values[r].map { .double($0) } })
        }
    }
}
