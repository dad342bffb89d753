// CSVScanner: the quoting automaton of the reader and the byte-block tricks that make it fast.
//
// The grammar (RFC 4180, leniently): records end at '\n' (a '\r' right before it is dropped);
// fields are separated by the delimiter; a field that starts with '"' is quoted: inside it the
// delimiter and '\n' are data and '""' is one '"'; after its closing quote, bytes up to the next
// delimiter or newline are kept literally. A '"' anywhere else is an ordinary byte. A line with
// no bytes (or only "\r") is blank and skipped.
//
// The automaton has five states (`State`): at a record start (R), at a field start after a
// delimiter (F), inside an unquoted field (U), inside a quoted field (Q), and just after a quote
// inside a quoted field (QQ: either the closing quote or the first half of '""').
//
//   R, F:  '"' -> Q    delim -> F   '\n' -> R   other -> U
//   U:     delim -> F  '\n' -> R    other -> U
//   Q:     '"' -> QQ   other -> Q
//   QQ:    '"' -> Q    delim -> F   '\n' -> R   other -> U
//
// Parallel chunks start at arbitrary bytes, so their starting state is unknown. Each chunk
// computes its transition *function* (end state for each of the five start states, `Transition`);
// composing the functions left to right gives every chunk's true starting state. Runs jump from
// quote to quote with memchr: across a quote-free stretch the state stays Q, or is decided by the
// stretch's last byte alone, so a quote-free chunk costs one vectorised memchr per start state.
//
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// SWAR (used by stage 1, CSVIndexer): `eqMask` sets the high bit of each byte of a word that
// equals a pattern byte, exactly (no false positives); `gatherHighBits` packs those eight bits
// into one byte, so a 64-byte block yields a 64-bit mask with bit i set when byte i matches.

/// States of the quoting automaton (see the file comment).
enum CSVState: UInt8 {
    case recordStart = 0, fieldStart, unquoted, quoted, quoteInQuoted

    /// True in the states where '\n' and the delimiter are structure, not data.
    var isOutsideQuotes: Bool { self != .quoted }
}

/// End state of a byte range for each start state.
struct CSVTransition {
    var end: (CSVState, CSVState, CSVState, CSVState, CSVState)

    func apply(_ s: CSVState) -> CSVState {
        switch s {
        case .recordStart: end.0
        case .fieldStart: end.1
        case .unquoted: end.2
        case .quoted: end.3
        case .quoteInQuoted: end.4
        }
    }
}

/// The automaton and block classification over one input.
struct CSVScanner {
    /// Bytes a block classifies at once: the width of a UInt64 mask.
    static let blockSize = 64

    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    private let delimiterPattern: UInt64

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    private static let quotePattern: UInt64 = 0x2222_2222_2222_2222
    private static let newlinePattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    init(base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8) {
        self.base = base
        self.end = end
        self.delimiter = delimiter
        self.delimiterPattern = UInt64(delimiter) &* 0x0101_0101_0101_0101
    }

    // MARK: SWAR

    @inline(__always)
    static func eqMask(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        let y = (x & low7) &+ low7
        return ~(y | x | low7)
    }

    @inline(__always)
    static func gatherHighBits(_ m: UInt64) -> UInt64 {
        ((m >> 7) &* 0x0102_0408_1020_4080) >> 56
    }

    /// Masks of quotes, delimiters and newlines in the 64 bytes at `p` (which must all exist).
    @inline(__always)
    func classify(_ p: Int) -> (quotes: UInt64, delimiters: UInt64, newlines: UInt64) {
        let raw = UnsafeRawPointer(base + p)
        var q: UInt64 = 0, d: UInt64 = 0, n: UInt64 = 0
        var i = 0
        while i < 8 {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            let shift = UInt64(i &* 8)
            q |= Self.gatherHighBits(Self.eqMask(w, Self.quotePattern)) << shift
            d |= Self.gatherHighBits(Self.eqMask(w, delimiterPattern)) << shift
            n |= Self.gatherHighBits(Self.eqMask(w, Self.newlinePattern)) << shift
            i &+= 1
        }
        return (q, d, n)
    }

    // MARK: automaton

    @inline(__always)
    func step(_ s: CSVState, _ b: UInt8) -> CSVState {
        switch s {
        case .recordStart, .fieldStart:
            if b == Self.quote { return .quoted }
            if b == delimiter { return .fieldStart }
            if b == Self.newline { return .recordStart }
            return .unquoted
        case .unquoted:
            if b == delimiter { return .fieldStart }
            if b == Self.newline { return .recordStart }
            return .unquoted
        case .quoted:
            return b == Self.quote ? .quoteInQuoted : .quoted
        case .quoteInQuoted:
            if b == Self.quote { return .quoted }
            if b == delimiter { return .fieldStart }
            if b == Self.newline { return .recordStart }
            return .unquoted
        }
    }

    /// The state after a byte outside quotes.
    @inline(__always)
    private func stateAfterUnquoted(_ b: UInt8) -> CSVState {
        if b == delimiter { return .fieldStart }
        if b == Self.newline { return .recordStart }
        return .unquoted
    }

    /// Runs the automaton from `state` over `range`, jumping from quote to quote with memchr
    /// (quote-free stretches decide the state by their last byte alone).
    func run(_ state: CSVState, _ range: Range<Int>) -> CSVState {
        var s = state
        var p = range.lowerBound
        let hi = range.upperBound
        while p < hi {
            guard let found = memchr(base + p, Int32(Self.quote), hi &- p) else {
                // No quote left: a quoted field stays quoted; otherwise the first byte leaves
                // the automaton outside quotes, where it stays, and the last byte decides.
                return s == .quoted ? .quoted : stateAfterUnquoted(base[hi &- 1])
            }
            let q = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if s != .quoted && q > p { s = stateAfterUnquoted(base[q &- 1]) }
            s = s == .quoted ? .quoteInQuoted : step(s, Self.quote)
            p = q &+ 1
        }
        return s
    }

    /// The transition function of `range` (non-empty or empty).
    func transition(_ range: Range<Int>) -> CSVTransition {
        guard !range.isEmpty else {
            return CSVTransition(end: (.recordStart, .fieldStart, .unquoted, .quoted, .quoteInQuoted))
        }
        if memchr(base + range.lowerBound, Int32(Self.quote), range.count) == nil {
            // No quote: a quoted field stays quoted, any other state ends as the last byte says.
            let e = stateAfterUnquoted(base[range.upperBound &- 1])
            return CSVTransition(end: (e, e, e, .quoted, e))
        }
        let first = base[range.lowerBound]
        let rest = (range.lowerBound + 1)..<range.upperBound
        var memo: [CSVState: CSVState] = [:]
        func endFrom(_ s: CSVState) -> CSVState {
            let after = step(s, first)
            if let e = memo[after] { return e }
            let e = run(after, rest)
            memo[after] = e
            return e
        }
        return CSVTransition(end: (endFrom(.recordStart), endFrom(.fieldStart), endFrom(.unquoted),
                                   endFrom(.quoted), endFrom(.quoteInQuoted)))
    }

    /// Where the first record a chunk owns starts: `chunk`'s start when entered at a record
    /// start, else just after the first newline outside quotes (`chunk`'s end when there is none).
    func firstRecordStart(in chunk: Range<Int>, state: CSVState) -> Int {
        if state == .recordStart { return chunk.lowerBound }
        var s = state
        var p = chunk.lowerBound
        while p < chunk.upperBound {
            let b = base[p]
            if b == Self.newline && s != .quoted { return p + 1 }
            s = step(s, b)
            p += 1
        }
        return chunk.upperBound
    }

    /// Number of '\n' bytes in `range` (quoted or not): physical lines.
    func countNewlines(_ range: Range<Int>) -> Int {
        var count = 0
        var p = range.lowerBound
        let hi = range.upperBound
        let raw = UnsafeRawPointer(base)
        while p &+ 8 <= hi {
            let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            count &+= Self.eqMask(w, Self.newlinePattern).nonzeroBitCount
            p &+= 8
        }
        while p < hi {
            if base[p] == Self.newline { count &+= 1 }
            p &+= 1
        }
        return count
    }

    /// The byte offset just past the `limit`-th non-blank record starting at `start` (a record
    /// start), or `end` when the input has fewer records.
    func offsetAfterRecords(_ limit: Int, from start: Int) -> Int {
        if limit <= 0 { return start }
        var records = 0
        var s = CSVState.recordStart
        var recordStart = start
        var p = start
        while p < end {
            let b = base[p]
            let next = step(s, b)
            if b == Self.newline && s != .quoted {
                let blank = p == recordStart || (p == recordStart &+ 1 && base[recordStart] == Self.carriageReturn)
                if !blank {
                    records &+= 1
                    if records == limit { return p &+ 1 }
                }
                recordStart = p &+ 1
            }
            s = next
            p &+= 1
        }
        return end
    }

    /// A record read byte by byte: raw field spans (quotes included, trailing '\r' dropped).
    struct RawRecord {
        var fields: [Range<Int>]
        var start: Int
        /// Offset just past the record's newline (or the end of input).
        var next: Int
        /// Set when the input ended inside a quoted field: the offset of its opening quote.
        var unterminatedQuoteAt: Int?
    }

    /// The first non-blank record at or after `start` (a record start), or nil at end of input.
    func record(at start: Int) -> RawRecord? {
        var p = start
        // Skip blank lines.
        while p < end {
            if base[p] == Self.newline { p += 1; continue }
            if base[p] == Self.carriageReturn && p + 1 < end && base[p + 1] == Self.newline { p += 2; continue }
            break
        }
        guard p < end else { return nil }
        let recordStart = p
        var fields: [Range<Int>] = []
        var fieldStart = p
        var s = CSVState.recordStart
        while p < end {
            let b = base[p]
            if s != .quoted && (b == delimiter || b == Self.newline) {
                var fieldEnd = p
                if b == Self.newline && p > fieldStart && base[p - 1] == Self.carriageReturn { fieldEnd = p - 1 }
                fields.append(fieldStart..<fieldEnd)
                if b == Self.newline {
                    return RawRecord(fields: fields, start: recordStart, next: p + 1)
                }
                fieldStart = p + 1
            }
            s = step(s, b)
            p += 1
        }
        if s == .quoted {
            return RawRecord(fields: fields, start: recordStart, next: end, unterminatedQuoteAt: fieldStart)
        }
        fields.append(fieldStart..<end)
        return RawRecord(fields: fields, start: recordStart, next: end)
    }
}
