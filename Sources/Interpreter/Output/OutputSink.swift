// The one channel from the interpreter to the outside. Libraries never print: results,
// diagnostics and messages are events that `repl` renders (Wren's host write/error callbacks).

import RecScript

/// The statement a result belongs to.
package struct StatementInfo: Sendable {
    /// Source text of the statement.
    package var source: String
    /// 1-based line where it starts.
    package var line: Int
    /// Seconds it took to run.
    package var seconds: Double
}

/// Something the interpreter has to say.
package enum OutputEvent: Sendable {
    /// The result of a statement.
    case result(Presentation, StatementInfo)
    /// An error or warning, with the file it points into.
    case diagnostic(Diagnostic, SourceFile?)
    /// A line for the user that is not a result (timings, progress).
    case message(String)
    /// A `##` comment of a script: a heading or prose for reports.
    case comment(String, line: Int)
    /// Work under way, for a terminal only: never in piped output, JSON or reports.
    case progress(ProgressUpdate)
}

/// What long work says while it runs: lines to keep (a live table's rows) and a status line
/// that the next update replaces (a progress bar).
package struct ProgressUpdate: Sendable, Equatable {
    /// Finished lines, kept on screen.
    package var lines: [String]
    /// The share done (0...1), drawn as a bar, or nil for none.
    package var fraction: Double?
    /// Words beside the bar: `trial 3 of 12`.
    package var status: String
    /// Whether the work has ended (the status line is cleared).
    package var done: Bool

    package init(lines: [String] = [], fraction: Double? = nil, status: String = "", done: Bool = false) {
        self.lines = lines
        self.fraction = fraction
        self.status = status
        self.done = done
    }
}

/// Receives the interpreter's output.
package protocol OutputSink: AnyObject {
    func emit(_ event: OutputEvent)
}

/// Keeps every event, for tests and for building reports.
package final class CollectingSink: OutputSink {
    package private(set) var events: [OutputEvent] = []
    package init() {}
    package func emit(_ event: OutputEvent) { events.append(event) }
}
