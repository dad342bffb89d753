// SynthError: why a sample could not be generated: a bad configuration or a failed write.
// Messages are lowercase, name the offending value or file, and say what to do.

/// A failure of the sample generator.
package struct SynthError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for choosing an exit code (usage or I/O).
    package enum Kind: Sendable, Equatable {
        /// The configuration is invalid (a usage error).
        case invalidConfig
        /// A file could not be written.
        case io
    }

    /// What went wrong.
    package let kind: Kind
    /// The message, e.g. "cannot write 'x.csv': permission denied".
    package let message: String

    /// An error of `kind` with `message`.
    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, as printed.
    package var description: String { message }
}
