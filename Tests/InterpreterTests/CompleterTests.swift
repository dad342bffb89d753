import Foundation
import Testing
import Frame
import Interpreter

@Suite struct CompleterTests {
    /// A session with frames `listens` and `other`, a model-free number `k`, a string `name`.
    func completer() throws -> Completer {
        let s = Session()
        s.set("listens", try DataFrame([.integers("user_id", [1]), .integers("media_id", [2]), .doubles("user_age", [3])]))
        s.set("other", try DataFrame([.integers("x", [1])]))
        s.set("k", .int(3))
        s.set("name", .string("a"))
        return Completer(interpreter: s.interpreter)
    }

    /// Completions with the cursor at the end of `line`.
    func complete(_ line: String) throws -> Completion {
        try completer().complete(line: line, cursor: line.utf8.count)
    }

    @Test(arguments: [
        ("he", 0, ["head", "help"]),
        ("sp", 0, ["split"]),
        ("  des", 2, ["describe"]),
        ("x = sp", 4, ["split"]),
        ("a, b = sp", 7, ["split"]),
        ("x = 1; he", 7, ["head", "help"]),
        ("li", 0, ["listens"]),
        ("zz", 0, [String]()),
    ])
    func commandsAndVariablesAtTheStart(_ line: String, _ start: Int, _ expected: [String]) throws {
        let c = try complete(line)
        #expect(c.start == start)
        #expect(c.candidates == expected)
    }

    @Test func everythingAtAnEmptyLine() throws {
        let c = try complete("")
        #expect(c.candidates == (CommandRegistry.standard.names + ["k", "listens", "name", "other"]).sorted())
    }

    @Test(arguments: [
        ("split listens ra", ["ratio="]),
        ("split listens ", ["by", "last=", "ratio=", "seed="]),
        ("split listens ratio=0.8 ", ["by", "last=", "seed="]),
        ("fit ba", ["baseline"]),
        ("fit baseline ", ["epochs=", "on", "reg_item=", "reg_user="]),
        ("fit baseline o", ["on"]),
        ("fit baseline on ", ["listens", "other"]),
        ("fit baseline on l", ["listens"]),
        ("head ", ["listens", "other"]),
        ("head li", ["listens"]),
        ("head listens ", ["k", "name"]),
        ("load \"x\" on_error=", ["fail", "null", "skip"]),
        ("load \"x\" header=", ["false", "true"]),
        ("recommend m user=1 exclude_seen=t", ["true"]),
        ("evaluate m on listens metrics=[a", ["accuracy", "auc"]),
        ("evaluate m on listens metrics=[auc, r", ["recall", "recall_at_k", "rmse"]),
        ("help des", ["describe"]),
        ("help sy", ["syntax"]),
        ("frobnicate ", [String]()),
        // Inside an open map nothing is offered; after it, the command's options again.
        ("split listens seed={a: [1, ", [String]()),
        ("split listens seed={a: [1]} ra", ["ratio="]),
    ])
    func afterACommand(_ line: String, _ expected: [String]) throws {
        #expect(try complete(line).candidates == expected)
    }

    @Test(arguments: [
        ("print listens.", ["listens.media_id", "listens.user_age", "listens.user_id"]),
        ("print listens.user_", ["listens.user_age", "listens.user_id"]),
        ("x = other.", ["other.x"]),
        ("print k.", [String]()),
        ("print nope.", [String]()),
    ])
    func columnsAfterAFrameAndADot(_ line: String, _ expected: [String]) throws {
        let c = try complete(line)
        #expect(c.candidates == expected)
        #expect(c.start == 6 || c.start == 4)
    }

    @Test(arguments: [
        ("describe listens columns=[", ["media_id", "user_age", "user_id"]),
        ("describe listens columns=[user_id, u", ["user_age", "user_id"]),
        ("schema listens user=", ["media_id", "user_age", "user_id"]),
        ("schema listens label=user_a", ["user_age"]),
        ("x = load \"f.csv\" columns=[", [String]()),
    ])
    func columnsInsideOptions(_ line: String, _ expected: [String]) throws {
        #expect(try complete(line).candidates == expected)
    }

    @Test func filePathsInsideAString() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("completer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in ["a.csv", "b.csv.gz", ".hidden"] {
            #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent(file).path, contents: Data()))
        }
        let path = dir.path + "/"
        let line = "x = load \"" + path
        let c = try complete(line)
        #expect(c.start == 10)
        #expect(c.candidates == [path + "a.csv\"", path + "b.csv.gz\"", path + "sub/"])
        #expect(try complete(line + "b").candidates == [path + "b.csv.gz\""])
        #expect(try complete(line + ".").candidates == [path + ".hidden\""])
        #expect(try complete(line + "sub/").candidates == [])
        // A path in single quotes is closed with a single quote.
        #expect(try complete("x = load '" + path + "a").candidates == [path + "a.csv'"])
        // Past the closing quote, completion is back to options.
        #expect(try complete(line + "a.csv\" ro").candidates == ["rows="])
    }

    @Test func aPathOptionStartsAString() throws {
        #expect(try complete("x = load ").candidates == ["\"", "columns=", "header=", "names=", "on_error=", "rows=", "sep=", "types="])
    }

    @Test func theCursorNeedNotBeAtTheEnd() throws {
        let line = "split listens ra and more"
        let c = try completer().complete(line: line, cursor: 16)
        #expect(c.start == 14 && c.candidates == ["ratio="])
    }

    @Test(arguments: [
        (":ti", 0, [":timer"]),
        (":", 0, [":format", ":help", ":quit", ":save", ":timer", ":vars"]),
        ("  :q", 2, [":quit"]),
        (":format j", 8, ["json"]),
        (":format ", 8, ["csv", "json", "markdown", "table"]),
        (":timer o", 7, ["off", "on"]),
        (":vars x", 6, [String]()),
    ])
    func metaCommands(_ line: String, _ start: Int, _ expected: [String]) throws {
        let c = try complete(line)
        #expect(c.start == start)
        #expect(c.candidates == expected)
    }
}
