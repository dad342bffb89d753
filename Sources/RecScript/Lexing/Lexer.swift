// Lexer: UTF-8 bytes to tokens.
//
// One statement a line. Every newline becomes a token, except one right after a `\`; the
// parser skips newlines inside open brackets, and can then tell an unclosed bracket from a
// continued line. `;` also ends a statement. `#` starts a comment to the end of the line.
// Works on bytes, never Characters: identifiers and operators are ASCII, strings are UTF-8.
// Errors (a stray character, an unterminated string) become diagnostics and the lexer goes
// on, so every error of a file is reported.

/// Turns source text into tokens.
package struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var pos = 0
    /// Line of the last token added, to mark the first token of each line.
    private var lastTokenLine = 0
    private var tokens: [Token] = []
    package private(set) var diagnostics: [Diagnostic] = []
    /// Whether the last thing before the end, spaces and comments aside, is a `\` continuation.
    private var continued = false

    package init(_ file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// All tokens of the file, ending with `.eof`.
    package static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    /// True when `file` ends in a `\` line continuation, followed only by spaces or a
    /// comment: its last statement goes on in text not yet read.
    package static func endsInContinuation(_ file: SourceFile) -> Bool {
        var lexer = Lexer(file)
        lexer.run()
        return lexer.continued
    }

    private func loc(_ offset: Int) -> SourceLocation { file.location(ofOffset: offset) }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

    private mutating func run() {
        var space = true
        while pos < bytes.count {
            let b = bytes[pos]
            if isSpace(b) { pos += 1; space = true; continue }
            if b == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
                continue
            }
            if b == UInt8(ascii: "\\") {
                // A line continuation: `\`, optional spaces or a comment, then a newline.
                var p = pos + 1
                while p < bytes.count && isSpace(bytes[p]) { p += 1 }
                if p < bytes.count && bytes[p] == UInt8(ascii: "#") {
                    while p < bytes.count && bytes[p] != UInt8(ascii: "\n") { p += 1 }
                }
                if p >= bytes.count || bytes[p] == UInt8(ascii: "\n") {
                    pos = min(p + 1, bytes.count)
                    space = true
                    continued = true
                    continue
                }
                error("unexpected '\\'; a line continuation must end the line", pos, pos + 1)
                pos += 1
                continue
            }
            if b == UInt8(ascii: "\n") {
                add(.newline, pos, pos + 1, space)
                pos += 1
                space = true
                continue
            }
            let start = pos
            if isIdentStart(b) {
                while pos < bytes.count && isIdentPart(bytes[pos]) { pos += 1 }
                let text = String(decoding: bytes[start..<pos], as: UTF8.self)
                add(Token.keywords.contains(text) ? .keyword : .identifier, start, pos, space)
            } else if isDigit(b) || (b == UInt8(ascii: ".") && pos + 1 < bytes.count && isDigit(bytes[pos + 1])) {
                number(space)
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                string(quote: b, space)
            } else if let length = symbolLength(at: pos) {
                pos += length
                let text = String(decoding: bytes[start..<pos], as: UTF8.self)
                add(text == ";" ? .newline : .symbol, start, pos, space)
            } else {
                // Skip one whole UTF-8 scalar so the message names the character.
                var end = pos + 1
                while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
                let ch = String(decoding: bytes[start..<end], as: UTF8.self)
                error("unexpected character '\(ch)'", start, end)
                pos = end
            }
            space = false
        }
        add(.eof, bytes.count, bytes.count, true)
        fixSpaceAfter()
    }

    private mutating func fixSpaceAfter() {
        for i in tokens.indices {
            let end = tokens[i].range.end.offset
            tokens[i].spaceAfter = end >= bytes.count || isSpace(bytes[end]) || bytes[end] == UInt8(ascii: "\n")
                || bytes[end] == UInt8(ascii: "#")
        }
    }

    private func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_")
    }

    private func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }
    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Length of the operator or punctuation at `p`, longest match first.
    private func symbolLength(at p: Int) -> Int? {
        if p + 1 < bytes.count {
            let two = String(decoding: bytes[p...p + 1], as: UTF8.self)
            if ["==", "!=", "<=", ">="].contains(two) { return 2 }
        }
        let singles: Set<UInt8> = Set("=<>+-*/%(),.[]{}:;".utf8)
        return singles.contains(bytes[p]) ? 1 : nil
    }

    private mutating func number(_ space: Bool) {
        let start = pos
        var isFloat = false
        func digits() { while pos < bytes.count && (isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_")) { pos += 1 } }
        digits()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "."),
           pos + 1 < bytes.count, isDigit(bytes[pos + 1]) {
            isFloat = true
            pos += 1
            digits()
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            var p = pos + 1
            if p < bytes.count && (bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-")) { p += 1 }
            if p < bytes.count && isDigit(bytes[p]) {
                isFloat = true
                pos = p
                digits()
            }
        }
        if pos < bytes.count && isIdentStart(bytes[pos]) {
            while pos < bytes.count && isIdentPart(bytes[pos]) { pos += 1 }
            error("invalid number '\(String(decoding: bytes[start..<pos], as: UTF8.self))'", start, pos)
            return
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let clean = text.replacingUnderscores()
        if isFloat {
            // Double("1e400") is infinity: an overflowing literal must not pass for a number.
            guard let v = Double(clean), v.isFinite else {
                error("number '\(text)' is too large; the largest is about 1.8e308", start, pos)
                return
            }
            add(.float(v), start, pos, space)
        } else if let v = Int64(clean) {
            add(.integer(v), start, pos, space)
        } else {
            error("integer '\(text)' is too large; the largest is \(Int64.max)", start, pos)
        }
    }

    private mutating func string(quote: UInt8, _ space: Bool) {
        let start = pos
        pos += 1
        var value = [UInt8]()
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote {
                pos += 1
                add(.string(String(decoding: value, as: UTF8.self)), start, pos, space)
                return
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\") && pos + 1 < bytes.count {
                let e = bytes[pos + 1]
                switch e {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(e)
                default:
                    error("unknown escape '\\\(Character(Unicode.Scalar(e)))' in string; use \\\\ for a backslash",
                          pos, pos + 2)
                }
                pos += 2
                continue
            }
            value.append(b)
            pos += 1
        }
        error("unterminated string; add the closing \(quote == UInt8(ascii: "\"") ? "\"" : "'")", start, pos)
    }

    private mutating func add(_ kind: TokenKind, _ start: Int, _ end: Int, _ space: Bool) {
        if kind != .eof { continued = false }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let range = SourceRange(loc(start), loc(end))
        let first = range.start.line != lastTokenLine
        lastTokenLine = range.start.line
        tokens.append(Token(kind: kind, lexeme: text, range: range,
                            spaceBefore: space, spaceAfter: false, firstOnLine: first))
    }

    private mutating func error(_ message: String, _ start: Int, _ end: Int) {
        diagnostics.append(.error(message, at: SourceRange(loc(start), loc(end))))
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(unicodeScalars.filter { $0 != "_" }) }
}
