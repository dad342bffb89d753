// A report as GitHub Markdown: the same content as the HTML report, with charts as SVG files
// in a folder beside it. Each statement's output sits between `<!-- output line=N -->` and
// `<!-- end output -->`, and the manifest between `<!-- manifest -->` and `<!-- end manifest -->`
// (HTML comments, invisible when rendered), so `repl --check` can read a report back and
// compare a new run with it.

import RecScript

/// Renders a report document as Markdown.
package struct MarkdownReport: Sendable {
    /// Markers around a statement's output and around the manifest.
    package static let outputBegin = "<!-- output line="
    package static let outputEnd = "<!-- end output -->"
    package static let manifestBegin = "<!-- manifest -->"
    package static let manifestEnd = "<!-- end manifest -->"

    package init() {}

    /// The report's text; charts are added to `figures`, which the caller writes beside it.
    package func render(_ doc: ReportDocument, figures: inout FigureFolder) -> String {
        var folder: FigureFolder? = figures
        defer { figures = folder! }
        var out = "# \(doc.title)\n\n"
        out += "*\(doc.scriptName) · run \(doc.manifest.date) · RecScript \(recScriptVersion)*\n\n"
        out += "## Contents\n\n"
        for h in doc.headings { out += "- [\(h.text)](#\(h.anchor))\n" }
        out += "- [Run manifest](#\(ReportDocument.manifestAnchor))\n\n"
        for d in doc.generalErrors { out += error(d) + "\n" }
        let renderer = MarkdownRenderer()
        for item in doc.items {
            switch item {
            case .heading(let text, _):
                out += "## \(text)\n\n"
            case .prose(let text):
                out += "\(text)\n\n"
            case .statement(let s):
                out += "```rec\n\(s.source)\n```\n\n"
                if !s.outputs.isEmpty || !s.errors.isEmpty {
                    out += "\(Self.outputBegin)\(s.line) -->\n"
                    for p in s.outputs {
                        for block in p.blocks {
                            if case .text(let t) = block {
                                out += "```text\n\(t.hasSuffix("\n") ? t : t + "\n")```\n\n"
                            } else {
                                out += renderer.render(Presentation([block]), figures: &folder) + "\n"
                            }
                        }
                    }
                    for d in s.errors { out += error(d) + "\n" }
                    out += "\(Self.outputEnd)\n\n"
                } else if !s.ran {
                    out += "*not run*\n\n"
                }
                if let seconds = s.seconds { out += "<sub>\(Interpreter.formatSeconds(seconds))</sub>\n\n" }
            }
        }
        out += "## Run manifest\n\n\(Self.manifestBegin)\n| | |\n| :--- | :--- |\n"
        for row in doc.manifest.rows {
            out += "| \(row.key) | \(row.value.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        out += "\(Self.manifestEnd)\n"
        return out
    }

    private func error(_ d: Diagnostic) -> String {
        let place = d.range.map { "line \($0.start.line), column \($0.start.column): " } ?? ""
        var out = "> **\(d.severity.rawValue):** \(place)\(d.message)\n"
        for note in d.notes { out += ">\n> note: \(note)\n" }
        return out
    }
}
