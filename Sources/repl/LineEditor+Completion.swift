// Tab completion decided from the completer's answer alone (no libedit here), and the
// column layout of a candidate list.
//
// One candidate replaces the word (from `start` to the cursor) and is followed by a space
// unless it ends where more typing naturally follows (a path's "/", a call's "(", a quote,
// "="). Several candidates insert their longest common prefix; when that adds nothing the
// candidates are listed. The word is never shortened: a prefix that does not extend it
// (a completer that matches case-insensitively, say) lists instead.

/// The edit a Tab press makes.
enum CompletionAction: Equatable {
    /// Nothing to complete: beep.
    case none
    /// Delete this many Unicode scalars before the cursor, then insert the text.
    case replace(scalarsBeforeCursor: Int, with: String)
    /// Show these candidates below the line.
    case list([String])

    /// Candidates ending with one of these get no space after them.
    static let openEndings: Set<Character> = ["/", "(", "\"", "'", "="]

    init(_ result: CompletionResult, line: String, cursor: Int) {
        let bytes = Array(line.utf8)
        let cursor = min(max(cursor, 0), bytes.count)
        let start = min(max(result.start, 0), cursor)
        let word = String(decoding: bytes[start..<cursor], as: UTF8.self)
        var seen = Set<String>()
        let candidates = result.candidates.filter { seen.insert($0).inserted }

        switch candidates.count {
        case 0:
            self = .none
        case 1:
            var replacement = candidates[0]
            let nextIsSpace = cursor < bytes.count && (bytes[cursor] == 0x20 || bytes[cursor] == 0x09)
            if let last = replacement.last, !Self.openEndings.contains(last), !nextIsSpace {
                replacement += " "
            }
            self = .replace(scalarsBeforeCursor: word.unicodeScalars.count, with: replacement)
        default:
            let prefix = Self.longestCommonPrefix(candidates)
            if prefix.unicodeScalars.count > word.unicodeScalars.count && prefix.hasPrefix(word) {
                self = .replace(scalarsBeforeCursor: word.unicodeScalars.count, with: prefix)
            } else {
                self = .list(candidates)
            }
        }
    }

    /// The longest string every candidate starts with, compared by Unicode scalar.
    static func longestCommonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for string in strings.dropFirst() {
            let scalars = Array(string.unicodeScalars)
            var length = 0
            while length < min(prefix.count, scalars.count) && prefix[length] == scalars[length] {
                length += 1
            }
            prefix.removeSubrange(length...)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: prefix)
        return String(result)
    }
}

/// Candidates laid out like bash: sorted, down the columns, as many columns as fit.
enum CompletionListing {
    /// Width assumed when the terminal does not report one.
    static let fallbackWidth = 80
    /// Spaces between columns.
    static let gutter = 2
    /// A longer list is cut with a "... and N more" line: screens of candidates help nobody,
    /// and libedit redraws the line below whatever was printed.
    static let maxListed = 200

    /// The rows to print for `candidates` on a terminal `width` columns wide.
    static func rows(_ candidates: [String], width: Int) -> [String] {
        let sorted = candidates.sorted()
        let shown = Array(sorted.prefix(maxListed))
        guard !shown.isEmpty else { return [] }
        let cellWidth = (shown.map(\.count).max() ?? 0) + gutter
        let columns = max(1, (width + gutter) / cellWidth)  // the last column needs no gutter
        let rowCount = (shown.count + columns - 1) / columns
        var rows: [String] = []
        for row in 0..<rowCount {
            var text = ""
            for column in 0..<columns {
                let index = column * rowCount + row
                guard index < shown.count else { break }
                let item = shown[index]
                let isLast = index + rowCount >= shown.count || column == columns - 1
                text += isLast ? item : item + String(repeating: " ", count: cellWidth - item.count)
            }
            rows.append(text)
        }
        if sorted.count > shown.count {
            rows.append("... and \(sorted.count - shown.count) more")
        }
        return rows
    }
}
