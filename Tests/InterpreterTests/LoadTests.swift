import Foundation
import Testing
import Frame
import Interpreter

/// `load` on small files written to a fresh temporary directory.
@Suite struct LoadTests {
    /// Writes `files` into a new directory and runs `body` with its path; removes it after.
    func withFiles(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        try body(dir.path)
    }

    let listens = """
        user_id,media_id,is_listened,genre,score
        10,101,1,pop,0.5
        20,102,0,"rock, indie",1.25
        10,103,1,,NA
        30,101,0,jazz,2

        """

    @Test func loadsTypedColumnsAndReportsTheShape() throws {
        try withFiles(["l.csv": listens]) { dir in
            let s = Session()
            #expect(s.run("f = load \"\(dir)/l.csv\"") == .ok)
            let f = try #require(s["f"]?.frame)
            #expect(f.columnNames == ["user_id", "media_id", "is_listened", "genre", "score"])
            #expect(f.columns.map(\.type) == [.int8, .int8, .int8, .string, .float64])
            #expect(f.cells("genre") == [.string("pop"), .string("rock, indie"), .null, .string("jazz")])
            #expect(f.cells("score") == [.double(0.5), .double(1.25), .null, .double(2)])
            #expect(s.output == ["loaded \(dir)/l.csv: 4 rows × 5 columns\n"])
        }
    }

    @Test func rowsColumnsAndSeparatorOptions() throws {
        let tsv = "a\tb\tc\n1\t2\t3\n4\t5\t6\n7\t8\t9\n"
        try withFiles(["l.csv": listens, "t.tsv": tsv]) { dir in
            let s = Session()
            #expect(s.run("""
                f = load "\(dir)/l.csv" rows=2 columns=[score, user_id]
                t = load "\(dir)/t.tsv" sep="\\t"
                """) == .ok)
            let f = try #require(s["f"]?.frame)
            #expect(f.columnNames == ["score", "user_id"] && f.rowCount == 2)
            #expect(f.doubles("user_id") == [10, 20])
            let t = try #require(s["t"]?.frame)
            #expect(t.columnNames == ["a", "b", "c"] && t.doubles("c") == [3, 6, 9])
        }
    }

    @Test func aHeaderlessFileGetsTheGivenNames() throws {
        try withFiles(["r.data": "1 2 5\n1 3 4\n2 2 1\n"]) { dir in
            let s = Session()
            #expect(s.run("r = load \"\(dir)/r.data\" sep=\" \" header=false names=[user, item, rating]") == .ok)
            let r = try #require(s["r"]?.frame)
            #expect(r.columnNames == ["user", "item", "rating"])
            #expect(r.doubles("rating") == [5, 4, 1])
        }
    }

    @Test func aMissingFileIsAnIOErrorWithTheWorkingDirectory() throws {
        let s = Session()
        #expect(s.run("print 1\nf = load \"/nonexistent/x.csv\"\nprint 2") == .ioError)
        #expect(s.output == ["1\n"])
        #expect(s.diagnostics.count == 1)
        #expect(s.diagnostics[0].hasPrefix("2:10: "))
        #expect(s.diagnostics[0].contains("/nonexistent/x.csv"))
        #expect(s.notes == [["the working directory is \(FileManager.default.currentDirectoryPath)"]])
    }

    @Test func aRaggedRowFailsWithItsLineUnlessSkipped() throws {
        let ragged = "a,b\n1,2\n3\n4,5\n"
        try withFiles(["r.csv": ragged]) { dir in
            let s = Session()
            #expect(s.run("f = load \"\(dir)/r.csv\"") == .runtimeError)
            #expect(s.diagnostics.count == 1)
            #expect(s.diagnostics[0].contains(":3"))
            #expect(s.notes == [["on_error=skip leaves such rows out; on_error=null keeps them with missing cells"]])

            let t = Session()
            #expect(t.run("f = load \"\(dir)/r.csv\" on_error=skip") == .ok)
            #expect(t["f"]?.frame?.doubles("a") == [1, 4])
            #expect(t.output[0].hasPrefix("loaded \(dir)/r.csv: 2 rows × 2 columns\nskipped 1 malformed row; the first: "))
        }
    }

    @Test func aSeparatorMustBeOneCharacter() throws {
        let s = Session()
        #expect(s.run("f = load \"x.csv\" sep=\";;\"") == .runtimeError)
        #expect(s.diagnostics == [#"1:18: sep must be a single character such as "," or "\t", not ";;""#])
    }

    @Test func selectedColumnsMustBeNamedInAHeaderlessFile() throws {
        let s = Session()
        #expect(s.run("f = load \"x.csv\" header=false names=[a, b] columns=[a, c]") == .runtimeError)
        #expect(s.diagnostics == ["1:44: column 'c' is not among names=[...]"])
    }

    @Test func aLoadedFrameFlowsIntoEveryCommand() throws {
        var text = "user_id,media_id,is_listened\n"
        for u in 1...12 {
            for i in 1...8 where (u + i) % 3 != 0 { text += "\(u),\(100 + i),\((u + i) % 2)\n" }
        }
        try withFiles(["big.csv": text]) { dir in
            let s = Session()
            #expect(s.run("""
                listens = load "\(dir)/big.csv"
                schema listens user=user_id item=media_id label=is_listened
                describe listens
                train, test = split listens ratio=0.8 seed=1
                m = fit baseline on train
                evaluate m on test
                recommend m user=1 top=2
                """) == .ok)
            #expect(s.diagnostics == [])
            #expect(s.lastTable?.rows.count == 2)
        }
    }
}
