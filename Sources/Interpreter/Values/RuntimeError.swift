// RuntimeError: a failure while running a statement, located at the part of the statement
// that caused it, with the exit code class it maps to.

import RecScript

/// A located failure of a running statement.
package struct RuntimeError: Error, Sendable {
    /// What kind of failure, which decides the exit code of a script.
    package enum Kind: Sendable {
        /// Bad use of the language caught before running (unknown command, option...): exit 65.
        case script
        /// A failure while running (wrong type, unknown column, bad data): exit 70.
        case runtime
        /// A file could not be read or written: exit 74.
        case io
        /// Interrupted by the user (Ctrl-C).
        case cancelled
    }

    package var kind: Kind
    package var message: String
    package var range: SourceRange?
    package var notes: [String]

    /// A runtime failure (exit 70).
    package init(_ message: String, at range: SourceRange?, notes: [String] = []) {
        self.init(.runtime, message, at: range, notes: notes)
    }

    package init(_ kind: Kind, _ message: String, at range: SourceRange?, notes: [String] = []) {
        self.kind = kind
        self.message = message
        self.range = range
        self.notes = notes
    }

    package var diagnostic: Diagnostic { .error(message, at: range, notes: notes) }
}
