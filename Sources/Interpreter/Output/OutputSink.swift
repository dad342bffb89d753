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
