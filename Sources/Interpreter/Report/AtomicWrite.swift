// Files that appear whole or not at all: reports, figures, saved plots and scripts.
//
// The text goes to a hidden temporary file in the target's own directory, is flushed to disk,
// and is renamed over the target: rename(2) within one file system is atomic, so a reader sees
// the old file or the complete new one, never a half-written one, and a failure leaves
// nothing behind.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to write a report or one of its files.
package struct ReportError: Error, Sendable, Equatable {
    /// What went wrong, naming the file: `cannot write 'out/r.html': no such directory 'out'`.
    package var message: String

    package init(_ message: String) { self.message = message }
}

/// Writes files through a temporary and a rename.
package enum AtomicWrite {
    /// Writes `text` to `path` atomically. The directory must exist.
    package static func write(_ text: String, to path: String) throws(ReportError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` atomically. The directory must exist.
    package static func write(_ data: Data, to path: String) throws(ReportError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReportError("cannot write '\(path)': it is a directory")
        }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError("cannot write '\(path)': directory '\(directory)' does not exist (create it first)")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure(path, errno) }
        var failed: Int32 = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = errno
                    return
                }
                offset += n
            }
        }
        if failed == 0 && fsync(fd) != 0 { failed = errno }
        if close(fd) != 0 && failed == 0 { failed = errno }
        if failed == 0 && rename(temporary, path) != 0 { failed = errno }
        if failed != 0 {
            unlink(temporary)
            throw failure(path, failed)
        }
    }

    /// Creates `path` as a directory if it is missing (a report's figure folder).
    package static func makeDirectory(_ path: String) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
            throw ReportError("cannot create directory '\(path)': \(error.localizedDescription)")
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> ReportError {
        ReportError("cannot write '\(path)': \(String(cString: strerror(code)))")
    }
}
