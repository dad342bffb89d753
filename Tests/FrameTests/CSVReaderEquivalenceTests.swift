// The fast reader against the reference reader on tricky inputs, with chunks so small that
// their boundaries fall inside quotes, escaped quotes, CRLFs and multi-byte characters.

import Testing
@testable import Frame

@Suite struct CSVReaderEquivalenceTests {
    static let tricky: [String] = [
        "a,b,c\n1,2,3\n4,5,6\n",
        "a,b\n1,2\n3,4",                                    // no final newline
        "a,b\r\n1,2\r\n3,4\r\n",                            // CRLF
        "a,b\n\"x,y\",1\n\"multi\nline\",2\n",              // delimiter and newline in quotes
        "a,b\n\"say \"\"hi\"\"\",1\n\"\"\"\",2\n",          // escaped quotes
        "a,b\n\"cr\r\nlf\",1\r\n\"q\"\r\n,2\r\n",           // CRLF inside and after quotes
        "name,n\nçé,1\n日本語,2\n🎵🎶,3\n",                   // multi-byte UTF-8
        "a,b\n\n1,2\n\r\n\n3,4\n\n",                        // blank lines
        "a,b\n1,\n,2\nNA,null\n",                           // nulls
        "a,b\n\"\",1\n\"NA\",2\n",                          // quoted empty and quoted token: text
        "x\n1\n2.5\n-3\n",                                  // int widened to float
        "x\n1\ntrue\n",                                     // int and bool: text
        "x\ntrue\nFALSE\n\nTrue\n",                         // bools
        "x,y\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n8,h\n9,\"10\"\n", // quoted number
        "x\n127\n-128\n", "x\n128\n", "x\n-32769\n", "x\n2147483648\n",
        "x\n9223372036854775807\n-9223372036854775808\n",
        "x\n9223372036854775808\n",                         // too big: float
        "x\n1e400\n-0.0\n.5\n5.\n+1.5\n1E-3\n",
        "x\ninf\n-Infinity\n1\n",
        "a,b\nab\"c,1\n5'11\",2\n",                         // quotes inside unquoted fields are data
        "a,b\n\"ab\"cd,1\n",                                // bytes after a closing quote
        "a;b;c\n1;2;3\n",                                   // sniffed semicolon
        "a\tb\n1\t2\n",                                     // sniffed tab
        "a|b\n\"x|y\"|2\n",                                 // sniffed pipe
        "\u{FEFF}a,b\n1,2\n",                               // BOM
        "a,b\n1,2,3\n4,5\n",                                // ragged
        "a,b\n1,2\n\"open,3\n4,5\n",                        // unterminated quote
        "a,b\n1,2\n3\n\"x\n",                               // ragged then unterminated
        "a,a,\n1,2,3\n",                                    // duplicate and empty header names
        "a,b\n",                                            // header only
        "",                                                 // empty
        "\n\n",                                             // blank lines only
        "a,b\n1,x\n2,y\n3,x\n4,z\n5,y\n",                   // dictionary order
        "v\n0001\n+7\n-0\n",                                // integer spellings
        "v\n0001\nabc\n",                                   // integer spellings kept as text
        "v\n1.50\nx\n",                                     // float spellings kept as text
    ]

    static let allChunks: [Int?] = Array(1...64) + [nil]
    static let someChunks: [Int?] = [1, 2, 3, 5, 8, 13, 64, nil]

    @Test(arguments: tricky)
    func trickyInputs(_ text: String) {
        expectReadersAgree(Array(text.utf8), chunks: Self.allChunks)
    }

    @Test(arguments: [CSVErrorPolicy.skip, .null])
    func trickyInputsUnderPolicies(_ policy: CSVErrorPolicy) {
        var o = CSVOptions()
        o.onError = policy
        for text in Self.tricky { expectReadersAgree(Array(text.utf8), o, chunks: Self.someChunks) }
    }

    @Test func invalidUTF8UnderEveryPolicy() {
        let bytes: [UInt8] = Array("a,b\n1,ok\n2,".utf8) + [0xff, 0x41] + Array("\n3,\"".utf8) + [0xC3] + Array("\"\n4,é\n".utf8)
        for policy in CSVErrorPolicy.allCases {
            var o = CSVOptions()
            o.onError = policy
            expectReadersAgree(bytes, o, chunks: Self.someChunks)
        }
    }

    @Test func forcedTypesUnderEveryPolicy() {
        let text = "a,b,c,d\n1,2.5,true,x\n300,abc,1,y\n-5,,0,\nz,3,maybe,w\n"
        for policy in CSVErrorPolicy.allCases {
            var o = CSVOptions()
            o.onError = policy
            o.types = ["a": .int8, "b": .float64, "c": .bool, "d": .string]
            expectReadersAgree(Array(text.utf8), o, chunks: Self.someChunks)
        }
    }

    @Test func optionsAgree() {
        let text = "a,b,c\n1,x,2.5\n2,\"y\nz\",3\n\n3,w,4\n4,v,5\n"
        var variants: [CSVOptions] = []
        var o = CSVOptions(); o.columns = ["c", "a"]; variants.append(o)
        o = CSVOptions(); o.maxRows = 2; variants.append(o)
        o = CSVOptions(); o.maxRows = 0; variants.append(o)
        o = CSVOptions(); o.hasHeader = false; variants.append(o)
        o = CSVOptions(); o.hasHeader = false; o.maxRows = 0; variants.append(o)
        o = CSVOptions(); o.names = ["x", "y", "z"]; variants.append(o)
        o = CSVOptions(); o.nullTokens = ["2"]; variants.append(o)
        o = CSVOptions(); o.delimiter = UInt8(ascii: ";"); variants.append(o)
        for v in variants { expectReadersAgree(Array(text.utf8), v, chunks: Self.someChunks) }
    }

    /// Random inputs from a fixed seed: quoting, CRLF, multi-byte text, nulls, numbers, ragged rows.
    @Test func randomizedInputs() {
        var rng = SplitMix64(seed: 20_170_601)
        let pieces = ["1", "-7", "42", "3.25", "1e5", "", "NA", "true", "x", "é", "日本", "🎵", "a,b", "q\"q",
                      "line\nbreak", "cr\r\nlf", " sp ", "0007", "\"", "null"]
        for round in 0..<60 {
            let columns = Int.random(in: 1...4, using: &rng)
            var text = (1...columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            let rows = Int.random(in: 0...12, using: &rng)
            let numericColumn = Int.random(in: 0..<columns, using: &rng)
            for _ in 0..<rows {
                var n = columns
                if Int.random(in: 0..<25, using: &rng) == 0 { n += Int.random(in: -1...1, using: &rng) }
                var cells: [String] = []
                for c in 0..<max(n, 1) {
                    var cell: String
                    if c == numericColumn && Int.random(in: 0..<4, using: &rng) != 0 {
                        cell = String(Int.random(in: -300...70000, using: &rng))
                    } else {
                        cell = pieces.randomElement(using: &rng)!
                    }
                    let needsQuotes = cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                    if needsQuotes || Int.random(in: 0..<8, using: &rng) == 0 {
                        cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    }
                    cells.append(cell)
                }
                text += cells.joined(separator: ",") + (Int.random(in: 0..<3, using: &rng) == 0 ? "\r\n" : "\n")
            }
            var o = CSVOptions()
            o.onError = CSVErrorPolicy.allCases[round % 3]
            expectReadersAgree(Array(text.utf8), o, chunks: [1, 2, 3, 4, 7, 16, 33, nil])
        }
    }
}
