// CSVCellParser: reading one cell's bytes as an integer, a float, a boolean, a null token or
// UTF-8 text, without making a String.
//
// Grammars (shared with the reference reader, which checks them with regexes):
//   integer: [+-]?[0-9]+ whose value fits Int64 (else the cell is a float)
//   float:   [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?  or [+-]?(inf|infinity|nan),
//            letters in any case
//   boolean: true|True|TRUE|false|False|FALSE
// Floats are correctly rounded: when the significand has at most 19 digits, is at most 2^53 and
// the decimal exponent is within +-22, both the significand and 10^e are exact doubles and one
// IEEE multiplication or division rounds correctly (Clinger's fast path); other floats go to the
// standard library's correctly rounded parser.
//
// A quoted cell ('"' first) is decoded first: the quotes are dropped, '""' becomes '"', bytes
// after the closing quote are kept.

/// Byte-level parsers for cells.
enum CSVCellParser {
    /// Digits that always fit Int64 without an overflow check (10^18 < 2^63).
    static let safeIntegerDigits = 18
    /// Largest power of ten that is an exact double: 10^22 = 2^22 * 5^22 and 5^22 < 2^53.
    static let maxExactPowerOfTen = 22
    /// Significant digits kept: 19 digits always fit UInt64; further nonzero digits send the
    /// float to the exact fallback.
    static let maxSignificandDigits = 19
    /// Exponent digits are accumulated up to this value; beyond it every float is 0 or infinite.
    static let exponentCap = 100_000
    /// Largest significand the fast float path accepts: every integer up to 2^53 is exact.
    static let maxExactSignificand: UInt64 = 1 << 53

    private static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    // MARK: integers

    /// The integer the bytes spell, or nil when they are not an integer that fits Int64.
    @inline(__always)
    static func parseInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        if n == 0 { return nil }
        var i = 0
        var negative = false
        let first = p[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
            if n == 1 { return nil }
        }
        if n &- i > safeIntegerDigits { return parseLongInt(p, n, from: i, negative: negative) }
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 48
            if d > 9 { return nil }
            v = v &* 10 &+ Int64(d)
            i &+= 1
        }
        return negative ? 0 &- v : v
    }

    /// The overflow-checked path for integers of more than `safeIntegerDigits` digits.
    private static func parseLongInt(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, negative: Bool) -> Int64? {
        // Accumulate negatively: Int64.min has no positive counterpart.
        var v: Int64 = 0
        for i in start..<n {
            let d = p[i] &- 48
            if d > 9 { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
        }
        if negative { return v }
        return v == Int64.min ? nil : -v
    }

    /// The integer the bytes spell, reading eight digits per word when the 8 bytes after `p`
    /// are readable (`p + 8 <= limit`): no loop over digits, no branch per byte.
    @inline(__always)
    static func parseIntWide(_ p: UnsafePointer<UInt8>, _ n: Int, limit: UnsafePointer<UInt8>) -> Int64? {
        var q = p
        var m = n
        var negative = false
        if m > 0 && (q[0] == UInt8(ascii: "-") || q[0] == UInt8(ascii: "+")) {
            negative = q[0] == UInt8(ascii: "-")
            q += 1
            m -= 1
        }
        if m < 1 || m > 16 || q + 8 > limit { return parseInt(p, n) }
        let v: UInt64
        if m <= 8 {
            guard let x = eightDigits(q, count: m) else { return nil }
            v = x
        } else {
            guard let hi = eightDigits(q, count: m - 8), let lo = eightDigits(q + (m - 8), count: 8) else { return nil }
            v = hi &* 100_000_000 &+ lo
        }
        let signed = Int64(bitPattern: v)
        return negative ? 0 &- signed : signed
    }

    /// The value of the `count` (1...8) ASCII digits at `p`, or nil when one is not a digit.
    /// Reads 8 bytes. Little-endian: the first digit is the low byte of the loaded word; the
    /// word is shifted so the digits fill its top bytes and the freed low bytes hold '0's, then
    /// digit pairs, quads and the octet are combined with three multiply-adds.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64? {
        let zeros: UInt64 = 0x3030_3030_3030_3030
        var w = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let shift = UInt64(8 &- count) &* 8
        if shift != 0 { w = (w << shift) | (zeros >> (64 &- shift)) }
        // Every byte in 0x30...0x39: high nibble 3, and adding 6 keeps it 3.
        guard w & 0xF0F0_F0F0_F0F0_F0F0 == zeros,
              (w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == zeros else { return nil }
        var d = w &- zeros
        d = (d & 0x00FF_00FF_00FF_00FF) &* 10 &+ ((d >> 8) & 0x00FF_00FF_00FF_00FF)
        d = (d & 0x0000_FFFF_0000_FFFF) &* 100 &+ ((d >> 16) & 0x0000_FFFF_0000_FFFF)
        return (d & 0xFFFF_FFFF) &* 10_000 &+ (d >> 32)
    }

    // MARK: floats

    /// The float the bytes spell (see the grammar above), or nil.
    static func parseFloat(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        if n == 0 { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "i") || p[i] | 0x20 == UInt8(ascii: "n") {
            return parseSpecial(p + i, n - i, negative: negative)
        }
        var significand: UInt64 = 0
        var digits = 0          // significant digits kept in `significand`
        var droppedDigits = false
        var exponent = 0        // decimal exponent adjustment from the point and dropped digits
        var sawDigit = false
        while i < n, p[i] &- 48 <= 9 {
            sawDigit = true
            accumulate(p[i] &- 48, &significand, &digits, &droppedDigits, &exponent, fractional: false)
            i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, p[i] &- 48 <= 9 {
                sawDigit = true
                accumulate(p[i] &- 48, &significand, &digits, &droppedDigits, &exponent, fractional: true)
                i += 1
            }
        }
        if !sawDigit { return nil }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExpDigit = false
            while i < n, p[i] &- 48 <= 9 {
                sawExpDigit = true
                if e < exponentCap { e = e * 10 + Int(p[i] &- 48) }
                i += 1
            }
            if !sawExpDigit { return nil }
            exponent += expNegative ? -e : e
        }
        if i != n { return nil }
        if significand == 0 && !droppedDigits { return negative ? -0.0 : 0.0 }
        if !droppedDigits && significand <= maxExactSignificand && abs(exponent) <= maxExactPowerOfTen {
            var v = Double(significand)
            v = exponent >= 0 ? v * powersOfTen[exponent] : v / powersOfTen[-exponent]
            return negative ? -v : v
        }
        return Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }

    @inline(__always)
    private static func accumulate(_ d: UInt8, _ significand: inout UInt64, _ digits: inout Int,
                                   _ dropped: inout Bool, _ exponent: inout Int, fractional: Bool) {
        if significand == 0 && d == 0 {
            // Leading zeros carry no precision.
            if fractional { exponent -= 1 }
            return
        }
        if digits < maxSignificandDigits {
            significand = significand &* 10 &+ UInt64(d)
            digits += 1
            if fractional { exponent -= 1 }
        } else {
            if d != 0 { dropped = true }
            if !fractional { exponent += 1 }
        }
    }

    private static func parseSpecial(_ p: UnsafePointer<UInt8>, _ n: Int, negative: Bool) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == n else { return false }
            let w = word.utf8Start
            for i in 0..<n where p[i] | 0x20 != w[i] { return false }
            return true
        }
        if matches("inf") || matches("infinity") { return negative ? -.infinity : .infinity }
        if matches("nan") { return .nan }
        return nil
    }

    // MARK: booleans

    /// true/True/TRUE or false/False/FALSE; with `numeric`, also 1 and 0.
    @inline(__always)
    static func parseBool(_ p: UnsafePointer<UInt8>, _ n: Int, numeric: Bool = false) -> Bool? {
        if numeric && n == 1 {
            if p[0] == UInt8(ascii: "1") { return true }
            if p[0] == UInt8(ascii: "0") { return false }
        }
        if n == 4 {
            if equals(p, n, "true") || equals(p, n, "True") || equals(p, n, "TRUE") { return true }
        } else if n == 5 {
            if equals(p, n, "false") || equals(p, n, "False") || equals(p, n, "FALSE") { return false }
        }
        return nil
    }

    @inline(__always)
    private static func equals(_ p: UnsafePointer<UInt8>, _ n: Int, _ word: StaticString) -> Bool {
        guard word.utf8CodeUnitCount == n else { return false }
        let w = word.utf8Start
        for i in 0..<n where p[i] != w[i] { return false }
        return true
    }

    // MARK: quoting

    /// Decodes a quoted cell (`p[0] == '"'`) into `out`, which holds at least `n` bytes; returns
    /// the decoded length.
    static func unquote(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 1
        var o = 0
        while i < n {
            let b = p[i]
            if b == CSVScanner.quote {
                if i + 1 < n && p[i + 1] == CSVScanner.quote {
                    out[o] = b
                    o += 1
                    i += 2
                    continue
                }
                // Closing quote: the rest is literal.
                i += 1
                while i < n {
                    out[o] = p[i]
                    o += 1
                    i += 1
                }
                return o
            }
            out[o] = b
            o += 1
            i += 1
        }
        return o
    }

    // MARK: UTF-8

    /// The offset of the first byte that breaks UTF-8 well-formedness, or nil when valid.
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < n {
            if i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            if i + need >= n { return i }
            let c1 = p[i + 1]
            if c1 < lo || c1 > hi { return i }
            var k = 2
            while k <= need {
                if p[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}

/// The cell texts read as null, matched against raw bytes.
struct CSVNullTokens: Sendable {
    let tokens: [[UInt8]]
    /// Bit k set when some token is k bytes long (tokens of 64 bytes or more set bit 63).
    let lengths: UInt64
    /// True when some token reads as an integer (or float, or boolean), so in a column read as
    /// that type tokens are checked before parsing, not only after a parse fails.
    let looksInteger: Bool
    let looksFloat: Bool
    let looksBool: Bool

    init(_ strings: [String]) {
        // The empty cell is always null; an empty token adds nothing.
        tokens = strings.filter { !$0.isEmpty }.map { Array($0.utf8) }
        var mask: UInt64 = 0
        for t in tokens { mask |= 1 << UInt64(min(t.count, 63)) }
        lengths = mask
        let all = tokens
        func any(_ test: (UnsafePointer<UInt8>, Int) -> Bool) -> Bool {
            all.contains { t in t.withUnsafeBufferPointer { test($0.baseAddress!, $0.count) } }
        }
        looksInteger = any { CSVCellParser.parseInt($0, $1) != nil }
        looksFloat = any { CSVCellParser.parseFloat($0, $1) != nil }
        looksBool = any { CSVCellParser.parseBool($0, $1, numeric: true) != nil }
    }

    /// True when the bytes equal one of the tokens.
    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if lengths & (1 << UInt64(min(n, 63))) == 0 { return false }
        for t in tokens where t.count == n {
            if t.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, n) == 0 }) { return true }
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
