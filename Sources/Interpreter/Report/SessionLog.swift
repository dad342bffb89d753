// The log of an interactive session that `log "file"` starts: each later statement as typed,
// then its output as `#` comment lines, so the log reads as a transcript and also runs as a
// script. Lines are appended and flushed as they come, so a crash keeps what was done.

import Foundation
import RecScript

/// An open session log.
package final class SessionLog {
    /// The file being written.
    package let path: String
    private let handle: FileHandle
    /// Width of tables in the log.
    static let width = 100

    /// Creates (or empties) `path` and writes a header line.
    package init(path: String, date: Date = Date()) throws(ReportError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let reason = FileManager.default.fileExists(atPath: directory) ? "permission denied or not a file" : "directory '\(directory)' does not exist"
            throw ReportError("cannot write log '\(path)': \(reason)")
        }
        self.path = path
        self.handle = handle
        let stamp = ISO8601DateFormatter().string(from: date)
        write("# RecScript \(recScriptVersion) session log, started \(stamp)\n")
    }

    deinit { try? handle.close() }

    /// Records a statement that ran and what it showed.
    package func record(statement: String, output: Presentation?) {
        var text = statement + "\n"
        if let output { text += Self.commented(TerminalRenderer(width: Self.width).render(output)) }
        write(text)
    }

    /// Records a statement that failed, or an entry that checks rejected.
    package func record(statement: String, errors: [Diagnostic]) {
        let text = errors.map { "error: " + $0.message + "\n" + $0.notes.map { "note: \($0)\n" }.joined() }.joined()
        write(statement + "\n" + Self.commented(text))
    }

    private static func commented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { $0.isEmpty ? "#" : "# " + $0 }.joined(separator: "\n") + "\n"
    }

    private func write(_ text: String) {
        // A full disk must not stop the session; the log is best effort after it opened.
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
