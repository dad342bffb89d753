// DecimalWriter: appends integers and probabilities as ASCII to a raw byte buffer.
//
// Integers are written right to left two digits at a time from a 200-byte table of the pairs
// "00".."99" (the technique of fmt and of Swift's own integer printing), with no String and no
// allocation per cell. Probabilities in (0, 1) get six significant digits: 0.684033, 0.0123457.
// Invariant: the caller guarantees room; a row of the log needs at most `maxRowBytes`.

/// A cursor that writes decimal text into memory it does not own.
struct DecimalWriter {
    /// Room one CSV row can take: 15 fields of at most 11 characters, separators, newline.
    static let maxRowBytes = 192
    /// Room one probability line can take ("0.0000123457\n").
    static let maxProbabilityBytes = 24
    /// Significant digits of a written probability.
    static let probabilityDigits = 6

    /// The digit pairs 00, 01, ..., 99.
    static let pairs: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 200)
        for i in 0..<100 {
            table[2 * i] = UInt8(ascii: "0") + UInt8(i / 10)
            table[2 * i + 1] = UInt8(ascii: "0") + UInt8(i % 10)
        }
        return table
    }()

    private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes written so far.
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    /// Appends one byte.
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[count] = b
        count &+= 1
    }

    /// Appends a non-negative integer in decimal.
    @inline(__always)
    mutating func integer(_ value: Int) {
        var v = UInt64(value)
        var digits = 1
        var probe = v
        while probe >= 10 {
            probe /= 10
            digits &+= 1
        }
        var end = count &+ digits
        count = end
        Self.pairs.withUnsafeBufferPointer { pairs in
            while v >= 100 {
                let r = Int(v % 100)
                v /= 100
                end &-= 2
                base[end] = pairs[2 &* r]
                base[end &+ 1] = pairs[2 &* r &+ 1]
            }
            if v >= 10 {
                let r = Int(v)
                base[end &- 2] = pairs[2 &* r]
                base[end &- 1] = pairs[2 &* r &+ 1]
            } else {
                base[end &- 1] = UInt8(ascii: "0") &+ UInt8(v)
            }
        }
    }

    /// Appends `p` with six significant digits, clamped into [0.000001, 0.999999] so a value
    /// is never printed as 0 or 1.
    mutating func probability(_ p: Double) {
        byte(UInt8(ascii: "0"))
        byte(UInt8(ascii: "."))
        var x = min(max(p, 0.000001), 0.999999)
        // Leading zeros after the point, then six digits.
        var scaled = (x * 1_000_000).rounded()
        var zeros = 0
        while scaled < 100_000 && zeros < 6 {
            zeros += 1
            x *= 10
            scaled = (x * 1_000_000).rounded()
        }
        if scaled >= 1_000_000 {  // 0.0999999... rounded up to 0.100000: one zero fewer
            zeros -= 1
            scaled = 100_000
        }
        for _ in 0..<zeros { byte(UInt8(ascii: "0")) }
        integer(Int(scaled))
    }
}
