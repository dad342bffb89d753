// The options, outcome and errors of reading delimited text into a DataFrame.

import Foundation

/// What the reader does with a row it cannot read.
package enum CSVErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad row with an error naming file, line and column.
    case fail
    /// Leave bad rows out and count them.
    case skip
    /// Keep the row; cells that do not parse as the column's type become null.
    case null
}

/// How to read a delimited text file.
package struct CSVOptions: Sendable {
    /// Field separator; `nil` sniffs comma, tab, semicolon or pipe from the first lines.
    package var delimiter: UInt8? = nil
    /// Whether the first record names the columns.
    package var hasHeader: Bool = true
    /// Column names; required to name headerless files (else `column_1`, `column_2`, ...),
    /// and replacing the header's names when given with a header.
    package var names: [String]? = nil
    /// Keep only these columns, in this order.
    package var columns: [String]? = nil
    /// Read at most this many data rows.
    package var maxRows: Int? = nil
    /// Types forced by the caller, by column name; the rest are inferred over the whole file.
    package var types: [String: DataType] = [:]
    /// What to do with malformed rows and cells.
    package var onError: CSVErrorPolicy = .fail
    /// Cell texts read as null (besides an empty cell).
    package var nullTokens: [String] = ["NA", "NaN", "null", "NULL", "nan", "N/A"]
    /// Worker threads; defaults to every core.
    package var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Bytes per parallel chunk; `nil` picks one. Tests set it tiny to put chunk boundaries
    /// inside quotes, CRLFs and multi-byte characters.
    package var chunkSize: Int? = nil
    /// Polled between chunks; when set, reading stops with `CSVError.Kind.cancelled`.
    package var cancellation: CancellationFlag? = nil

    package init() {}
}

/// What a successful read reports besides the frame.
package struct CSVReport: Sendable, Equatable {
    /// Rows left out under `onError: .skip`.
    package var skippedRows: Int = 0
    /// Cells set to null under `onError: .null`.
    package var nulledCells: Int = 0
    /// The first few problems met under `skip` or `null`, for the user to look at.
    package var examples: [CSVError] = []
    /// The delimiter used (given or sniffed).
    package var delimiter: UInt8 = UInt8(ascii: ",")
    /// Bytes of input read (after decompression).
    package var bytesRead: Int = 0

    package init() {}
}

/// A located failure to read a delimited file.
package struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        case notFound, isDirectory, unreadable, empty, headerOnly
        case raggedRow, unterminatedQuote, invalidUTF8, badValue, unknownColumn, badOption
        case cancelled
    }

    package var kind: Kind
    /// File name as the user gave it.
    package var file: String
    /// 1-based physical line of the file where the problem is, when known.
    package var line: Int?
    /// 1-based field number in the record, when known.
    package var column: Int?
    /// Name of that column, when known.
    package var columnName: String?
    /// Lowercase message without the location, e.g. "expected 15 fields, found 14".
    package var message: String

    package init(kind: Kind, file: String, line: Int? = nil, column: Int? = nil,
                 columnName: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// `file:line: column N ('name'): message`.
    package var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let column {
            s += "column \(column)"
            if let columnName { s += " ('\(columnName)')" }
            s += ": "
        }
        return s + message
    }

    /// True for failures of the file system rather than of the content.
    package var isIOError: Bool { [.notFound, .isDirectory, .unreadable].contains(kind) }
}
