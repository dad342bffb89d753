// The fast reader's features with exact expected frames: inference, widths, nulls, header
// handling, names, column selection, maxRows, delimiter sniffing, BOM, gzip, files.

import Foundation
import Testing
@testable import Frame

@Suite struct CSVReaderTests {
    @Test func infersNarrowestIntegerWidths() throws {
        let f = try fastFrame("a,b,c,d\n1,300,70000,5000000000\n-128,-300,-70000,1\n")
        #expect(f.columns.map(\.type) == [.int8, .int16, .int32, .int64])
        #expect(f["d"]![0] == .int(5_000_000_000))
        #expect(f["a"]![1] == .int(-128))
    }

    @Test func infersFloatBoolAndText() throws {
        let f = try fastFrame("i,f,b,s\n1,1.5,true,x\n2,2,False,7\n")
        #expect(f.columns.map(\.type) == [.int8, .float64, .bool, .string])
        #expect(f["f"]![1] == .double(2))
        #expect(f["b"]![1] == .bool(false))
        #expect(f["s"]![1] == .string("7"))
    }

    @Test func inferenceSeesTheWholeFileNotASample() throws {
        // The one text cell is the very last: a sampling reader would guess int.
        var text = "v\n"
        for i in 0..<5000 { text += "\(i)\n" }
        text += "oops\n"
        let f = try fastFrame(text, csvOptions(chunk: 1024))
        #expect(f["v"]!.type == .string)
        #expect(f["v"]![0] == .string("0"))
        #expect(f["v"]![5000] == .string("oops"))
        let g = try fastFrame("v\n" + (0..<5000).map(String.init).joined(separator: "\n") + "\n2.5\n", csvOptions(chunk: 1024))
        #expect(g["v"]!.type == .float64)
    }

    @Test func nullsMakeAValidityBitmapOnlyWhenPresent() throws {
        let f = try fastFrame("a,b\n1,2\n,3\nNA,4\n")
        #expect(f["a"]!.nullCount == 2)
        #expect(f["a"]!.type == .int8)
        #expect(f["b"]!.validity == nil)
        var o = CSVOptions()
        o.nullTokens = ["-"]
        let g = try fastFrame("a\n1\n-\nNA\n", o)
        #expect(g["a"]!.type == .string)
        #expect(g["a"]![1] == .null)
        #expect(g["a"]![2] == .string("NA"))
    }

    @Test func allNullColumnIsText() throws {
        let f = try fastFrame("a,b\n1,\n2,\n")
        #expect(f["b"]!.type == .string)
        #expect(f["b"]!.nullCount == 2)
    }

    @Test func quotedFieldsAndEscapes() throws {
        let f = try fastFrame("a,b\n\"x,\"\"y\"\"\n z\",\"12\"\n")
        #expect(f["a"]![0] == .string("x,\"y\"\n z"))
        #expect(f["b"]![0] == .int(12))
    }

    @Test func crlfAndBOMAndMissingFinalNewline() throws {
        let f = try fastFrame("\u{FEFF}a,b\r\n1,x\r\n2,y")
        #expect(f.columnNames == ["a", "b"])
        #expect(f["b"]![0] == .string("x"))
        #expect(f["b"]![1] == .string("y"))
    }

    @Test func headerless() throws {
        var o = CSVOptions()
        o.hasHeader = false
        let f = try fastFrame("1,2\n3,4\n", o)
        #expect(f.columnNames == ["column_1", "column_2"])
        #expect(f.rowCount == 2)
        o.names = ["x", "y"]
        #expect(try fastFrame("1,2\n3,4\n", o).columnNames == ["x", "y"])
    }

    @Test func namesReplaceHeader() throws {
        var o = CSVOptions()
        o.names = ["x", "y"]
        let f = try fastFrame("a,b\n1,2\n", o)
        #expect(f.columnNames == ["x", "y"])
        #expect(f.rowCount == 1)
    }

    @Test func columnsSelectAndOrder() throws {
        var o = CSVOptions()
        o.columns = ["c", "a"]
        let f = try fastFrame("a,b,c\n1,zz\u{FF},3\n", o)   // b is never parsed
        #expect(f.columnNames == ["c", "a"])
        #expect(f["c"]![0] == .int(3))
    }

    @Test func maxRowsStopsEarly() throws {
        var o = CSVOptions()
        o.maxRows = 2
        // Everything after the second row is malformed: it must never be read.
        let (f, r) = try fastRead("a\n1\n2\n\"unterminated\n3,4\n", o)
        #expect(f.rowCount == 2)
        #expect(r.bytesRead == 6)
        o.maxRows = 0
        #expect(try fastFrame("a\n1\n", o).rowCount == 0)
    }

    @Test func sniffsDelimiters() throws {
        for (text, d) in [("a,b\n1,2\n", ","), ("a\tb\n1\t2\n", "\t"), ("a;b\n1;2\n", ";"), ("a|b\n1|2\n", "|"),
                          ("a;b,c\n1;2,3\n4;5,6\n", ","), ("a;b;c,d\n1;2;3,4\n", ";")] {
            let (f, r) = try fastRead(text)
            #expect(r.delimiter == UInt8(ascii: Unicode.Scalar(d)!), "\(text.debugDescription)")
            #expect(f.columnCount >= 2)
        }
        var o = CSVOptions()
        o.delimiter = UInt8(ascii: ";")
        #expect(try fastFrame("a,b;c\n1,2;3\n", o).columnNames == ["a,b", "c"])
    }

    @Test func headerOnlyGivesColumnsAndNoRows() throws {
        let f = try fastFrame("a,b\n")
        #expect(f.columnNames == ["a", "b"])
        #expect(f.rowCount == 0)
        #expect(f.columns.map(\.type) == [.string, .string])
        var o = CSVOptions()
        o.types = ["a": .int32]
        #expect(try fastFrame("a,b\n", o)["a"]!.type == .int32)
    }

    @Test func forcedTypes() throws {
        var o = CSVOptions()
        o.types = ["a": .int64, "b": .float64, "c": .string, "d": .bool]
        let f = try fastFrame("a,b,c,d\n1,2,3,1\n", o)
        #expect(f.columns.map(\.type) == [.int64, .float64, .string, .bool])
        #expect(f["c"]![0] == .string("3"))
        #expect(f["d"]![0] == .bool(true))
    }

    @Test func duplicateAndEmptyHeaderNamesAreMadeUnique() throws {
        #expect(try fastFrame("a,a,,a\n1,2,3,4\n").columnNames == ["a", "a_2", "column_3", "a_3"])
    }

    @Test func gzipInput() throws {
        let text = "a,b\n1,x\n2,y\n"
        let (f, r) = try CSVReader.read(bytes: gzipStored(Array(text.utf8)), name: "t.csv.gz")
        #expect(f.rowCount == 2)
        #expect(r.bytesRead == text.utf8.count)
        // A real deflate stream (python: gzip.compress(b"a,b\n1,x\n2,y\n" * 3)).
        let real: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xd4, 0x49, 0xe2, 0x32,
                             0xd4, 0xa9, 0xe0, 0x32, 0xd2, 0xa9, 0xe4, 0x4a, 0xc4, 0xc1, 0x06, 0x00, 0x47, 0x78, 0x79,
                             0x67, 0x24, 0x00, 0x00, 0x00]
        let g = try CSVReader.read(bytes: real, name: "t.csv.gz").0
        #expect(g.columnNames == ["a", "b"])
        #expect(g.rowCount == 8)   // the repeated header lines are data rows
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.csv.gz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(gzipStored(Array(text.utf8))))
        #expect(try CSVReader.read(path: path).0.rowCount == 2)
        #expect(try ReferenceCSVReader.read(path: path).0.rowCount == 2)
    }

    @Test func readsFilesLikeBytes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.csv").path
        var text = "id,name,score\n"
        for i in 0..<3000 { text += "\(i),n\(i % 7),\(Double(i) / 4)\n" }
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        var o = CSVOptions()
        o.chunkSize = 997
        let (f, _) = try CSVReader.read(path: path, options: o)
        let (g, _) = try ReferenceCSVReader.read(path: path)
        #expect(sameFrame(f, g))
        #expect(f.columns.map(\.type) == [.int16, .string, .float64])
        #expect(f["name"]!.count == 3000)
        if case .string(_, let dict) = f["name"]!.data { #expect(dict.values == (0..<7).map { "n\($0)" }) }
    }

    @Test func cancellationStopsTheRead() {
        let flag = CancellationFlag()
        flag.cancel()
        var o = CSVOptions()
        o.cancellation = flag
        let e = fastError("a\n1\n", o)
        #expect(e?.kind == .cancelled)
        #expect(e?.message == "reading was cancelled")
    }
}
