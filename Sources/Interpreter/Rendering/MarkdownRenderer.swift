// Draws presentations as GitHub-flavoured Markdown: pipe tables with alignment markers.
// Charts become SVG figures linked with ![title](path) when the caller passes a figure folder
// (Markdown reports), else their data tables (Markdown on standard output).

import Frame

/// Renders presentations as Markdown.
package struct MarkdownRenderer: Sendable {
    package init() {}

    package func render(_ p: Presentation) -> String {
        var none: FigureFolder?
        return render(p, figures: &none)
    }

    /// Renders `p`, adding each chart to `figures` and linking it, with its numbers in a
    /// collapsed table under it; without a folder, a chart is drawn as its data table.
    package func render(_ p: Presentation, figures: inout FigureFolder?) -> String {
        var parts: [String] = []
        for block in p.blocks {
            if case .chart(let chart) = block, figures != nil {
                let link = figures!.add(chart)
                var out = "![\(escape(chart.title ?? "figure"))](\(link))\n"
                if !chart.notes.isEmpty { out += "\n" + chart.notes.map { "*\(escape($0))*" }.joined(separator: "  \n") + "\n" }
                out += "\n<details><summary>data</summary>\n\n" + render(CSVRenderer.dataTable(chart)) + "\n</details>\n"
                parts.append(out)
            } else {
                parts.append(render(block))
            }
        }
        return parts.joined(separator: "\n")
    }

    package func render(_ block: Block) -> String {
        switch block {
        case .text(let s):
            return s.hasSuffix("\n") ? s : s + "\n"
        case .table(let t):
            return render(t)
        case .chart(let chart):
            return render(CSVRenderer.dataTable(chart))
        case .keyValues(let title, let pairs):
            let table = Table(title: title, columns: [TableColumn("", alignment: .left), TableColumn("", alignment: .left)],
                              rows: pairs.map { [.string($0.0), $0.1] })
            return render(table)
        }
    }

    package func render(_ t: Table) -> String {
        let cells = t.columns.indices.map { c in
            NumberFormat.column(t.rows.map { c < $0.count ? $0[c] : .null }, style: t.columns[c].style)
        }
        var out = t.title.map { "**\(escape($0))**\n\n" } ?? ""
        out += "| " + t.columns.map { escape($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + t.columns.map { $0.alignment == .right ? " ---: " : " :--- " }.joined(separator: "|") + "|\n"
        for r in t.rows.indices {
            if t.ellipsisBefore == r {
                out += "| " + t.columns.map { _ in "…" }.joined(separator: " | ") + " |\n"
            }
            out += "| " + t.columns.indices.map { escape(cells[$0][r]) }.joined(separator: " | ") + " |\n"
        }
        if !t.notes.isEmpty { out += "\n" + t.notes.map { "*\(escape($0))*" }.joined(separator: "  \n") + "\n" }
        return out
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
