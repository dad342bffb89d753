// Positions in source text. Lines and columns are 1-based; columns count Unicode scalars,
// so a caret lines up under the character a user sees; offsets count UTF-8 bytes.

/// A point in a source file.
package struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    package var line: Int
    /// 1-based column, in Unicode scalars.
    package var column: Int
    /// 0-based UTF-8 byte offset.
    package var offset: Int

    package init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    package static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }
    package var description: String { "\(line):\(column)" }
}

/// A half-open span of source text.
package struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    package var start: SourceLocation
    package var end: SourceLocation

    package init(_ start: SourceLocation, _ end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The span covering both ranges.
    package func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    package var description: String { "\(start)-\(end)" }
}

/// A named source text with fast line lookup.
package struct SourceFile: Sendable {
    /// Name shown in diagnostics: a path, `<command line>` or `<stdin>`.
    package let name: String
    package let text: String
    /// UTF-8 bytes of `text`.
    package let bytes: [UInt8]
    /// Byte offset of the start of each line.
    package let lineStarts: [Int]

    package init(name: String, text: String) {
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// The text of 1-based line `line`, without its line terminator.
    package func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The location of byte `offset`.
    package func location(ofOffset offset: Int) -> SourceLocation {
        // Binary search for the last line start <= offset.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let prefix = bytes[start..<min(offset, bytes.count)]
        let column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: lo + 1, column: column, offset: offset)
    }

    /// The text covered by `range`.
    package func text(in range: SourceRange) -> String {
        let s = max(0, min(range.start.offset, bytes.count))
        let e = max(s, min(range.end.offset, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
