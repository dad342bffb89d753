// Map literals `{key: value, ...}` and named arguments in calls (`int(2, 64, step=2)`): their
// shapes, ranges, lines, and every syntax error with its exact message and place.

import Testing
import RecScript

@Suite struct ParserMapTests {
    @Test(arguments: [
        ("{}", "{}"),
        ("{a: 1}", "{a: 1}"),
        ("{C: [0.1, 1, 10], depth: int(2, 64, step=2)}", "{C: [0.1 1 10], depth: (int(2 64 step=2))}"),
        ("{lr: log(1e-4, 1), x: uniform(0, 1),}", "{lr: (log(0.0001 1)), x: (uniform(0 1))}"),
        ("{\"with space\": [a, b], 'q': -1}", "{with space: [a b], q: -1}"),
        ("{hidden: [[64], [64, 32]], on_off: [true, false]}", "{hidden: [[64] [64 32]], on_off: [true false]}"),
        ("{inner: {a: 1}}", "{inner: {a: 1}}"),
        ("{n: 1 + 2 * 3}", "{n: (+ 1 (* 2 3))}"),
        ("f(a, b=2,)", "(f(a b=2))"),
        ("f(b=[1, 2], a)", "(f(b=[1 2] a))"),
    ])
    func shapes(_ source: String, _ expected: String) {
        #expect(expression(source) == expected)
    }

    @Test func anOptionTakesAMapAndMapsSpanLines() {
        let (stmts, diagnostics) = statements("""
            tune logreg on train space={
                C: log(1e-4, 1e2),   # a comment
                penalty: [l1, l2],
                steps: int(2, 64,
                           step=2),
            } trials=20
            x = {a: 1}; y = 2
            """)
        #expect(diagnostics == [])
        #expect(stmts == [
            "tune logreg on:train space={C: (log(0.0001 100.0)), penalty: [l1 l2], steps: (int(2 64 step=2))} trials=20",
            "x = {a: 1}", "y = 2",
        ])
    }

    @Test func keysValuesAndNamedArgumentsKeepTheirRanges() throws {
        let program = Parser.parse(SourceFile(name: "t", text: "x = {C: int(2, 8, step=2), \"d\": [1]}"))
        guard case .assign(_, .expression(let e)) = program.statements[0].kind, case .map(let entries) = e.kind,
              case .call(_, let args) = entries[0].value.kind else {
            Issue.record("not a map of a call"); return
        }
        #expect("\(e.range)" == "1:5-1:37")
        #expect(entries.map(\.key) == ["C", "d"])
        #expect(entries.map { "\($0.keyRange)" } == ["1:6-1:7", "1:28-1:31"])
        #expect("\(entries[0].value.range)" == "1:9-1:26")
        #expect("\(args[2].range)" == "1:19-1:25")
    }

    @Test(arguments: [
        ("x = {C 1}", "1:8: expected ':' after key 'C' in map, found '1'"),
        ("x = {C=1}", "1:7: expected ':' after key 'C' in map, found '='"),
        ("x = {C: 1, C: 2}", "1:12: duplicate key 'C' in map; it is first given at 1:6"),
        ("x = {C: 1, \"C\": 2}", "1:12: duplicate key 'C' in map; it is first given at 1:6"),
        ("x = {1: 2}", "1:6: expected a key (a name or a quoted string) in the map opened at 1:5, found '1'"),
        ("x = {on: 2}", "1:6: 'on' is a reserved word; quote it to use it as a key: \"on\": ..."),
        ("x = {a: }", "1:9: expected a value after 'a:'"),
        ("x = {a: 1,, b: 2}", "1:11: expected a key (a name or a quoted string) in the map opened at 1:5, found ','"),
        ("x = {a: 1 b: 2}", "1:11: expected ',' or '}' in the map opened at 1:5, found 'b'"),
        ("x = {a: 1]", "1:10: expected ',' or '}' in the map opened at 1:5, found ']'"),
        ("x = {a: 1", "1:10: expected ',' or '}' in the map opened at 1:5, found end of input"),
        ("x = {a: [1, 2}", "1:14: expected ',' or ']' in the list opened at 1:9, found '}'"),
        ("x = }", "1:5: expected a value, found '}'"),
        ("x = int(2, 8, step=1, step=2)", "1:23: argument 'step' is given twice; the first is at 1:15"),
        ("x = int(2, step=)", "1:17: expected a value, found ')'"),
    ])
    func errors(_ source: String, _ expected: String) {
        #expect(diagnostics(source) == [expected])
    }

    @Test func anUnclosedMapIsReportedAtItsBraceAndParsingGoesOn() {
        let (stmts, diagnostics) = statements("x = {a: 1,\n  b: 2\ny = 3\nz = {c: 1, c: 2}\nw = 4")
        #expect(diagnostics == [
            "1:5: '{' at 1:5 is not closed; add '}'",
            "4:12: duplicate key 'c' in map; it is first given at 4:6",
        ])
        #expect(stmts == ["y = 3", "z = {c: 1, c: 2}", "w = 4"])
    }

    @Test func anOpenBraceAsksForMoreLines() {
        #expect(Parser.isIncomplete("tune m space={C: [1,"))
        #expect(Parser.isIncomplete("x = {"))
        #expect(!Parser.isIncomplete("x = {a: 1}"))
    }

    @Test func aMapIsAValueForParseExpression() throws {
        let e = try Parser.parseExpression(SourceFile(name: "-p space", text: "{C: [1, 2]}")).get()
        #expect(sexpr(e) == "{C: [1 2]}")
    }
}
