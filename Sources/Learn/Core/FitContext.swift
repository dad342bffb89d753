// FitContext: what a running fit can consult besides its data and parameters: whether the
// user asked it to stop, and where to report progress.

import Frame

/// Cancellation and progress for one fit.
package struct FitContext: Sendable {
    /// Set by Ctrl-C; fits check it between passes and throw `.cancelled`.
    package var cancellation: CancellationFlag?
    /// Called with the share of the work done (0...1) and a short note (`iteration 3 of 15`).
    package var progress: (@Sendable (Double, String) -> Void)?
    /// Called with lines to keep on screen as a fit goes (a neural fit's line per epoch).
    package var log: (@Sendable ([String]) -> Void)?

    package init(cancellation: CancellationFlag? = nil, progress: (@Sendable (Double, String) -> Void)? = nil,
                 log: (@Sendable ([String]) -> Void)? = nil) {
        self.cancellation = cancellation
        self.progress = progress
        self.log = log
    }

    /// Throws `.cancelled` when the user asked to stop.
    package func checkCancelled() throws(LearnError) {
        if cancellation?.isCancelled == true { throw .cancelled }
    }

    /// Reports progress, if anyone listens.
    package func report(_ done: Double, _ note: String) { progress?(done, note) }

    /// Shows lines that stay on screen, if anyone listens.
    package func show(_ lines: [String]) { log?(lines) }
}
