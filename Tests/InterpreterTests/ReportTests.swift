// Reports of a script run: the document's headings, prose and statements; the HTML page (table
// of contents, code, tables, inline SVG, errors, manifest with the fixture's SHA-256); the
// Markdown report read back by --check, equal to itself and different where a number moved.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Interpreter
import RecScript
import Testing

/// The fixture every report test reads, and its SHA-256 (from sha256sum).
private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ReplTests/Golden/fixtures/tiny.csv").standardizedFileURL.path
private let fixtureSHA = "e40b0333eb2a6e1459f9eb08e47725c179bac0391b3f1d3fba319c5e201e81cd"

private let script = """
## Listening report
## A small fixture: four users, five tracks.
param top = 3
x = load "\(fixture)"
shape x

## Counts
describe x columns=[user_id, is_listened]
plot bar x.media_id top=top
head x 2
"""

/// Runs `text` and builds its report document.
private func document(_ text: String, name: String = "r.rec") -> ReportDocument {
    let sink = ReportSink(forwardingTo: nil)
    let interpreter = Interpreter(sink: sink)
    let source = SourceFile(name: name, text: text)
    let status = interpreter.runScript(source)
    let manifest = RunManifest.collect(scriptPath: nil, interpreter: interpreter)
    return ReportDocument.build(source: source, events: sink.events, manifest: manifest, status: status)
}

@Suite struct ReportTests {
    @Test func documentHasHeadingsProseAndEveryStatement() {
        let doc = document(script)
        #expect(doc.status == .ok)
        #expect(doc.title == "Listening report")
        #expect(doc.headings.map { $0.text } == ["Counts"], "the first heading is the title")
        #expect(doc.headings.map { $0.anchor } == ["counts"])
        var kinds: [String] = []
        for item in doc.items {
            switch item {
            case .heading: kinds.append("h")
            case .prose: kinds.append("p")
            case .statement(let s): kinds.append(s.ran ? "s" : "-")
            }
        }
        #expect(kinds == ["p", "s", "s", "s", "h", "s", "s", "s"])
        #expect(document("print 1\n## Late\nprint 2").title == "Report of r.rec")
    }

    @Test func htmlHasTheContentsStatementsTablesFiguresAndManifest() throws {
        let doc = document(script)
        let html = HTMLReport().render(doc)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>Listening report</h1>"))
        #expect(html.contains("<title>Listening report</title>"))
        #expect(html.contains("<li><a href=\"#counts\">Counts</a></li>"))
        #expect(html.contains("<h2 id=\"counts\">Counts</h2>"))
        #expect(html.contains("<p class=\"prose\">A small fixture: four users, five tracks.</p>"))
        for statement in ["shape x", "describe x columns=[user_id, is_listened]", "plot bar x.media_id top=top", "head x 2"] {
            #expect(html.contains("<pre><code>\(SVGChart.escape(statement))</code></pre>"), "\(statement)")
        }
        #expect(html.contains("<th class=\"num\">count</th>"), "numbers right-aligned")
        #expect(html.contains("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\""), "inline SVG")
        #expect(html.contains("<span class=\"time\">"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\""), "self-contained")
        #expect(html.contains("<h2 id=\"run-manifest\">Run manifest</h2>"))
        #expect(html.contains("\(fixture), 399 bytes, sha256 \(fixtureSHA)"))
        #expect(html.contains("<td>parameter top</td><td>3</td>"))
        #expect(html.contains("<td>RecScript</td><td>\(recScriptVersion)</td>"))
    }

    @Test func htmlIsWellFormed() throws {
        let doc = document(script)
        // The page is XHTML-compatible apart from the doctype, so an XML parser can check it.
        let html = HTMLReport().render(doc).replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
            .replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
            .replacingOccurrences(of: "initial-scale=1\">", with: "initial-scale=1\"/>")
            .replacingOccurrences(of: "\(recScriptVersion)\">", with: "\(recScriptVersion)\"/>")
        #expect(XMLProbe.parse(html) != nil)
    }

    @Test func errorsAreShownAndLaterStatementsMarkedNotRun() {
        let doc = document("x = 1\nhead x\nprint 2\n")
        #expect(doc.status == .runtimeError)
        let html = HTMLReport().render(doc)
        #expect(html.contains("<div class=\"error\"><strong>error:</strong> line 2, column 6: expected a frame"))
        #expect(html.contains("<p class=\"skipped\">not run</p>"))
    }

    @Test func markdownReportReadsBackEqualToItself() throws {
        let doc = document(script)
        var figures = FigureFolder(directory: "r_files")
        let md = MarkdownReport().render(doc, figures: &figures)
        #expect(figures.figures.count == 1)
        #expect(md.contains("![most frequent values of media_id](r_files/figure-1.svg)"))
        #expect(md.contains("- [Counts](#counts)"))
        let parsed = try #require(ParsedReport(markdown: md))
        #expect(parsed.outputs.map(\.line) == [4, 5, 8, 9, 10])
        #expect(ReportCheck.differences(expected: parsed, actual: parsed, tolerance: 0).isEmpty)
        // A second run differs only in timings and the date, which are not compared.
        let again = document(script)
        var other = FigureFolder(directory: "r_files")
        let md2 = MarkdownReport().render(again, figures: &other)
        #expect(ReportCheck.differences(expected: parsed, actual: ParsedReport(markdown: md2)!, tolerance: 0).isEmpty)
    }

    @Test func checkListsEveryChangedNumberBeyondTheTolerance() throws {
        let doc = document(script)
        var figures = FigureFolder(directory: "r_files")
        let md = MarkdownReport().render(doc, figures: &figures)
        // Move the mean of is_listened (0.6) and the row count in shape's text.
        let edited = md.replacingOccurrences(of: "| is_listened | 20 | 0 | 0.6 |", with: "| is_listened | 20 | 0 | 0.61 |")
            .replacingOccurrences(of: "```text\n20 rows × 4 columns\n```", with: "```text\n21 rows × 4 columns\n```")
        #expect(edited != md)
        let expected = try #require(ParsedReport(markdown: edited))
        let actual = try #require(ParsedReport(markdown: md))
        let diffs = ReportCheck.differences(expected: expected, actual: actual, tolerance: 1e-6).map(\.description)
        #expect(diffs.count == 2, "\(diffs)")
        #expect(diffs.contains("line 8 (describe x columns=[user_id, is_listened]), table 1, row 2, column 'mean': expected '0.61', found '0.6'"))
        #expect(diffs.contains { $0.hasPrefix("line 5 (shape x), text line 1: expected '21 rows") })
        // Within a looser tolerance the mean agrees.
        #expect(ReportCheck.differences(expected: expected, actual: actual, tolerance: 0.02).count == 1)
    }

    @Test func numbersCompareWithinTolerance() {
        #expect(ReportCheck.same("AUC 0.7425", "AUC 0.74250001", tolerance: 1e-6))
        #expect(!ReportCheck.same("AUC 0.7425", "AUC 0.7426", tolerance: 1e-6))
        #expect(ReportCheck.same("1,234,567 rows", "1234567 rows", tolerance: 0))
        #expect(!ReportCheck.same("12 rows", "12 cols", tolerance: 1))
        #expect(ReportCheck.same("1e-9", "0", tolerance: 1e-6), "absolute near zero")
    }

    @Test func manifestDifferencesAreListedButTheDateIsNot() throws {
        let a = try #require(ParsedReport(markdown: """
        <!-- manifest -->
        | input 1 | d.csv, 10 bytes, sha256 aa |
        | date | 2026-01-01T00:00:00Z |
        <!-- end manifest -->
        """))
        let b = try #require(ParsedReport(markdown: """
        <!-- manifest -->
        | input 1 | d.csv, 11 bytes, sha256 bb |
        | date | 2026-02-02T00:00:00Z |
        <!-- end manifest -->
        """))
        let diffs = ReportCheck.differences(expected: a, actual: b, tolerance: 1e-6)
        #expect(diffs.map { $0.place } == ["manifest, input 1"])
    }

    @Test func reportFilesAreWrittenAtomicallyAndAFailureLeavesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let doc = document(script)
        #expect(try ReportWriter.write(doc, to: dir.path + "/r.md") == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["r.md", "r_files"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/r_files") == ["figure-1.svg"])
        #expect(throws: ReportError.self) { try ReportWriter.write(doc, to: dir.path + "/missing/r.html") }
        #expect(throws: ReportError.self) { try ReportWriter.write(doc, to: dir.path + "/r.txt") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/missing"))
    }
}
