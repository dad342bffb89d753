// ConsoleSink: renders the interpreter's events on standard output and standard error, in
// the chosen format. Results go to stdout; diagnostics and messages to stderr, so a program
// reading `--format json` output gets nothing but JSON on stdout.

import Foundation
import Interpreter
import RecScript

/// Output formats of the command line.
enum OutputFormat: String, CaseIterable {
    case table, json, csv, markdown
}

/// Writes rendered events to the terminal or pipes.
final class ConsoleSink: OutputSink {
    var format: OutputFormat
    let width: Int
    let color: Bool
    /// Whether an error has been reported (for the exit status of piped input).
    private(set) var errorCount = 0
    /// What the last result on stdout was, to separate results by blank lines: nothing yet,
    /// a one-line text, or a block (a table, a list of values, several lines).
    private var lastResult: ResultShape = .none

    private enum ResultShape { case none, line, block }

    init(format: OutputFormat, width: Int, color: Bool) {
        self.format = format
        self.width = width
        self.color = color
    }

    func emit(_ event: OutputEvent) {
        switch event {
        case .result(let presentation, let info):
            switch format {
            case .json:
                for object in JSONRenderer().objects(presentation, statement: info) {
                    write(object.serialized() + "\n", to: .standardOutput)
                }
            case .table:
                separate(presentation)
                write(TerminalRenderer(width: width, color: color).render(presentation), to: .standardOutput)
            case .markdown:
                separate(presentation)
                write(MarkdownRenderer().render(presentation), to: .standardOutput)
            case .csv:
                separate(presentation)
                write(CSVRenderer().render(presentation), to: .standardOutput)
            }
        case .diagnostic(let d, let file):
            if d.severity == .error { errorCount += 1 }
            if format == .json {
                var pairs: [(String, JSON)] = [("type", .string(d.severity.rawValue))]
                if let file { pairs.append(("file", .string(file.name))) }
                if let r = d.range {
                    pairs.append(("line", .int(Int64(r.start.line))))
                    pairs.append(("column", .int(Int64(r.start.column))))
                }
                pairs.append(("message", .string(d.message)))
                if !d.notes.isEmpty { pairs.append(("notes", .array(d.notes.map { .string($0) }))) }
                write(JSON.object(pairs).serialized() + "\n", to: .standardError)
            } else {
                write(DiagnosticFormatter.format(d, in: file, color: color), to: .standardError)
            }
        case .message(let text):
            write(text + "\n", to: .standardError)
        case .comment:
            break
        case .progress(let update):
            guard showsProgress && format == .table else { return }
            var out = statusShown ? "\r\u{1B}[2K" : ""
            for line in update.lines { out += String(line.prefix(width)) + "\n" }
            statusShown = false
            if !update.done, update.fraction != nil || !update.status.isEmpty {
                out += Self.bar(update, width: width)
                statusShown = true
            }
            write(out, to: .standardError)
        }
    }

    /// Whether progress is drawn: standard error is a terminal (never in pipes or files).
    let showsProgress = isatty(STDERR_FILENO) == 1
    /// Whether a status line is on screen, to be replaced by the next update.
    private var statusShown = false

    /// `[█████·····]  45%  trial 3 of 12`, at most `width` columns.
    static func bar(_ u: ProgressUpdate, width: Int) -> String {
        var text = ""
        if let f = u.fraction {
            let cells = 24, filled = Int((min(max(f, 0), 1) * Double(cells)).rounded(.down))
            text = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + "] "
                + String(format: "%3d%%  ", Int((min(max(f, 0), 1) * 100).rounded(.down)))
        }
        return String((text + u.status).prefix(max(10, width - 1)))
    }

    /// A blank line between results, except between one-line texts (a run of `print`s).
    private func separate(_ p: Presentation) {
        var shape = ResultShape.block
        if p.blocks.count == 1, case .text(let s) = p.blocks[0],
           !s.trimmingCharacters(in: .newlines).contains("\n") {
            shape = .line
        }
        if lastResult == .block || (lastResult == .line && shape == .block) { write("\n", to: .standardOutput) }
        lastResult = shape
    }

    private func write(_ text: String, to stream: OutputStream) {
        stream.write(text)
    }
}
