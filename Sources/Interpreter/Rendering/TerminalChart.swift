// Draws charts as text for a terminal.
//
// Bars and histograms are horizontal: one row per category or bin, a label, a bar of full
// blocks ended by an eighth block (▏▎▍▌▋▊▉), so a bar's length is exact to 1/8 of a column,
// and its value. Lines and points go on a braille canvas: each character holds 2 × 4 dots
// (U+2800 + a bit per dot), which quadruples the vertical resolution; axes carry round
// ticks from ChartScale. Several series get colours when colour is on, else the first is
// drawn in braille and the others with their own glyphs; a legend names them. Heatmaps shade
// each cell by the magnitude of its value (░▒▓█, or a red/blue diverging scale in colour) and
// write the value when the cells fit.
// Everything fits `width` columns, and never more than `maxWidth`, where charts stop getting
// easier to read.

/// Renders charts as Unicode text.
package struct TerminalChart: Sendable {
    /// Columns available.
    package var width: Int
    /// Use ANSI colours for series and heatmap cells.
    package var color: Bool

    /// Charts wider than this are no easier to read.
    package static let maxWidth = 100
    /// Text rows of a line or scatter plot area.
    package static let plotRows = 16
    /// Category labels longer than this are cut with "…".
    package static let maxLabelWidth = 24
    /// Columns of a heatmap cell that shows its value: two of shade, five of value, a space.
    static let valueCellWidth = 8
    /// Columns of a heatmap cell without its value.
    static let shadeCellWidth = 3
    /// Eighths of a block, from none to seven.
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    /// Heatmap shades from the smallest magnitude to the largest.
    static let shades = [" ", "░", "▒", "▓", "█"]
    /// Glyphs of the second and later series when there is no colour.
    static let seriesGlyphs = ["×", "+", "◦", "▪", "*", "#"]
    /// ANSI foreground colours of series: blue, red, green, yellow, magenta, cyan.
    static let seriesColors = [34, 31, 32, 33, 35, 36]
    /// 256-colour backgrounds of a diverging heatmap, weakest to strongest.
    static let positiveBackgrounds = [255, 224, 210, 203, 160]
    static let negativeBackgrounds = [255, 153, 111, 68, 25]

    package init(width: Int, color: Bool = false) {
        self.width = min(width, Self.maxWidth)
        self.color = color
    }

    package func render(_ chart: Chart) -> String {
        var out = chart.title.map { bold($0) + "\n" } ?? ""
        switch chart.mark {
        case .bars(let labels, let values):
            out += bars(labels: labels, values: values, chart: chart)
        case .histogram(let edges, let counts):
            out += histogram(edges: edges, counts: counts, chart: chart)
        case .lines(let series):
            out += canvas(series, connect: true, chart: chart)
        case .points(let series):
            out += canvas(series, connect: false, chart: chart)
        case .heatmap(let rows, let columns, let values):
            out += heatmap(rows: rows, columns: columns, values: values)
        }
        for note in chart.notes { out += dim(note) + "\n" }
        return out
    }

    // MARK: - Bars and histograms

    private func bars(labels: [String], values: [Double], chart: Chart) -> String {
        let texts = labels.map { cut($0, Self.maxLabelWidth) }
        return barRows(labels: texts, values: values, header: (chart.xLabel, chart.yLabel))
    }

    private func histogram(edges: [Double], counts: [Double], chart: Chart) -> String {
        let lows = counts.indices.map { NumberFormat.general(edges[$0]) }
        let highs = counts.indices.map { NumberFormat.general(edges[$0 + 1]) }
        let lw = lows.map(displayWidth).max() ?? 0, hw = highs.map(displayWidth).max() ?? 0
        let labels = counts.indices.map { i in
            let close = i == counts.count - 1 ? "]" : ")"
            return "[" + padLeft(lows[i], lw) + ", " + padLeft(highs[i], hw) + close
        }
        return barRows(labels: labels, values: counts, header: (chart.xLabel, chart.yLabel ?? "count"))
    }

    /// Rows of `label  bar value`, bars scaled to the largest magnitude.
    private func barRows(labels: [String], values: [Double], header: (String?, String?)) -> String {
        let labelWidth = max(labels.map(displayWidth).max() ?? 0, displayWidth(header.0 ?? ""))
        let formatted = NumberFormat.column(values.map { .double($0) }, style: .count)
        let valueWidth = formatted.map(displayWidth).max() ?? 0
        let barWidth = max(1, width - labelWidth - valueWidth - 3)
        let largest = values.lazy.filter(\.isFinite).map(abs).max() ?? 0
        var out = ""
        if header.0 != nil || header.1 != nil {
            out += dim((pad(header.0 ?? "", labelWidth) + "  " + (header.1 ?? "")).trimmedRight()) + "\n"
        }
        for i in labels.indices {
            let v = values[i]
            let length = largest > 0 && v.isFinite ? abs(v) / largest * Double(barWidth) : 0
            var bar = blocks(length)
            if bar.isEmpty && v != 0 && v.isFinite { bar = Self.eighths[1] }
            let series = color ? "\u{1B}[\(Self.seriesColors[0])m" + bar + "\u{1B}[0m" : bar
            out += pad(labels[i], labelWidth) + "  " + series + " " + formatted[i] + "\n"
        }
        return out
    }

    /// A bar of `length` columns, exact to an eighth.
    package func blocks(_ length: Double) -> String {
        let eighths = Int((length * 8).rounded())
        return String(repeating: "█", count: eighths / 8) + Self.eighths[eighths % 8]
    }

    // MARK: - Braille canvas

    /// Dot bits of a braille cell, by dot column then dot row.
    static let brailleBits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    private func canvas(_ series: [Series], connect: Bool, chart: Chart) -> String {
        let xsAll = series.flatMap(\.xs).filter(\.isFinite), ysAll = series.flatMap(\.ys).filter(\.isFinite)
        var xScale = ChartScale(xsAll.min() ?? 0, xsAll.max() ?? 1)
        var yScale = ChartScale(ysAll.min() ?? 0, ysAll.max() ?? 1, ticks: 4)
        if chart.diagonal {
            // Rates: both axes exactly [0, 1], so the diagonal is the chance line.
            xScale = ChartScale(lower: 0, upper: 1, step: 0.25)
            yScale = ChartScale(lower: 0, upper: 1, step: 0.25)
        }
        let yLabels = yScale.ticks.map(yScale.label)
        let axisWidth = yLabels.map(displayWidth).max() ?? 1
        // The last x tick's label is centred on the last column: leave room for its right half.
        let overhang = (xScale.ticks.map { xScale.label($0).count }.max() ?? 0) / 2
        let columns = max(10, width - axisWidth - 2 - overhang)
        let rows = Self.plotRows
        var grid = BrailleGrid(columns: columns, rows: rows)
        func dot(_ x: Double, _ y: Double) -> (Int, Int)? {
            guard x.isFinite, y.isFinite else { return nil }
            let dx = Int((xScale.fraction(x) * Double(2 * columns - 1)).rounded())
            let dy = Int(((1 - yScale.fraction(y)) * Double(4 * rows - 1)).rounded())
            return (dx, dy)
        }
        if chart.diagonal {
            for i in stride(from: 0, to: 2 * columns, by: 2) {
                let x = Double(i) / Double(2 * columns - 1)
                if let (dx, dy) = dot(x, x) { grid.set(dx, dy, owner: BrailleGrid.diagonal) }
            }
        }
        for (s, one) in series.enumerated() {
            var previous: (Int, Int)?
            for (x, y) in zip(one.xs, one.ys) {
                guard let p = dot(x, y) else { previous = nil; continue }
                if connect, let q = previous { grid.line(from: q, to: p, owner: s) } else { grid.set(p.0, p.1, owner: s) }
                previous = p
            }
        }
        var out = ""
        if let y = chart.yLabel { out += dim(y) + "\n" }
        var tickRows: [Int: String] = [:]
        for (t, label) in zip(yScale.ticks, yLabels) {
            tickRows[Int(((1 - yScale.fraction(t)) * Double(4 * rows - 1)).rounded()) / 4] = label
        }
        for r in 0..<rows {
            let label = tickRows[r].map { padLeft($0, axisWidth) + " ┤" } ?? String(repeating: " ", count: axisWidth) + " │"
            out += label + (0..<columns).map { cellText(grid, $0, r, seriesCount: series.count) }.joined()
            out = out.trimmedRight() + "\n"
        }
        // The x axis: a rule with ┬ under each tick, then the tick labels centred under them.
        var rule = Array(repeating: "─", count: columns)
        var labelLine = Array(repeating: Character(" "), count: max(width, axisWidth + 2 + columns + overhang))
        var free = 0
        for t in xScale.ticks {
            let column = Int((xScale.fraction(t) * Double(2 * columns - 1)).rounded()) / 2
            guard column >= 0 && column < columns else { continue }
            rule[column] = "┬"
            let text = Array(xScale.label(t))
            // Centred under the tick, unless that would overlap the previous label or the edge.
            let start = max(free, axisWidth + 2 + column - text.count / 2)
            guard start + text.count <= labelLine.count, start <= axisWidth + 2 + column else { continue }
            for (k, ch) in text.enumerated() { labelLine[start + k] = ch }
            free = start + text.count + 1
        }
        out += String(repeating: " ", count: axisWidth) + " └" + rule.joined() + "\n"
        out += String(labelLine).trimmedRight() + "\n"
        if let x = chart.xLabel {
            let indent = axisWidth + 2 + max(0, (columns - displayWidth(x)) / 2)
            out += String(repeating: " ", count: indent) + dim(x) + "\n"
        }
        if series.count > 1 || chart.diagonal {
            var items = series.indices.map { legendMark($0, count: series.count) + " " + series[$0].name }
            if chart.diagonal { items.append(dim("⠁⠂⠄") + " chance (y = x)") }
            out += String(repeating: " ", count: axisWidth + 2) + items.joined(separator: "   ") + "\n"
        }
        return out
    }

    /// What a legend shows for series `s`: its colour or its glyph.
    private func legendMark(_ s: Int, count: Int) -> String {
        if color { return paint("⣿⣿", Self.seriesColors[s % Self.seriesColors.count]) }
        return s == 0 || count == 1 ? "⣿⣿" : Self.seriesGlyphs[(s - 1) % Self.seriesGlyphs.count]
    }

    private func cellText(_ grid: BrailleGrid, _ c: Int, _ r: Int, seriesCount: Int) -> String {
        let i = r * grid.columns + c
        let bits = grid.bits[i]
        guard bits != 0 else { return " " }
        let owner = grid.owners[i]
        let glyph = String(UnicodeScalar(0x2800 + bits)!)
        if owner == BrailleGrid.diagonal { return dim(glyph) }
        if color { return paint(glyph, Self.seriesColors[owner % Self.seriesColors.count]) }
        if owner > 0 && seriesCount > 1 { return Self.seriesGlyphs[(owner - 1) % Self.seriesGlyphs.count] }
        return glyph
    }

    // MARK: - Heatmaps

    private func heatmap(rows: [String], columns: [String], values: [[Double]]) -> String {
        let rowLabels = rows.map { cut($0, Self.maxLabelWidth) }
        let labelWidth = rowLabels.map(displayWidth).max() ?? 0
        let showValues = labelWidth + 1 + columns.count * Self.valueCellWidth <= width
        let cellWidth = showValues ? Self.valueCellWidth : Self.shadeCellWidth
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let largest = finite.map(abs).max() ?? 0
        let unitRange = finite.allSatisfy { abs($0) <= 1 }
        let scaleMax = unitRange ? 1 : largest
        var out = String(repeating: " ", count: labelWidth + 1)
        out += columns.map { pad(cut($0, cellWidth - 1), cellWidth) }.joined()
        out = out.trimmedRight() + "\n"
        for r in rows.indices {
            var line = pad(rowLabels[r], labelWidth) + " "
            for c in columns.indices {
                let v = c < values[r].count ? values[r][c] : .nan
                line += heatCell(v, scaleMax: scaleMax, width: cellWidth, showValue: showValues, unitRange: unitRange)
            }
            out += line.trimmedRight() + "\n"
        }
        let levels = (1..<Self.shades.count).map { i in
            Self.shades[i] + " ≥" + NumberFormat.general(Double(i) / Double(Self.shades.count) * scaleMax)
        }
        out += dim("|value|: " + levels.joined(separator: "  ")) + "\n"
        return out
    }

    private func heatCell(_ v: Double, scaleMax: Double, width: Int, showValue: Bool, unitRange: Bool) -> String {
        guard v.isFinite else { return pad(showValue ? "     —" : "", width) }
        let level = scaleMax > 0 ? min(Self.shades.count - 1, Int(abs(v) / scaleMax * Double(Self.shades.count))) : 0
        let shade = String(repeating: Self.shades[level], count: 2)
        let text = showValue ? padLeft(cut(unitRange ? NumberFormat.fixed(v, decimals: 2) : NumberFormat.general(v), 5), 5) : ""
        if color {
            let background = (v < 0 ? Self.negativeBackgrounds : Self.positiveBackgrounds)[level]
            let foreground = level >= 3 ? 97 : 30
            let body = "\u{1B}[48;5;\(background);\(foreground)m" + "  " + text + "\u{1B}[0m"
            return body + String(repeating: " ", count: width - 2 - text.count)
        }
        return shade + text + String(repeating: " ", count: width - 2 - text.count)
    }

    // MARK: - Text helpers

    private func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    private func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    private func paint(_ s: String, _ code: Int) -> String { "\u{1B}[\(code)m\(s)\u{1B}[0m" }

    private func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - displayWidth(s))) }
    private func padLeft(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - displayWidth(s))) + s }

    /// `s` cut to `w` columns, ending in "…" when cut.
    private func cut(_ s: String, _ w: Int) -> String {
        guard displayWidth(s) > w else { return s }
        var out = ""
        for ch in s {
            if displayWidth(out + String(ch)) > w - 1 { break }
            out.append(ch)
        }
        return out + "…"
    }
}

/// Dots of a braille canvas and which series drew each cell last.
struct BrailleGrid {
    let columns: Int
    let rows: Int
    var bits: [UInt32]
    var owners: [Int]
    /// Owner of dots drawn by the diagonal, which series overwrite.
    static let diagonal = -1

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        bits = Array(repeating: 0, count: columns * rows)
        owners = Array(repeating: Self.diagonal, count: columns * rows)
    }

    /// Sets the dot at dot coordinates (x right, y down); dots off the canvas are ignored.
    mutating func set(_ x: Int, _ y: Int, owner: Int) {
        guard x >= 0, y >= 0, x < 2 * columns, y < 4 * rows else { return }
        let i = (y / 4) * columns + x / 2
        bits[i] |= TerminalChart.brailleBits[x % 2][y % 4]
        if owner != Self.diagonal || owners[i] == Self.diagonal { owners[i] = owner }
    }

    /// Draws a straight line of dots (Bresenham).
    mutating func line(from a: (Int, Int), to b: (Int, Int), owner: Int) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y, owner: owner)
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}
