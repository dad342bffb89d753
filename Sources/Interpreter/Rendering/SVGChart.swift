// Draws a chart as a standalone SVG document: for HTML reports (inline), Markdown reports
// (a file beside the report) and `save plot`.
//
// Every mark gets a title, axes with round ticks (ChartScale), light grid lines, axis labels,
// and a legend when there is more than one series or a diagonal. Bars are horizontal, so long
// category names stay readable; histograms are contiguous columns over a numeric x axis;
// heatmaps colour each cell on a diverging blue-white-red scale centred at 0, with a stepped
// legend, and write values in the cells when there are few.
// The output has no external resources, no scripts and no generated ids, and numbers are
// written with fixed decimals, so the same chart always gives the same bytes.

import Foundation

/// Renders charts as SVG.
package struct SVGChart: Sendable {
    /// Width of the drawing, in pixels.
    package static let width = 640.0
    /// Height of a plot with axes.
    package static let plotHeight = 400.0
    /// Vertical space per bar of a bar chart.
    static let barStep = 22.0
    /// Space per heatmap cell, at most.
    static let maxCellSize = 56.0
    /// Heatmaps with at most this many columns write each cell's value.
    package static let maxValueColumns = 12
    /// Approximate width of a character of the 12 px font, for sizing label margins.
    static let charWidth = 7.0
    /// Colours of series (Tableau 10, which stays distinguishable for most colour vision).
    static let palette = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7"]
    static let gridColor = "#e6e6e6"
    static let axisColor = "#444444"
    static let textColor = "#222222"
    /// Ends and middle of the diverging heatmap scale (ColorBrewer RdBu).
    static let negativeEnd = (0x21, 0x66, 0xac), middle = (0xf7, 0xf7, 0xf7), positiveEnd = (0xb2, 0x18, 0x2b)
    /// Steps of the heatmap's colour legend.
    static let legendSteps = 20
    /// Top margin taken by the title.
    static let titleSpace = 36.0

    package init() {}

    /// The chart as a complete SVG document (no XML declaration, so it can be inlined in HTML).
    package func render(_ chart: Chart) -> String {
        var body = ""
        let height: Double
        switch chart.mark {
        case .bars(let labels, let values):
            height = bars(labels: labels, values: values, chart: chart, into: &body)
        case .histogram(let edges, let counts):
            height = Self.plotHeight
            histogram(edges: edges, counts: counts, chart: chart, into: &body)
        case .lines(let series):
            height = Self.plotHeight
            xy(series, connect: true, chart: chart, into: &body)
        case .points(let series):
            height = Self.plotHeight
            xy(series, connect: false, chart: chart, into: &body)
        case .heatmap(let rows, let columns, let values):
            height = heatmap(rows: rows, columns: columns, values: values, into: &body)
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(Self.width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(Self.width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\">\n"
        if let title = chart.title { out += "<title>\(escape(title))</title>\n" }
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(n(Self.width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        if let title = chart.title {
            out += text(title, x: Self.width / 2, y: 22, anchor: "middle", extra: " font-size=\"15\" font-weight=\"bold\" class=\"title\"")
        }
        out += body
        out += "</svg>\n"
        return out
    }

    // MARK: - Plot area and axes

    /// The rectangle data is drawn in.
    struct Frame {
        var left: Double, top: Double, right: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    private func standardFrame(yLabels: [String]) -> Frame {
        let labelWidth = Double(yLabels.map(\.count).max() ?? 1) * Self.charWidth
        return Frame(left: 28 + labelWidth, top: Self.titleSpace + 8, right: Self.width - 20, bottom: Self.plotHeight - 52)
    }

    /// Grid lines, ticks, tick labels and axis titles of an x-y plot.
    private func axes(_ f: Frame, x: ChartScale?, y: ChartScale, xLabel: String?, yLabel: String?, into out: inout String) {
        out += "<g class=\"grid\" stroke=\"\(Self.gridColor)\" stroke-width=\"1\">\n"
        for t in y.ticks { let py = f.bottom - y.fraction(t) * f.height; out += line(f.left, py, f.right, py) }
        if let x { for t in x.ticks { let px = f.left + x.fraction(t) * f.width; out += line(px, f.top, px, f.bottom) } }
        out += "</g>\n<g class=\"axes\" stroke=\"\(Self.axisColor)\" stroke-width=\"1\">\n"
        out += line(f.left, f.bottom, f.right, f.bottom) + line(f.left, f.top, f.left, f.bottom)
        for t in y.ticks { let py = f.bottom - y.fraction(t) * f.height; out += line(f.left - 4, py, f.left, py) }
        if let x { for t in x.ticks { let px = f.left + x.fraction(t) * f.width; out += line(px, f.bottom, px, f.bottom + 4) } }
        out += "</g>\n<g fill=\"\(Self.textColor)\">\n"
        for t in y.ticks {
            out += text(y.label(t), x: f.left - 7, y: f.bottom - y.fraction(t) * f.height + 4, anchor: "end", extra: " class=\"tick y\"")
        }
        if let x {
            for t in x.ticks {
                out += text(x.label(t), x: f.left + x.fraction(t) * f.width, y: f.bottom + 18, anchor: "middle", extra: " class=\"tick x\"")
            }
        }
        if let xLabel { out += text(xLabel, x: f.left + f.width / 2, y: f.bottom + 40, anchor: "middle", extra: " class=\"axis-label\"") }
        if let yLabel {
            out += "<text class=\"axis-label\" transform=\"translate(14 \(n(f.top + f.height / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        }
        out += "</g>\n"
    }

    // MARK: - Marks

    private func histogram(edges: [Double], counts: [Double], chart: Chart, into out: inout String) {
        let x = ChartScale(edges.first ?? 0, edges.last ?? 1)
        let y = ChartScale(0, counts.filter(\.isFinite).max() ?? 1)
        let f = standardFrame(yLabels: y.ticks.map(y.label))
        axes(f, x: x, y: y, xLabel: chart.xLabel, yLabel: chart.yLabel ?? "count", into: &out)
        out += "<g fill=\"\(Self.palette[0])\" stroke=\"#ffffff\" stroke-width=\"0.5\">\n"
        for i in counts.indices where counts[i].isFinite {
            let x0 = f.left + x.fraction(edges[i]) * f.width, x1 = f.left + x.fraction(edges[i + 1]) * f.width
            let h = y.fraction(counts[i]) * f.height
            out += "<rect class=\"bar\" x=\"\(n(x0))\" y=\"\(n(f.bottom - h))\" width=\"\(n(max(0, x1 - x0)))\" height=\"\(n(h))\">"
            out += "<title>[\(NumberFormat.general(edges[i])), \(NumberFormat.general(edges[i + 1]))\(i == counts.count - 1 ? "]" : ")"): \(NumberFormat.general(counts[i]))</title></rect>\n"
        }
        out += "</g>\n"
    }

    /// Horizontal bars; returns the drawing's height, which grows with the number of bars.
    private func bars(labels: [String], values: [Double], chart: Chart, into out: inout String) -> Double {
        let finite = values.filter(\.isFinite)
        let x = ChartScale(min(0, finite.min() ?? 0), max(0, finite.max() ?? 1))
        let labelWidth = Double(min(labels.map(\.count).max() ?? 1, TerminalChart.maxLabelWidth)) * Self.charWidth
        let top = Self.titleSpace + 8
        let f = Frame(left: 20 + labelWidth, top: top, right: Self.width - 70, bottom: top + Double(labels.count) * Self.barStep)
        let height = f.bottom + 52
        out += "<g class=\"grid\" stroke=\"\(Self.gridColor)\" stroke-width=\"1\">\n"
        for t in x.ticks { let px = f.left + x.fraction(t) * f.width; out += line(px, f.top, px, f.bottom) }
        out += "</g>\n<g class=\"axes\" stroke=\"\(Self.axisColor)\" stroke-width=\"1\">\n"
        out += line(f.left, f.bottom, f.right, f.bottom)
        let zero = f.left + x.fraction(0) * f.width
        out += line(zero, f.top, zero, f.bottom)
        for t in x.ticks { let px = f.left + x.fraction(t) * f.width; out += line(px, f.bottom, px, f.bottom + 4) }
        out += "</g>\n<g fill=\"\(Self.textColor)\">\n"
        for t in x.ticks {
            out += text(x.label(t), x: f.left + x.fraction(t) * f.width, y: f.bottom + 18, anchor: "middle", extra: " class=\"tick x\"")
        }
        if let yLabel = chart.yLabel { out += text(yLabel, x: f.left + f.width / 2, y: f.bottom + 40, anchor: "middle", extra: " class=\"axis-label\"") }
        if let xLabel = chart.xLabel { out += text(xLabel, x: 8, y: f.top - 8, anchor: "start", extra: " class=\"axis-label\"") }
        for (i, label) in labels.enumerated() {
            let cy = f.top + (Double(i) + 0.5) * Self.barStep
            out += text(shorten(label), x: f.left - 8, y: cy + 4, anchor: "end", extra: " class=\"category\"")
        }
        out += "</g>\n<g fill=\"\(Self.palette[0])\">\n"
        for (i, v) in values.enumerated() where v.isFinite {
            let end = f.left + x.fraction(v) * f.width
            let y0 = f.top + Double(i) * Self.barStep + 3
            out += "<rect class=\"bar\" x=\"\(n(min(zero, end)))\" y=\"\(n(y0))\" width=\"\(n(abs(end - zero)))\" height=\"\(n(Self.barStep - 6))\">"
            out += "<title>\(escape(labels[i])): \(NumberFormat.general(v))</title></rect>\n"
        }
        out += "</g>\n<g fill=\"\(Self.textColor)\" font-size=\"11\">\n"
        for (i, v) in values.enumerated() where v.isFinite {
            let end = f.left + x.fraction(v) * f.width
            let cy = f.top + (Double(i) + 0.5) * Self.barStep
            out += text(NumberFormat.general(v), x: v < 0 ? end - 4 : end + 4, y: cy + 4, anchor: v < 0 ? "end" : "start", extra: " class=\"value\"")
        }
        out += "</g>\n"
        return height
    }

    private func xy(_ series: [Series], connect: Bool, chart: Chart, into out: inout String) {
        let xs = series.flatMap(\.xs).filter(\.isFinite), ys = series.flatMap(\.ys).filter(\.isFinite)
        var x = ChartScale(xs.min() ?? 0, xs.max() ?? 1)
        var y = ChartScale(ys.min() ?? 0, ys.max() ?? 1)
        if chart.diagonal {
            x = ChartScale(lower: 0, upper: 1, step: 0.2)
            y = ChartScale(lower: 0, upper: 1, step: 0.2)
        }
        let f = standardFrame(yLabels: y.ticks.map(y.label))
        axes(f, x: x, y: y, xLabel: chart.xLabel, yLabel: chart.yLabel, into: &out)
        func point(_ px: Double, _ py: Double) -> (Double, Double) {
            (f.left + x.fraction(px) * f.width, f.bottom - y.fraction(py) * f.height)
        }
        if chart.diagonal {
            out += "<line class=\"diagonal\" x1=\"\(n(f.left))\" y1=\"\(n(f.bottom))\" x2=\"\(n(f.right))\" y2=\"\(n(f.top))\" stroke=\"#999999\" stroke-dasharray=\"4 4\"/>\n"
        }
        for (s, one) in series.enumerated() {
            let colour = Self.palette[s % Self.palette.count]
            if connect {
                let points = zip(one.xs, one.ys).filter { $0.0.isFinite && $0.1.isFinite }
                    .map { let p = point($0.0, $0.1); return "\(n(p.0)),\(n(p.1))" }
                out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points.joined(separator: " "))\"><title>\(escape(one.name))</title></polyline>\n"
            } else {
                out += "<g class=\"series\" fill=\"\(colour)\" fill-opacity=\"0.6\">\n"
                for (px, py) in zip(one.xs, one.ys) where px.isFinite && py.isFinite {
                    let p = point(px, py)
                    out += "<circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"2.5\"/>\n"
                }
                out += "</g>\n"
            }
        }
        if series.count > 1 || chart.diagonal {
            var entries = series.enumerated().map { ($1.name, Self.palette[$0 % Self.palette.count], false) }
            if chart.diagonal { entries.append(("chance (y = x)", "#999999", true)) }
            legend(entries, right: f.right - 8, top: f.top + 8, into: &out)
        }
    }

    /// A legend box at the top right of the plot area.
    private func legend(_ entries: [(String, String, Bool)], right: Double, top: Double, into out: inout String) {
        let w = Double(entries.map(\.0.count).max() ?? 0) * Self.charWidth + 40
        let x = right - w
        out += "<g class=\"legend\">\n<rect x=\"\(n(x))\" y=\"\(n(top))\" width=\"\(n(w))\" height=\"\(n(Double(entries.count) * 18 + 8))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"\(Self.gridColor)\"/>\n"
        for (i, (name, colour, dashed)) in entries.enumerated() {
            let cy = top + 13 + Double(i) * 18
            out += "<line x1=\"\(n(x + 8))\" y1=\"\(n(cy))\" x2=\"\(n(x + 28))\" y2=\"\(n(cy))\" stroke=\"\(colour)\" stroke-width=\"\(dashed ? "1" : "3")\"\(dashed ? " stroke-dasharray=\"4 4\"" : "")/>\n"
            out += text(name, x: x + 34, y: cy + 4, anchor: "start", extra: " fill=\"\(Self.textColor)\"")
        }
        out += "</g>\n"
    }

    /// A correlation-style heatmap; returns the drawing's height.
    private func heatmap(rows: [String], columns: [String], values: [[Double]], into out: inout String) -> Double {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let scaleMax = finite.allSatisfy({ abs($0) <= 1 }) ? 1 : (finite.map(abs).max() ?? 1)
        let labelWidth = Double(min(rows.map(\.count).max() ?? 1, TerminalChart.maxLabelWidth)) * Self.charWidth
        let columnLabelHeight = Double(min(columns.map(\.count).max() ?? 1, TerminalChart.maxLabelWidth)) * Self.charWidth * 0.72 + 12
        let left = 16 + labelWidth, top = Self.titleSpace + columnLabelHeight
        let legendSpace = 90.0
        let cell = min(Self.maxCellSize, (Self.width - left - legendSpace) / Double(max(1, columns.count)))
        let bottom = top + cell * Double(rows.count)
        let showValues = columns.count <= Self.maxValueColumns
        out += "<g fill=\"\(Self.textColor)\">\n"
        for (r, name) in rows.enumerated() {
            out += text(shorten(name), x: left - 6, y: top + (Double(r) + 0.5) * cell + 4, anchor: "end", extra: " class=\"category\"")
        }
        for (c, name) in columns.enumerated() {
            let cx = left + (Double(c) + 0.5) * cell
            out += "<text class=\"category\" transform=\"translate(\(n(cx + 4)) \(n(top - 6))) rotate(-45)\" text-anchor=\"start\">\(escape(shorten(name)))</text>\n"
        }
        out += "</g>\n<g class=\"cells\" stroke=\"#ffffff\" stroke-width=\"1\">\n"
        for r in rows.indices {
            for c in columns.indices {
                let v = c < values[r].count ? values[r][c] : .nan
                let fill = v.isFinite ? diverging(v / scaleMax) : "#dddddd"
                out += "<rect class=\"cell\" x=\"\(n(left + Double(c) * cell))\" y=\"\(n(top + Double(r) * cell))\" width=\"\(n(cell))\" height=\"\(n(cell))\" fill=\"\(fill)\">"
                out += "<title>\(escape(rows[r])) × \(escape(columns[c])): \(v.isFinite ? NumberFormat.fixed(v, decimals: 3) : "missing")</title></rect>\n"
            }
        }
        out += "</g>\n"
        if showValues {
            out += "<g font-size=\"\(cell < 36 ? 9 : 11)\" text-anchor=\"middle\">\n"
            for r in rows.indices {
                for c in columns.indices {
                    let v = c < values[r].count ? values[r][c] : .nan
                    guard v.isFinite else { continue }
                    let ink = abs(v / scaleMax) > 0.6 ? "#ffffff" : Self.textColor
                    let label = scaleMax == 1 ? NumberFormat.fixed(v, decimals: 2) : NumberFormat.general(v)
                    out += "<text class=\"value\" x=\"\(n(left + (Double(c) + 0.5) * cell))\" y=\"\(n(top + (Double(r) + 0.5) * cell + 4))\" fill=\"\(ink)\">\(escape(label))</text>\n"
                }
            }
            out += "</g>\n"
        }
        // The colour legend: a stepped bar from +max (top) to -max (bottom).
        let lx = left + cell * Double(columns.count) + 24
        let lh = max(120, min(bottom - top, 240))
        let step = lh / Double(Self.legendSteps)
        out += "<g class=\"color-legend\">\n"
        for i in 0..<Self.legendSteps {
            let v = 1 - (Double(i) + 0.5) / Double(Self.legendSteps) * 2
            out += "<rect x=\"\(n(lx))\" y=\"\(n(top + Double(i) * step))\" width=\"14\" height=\"\(n(step + 0.5))\" fill=\"\(diverging(v))\"/>\n"
        }
        for (v, yy) in [(scaleMax, top), (0, top + lh / 2), (-scaleMax, top + lh)] {
            out += text(NumberFormat.general(v), x: lx + 20, y: yy + 4, anchor: "start", extra: " fill=\"\(Self.textColor)\" class=\"tick\"")
        }
        out += "</g>\n"
        return max(bottom, top + lh) + 24
    }

    /// The diverging colour of `t` in [-1, 1]: blue, white at 0, red.
    package func diverging(_ t: Double) -> String {
        let t = max(-1, min(1, t))
        let end = t < 0 ? Self.negativeEnd : Self.positiveEnd
        let a = abs(t)
        func mix(_ m: Int, _ e: Int) -> Int { Int((Double(m) + (Double(e) - Double(m)) * a).rounded()) }
        return String(format: "#%02x%02x%02x", mix(Self.middle.0, end.0), mix(Self.middle.1, end.1), mix(Self.middle.2, end.2))
    }

    // MARK: - Helpers

    /// A coordinate with one decimal, no "-0.0".
    private func n(_ x: Double) -> String {
        let s = String(format: "%.1f", x)
        return s == "-0.0" ? "0.0" : s
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\"/>\n"
    }

    private func text(_ s: String, x: Double, y: Double, anchor: String, extra: String = "") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(escape(s))</text>\n"
    }

    private func shorten(_ s: String) -> String {
        s.count > TerminalChart.maxLabelWidth ? String(s.prefix(TerminalChart.maxLabelWidth - 1)) + "…" : s
    }

    /// Text safe inside XML elements and attribute values.
    package static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private func escape(_ s: String) -> String { Self.escape(s) }
}
