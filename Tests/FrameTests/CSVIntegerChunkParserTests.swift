// The fused integer path against the general two-stage path chunk by chunk (same records, rows,
// values, widths and null rows whenever the fused path takes a chunk, and it must take the
// integer-only ones), and the whole reader against the reference reader on integer inputs that
// reach every branch of the fused path: clean and checked blocks, the byte-wise tail, signs,
// extremes, overflow, empty cells, CRLF, blank lines, quotes and letters after integer rows,
// ragged rows, maxRows, column subsets, forced types and the error policies.

import Foundation
import Testing
@testable import Frame

@Suite struct CSVIntegerChunkParserTests {
    // MARK: kernels

    @Test func digitsReadsOneToEightDigits() {
        var rng = SplitMix64(seed: 7)
        for count in 1...8 {
            for _ in 0..<200 {
                let digits = (0..<count).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng) }
                let bytes = digits + [UInt8(ascii: ","), 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47]
                let expected = UInt64(String(decoding: digits, as: UTF8.self))!
                let got = bytes.withUnsafeBufferPointer { CSVIntegerWalk.digits($0.baseAddress!, count: count) }
                #expect(got == expected, "\(String(decoding: digits, as: UTF8.self))")
            }
        }
    }

    @Test func classifyMatchesBytes() {
        var rng = SplitMix64(seed: 11)
        let alphabet = Array("0123456789,,\n;-\r\"a".utf8)
        for round in 0..<500 {
            let block = (0..<64).map { _ in alphabet.randomElement(using: &rng)! }
            let delimiter = round % 2 == 0 ? UInt8(ascii: ",") : UInt8(ascii: ";")
            let (mask, newlines, clean) = block.withUnsafeBytes {
                CSVIntegerWalk.classify($0.baseAddress!, delimiter: SIMD16(repeating: delimiter))
            }
            var expectedMask: UInt64 = 0
            for (i, b) in block.enumerated() where b == delimiter || b == 10 { expectedMask |= 1 << UInt64(i) }
            #expect(mask == expectedMask)
            #expect(newlines == block.filter { $0 == 10 }.count)
            #expect(clean == block.allSatisfy { $0 == delimiter || $0 == 10 || ($0 >= 48 && $0 <= 57) })
        }
    }

    // MARK: chunk by chunk

    @Test func takesIntegerChunksAndAgreesWithTheGeneralPath() {
        for seed in 1...6 as ClosedRange<UInt64> {
            let text = Self.table(rows: 120, columns: Int(seed % 4) + 1, seed: seed)
            for chunk in [64, 65, 100, 127, 300, 1000, 1 << 20] {
                let (fused, chunks) = compareChunkPaths(Array(text.utf8), chunkSize: chunk)
                #expect(fused == chunks, "seed \(seed), chunk \(chunk): \(fused) of \(chunks) chunks fused")
            }
        }
    }

    @Test func checkedBlocksAgreeWithTheGeneralPath() {
        let spellings = Spellings.all
        for seed in 1...6 as ClosedRange<UInt64> {
            let text = Self.table(rows: 120, columns: Int(seed % 4) + 1, seed: seed, spellings)
            for chunk in [64, 100, 333, 1 << 20] {
                let (fused, chunks) = compareChunkPaths(Array(text.utf8), chunkSize: chunk)
                #expect(fused == chunks, "seed \(seed), chunk \(chunk): \(fused) of \(chunks) chunks fused")
            }
        }
    }

    @Test func fallsBackOnAnythingElse() {
        let rows = Self.table(rows: 60, columns: 3, seed: 3, header: false)
        for tail in ["1,2,\"3\"\n", "1,x,3\n", "1,2\n", "1,2,3,4\n", "1,2.5,3\n", "1,99999999999999999999,3\n", "1, 2,3\n"] {
            let bytes = Array(("a,b,c\n" + rows + tail + rows).utf8)
            let (fused, chunks) = compareChunkPaths(bytes, chunkSize: 1 << 20)
            #expect(fused == 0 && chunks == 1, "\(tail.debugDescription)")
        }
    }

    @Test func raggedRecordsThatPairUpInACleanBlockAreCaught() {
        // Two one-field records read as one two-field record unless the newlines are counted;
        // every chunk end from 64 to 200 bytes also puts them in the block where a chunk stops.
        let body = Self.table(rows: 30, columns: 2, seed: 23, header: false)
        // A chunk that stops at a blank line right after such a pair, in the same block.
        for rows in 20...40 {
            let head = "a,b\n" + Self.table(rows: rows, columns: 2, seed: 29, header: false) + "12\n34\n"
            let bytes = Array((head + "\n" + body).utf8)
            _ = compareChunkPaths(bytes, chunkSize: head.utf8.count + 1 - 4)
        }
        for odd in ["12\n34\n", "12\n34\n\n"] {
            let bytes = Array(("a,b\n" + body + odd + body).utf8)
            for chunk in 64...200 { _ = compareChunkPaths(bytes, chunkSize: chunk) }
            var o = CSVOptions()
            o.onError = .skip
            expectReadersAgree(bytes, o, chunks: [64, 100, 200, nil])
        }
    }

    @Test func forcedRangeSendsTheChunkBack() {
        var o = CSVOptions()
        o.types = ["a": .int8]
        #expect(compareChunkPaths(Array("a,b\n1,2\n127,3\n".utf8), o, chunkSize: 100) == (1, 1))
        #expect(compareChunkPaths(Array("a,b\n1,2\n128,3\n".utf8), o, chunkSize: 100) == (0, 1))
        #expect(compareChunkPaths(Array("a,b\n1,2\n-129,3\n".utf8), o, chunkSize: 100) == (0, 1))
    }

    // MARK: the whole reader

    static let chunks: [Int?] = [1, 2, 3, 7, 16, 63, 64, 65, 100, 333, 1000, nil]

    @Test func integerTablesAgreeWithTheReference() {
        for seed in 1...4 as ClosedRange<UInt64> {
            let text = Self.table(rows: 80, columns: Int(seed) + 1, seed: seed)
            expectReadersAgree(Array(text.utf8), chunks: Self.chunks)
        }
    }

    @Test func signsEmptyCellsCRLFAndBlankLinesAgree() {
        let spellings = Spellings.all
        for seed in 1...4 as ClosedRange<UInt64> {
            let text = Self.table(rows: 80, columns: Int(seed % 3) + 1, seed: seed, spellings)
            expectReadersAgree(Array(text.utf8), chunks: Self.chunks)
        }
    }

    @Test func extremesAndOverflow() {
        let body = Self.table(rows: 40, columns: 2, seed: 5, header: false)
        let extremes = "9223372036854775807,-9223372036854775808\n+9223372036854775807,0000000000000000001\n"
        expectReadersAgree(Array(("a,b\n" + body + extremes + body).utf8), chunks: Self.chunks)
        // One past the maximum is a float, and with it the column.
        expectReadersAgree(Array(("a,b\n" + body + "9223372036854775808,1\n" + body).utf8), chunks: Self.chunks)
        expectReadersAgree(Array(("a,b\n" + body + "-9223372036854775809,1\n" + body).utf8), chunks: Self.chunks)
    }

    @Test func quoteOrLetterAfterIntegerRows() {
        let body = Self.table(rows: 50, columns: 3, seed: 9, header: false)
        for odd in ["1,\"2\",3\n", "1,\"x,y\",3\n", "1,two,3\n", "1,2,3.5\n", "\"1\n2\",3,4\n", "1,NA,3\n", "1,true,3\n"] {
            expectReadersAgree(Array(("a,b,c\n" + body + odd + body).utf8), chunks: [7, 64, 100, 333, nil])
        }
    }

    @Test func raggedRowsGiveTheGeneralPathsErrors() {
        let body = Self.table(rows: 50, columns: 3, seed: 13, header: false)
        for policy in CSVErrorPolicy.allCases {
            var o = CSVOptions()
            o.onError = policy
            for odd in ["1,2\n", "1,2,3,4\n", "\n1\n", "1,2,3\r\n4,5\r\n"] {
                expectReadersAgree(Array(("a,b,c\n" + body + odd + body).utf8), o, chunks: [5, 64, 100, 333, nil])
            }
        }
        let e = fastError("a,b,c\n" + body + "1,2\n" + body, csvOptions(chunk: 100))
        #expect(e?.line == 52)
        #expect(e?.message == "expected 3 fields, found 2")
    }

    @Test func optionsAgree() {
        let text = Self.table(rows: 60, columns: 4, seed: 17)
        var variants: [CSVOptions] = []
        var o = CSVOptions(); o.columns = ["c4", "c2"]; variants.append(o)
        o = CSVOptions(); o.maxRows = 33; variants.append(o)
        o = CSVOptions(); o.maxRows = 0; variants.append(o)
        o = CSVOptions(); o.hasHeader = false; variants.append(o)
        o = CSVOptions(); o.types = ["c1": .int64, "c3": .int32]; variants.append(o)
        o = CSVOptions(); o.types = ["c2": .int8]; variants.append(o)
        o = CSVOptions(); o.types = ["c2": .float64]; variants.append(o)
        o = CSVOptions(); o.nullTokens = ["7"]; variants.append(o)
        o = CSVOptions(); o.delimiter = UInt8(ascii: "5"); variants.append(o)
        for policy in CSVErrorPolicy.allCases {
            o = CSVOptions(); o.types = ["c2": .int8]; o.onError = policy; variants.append(o)
        }
        for v in variants { expectReadersAgree(Array(text.utf8), v, chunks: [3, 64, 100, 333, nil]) }
    }

    @Test func noFinalNewlineAndOneColumn() {
        let body = Self.table(rows: 60, columns: 1, seed: 19)
        expectReadersAgree(Array(body.dropLast().utf8), chunks: Self.chunks)
        expectReadersAgree(Array((body + "\n\n\r\n" + body).utf8), chunks: Self.chunks)
        expectReadersAgree(Array((body + "12\r").utf8), chunks: Self.chunks)
    }

    // MARK: files (chunks copied out with pread)

    @Test func filesAgreeWithTheReference() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var spellings = Spellings.all
        spellings.long = false
        let wide = (1...1500).map { "w\($0)" }.joined(separator: ",") + "\n"
            + (0..<6).map { r in (1...1500).map { String(($0 * 7 + r) % 1000) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let body = Self.table(rows: 40, columns: 3, seed: 37, header: false)
        let small: [Int?] = [1, 7, 64, 100, 1000, nil]
        let texts: [(String, [Int?])] = [
            (Self.table(rows: 300, columns: 5, seed: 41), small),
            (Self.table(rows: 200, columns: 2, seed: 43, spellings), small),
            (String(Self.table(rows: 200, columns: 3, seed: 47).dropLast()), small),
            ("a,b,c\n" + body + "1,\"2\",3\n" + body, small),       // a quote: the general path reads the mapping
            (wide, [1000, 3000]),                                     // records longer than a copy's allowance
        ]
        for (k, (text, chunks)) in texts.enumerated() {
            let url = dir.appendingPathComponent("t\(k).csv")
            try Data(text.utf8).write(to: url)
            var variants: [CSVOptions] = [CSVOptions()]
            var o = CSVOptions(); o.maxRows = 17; variants.append(o)
            for v in variants {
                let expected = ReadOutcome { () throws(CSVError) in
                    try ReferenceCSVReader.read(bytes: Array(text.utf8), name: url.path, options: v)
                }
                for chunk in chunks {
                    for threads in [1, 2] {
                        let got = ReadOutcome { () throws(CSVError) in
                            try CSVReader.read(path: url.path, options: csvOptions(v, chunk: chunk, threads: threads))
                        }
                        #expect(got.matches(expected), "file \(k), chunk \(chunk.map(String.init) ?? "default"), threads \(threads): \(got)")
                    }
                }
            }
        }
    }

    // MARK: inputs

    /// Which spellings a generated table uses besides plain unsigned integers.
    struct Spellings {
        var signs = false
        var empty = false
        var crlf = false
        var blankLines = false
        /// 17 to 19 digits.
        var long = false

        /// Every unusual spelling at once.
        static let all = Spellings(signs: true, empty: true, crlf: true, blankLines: true, long: true)
    }

    /// A table of `columns` integer columns named c1, c2, ... with 1 to 16 digits per cell.
    static func table(rows: Int, columns: Int, seed: UInt64, _ spellings: Spellings = Spellings(), header: Bool = true) -> String {
        var rng = SplitMix64(seed: seed)
        var text = header ? (1...columns).map { "c\($0)" }.joined(separator: ",") + "\n" : ""
        for _ in 0..<rows {
            var cells: [String] = []
            for _ in 0..<columns {
                var digits = Int.random(in: 1...16, using: &rng)
                if spellings.long && Int.random(in: 0..<10, using: &rng) == 0 { digits = Int.random(in: 17...18, using: &rng) }
                var cell = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
                if spellings.signs && Int.random(in: 0..<4, using: &rng) == 0 { cell = (Bool.random(using: &rng) ? "-" : "+") + cell }
                if spellings.empty && Int.random(in: 0..<8, using: &rng) == 0 { cell = "" }
                cells.append(cell)
            }
            text += cells.joined(separator: ",")
            text += spellings.crlf && Int.random(in: 0..<3, using: &rng) == 0 ? "\r\n" : "\n"
            if spellings.blankLines && Int.random(in: 0..<10, using: &rng) == 0 { text += Bool.random(using: &rng) ? "\n" : "\r\n" }
        }
        return text
    }
}

/// Cuts the data of `bytes` into chunks of `chunkSize` and, for each chunk the fused path takes,
/// checks it against the general path. Returns how many chunks it took, and how many chunks own
/// at least one record (the fused path leaves the others to the general one).
func compareChunkPaths(_ bytes: [UInt8], _ options: CSVOptions = .init(), chunkSize: Int,
                       sourceLocation: SourceLocation = #_sourceLocation) -> (fused: Int, chunks: Int) {
    bytes.withUnsafeBufferPointer { buffer in
        let source = try! CSVSource.borrowing(buffer, name: "t.csv")
        let prelude = try! CSVPrelude(source: source, options: options)
        let plan = prelude.plan
        let scanner = CSVScanner(base: source.base, end: prelude.end, delimiter: prelude.delimiter)
        let nulls = CSVNullTokens(options.nullTokens)
        guard let fusedParser = CSVIntegerChunkParser(end: prelude.end, delimiter: prelude.delimiter, plan: plan, nulls: nulls) else {
            Issue.record("no fused parser for these options", sourceLocation: sourceLocation)
            return (0, 0)
        }
        let indexer = CSVIndexer(scanner: scanner, fieldCount: plan.fieldCount, failFast: options.onError == .fail)
        let parser = CSVChunkParser(base: source.base, limit: source.base + source.count, plan: plan, nulls: nulls,
                                    policy: options.onError)
        let hints = [CSVPieceKind](repeating: .null, count: plan.selected.count)
        var fusedCount = 0, withRecords = 0
        var state = CSVState.recordStart
        var position = prelude.dataStart
        while position < prelude.end {
            let range = position..<min(position + chunkSize, prelude.end)
            // The pieces live in their arenas: both sets of arenas stay alive to the end of the chunk.
            let scratch = CSVScratch()
            let generalArenas = plan.selected.map { _ in CSVPieceArena() }
            let index = indexer.index(range, state: state, scratch: scratch)
            let general = withExtendedLifetime(scratch) {
                parser.parse(index, columns: Array(plan.selected.indices), hints: hints, arenas: generalArenas, scratch: scratch)
            }
            defer { withExtendedLifetime(generalArenas) {} }
            if index.rowCount > 0 { withRecords += 1 }
            let fusedArenas = plan.selected.map { _ in CSVPieceArena() }
            defer { withExtendedLifetime(fusedArenas) {} }
            let whole = CSVByteWindow(base: source.base, start: 0, count: source.count)
            if let (origin, recordsEnd, fused) = fusedParser.parse(range, state: state, bytes: whole, scratch: CSVScratch(),
                                                                 arenas: fusedArenas) {
                fusedCount += 1
                let context = "chunk \(range) of \(chunkSize)"
                #expect(origin == index.origin && recordsEnd == index.recordsEnd, "\(context): records", sourceLocation: sourceLocation)
                #expect(general.failure == nil && general.examples.isEmpty && index.ragged.isEmpty,
                        "\(context): the general path saw problems", sourceLocation: sourceLocation)
                #expect(fused.rows == general.rows, "\(context): rows", sourceLocation: sourceLocation)
                for j in plan.selected.indices {
                    let a = fused.pieces[j]!, b = general.pieces[j]!
                    #expect(a.kind == b.kind && a.nullRows == b.nullRows, "\(context): column \(j) kind or nulls",
                            sourceLocation: sourceLocation)
                    #expect(pieceIntegers(a) == pieceIntegers(b), "\(context): column \(j) values", sourceLocation: sourceLocation)
                    if case .int(_, let w1, let lo1, let hi1) = a.values, case .int(_, let w2, let lo2, let hi2) = b.values {
                        #expect(w1 == w2 && lo1 <= lo2 && hi1 >= hi2, "\(context): column \(j) width or bounds",
                                sourceLocation: sourceLocation)
                    }
                }
            }
            // The same chunk from a copy of its bytes and a few after them (CSVChunkBuffers): the
            // same result when its last record fits in the copy, declined otherwise.
            let expected = fusedParser.parse(range, state: state, bytes: whole, scratch: CSVScratch(), arenas: fusedArenas)
            for allowance in [0, 9, 100] {
                let upper = min(source.count, range.upperBound + allowance)
                let copy = Array(buffer[range.lowerBound..<upper])
                copy.withUnsafeBufferPointer { c in
                    let window = CSVByteWindow(base: c.baseAddress!, start: range.lowerBound, count: c.count)
                    let got = fusedParser.parse(range, state: state, bytes: window, scratch: CSVScratch(), arenas: fusedArenas)
                    let context = "chunk \(range) of \(chunkSize) copied with \(allowance) bytes more"
                    if let got {
                        #expect(got.origin == expected?.origin && got.recordsEnd == expected?.recordsEnd
                                && got.output.rows == expected?.output.rows, "\(context)", sourceLocation: sourceLocation)
                        for j in plan.selected.indices {
                            #expect(pieceIntegers(got.output.pieces[j]!) == expected.map { pieceIntegers($0.output.pieces[j]!) },
                                    "\(context): column \(j)", sourceLocation: sourceLocation)
                        }
                    } else if let expected {
                        #expect(expected.recordsEnd > upper || (expected.recordsEnd == upper && upper < prelude.end),
                                "\(context): declined", sourceLocation: sourceLocation)
                    }
                }
            }
            state = scanner.transition(range).apply(state)
            position = range.upperBound
        }
        return (fusedCount, withRecords)
    }
}

/// The values of an integer piece as Int64 (empty for other pieces).
private func pieceIntegers(_ piece: CSVPiece) -> [Int64] {
    guard case .int(let raw, let width, _, _) = piece.values else { return [] }
    switch width {
    case .int8: return raw.values(Int8.self).map(Int64.init)
    case .int16: return raw.values(Int16.self).map(Int64.init)
    case .int32: return raw.values(Int32.self).map(Int64.init)
    default: return Array(raw.values(Int64.self))
    }
}
