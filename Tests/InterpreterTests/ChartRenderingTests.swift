// Charts drawn for the terminal and as SVG: round axis ticks, well-formed standalone SVG for
// every mark, bar lengths proportional to values, and exact terminal drawings of small charts.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Interpreter
import Testing

/// Every chart kind once, small.
let sampleCharts: [Chart] = [
    Chart(title: "counts <by> \"genre\" & more", xLabel: "genre", yLabel: "rows",
          mark: .bars(labels: ["pop", "rock", "jazz"], values: [40, 20, 10])),
    Chart(title: "ages", xLabel: "age", mark: .histogram(edges: [0, 10, 20, 30], counts: [3, 6, 1])),
    Chart(title: "curves", xLabel: "epoch", yLabel: "loss",
          mark: .lines([Series(name: "train", xs: [1, 2, 3], ys: [0.9, 0.5, 0.3]),
                        Series(name: "test", xs: [1, 2, 3], ys: [1.0, 0.7, 0.6])])),
    Chart(title: "scatter", mark: .points([Series(name: "a", xs: [0, 1, 2], ys: [2, 1, 3])])),
    Chart(title: "ROC", xLabel: "false positive rate", yLabel: "true positive rate",
          mark: .lines([Series(name: "model", xs: [0, 0.2, 1], ys: [0, 0.7, 1])]), diagonal: true),
    Chart(title: "correlation", mark: .heatmap(rows: ["a", "b"], columns: ["a", "b"], values: [[1, -0.5], [-0.5, 1]])),
]

/// Collects elements and attributes of an XML document, and whether it parsed.
final class XMLProbe: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var current = ""

    static func parse(_ text: String) -> XMLProbe? {
        let probe = XMLProbe()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = probe
        return parser.parse() ? probe : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
        current = ""
    }

    func elements(class name: String) -> [[String: String]] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(name)) }.map(\.attributes)
    }
}

@Suite struct ChartScaleTests {
    @Test(arguments: [
        (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, 3715, [0, 1000, 2000, 3000, 4000]),
        (18, 30, [17.5, 20, 22.5, 25, 27.5, 30]),
        (-0.12, 1, [-0.25, 0, 0.25, 0.5, 0.75, 1]),
        (5, 5, [2, 3, 4, 5, 6, 7, 8]),
    ])
    func ticksAreRoundAndCoverTheData(lo: Double, hi: Double, expected: [Double]) {
        let s = ChartScale(lo, hi)
        #expect(s.lower <= lo && s.upper >= hi)
        #expect(zip(s.ticks, expected).allSatisfy { abs($0 - $1) < 1e-9 } && s.ticks.count == expected.count, "\(s.ticks)")
        for t in s.ticks {
            // A round tick is 1, 2, 2.5 or 5 times a power of ten, times an integer.
            let steps = t / s.step
            #expect(abs(steps - steps.rounded()) < 1e-9)
        }
        let mantissa = s.step / pow(10, floor(log10(s.step)))
        #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 })
    }

    @Test func labelsUseTheDecimalsTheStepNeeds() {
        #expect(ChartScale(lower: 0, upper: 1, step: 0.25).label(0.5) == "0.50")
        #expect(ChartScale(lower: 0, upper: 10, step: 2.5).label(5) == "5.0")
        #expect(ChartScale(lower: 0, upper: 4000, step: 1000).label(3000) == "3000")
    }
}

@Suite struct SVGChartTests {
    @Test(arguments: sampleCharts.indices)
    func everyMarkIsWellFormedStandaloneSVG(index: Int) throws {
        let svg = SVGChart().render(sampleCharts[index])
        let probe = try #require(XMLProbe.parse(svg), "not well-formed XML:\n\(svg)")
        #expect(probe.elements.first?.name == "svg")
        #expect(probe.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(!svg.contains("href"), "no external resources")
        #expect(!svg.contains("<script"))
        #expect(probe.texts.contains(sampleCharts[index].title!))
        #expect(SVGChart().render(sampleCharts[index]) == svg, "stable output")
    }

    @Test func textIsEscaped() throws {
        let svg = SVGChart().render(sampleCharts[0])
        #expect(svg.contains("counts &lt;by&gt; &quot;genre&quot; &amp; more"))
    }

    @Test func barsAreProportionalToTheirValues() throws {
        let probe = try #require(XMLProbe.parse(SVGChart().render(sampleCharts[0])))
        let widths = probe.elements(class: "bar").compactMap { Double($0["width"] ?? "") }
        #expect(widths.count == 3)
        #expect(abs(widths[0] / widths[1] - 2) < 0.01 && abs(widths[0] / widths[2] - 4) < 0.01)
    }

    @Test func histogramBarsAreContiguousWithHeightsProportional() throws {
        let probe = try #require(XMLProbe.parse(SVGChart().render(sampleCharts[1])))
        let bars = probe.elements(class: "bar")
        let xs = bars.map { Double($0["x"]!)! }, ws = bars.map { Double($0["width"]!)! }, hs = bars.map { Double($0["height"]!)! }
        #expect(abs(xs[0] + ws[0] - xs[1]) < 0.11 && abs(xs[1] + ws[1] - xs[2]) < 0.11)
        #expect(abs(hs[1] / hs[0] - 2) < 0.01 && abs(hs[1] / hs[2] - 6) < 0.02)
    }

    @Test func tickLabelsAreRoundNumbers() throws {
        let probe = try #require(XMLProbe.parse(SVGChart().render(sampleCharts[4])))
        let ticks = probe.elements.indices.filter { (probe.elements[$0].attributes["class"] ?? "").hasPrefix("tick") }
        #expect(ticks.count == 12)
        #expect(probe.texts.contains("0.2") && probe.texts.contains("1.0"))
        #expect(probe.elements(class: "diagonal").count == 1)
        #expect(probe.elements(class: "legend").count == 1)
    }

    @Test func heatmapWritesValuesAndADivergingLegend() throws {
        let svg = SVGChart().render(sampleCharts[5])
        let probe = try #require(XMLProbe.parse(svg))
        let cells = probe.elements(class: "cell")
        #expect(cells.count == 4)
        #expect(cells[0]["fill"] == SVGChart().diverging(1) && cells[0]["fill"] == "#b2182b")
        #expect(cells[1]["fill"] == SVGChart().diverging(-0.5))
        #expect(SVGChart().diverging(0) == "#f7f7f7" && SVGChart().diverging(-1) == "#2166ac")
        #expect(probe.texts.contains("-0.50") && probe.texts.contains("1.00"))
        #expect(probe.elements(class: "color-legend").count == 1)
    }
}

@Suite struct TerminalChartTests {
    private func draw(_ c: Chart) -> String { TerminalChart(width: 60).render(c) }

    @Test func barsUseEighthBlocksAndFitTheWidth() {
        let out = draw(Chart(title: "plays", xLabel: "genre", yLabel: "rows",
                             mark: .bars(labels: ["pop", "rock", "jazz"], values: [40, 20, 5])))
        #expect(out == """
        plays
        genre  rows
        pop    ██████████████████████████████████████████████████ 40
        rock   █████████████████████████ 20
        jazz   ██████▎ 5

        """)
        #expect(out.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 60 })
    }

    @Test func histogramRowsNameTheirBinsAndCloseTheLast() {
        let out = draw(Chart(title: "ages", xLabel: "age", yLabel: "count",
                             mark: .histogram(edges: [0, 10, 20, 30], counts: [3, 6, 1])))
        #expect(out == """
        ages
        age       count
        [ 0, 10)  ████████████████████████ 3
        [10, 20)  ████████████████████████████████████████████████ 6
        [20, 30]  ████████ 1

        """)
    }

    @Test func eighthBlocks() {
        let chart = TerminalChart(width: 80)
        #expect(chart.blocks(0) == "")
        #expect(chart.blocks(0.125) == "▏")
        #expect(chart.blocks(2.5) == "██▌")
        #expect(chart.blocks(3.875) == "███▉")
    }

    @Test func lineOnBrailleWithAxes() {
        let out = TerminalChart(width: 30).render(Chart(title: "y = x", xLabel: "x", yLabel: "y",
            mark: .lines([Series(name: "id", xs: [0, 1], ys: [0, 1])])))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "y = x" && lines[1] == "y")
        #expect(lines[2].hasPrefix("1.00 ┤"))
        #expect(lines[2 + TerminalChart.plotRows - 1].hasPrefix("0.00 ┤⡰⠁"))
        #expect(lines[2 + TerminalChart.plotRows].hasPrefix("     └┬"))
        #expect(lines[3 + TerminalChart.plotRows].hasPrefix("     0.0 0.2"))
        // Every plot cell drawn is braille.
        let plot = lines[2..<(2 + TerminalChart.plotRows)].joined()
        #expect(plot.unicodeScalars.contains { $0.value >= 0x2800 && $0.value <= 0x28FF })
        #expect(lines.allSatisfy { displayWidth($0) <= 30 })
    }

    @Test func seriesGetGlyphsAndALegendWithoutColour() {
        let out = draw(sampleCharts[2])
        #expect(out.contains("×"))
        #expect(out.contains("⣿⣿ train   × test"))
    }

    @Test func rocShowsTheChanceDiagonalInTheLegend() {
        #expect(draw(sampleCharts[4]).contains("chance (y = x)"))
    }

    @Test func heatmapShadesByMagnitudeAndWritesValues() {
        let out = draw(sampleCharts[5])
        #expect(out == """
        correlation
          a       b
        a ██ 1.00 ▒▒-0.50
        b ▒▒-0.50 ██ 1.00
        |value|: ░ ≥0.2  ▒ ≥0.4  ▓ ≥0.6  █ ≥0.8

        """)
    }

    @Test func colourMarksSeriesWithANSI() {
        let out = TerminalChart(width: 60, color: true).render(sampleCharts[2])
        #expect(out.contains("\u{1B}[34m") && out.contains("\u{1B}[31m"))
    }
}
