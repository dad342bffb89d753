// FrameFileError: why a frame file could not be written or read, with a clear lowercase message.

/// A failure to write or read a binary frame file.
package enum FrameFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing at `path` (or its directory does not exist, when writing).
    case notFound(path: String)
    /// `path` is a directory.
    case isDirectory(path: String)
    /// The file system refused (permission, disk full...); `reason` is the system's.
    case unreadable(path: String, reason: String)
    /// Writing failed (permission, disk full...); `reason` is the system's.
    case writeFailed(path: String, reason: String)
    /// The file does not start with the frame file magic bytes.
    case notAFrameFile(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file is shorter (or longer) than its header says.
    case truncated(path: String, expected: Int, actual: Int)
    /// A checksum or structure check failed; `part` names what (header, directory, a column).
    case corrupt(path: String, part: String)

    /// The path the error is about.
    package var path: String {
        switch self {
        case .notFound(let p), .isDirectory(let p), .unreadable(let p, _), .writeFailed(let p, _),
             .notAFrameFile(let p), .unsupportedVersion(let p, _, _), .truncated(let p, _, _), .corrupt(let p, _):
            p
        }
    }

    /// The message without the path.
    package var message: String {
        switch self {
        case .notFound: "no such file; check the path"
        case .isDirectory: "is a directory, not a frame file"
        case .unreadable(_, let reason): "cannot read the file: \(reason)"
        case .writeFailed(_, let reason): "cannot write the frame file: \(reason)"
        case .notAFrameFile: "not a frame file (wrong magic bytes); load csv files with the csv reader"
        case .unsupportedVersion(_, let found, let supported):
            "frame file version \(found) is not supported (this build reads version \(supported)); re-save it with this build"
        case .truncated(_, let expected, let actual):
            "truncated frame file: expected \(expected) bytes, found \(actual); re-save it"
        case .corrupt(_, let part): "corrupt frame file: \(part) does not match its checksum; re-save it"
        }
    }

    /// `path: message`.
    package var description: String { "\(path): \(message)" }
}
