// Draws presentations as GitHub-flavoured Markdown: pipe tables with alignment markers.

import Frame

/// Renders presentations as Markdown.
package struct MarkdownRenderer: Sendable {
    package init() {}

    package func render(_ p: Presentation) -> String {
        p.blocks.map(render).joined(separator: "\n")
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
