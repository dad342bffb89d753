// CSVWriter: what it quotes, how it spells values, round trips through the reader, atomicity.

import Foundation
import Testing
@testable import Frame

@Suite struct CSVWriterTests {
    func sampleFrame() throws -> DataFrame {
        try DataFrame([
            Column.integers("i", [1, -300, 70000, 0]),
            Column.doubles("f", [0.1, 1e-5, -2.5, 1e300], validity: Bitmap([true, true, false, true])),
            Column.bools("b", [true, false, true, false]),
            Column.strings("s", ["plain", "with,comma", "quote \"q\"\nnewline", nil]),
            Column.strings("e", ["", "NA", "x", "é🎵"]),
        ])
    }

    @Test func formatsAndQuotes() throws {
        let text = String(decoding: CSVWriter.format(try sampleFrame(), rows: 0..<4, delimiter: UInt8(ascii: ",")), as: UTF8.self)
        #expect(text == """
        1,0.1,true,plain,""
        -300,1e-05,false,"with,comma","NA"
        70000,,true,"quote ""q""
        newline",x
        0,1e+300,false,,é🎵

        """)
    }

    @Test func roundTripsThroughTheReader() throws {
        let frame = try sampleFrame()
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.csv").path
        try CSVWriter.write(frame, to: path)
        let (back, _) = try CSVReader.read(path: path)
        #expect(sameFrame(frame, back), "\(dump(back))")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    @Test func floatsRoundTripExactly() throws {
        var rng = SplitMix64(seed: 5)
        let values = (0..<2000).map { _ in Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1) }
        let frame = try DataFrame([Column.doubles("x", values)])
        let text = CSVWriter.format(frame, rows: 0..<frame.rowCount, delimiter: UInt8(ascii: ","))
        let (back, _) = try CSVReader.read(bytes: Array("x\n".utf8) + text, name: "t.csv")
        #expect(back["x"]!.doubleValues()!.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func manyRowsInParallelBlocksKeepTheirOrder() throws {
        let n = CSVWriter.rowsPerBlock * 2 + 17
        let frame = try DataFrame([Column.integers("k", (0..<n).map(Int64.init))])
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.csv").path
        try CSVWriter.write(frame, to: path, delimiter: UInt8(ascii: "\t"))
        let back = try CSVReader.read(path: path).0
        #expect(back["k"]!.int64Values() == (0..<n).map(Int64.init))
    }

    @Test func errorsNameThePath() throws {
        let frame = try sampleFrame()
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func error(_ path: String) -> CSVError? {
            do { try CSVWriter.write(frame, to: path); return nil } catch { return error }
        }
        #expect(error(dir.appendingPathComponent("missing/out.csv").path)?.kind == .notFound)
        #expect(error(dir.path)?.kind == .isDirectory)
    }
}
