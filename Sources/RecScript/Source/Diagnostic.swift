// Diagnostics: located, lowercase, actionable messages (Lua's message forms), and their
// rendering as `file:line:col: error: message`, the source line and a caret under the range.

/// How bad a diagnostic is.
package enum Severity: String, Sendable {
    case error, warning, note
}

/// A message about a span of source text.
package struct Diagnostic: Error, Sendable, Hashable {
    package var severity: Severity
    /// Lowercase, names the offending thing, suggests a fix.
    package var message: String
    /// Where; nil for problems that are not located in the text (a missing file, say).
    package var range: SourceRange?
    /// Further lines shown after the source excerpt ("columns: a, b, c").
    package var notes: [String]

    package init(_ severity: Severity = .error, _ message: String, at range: SourceRange?, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
    }

    /// An error at `range`.
    package static func error(_ message: String, at range: SourceRange?, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, notes: notes)
    }
}

/// Renders diagnostics as text.
package enum DiagnosticFormatter {
    /// `file:line:col: error: message`, then the source line and a caret line, then notes.
    /// `color` wraps the severity and caret in ANSI colours (only on a terminal).
    package static func format(_ d: Diagnostic, in file: SourceFile?, color: Bool = false) -> String {
        let sev = d.severity.rawValue
        let sevText: String
        if color {
            let code = d.severity == .error ? "1;31" : d.severity == .warning ? "1;35" : "1;36"
            sevText = "\u{1B}[\(code)m\(sev):\u{1B}[0m"
        } else {
            sevText = "\(sev):"
        }
        var out = ""
        if let file, let range = d.range {
            out += "\(file.name):\(range.start.line):\(range.start.column): \(sevText) \(d.message)\n"
            let line = file.lineText(range.start.line)
            out += "    \(line)\n"
            let caretStart = range.start.column - 1
            var width = 1
            if range.end.line == range.start.line {
                width = max(1, range.end.column - range.start.column)
            } else {
                width = max(1, line.unicodeScalars.count - caretStart)
            }
            // Keep tabs in the prefix so the caret lines up under tab-indented text.
            let prefix = String(line.unicodeScalars.prefix(caretStart).map { $0 == "\t" ? "\t" : " " })
            var caret = "^" + String(repeating: "~", count: width - 1)
            if color { caret = "\u{1B}[1;32m\(caret)\u{1B}[0m" }
            out += "    \(prefix)\(caret)\n"
        } else if let file {
            out += "\(file.name): \(sevText) \(d.message)\n"
        } else {
            out += "\(sevText) \(d.message)\n"
        }
        for note in d.notes { out += "  note: \(note)\n" }
        return out
    }
}
