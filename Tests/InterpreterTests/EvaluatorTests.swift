import Testing
import Frame
import Interpreter

/// A value written as a test can compare it: `int 3`, `double 3.5`, `string "a"`, `bool true`.
func describe(_ v: Value?) -> String {
    switch v {
    case nil: "unset"
    case .none?: "none"
    case .int(let x)?: "int \(x)"
    case .double(let x)?: "double \(x)"
    case .string(let s)?: "string \"\(s)\""
    case .bool(let b)?: "bool \(b)"
    case .list(let items)?: "[" + items.map { describe($0) }.joined(separator: ", ") + "]"
    case .frame(let f)?: "frame \(f.rowCount)x\(f.columnCount)"
    case .column(let c)?: "column \(c.name)"
    case .model(let m)?: "model \(m.model.kind)"
    case .matrix(let p)?: "matrix \(p.matrix.rows)x\(p.matrix.columns)"
    }
}

@Suite struct EvaluatorTests {
    /// Evaluates `x = <expression>` in a session with a frame `f` and returns x.
    func value(_ expression: String) throws -> String {
        let s = Session()
        s.set("f", try mixedFrame())
        s.set("n", .int(7))
        let status = s.run("x = " + expression)
        guard status == .ok else { return "exit \(status.rawValue): \(s.diagnostics)" }
        return describe(s["x"])
    }

    @Test(arguments: [
        // Integer arithmetic stays integral; '/' always gives a number.
        ("1 + 2", "int 3"), ("7 - 10", "int -3"), ("6 * 7", "int 42"), ("7 / 2", "double 3.5"), ("8 / 2", "double 4.0"),
        ("7 % 3", "int 1"), ("-7 % 3", "int -1"), ("n * 2 + 1", "int 15"), ("2 + 3 * 4", "int 14"), ("(2 + 3) * 4", "int 20"),
        // Mixed and float arithmetic.
        ("1 + 2.5", "double 3.5"), ("2.5 * 2", "double 5.0"), ("7.5 % 2", "double 1.5"), ("1 - 0.25", "double 0.75"),
        ("-n", "int -7"), ("-(1.5)", "double -1.5"), ("- -3", "int 3"),
        ("\"ab\" + \"cd\"", "string \"abcd\""),
        ("9223372036854775806 + 1", "int 9223372036854775807"),
        // Comparisons.
        ("1 < 2", "bool true"), ("2 <= 2", "bool true"), ("3 > 4", "bool false"), ("3 >= 3.5", "bool false"),
        ("1 == 1.0", "bool true"), ("1 != 2", "bool true"), ("\"a\" < \"b\"", "bool true"), ("\"b\" >= \"b\"", "bool true"),
        ("\"a\" == \"a\"", "bool true"), ("\"a\" == 1", "bool false"), ("null == null", "bool true"),
        ("true == true", "bool true"), ("true != false", "bool true"), ("1 == true", "bool false"),
        // Logic.
        ("true and false", "bool false"), ("true or false", "bool true"), ("not false", "bool true"),
        ("true or 1 / 0 > 1", "bool true"), ("false and 1 / 0 > 1", "bool false"),
        ("1 < 2 and 3 < 4", "bool true"), ("not 1 == 2 or false", "bool true"),
        // Membership and nulls.
        ("2 in [1, 2, 3]", "bool true"), ("5 in [1, 2]", "bool false"), ("5 not in [1, 2]", "bool true"),
        ("2.0 in [1, 2]", "bool true"), ("\"a\" in [\"b\", \"a\"]", "bool true"), ("null in [1, null]", "bool true"),
        ("n in []", "bool false"),
        ("null is null", "bool true"), ("1 is null", "bool false"), ("1 is not null", "bool true"),
        ("null is not null", "bool false"),
        // Literals, lists, variables and columns.
        ("\"text\"", "string \"text\""), ("true", "bool true"), ("null", "none"), ("[1, \"a\", [true]]", "[int 1, string \"a\", [bool true]]"),
        ("n", "int 7"), ("f", "frame 8x4"), ("f.score", "column score"), ("[f.genre, n]", "[column genre, int 7]"),
    ])
    func evaluates(_ expression: String, _ expected: String) throws {
        #expect(try value(expression) == expected)
    }

    @Test(arguments: [
        ("9223372036854775807 + 1", "1:5: integer overflow"),
        ("-9223372036854775807 - 2", "1:5: integer overflow"),
        ("4611686018427387904 * 2", "1:5: integer overflow"),
        ("1 / 0", "1:5: division by zero"),
        ("1.5 / 0", "1:5: division by zero"),
        ("n / 0.0", "1:5: division by zero"),
        ("5 % 0", "1:5: remainder by zero"),
        ("5.5 % 0", "1:5: remainder by zero"),
        ("1 + (2 / 0)", "1:9: division by zero"),
        ("\"a\" + 1", "1:5: '+' needs numbers, not a string and an integer"),
        ("true * 2", "1:5: '*' needs numbers, not a boolean and an integer"),
        ("\"a\" - \"b\"", "1:5: '-' needs numbers, not a string and a string"),
        ("[1] + [2]", "1:5: '+' needs numbers, not a list and a list"),
        ("-\"a\"", "1:5: cannot negate a string"),
        ("-true", "1:5: cannot negate a boolean"),
        ("not 1", "1:9: 'not' needs true or false"),
        ("1 and true", "1:5: 'and' needs true or false on both sides"),
        ("false or null", "1:14: 'or' needs true or false on both sides"),
        ("1 < \"a\"", "1:5: cannot compare an integer with a string"),
        ("null > 1", "1:5: cannot compare nothing with an integer"),
        ("f < 1", "1:5: cannot compare a frame with an integer"),
        ("1 in 5", "1:10: 'in' needs a list on its right, such as [1, 2, 3]"),
        ("n.col", "1:5: '.col' selects a column of a frame or an attribute of a model, but 'n' is an integer"),
        ("f.scroe", "1:5: column 'scroe' not found; did you mean 'score'?"),
        ("mean(f.score)", "1:5: 'mean(…)' is a column function; it is valid inside the expressions of commands such as filter, derive and group"),
    ])
    func runtimeErrorsAreLocated(_ expression: String, _ expected: String) throws {
        let s = Session()
        s.set("f", try mixedFrame())
        s.set("n", .int(7))
        #expect(s.run("x = " + expression) == .runtimeError)
        #expect(s.diagnostics == [expected])
        #expect(s["x"] == nil)
    }

    @Test func anUnknownColumnListsTheColumns() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        s.run("print f.nope")
        #expect(s.diagnostics == ["1:7: column 'nope' not found"])
        #expect(s.notes == [["columns: user_id, score, genre, liked"]])
    }

    @Test func aRuntimeErrorStopsTheScriptAfterEarlierStatementsRan() {
        let s = Session()
        #expect(s.run("print 1\nx = 2\nprint x / 0\nprint 3\ny = 4") == .runtimeError)
        #expect(s.output == ["1\n"])
        #expect(s.diagnostics == ["3:7: division by zero"])
        #expect(describe(s["x"]) == "int 2")
        #expect(s["y"] == nil)
    }

    @Test func anInteractiveRuntimeErrorKeepsTheSession() {
        let s = Session()
        #expect(s.enter("x = 1; y = x / 0; z = 3") == .runtimeError)
        #expect(s.diagnostics == ["1:12: division by zero"])
        #expect(describe(s["x"]) == "int 1" && s["z"] == nil)
        #expect(s.enter("print x") == .ok)
    }
}

@Suite struct PrintTests {
    @Test(arguments: [
        ("print \"hello\"", "hello\n"),
        ("print 0.8 * 100", "80\n"),
        ("print 2 / 3", "0.6667\n"),
        ("print 42", "42\n"),
        ("print [1, \"a\", true]", "[1, \"a\", true]\n"),
        ("print null", "null\n"),
        ("print 1 == 1", "true\n"),
        ("print \"a\\tb\"", "a\tb\n"),
    ])
    func printsValues(_ script: String, _ expected: String) {
        let s = Session()
        #expect(s.run(script) == .ok)
        #expect(s.output == [expected])
    }

    @Test func printAFrameShowsItsTable() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("print f") == .ok)
        #expect(s.lastTable?.columns.map(\.name) == ["user_id", "score", "genre", "liked"])
        #expect(s.lastTable?.rows.count == 8)
    }

    @Test func aBareVariableShowsItself() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        s.set("n", .double(2.5))
        #expect(s.run("n\nf\nprint f.score") == .ok)
        #expect(s.output[0] == "2.5\n")
        #expect(s.lastTable?.columns.map(\.name) == ["score"])
        #expect(s.results[1].blocks.count == 1)
        guard case .table(let t) = s.results[1].blocks[0] else { Issue.record("not a table"); return }
        #expect(t.title == "f")
    }

    @Test func assignmentsShowABrief() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("x = 1 + 1\ng = head f 3") == .ok)
        // A plain value assignment shows nothing; a command's result shows a brief.
        #expect(s.output == ["g = frame 3 rows × 4 columns\n"])
        #expect(s.statements.map(\.line) == [2])
        #expect(s.statements.map(\.source) == ["g = head f 3"])
    }
}

@Suite struct ParameterTests {
    @Test(arguments: [
        ("5", "int 5"), ("-2", "int -2"), ("0.25", "double 0.25"), ("true", "bool true"), ("\"x y\"", "string \"x y\""),
        ("[1, 2]", "[int 1, int 2]"), ("null", "none"), ("abc", "string \"abc\""), ("data/x.csv", "string \"data/x.csv\""),
        ("1 + 2", "string \"1 + 2\""), ("5; 6", "string \"5; 6\""), ("\"open", "string \"\"open\""),
    ])
    func overridesAreLiteralsOrElseText(_ text: String, _ expected: String) {
        let s = Session(parameters: ["p": text])
        #expect(s.run("param p = 3\nx = p") == .ok)
        #expect(describe(s["x"]) == expected)
    }

    @Test func defaultsAreEvaluatedWhenNotOverridden() {
        let s = Session()
        #expect(s.run("param n = 2 * 3\nparam m = n + 1\nprint m") == .ok)
        #expect(s.output == ["7\n"])
        #expect(s.interpreter.declaredParameters == ["n", "m"])
    }

    @Test func anOverrideReplacesTheDefault() {
        let s = Session(parameters: ["n": "5"])
        #expect(s.run("param n = 3\nprint n * 2") == .ok)
        #expect(s.output == ["10\n"])
    }

    @Test func anUnknownParameterIsAUsageErrorBeforeAnythingRuns() {
        let s = Session(parameters: ["nn": "5"])
        #expect(s.run("print \"start\"\nparam n = 3\nparam rows = 10") == .usage)
        #expect(s.results.isEmpty)
        #expect(s.diagnostics == ["-: unknown parameter 'nn'; did you mean 'n'?"])
        #expect(s.notes == [["parameters: n, rows"]])
    }

    @Test func aScriptWithoutParametersTakesNone() {
        let s = Session(parameters: ["n": "5"])
        #expect(s.run("print 1") == .usage)
        #expect(s.results.isEmpty)
        #expect(s.diagnostics == ["-: unknown parameter 'n'"])
        #expect(s.notes == [["the script declares no parameters"]])
    }
}
