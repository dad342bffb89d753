// Every bad input: the kind, the message and the location (line, column, name), under each
// error policy, and the counts and examples of the report.

import Foundation
import Testing
@testable import Frame

@Suite struct CSVReaderErrorTests {
    @Test func raggedRowNamesTheLine() {
        let e = fastError("a,b,c\n1,2,3\n\"x\ny\",2\n4,5,6\n")
        #expect(e?.kind == .raggedRow)
        #expect(e?.line == 3)
        #expect(e?.message == "expected 3 fields, found 2")
        #expect(e?.description == "t.csv:3: expected 3 fields, found 2")
    }

    @Test func raggedRowLineAfterMultilineQuotesAndCRLF() {
        let e = fastError("a,b\r\n\"1\r\n2\r\n3\",x\r\n5\r\n", csvOptions(chunk: 3))
        #expect(e?.line == 5)
        #expect(e?.message == "expected 2 fields, found 1")
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        let e = fastError("a,b\n1,2\n3,\"never\nclosed\n4,5\n", csvOptions(chunk: 4))
        #expect(e?.kind == .unterminatedQuote)
        #expect(e?.line == 3)
        #expect(e?.column == 2)
        #expect(e?.columnName == "b")
        var o = CSVOptions()
        o.onError = .skip
        #expect(fastError("a,b\n1,2\n3,\"never\n", o)?.kind == .unterminatedQuote)
    }

    @Test func invalidUTF8InATextCell() {
        let bytes = Array("a,b\n1,ok\n2,".utf8) + [0x61, 0xFF] + Array("\n".utf8)
        do {
            _ = try CSVReader.read(bytes: bytes, name: "t.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidUTF8)
            #expect(error.line == 3)
            #expect(error.column == 2)
            #expect(error.columnName == "b")
            #expect(error.message == "invalid utf-8 in cell (byte 0xff at offset 1); re-encode the file as utf-8")
        }
    }

    @Test func textInAForcedNumericColumn() {
        var o = CSVOptions()
        o.types = ["n": .int32]
        let e = fastError("id,n\n1,2\n2,abc\n", o)
        #expect(e?.kind == .badValue)
        #expect(e?.description == "t.csv:3: column 2 ('n'): cannot read 'abc' as int32")
        o.types = ["n": .int8]
        #expect(fastError("id,n\n1,200\n", o)?.message == "value 200 is out of range for int8")
    }

    @Test func unknownColumnSuggests() {
        var o = CSVOptions()
        o.columns = ["usr_id"]
        let e = fastError("user_id,age\n1,2\n", o)
        #expect(e?.kind == .unknownColumn)
        #expect(e?.message == "unknown column 'usr_id' in columns; did you mean 'user_id'? (columns: user_id, age)")
        o = CSVOptions()
        o.types = ["nope": .int8]
        #expect(fastError("a\n1\n", o)?.kind == .unknownColumn)
    }

    @Test func badOptions() {
        var o = CSVOptions()
        o.names = ["x"]
        #expect(fastError("a,b\n1,2\n", o)?.message == "1 names given but the header has 2 fields; give one name per field")
        o = CSVOptions()
        o.delimiter = UInt8(ascii: "\"")
        #expect(fastError("a\n", o)?.kind == .badOption)
        o = CSVOptions()
        o.columns = ["a", "a"]
        #expect(fastError("a\n1\n", o)?.kind == .badOption)
    }

    @Test func emptyInput() {
        #expect(fastError("")?.kind == .empty)
        #expect(fastError("")?.message == "file is empty; expected a header line")
        #expect(fastError("\n\r\n")?.kind == .empty)
    }

    @Test func fileSystemErrors() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func error(_ path: String) -> CSVError? {
            do { _ = try CSVReader.read(path: path); return nil } catch { return error }
        }
        let missing = error(dir.appendingPathComponent("nope.csv").path)
        #expect(missing?.kind == .notFound)
        #expect(missing?.message == "no such file; check the path")
        #expect(missing?.isIOError == true)
        #expect(error(dir.path)?.kind == .isDirectory)
        #expect(error(dir.path)?.message == "is a directory, not a csv file")
        let locked = dir.appendingPathComponent("locked.csv").path
        _ = FileManager.default.createFile(atPath: locked, contents: Data("a\n1\n".utf8))
        chmod(locked, 0)
        if getuid() != 0 {   // root reads anything
            #expect(error(locked)?.kind == .unreadable)
        }
        let empty = dir.appendingPathComponent("empty.csv").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(error(empty)?.kind == .empty)
        let corrupt = dir.appendingPathComponent("bad.csv.gz").path
        _ = FileManager.default.createFile(atPath: corrupt, contents: Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]))
        #expect(error(corrupt)?.kind == .unreadable)
    }

    @Test func skipPolicyCountsAndExamples() throws {
        var o = CSVOptions()
        o.onError = .skip
        o.types = ["n": .int16]
        let text = "id,n\n1,5\n2,x\n3\n4,7\n5,70000\n"
        let (f, r) = try fastRead(text, o)
        #expect(f.rowCount == 2)
        #expect(f["id"]!.int64Values() == [1, 4])
        #expect(r.skippedRows == 3)
        #expect(r.nulledCells == 0)
        #expect(r.examples.map(\.line) == [3, 4, 6])
        #expect(r.examples.map(\.kind) == [.badValue, .raggedRow, .badValue])
    }

    @Test func skippingEveryRowGivesAnEmptyFrameOfTheRightColumns() throws {
        var o = CSVOptions()
        o.onError = .skip
        o.types = ["n": .int32]
        for chunk in [nil, 1, 4] as [Int?] {
            o.chunkSize = chunk
            let (f, r) = try fastRead("id,n\n1,a\n2,b\n3,c\n", o)
            #expect(f.rowCount == 0)
            #expect(f.columnNames == ["id", "n"])
            #expect(f["n"]?.type == .int32)
            #expect(r.skippedRows == 3)
        }
    }

    @Test func nullPolicyNullsCellsAndSkipsRaggedRows() throws {
        var o = CSVOptions()
        o.onError = .null
        o.types = ["n": .int16]
        let (f, r) = try fastRead("id,n\n1,5\n2,x\n3\n4,7\n", o)
        #expect(f.rowCount == 3)
        #expect(f["n"]![1] == .null)
        #expect(r.nulledCells == 1)
        #expect(r.skippedRows == 1)
        #expect(r.examples.count == 2)
    }

    @Test func examplesAreCappedButCountsAreNot() throws {
        var o = CSVOptions()
        o.onError = .skip
        var text = "a,b\n"
        for i in 0..<50 { text += i % 2 == 0 ? "\(i)\n" : "\(i),\(i)\n" }
        let (f, r) = try fastRead(text, csvOptions(o, chunk: 16))
        #expect(f.rowCount == 25)
        #expect(r.skippedRows == 25)
        #expect(r.examples.count == CSVChunkParser.maxExamples)
        #expect(r.examples.first?.line == 2)
    }
}
