// `repl --check expected.md`: reads an earlier Markdown report back and compares a new run's
// report with it, statement by statement: every table cell, text line, note and error, and
// the manifest (script and input digests, parameters, seeds, version).
//
// Numbers compare equal when |a - b| <= tolerance or |a - b| <= tolerance · max(|a|, |b|)
// (absolute near zero, relative elsewhere); the rest of the text must match exactly.
// Timings sit outside the output markers and are never compared; of the manifest, the date
// and the host's core count differ by design and are skipped.

import Foundation

/// A report read back from Markdown.
package struct ParsedReport: Sendable {
    /// What one statement showed.
    package struct Output: Sendable {
        package var line: Int
        /// The statement's source, from the code block before the output.
        package var source: String
        package var items: [Item]
    }

    /// A table or a line of text of an output.
    package enum Item: Sendable, Equatable {
        case table(header: [String], rows: [[String]])
        case line(String)
    }

    package var outputs: [Output]
    package var manifest: [(key: String, value: String)]

    /// Reads a Markdown report; nil when the text has no report markers.
    package init?(markdown: String) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.contains(MarkdownReport.manifestBegin) else { return nil }
        outputs = []
        manifest = []
        var i = 0
        var lastSource = ""
        while i < lines.count {
            let line = lines[i]
            if line == "```rec" {
                var code: [String] = []
                i += 1
                while i < lines.count && lines[i] != "```" { code.append(lines[i]); i += 1 }
                lastSource = code.joined(separator: "\n")
            } else if line.hasPrefix(MarkdownReport.outputBegin) {
                let number = Int(line.dropFirst(MarkdownReport.outputBegin.count).prefix { $0.isNumber }) ?? 0
                var body: [String] = []
                i += 1
                while i < lines.count && lines[i] != MarkdownReport.outputEnd { body.append(lines[i]); i += 1 }
                outputs.append(Output(line: number, source: lastSource, items: Self.items(body)))
            } else if line == MarkdownReport.manifestBegin {
                i += 1
                while i < lines.count && lines[i] != MarkdownReport.manifestEnd {
                    let cells = Self.cells(lines[i])
                    if cells.count == 2 && !cells[0].isEmpty && !cells[0].hasPrefix(":---") { manifest.append((cells[0], cells[1])) }
                    i += 1
                }
            }
            i += 1
        }
    }

    /// Tables and lines of an output's Markdown.
    static func items(_ body: [String]) -> [Item] {
        var out: [Item] = []
        var i = 0
        while i < body.count {
            let line = body[i]
            if line.hasPrefix("```") {
                i += 1
                while i < body.count && body[i] != "```" { out.append(.line(body[i])); i += 1 }
            } else if line.hasPrefix("|") {
                var rows: [[String]] = []
                while i < body.count && body[i].hasPrefix("|") { rows.append(cells(body[i])); i += 1 }
                let header = rows.first ?? []
                out.append(.table(header: header, rows: Array(rows.dropFirst(2))))
                continue
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.hasPrefix("<") && line != ">" {
                out.append(.line(line))
            }
            i += 1
        }
        return out
    }

    /// The cells of a pipe-table row, with `\|` read back as `|`.
    static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for ch in row.trimmingCharacters(in: .whitespaces).dropFirst() {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "|" { cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(ch)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        return cells
    }
}

/// One way a new run differs from the expected report.
package struct ReportDifference: Sendable, Equatable, CustomStringConvertible {
    /// Where: `line 12 (describe listens), table 1, row 3, column 'mean'`.
    package var place: String
    package var expected: String
    package var actual: String

    package var description: String { "\(place): expected \(expected), found \(actual)" }
}

/// Compares reports.
package enum ReportCheck {
    /// Every difference between an expected report and an actual one.
    package static func differences(expected: ParsedReport, actual: ParsedReport, tolerance: Double) -> [ReportDifference] {
        var out: [ReportDifference] = []
        let count = max(expected.outputs.count, actual.outputs.count)
        for k in 0..<count {
            guard k < expected.outputs.count else {
                let a = actual.outputs[k]
                out.append(ReportDifference(place: "line \(a.line) (\(brief(a.source)))", expected: "no output", actual: "output"))
                continue
            }
            let e = expected.outputs[k]
            guard k < actual.outputs.count else {
                out.append(ReportDifference(place: "line \(e.line) (\(brief(e.source)))", expected: "output", actual: "no output"))
                continue
            }
            let a = actual.outputs[k]
            var place = "line \(a.line) (\(brief(a.source)))"
            if e.line != a.line || e.source != a.source {
                out.append(ReportDifference(place: place, expected: "statement at line \(e.line): \(brief(e.source))",
                                            actual: "line \(a.line): \(brief(a.source))"))
                place = "line \(a.line)"
            }
            out += compare(e.items, a.items, place: place, tolerance: tolerance)
        }
        let actualManifest = Dictionary(actual.manifest.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let expectedKeys = Set(expected.manifest.map(\.key))
        for (key, value) in expected.manifest where !RunManifest.volatileKeys.contains(key) {
            let other = actualManifest[key]
            if other == nil || !same(value, other!, tolerance: tolerance) {
                out.append(ReportDifference(place: "manifest, \(key)", expected: quote(value), actual: other.map(quote) ?? "nothing"))
            }
        }
        for (key, value) in actual.manifest where !expectedKeys.contains(key) && !RunManifest.volatileKeys.contains(key) {
            out.append(ReportDifference(place: "manifest, \(key)", expected: "nothing", actual: quote(value)))
        }
        return out
    }

    private static func compare(_ e: [ParsedReport.Item], _ a: [ParsedReport.Item], place: String, tolerance: Double) -> [ReportDifference] {
        var out: [ReportDifference] = []
        var tableNumber = 0, lineNumber = 0
        for k in 0..<max(e.count, a.count) {
            let ei = k < e.count ? e[k] : nil, ai = k < a.count ? a[k] : nil
            switch (ei, ai) {
            case (.table(let eh, let er)?, .table(let ah, let ar)?):
                tableNumber += 1
                let at = "\(place), table \(tableNumber)"
                if eh != ah {
                    out.append(ReportDifference(place: "\(at), columns", expected: eh.joined(separator: ", "), actual: ah.joined(separator: ", ")))
                    continue
                }
                if er.count != ar.count {
                    out.append(ReportDifference(place: "\(at), rows", expected: "\(er.count) rows", actual: "\(ar.count) rows"))
                }
                for r in 0..<min(er.count, ar.count) {
                    for c in 0..<max(er[r].count, ar[r].count) {
                        let x = c < er[r].count ? er[r][c] : "", y = c < ar[r].count ? ar[r][c] : ""
                        if !same(x, y, tolerance: tolerance) {
                            let column = c < eh.count && !eh[c].isEmpty ? "column '\(eh[c])'" : "column \(c + 1)"
                            out.append(ReportDifference(place: "\(at), row \(r + 1), \(column)", expected: quote(x), actual: quote(y)))
                        }
                    }
                }
            case (.line(let x)?, .line(let y)?):
                lineNumber += 1
                if !same(x, y, tolerance: tolerance) {
                    out.append(ReportDifference(place: "\(place), text line \(lineNumber)", expected: quote(x), actual: quote(y)))
                }
            default:
                out.append(ReportDifference(place: "\(place), part \(k + 1)", expected: describe(ei), actual: describe(ai)))
            }
        }
        return out
    }

    /// Whether two texts are equal, numbers within the tolerance. Durations (`0.42 s`, `12 ms`,
    /// as a table's timing cells show them) differ from run to run and always compare equal.
    package static func same(_ x: String, _ y: String, tolerance: Double) -> Bool {
        if x == y || (isDuration(x) && isDuration(y)) { return true }
        let (sx, nx) = split(x), (sy, ny) = split(y)
        guard sx == sy, nx.count == ny.count else { return false }
        for (a, b) in zip(nx, ny) {
            let d = abs(a - b)
            if !(d <= tolerance || d <= tolerance * max(abs(a), abs(b))) && !(a.isNaN && b.isNaN) { return false }
        }
        return true
    }

    /// Whether a cell is a duration as `NumberStyle.seconds` writes it.
    static func isDuration(_ s: String) -> Bool {
        let parts = s.split(separator: " ")
        guard parts.count == 2, parts[1] == "s" || parts[1] == "ms" else { return false }
        return Double(parts[0]) != nil
    }

    /// The text with each number replaced by `#`, and the numbers (thousands separators read).
    static func split(_ s: String) -> (String, [Double]) {
        var skeleton = "", numbers: [Double] = []
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let startsNumber = chars[i].isASCII && chars[i].isNumber
                || (chars[i] == "-" && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber
                    && (i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)))
            guard startsNumber else { skeleton.append(chars[i]); i += 1; continue }
            var text = String(chars[i])
            i += 1
            while i < chars.count {
                let c = chars[i]
                if c.isASCII && c.isNumber || c == "." { text.append(c); i += 1; continue }
                // A comma followed by exactly three digits groups thousands: 1,234.
                if c == "," {
                    let digits = chars[(i + 1)...].prefix(3)
                    let after: Character? = i + 4 < chars.count ? chars[i + 4] : nil
                    if digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                       !(after.map { $0.isASCII && $0.isNumber } ?? false) {
                        i += 1
                        continue
                    }
                }
                if (c == "e" || c == "E"), i + 1 < chars.count, chars[i + 1].isNumber || chars[i + 1] == "-" || chars[i + 1] == "+" {
                    text.append(c); text.append(chars[i + 1]); i += 2; continue
                }
                break
            }
            if let v = Double(text) { numbers.append(v); skeleton.append("#") } else { skeleton += text }
        }
        return (skeleton, numbers)
    }

    private static func describe(_ item: ParsedReport.Item?) -> String {
        switch item {
        case .table(let h, _)?: "a table (\(h.joined(separator: ", ")))"
        case .line(let s)?: quote(s)
        case nil: "nothing"
        }
    }

    private static func quote(_ s: String) -> String { "'\(s)'" }

    private static func brief(_ source: String) -> String {
        let first = source.split(separator: "\n").first.map(String.init) ?? source
        return first.count > 60 ? String(first.prefix(59)) + "…" : first
    }
}
