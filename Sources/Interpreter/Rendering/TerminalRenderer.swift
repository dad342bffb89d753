// Draws presentations as aligned text for a terminal or a plain log.
//
// Tables: a header, a rule, aligned cells (text left, numbers right), a "…" row where rows
// were left out. A table wider than the terminal keeps its first and last columns and elides
// the middle ones, saying which, like pandas.

import Frame

/// Renders presentations as plain aligned text.
package struct TerminalRenderer: Sendable {
    /// Widest line to produce.
    package var width: Int
    /// Use ANSI bold for headers and dim for notes.
    package var color: Bool
    /// Space between columns.
    package static let gutter = "  "
    /// A column is never cut narrower than this when eliding.
    package static let minimumWidth = 80

    package init(width: Int = 120, color: Bool = false) {
        self.width = max(width, Self.minimumWidth)
        self.color = color
    }

    package func render(_ p: Presentation) -> String {
        p.blocks.map(render).joined(separator: "\n")
    }

    package func render(_ block: Block) -> String {
        switch block {
        case .text(let s): return s.hasSuffix("\n") ? s : s + "\n"
        case .table(let t): return render(t)
        case .chart(let chart):
            return TerminalChart(width: width, color: color).render(chart)
        case .keyValues(let title, let pairs):
            let keyWidth = pairs.map { displayWidth($0.0) }.max() ?? 0
            var out = title.map { bold($0) + "\n" } ?? ""
            for (k, v) in pairs {
                let value = NumberFormat.column([v], style: .count)[0]
                out += "  " + pad(k, keyWidth, .left) + Self.gutter + value + "\n"
            }
            return out
        }
    }

    /// Renders a table, eliding middle columns that do not fit.
    package func render(_ table: Table) -> String {
        var cells: [[String]] = table.columns.indices.map { c in
            NumberFormat.column(table.rows.map { c < $0.count ? $0[c] : .null }, style: table.columns[c].style)
        }
        var columns = table.columns
        var widths = columns.indices.map { c in
            max(displayWidth(columns[c].name), cells[c].map(displayWidth).max() ?? 0)
        }
        var notes = table.notes
        let total = widths.reduce(0, +) + max(0, widths.count - 1) * Self.gutter.count
        if total > width && columns.count > 2 {
            // Keep columns from both ends, alternately, while they fit with an ellipsis column.
            var left = [0], right = [columns.count - 1]
            var used = widths[0] + widths[columns.count - 1] + 1 + 2 * Self.gutter.count
            var l = 1, r = columns.count - 2
            var takeLeft = true
            while l <= r {
                let c = takeLeft ? l : r
                if used + widths[c] + Self.gutter.count > width { break }
                used += widths[c] + Self.gutter.count
                if takeLeft { left.append(c); l += 1 } else { right.insert(c, at: 0); r -= 1 }
                takeLeft.toggle()
            }
            let hidden = Array(l...max(l, r)).filter { $0 <= r }
            if !hidden.isEmpty {
                let keep = left + [-1] + right
                columns = keep.map { $0 < 0 ? TableColumn("…", alignment: .left) : columns[$0] }
                cells = keep.map { $0 < 0 ? [String](repeating: "…", count: table.rows.count) : cells[$0] }
                widths = keep.map { $0 < 0 ? 1 : widths[$0] }
                let names = hidden.map { table.columns[$0].name }
                notes.append("\(names.count) column\(names.count == 1 ? "" : "s") not shown: \(names.joined(separator: ", "))")
            }
        }
        var out = ""
        if let title = table.title { out += bold(title) + "\n" }
        out += columns.indices.map { pad(columns[$0].name, widths[$0], columns[$0].alignment) }
            .joined(separator: Self.gutter).trimmedRight() + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: Self.gutter) + "\n"
        for r in 0..<table.rows.count {
            if table.ellipsisBefore == r {
                out += columns.indices.map { pad("…", widths[$0], columns[$0].alignment) }
                    .joined(separator: Self.gutter).trimmedRight() + "\n"
            }
            out += columns.indices.map { pad(cells[$0][r], widths[$0], columns[$0].alignment) }
                .joined(separator: Self.gutter).trimmedRight() + "\n"
        }
        for note in notes { out += dim(note) + "\n" }
        return out
    }

    private func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    private func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    private func pad(_ s: String, _ w: Int, _ a: Alignment) -> String {
        let fill = String(repeating: " ", count: max(0, w - displayWidth(s)))
        return a == .left ? s + fill : fill + s
    }
}

/// Columns a string occupies on a terminal: one per scalar, two for wide East Asian ones.
package func displayWidth(_ s: String) -> Int {
    var w = 0
    for scalar in s.unicodeScalars {
        let v = scalar.value
        if v < 0x20 || (v >= 0x300 && v < 0x370) || v == 0x200B { continue }
        let wide = (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0x1F300 && v <= 0x1FAFF)
        w += wide ? 2 : 1
    }
    return w
}

extension String {
    func trimmedRight() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
