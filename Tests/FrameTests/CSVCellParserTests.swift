// The byte-level cell parsers against the standard library on many spellings.

import Testing
@testable import Frame

@Suite struct CSVCellParserTests {
    func withBytes<R>(_ s: String, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let a = Array(s.utf8) + [UInt8](repeating: 0, count: 16)   // room for word loads
        return a.withUnsafeBufferPointer { body($0.baseAddress!, s.utf8.count) }
    }

    @Test func integersMatchTheStandardLibrary() {
        var rng = SplitMix64(seed: 7)
        var cases = ["0", "-0", "+5", "007", "", "-", "+", "1a", "a1", " 1", "9223372036854775807", "-9223372036854775808",
                     "9223372036854775808", "-9223372036854775809", "12345678", "123456789", "1234567890123456",
                     "12345678901234567", "0000000000000000000000001", "1.0", "1e3"]
        for _ in 0..<2000 {
            let digits = Int.random(in: 1...19, using: &rng)
            var s = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            if Bool.random(using: &rng) { s = "-" + s }
            cases.append(s)
        }
        for s in cases {
            let expected = Int64(s)
            #expect(withBytes(s) { CSVCellParser.parseInt($0, $1) } == expected, "\(s)")
            #expect(withBytes(s) { CSVCellParser.parseIntWide($0, $1, limit: $0 + $1 + 16) } == expected, "\(s)")
        }
    }

    @Test func floatsAreCorrectlyRounded() {
        var rng = SplitMix64(seed: 11)
        var cases = ["0.1", "1e-05", "123.456", "5e-324", "1.7976931348623157e308", "1e400", "-1e400", "1e-400",
                     "9007199254740993", "0.30000000000000004", "2.5", ".5", "5.", "+1.5", "1E3", "12345678901234567890.5"]
        for _ in 0..<3000 {
            let v = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
            cases.append(v.description)
            cases.append(String(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / 1000))
        }
        for s in cases {
            let got = withBytes(s) { CSVCellParser.parseFloat($0, $1) }
            #expect(got?.bitPattern == Double(s)?.bitPattern, "\(s)")
        }
        for bad in ["", ".", "e5", "1e", "1e+", "--1", "0x10", "1,5", "nanx"] {
            #expect(withBytes(bad) { CSVCellParser.parseFloat($0, $1) } == nil, "\(bad)")
        }
        #expect(withBytes("-Infinity") { CSVCellParser.parseFloat($0, $1) } == -.infinity)
        #expect(withBytes("NaN") { CSVCellParser.parseFloat($0, $1) }?.isNaN == true)
    }

    @Test func utf8ValidationMatchesTheStandardLibrary() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<5000 {
            let n = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<n).map { _ in
                Bool.random(using: &rng) ? UInt8.random(in: 0x20...0x7e, using: &rng) : UInt8.random(in: 0x80...0xff, using: &rng)
            }
            let valid = bytes.withUnsafeBufferPointer { b in
                b.baseAddress.map { CSVCellParser.firstInvalidUTF8($0, n) == nil } ?? true
            }
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
        for s in ["é", "日本語", "🎵", "a\u{10FFFF}"] {
            #expect(withBytes(s) { CSVCellParser.firstInvalidUTF8($0, $1) } == nil)
        }
    }

    @Test func sniffer() {
        func sniff(_ s: String) -> UInt8 { Array(s.utf8).withUnsafeBufferPointer { CSVSniffer.sniff($0) } }
        #expect(sniff("a\tb,c\n1\t2,3\n4\t5\n") == UInt8(ascii: "\t"))
        #expect(sniff("\"a;b\",c\n1,2\n") == UInt8(ascii: ","))
        #expect(sniff("single\n1\n") == UInt8(ascii: ","))
    }
}
