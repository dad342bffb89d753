// Search spaces written as map literals: each kind of dimension, and every mistake located at
// the key, value or argument at fault. And a map where a value is needed: a located error.

import Testing
import Learn
import RecScript
import Interpreter

@Suite struct SearchSpaceSyntaxTests {
    func space(_ text: String) throws(RuntimeError) -> SearchSpace {
        let e = try! Parser.parseExpression(SourceFile(name: "t", text: text)).get()
        return try SearchSpace(syntax: e)
    }

    /// `line:col: message` of the error building the space from `text`.
    func problem(_ text: String) -> String {
        do {
            let s = try space(text)
            return "no error: \(s)"
        } catch {
            return "\(error.range.map { "\($0.start)" } ?? "-"): \(error.message)"
        }
    }

    @Test func everyKindOfDimension() throws {
        let s = try space("""
            {C: log(1e-4, 100), penalty: [l1, "l2"], depth: int(2, 12), leaves: int(8, 256, step=8),
             odd: int(1, 9, 2), frac: uniform(0.5, 1), hidden: [[64], [64, 32]], seed: 7, flag: [true, false],
             rate: [0.1, 1, -2]}
            """)
        #expect(s.names == ["C", "penalty", "depth", "leaves", "odd", "frac", "hidden", "seed", "flag", "rate"])
        #expect(s.entries.map(\.dimension) == [
            .logUniform(lo: 1e-4, hi: 100), .values([.choice("l1"), .choice("l2")]), .integers(lo: 2, hi: 12, step: 1),
            .integers(lo: 8, hi: 256, step: 8), .integers(lo: 1, hi: 9, step: 2), .uniform(lo: 0.5, hi: 1),
            .values([.ints([64]), .ints([64, 32])]), .values([.int(7)]), .values([.bool(true), .bool(false)]),
            .values([.number(0.1), .int(1), .int(-2)]),
        ])
        #expect(s.entries.map(\.dimension.description)[0...4] == ["log(0.0001, 100)", "[l1, l2]", "int(2, 12)",
                                                                 "int(8, 256, step=8)", "int(1, 9, step=2)"])
    }

    @Test(arguments: [
        ("[1, 2]", "1:1: space= takes a map of hyperparameters to values, such as {C: log(1e-4, 1), depth: [4, 8]}"),
        ("{}", "1:1: the search space is empty; name at least one hyperparameter, such as {C: [0.1, 1, 10]}"),
        ("{C: []}", "1:5: 'C' lists no values; give at least one, such as [1, 10]"),
        ("{C: [1, 1]}", "1:9: 'C' lists 1 twice"),
        ("{C: [1, x + 1]}", "1:9: the values of 'C' are written as literals: numbers, words, true or false, or lists of whole numbers"),
        ("{h: [[64, 0.5]]}", "1:11: a list value of 'h' holds whole numbers only, such as [64, 32]"),
        ("{C: lg(1e-4, 1)}", "1:5: unknown range 'lg(…)' for 'C'; did you mean 'log'?"),
        ("{C: log(0, 1)}", "1:5: 'C' needs a lower bound above 0 (a log range), not 0; use uniform(lo, hi) for ranges that reach 0"),
        ("{C: uniform(1, 0.5)}", "1:5: 'C' needs its lower bound below its upper bound, not 1 and 0.5"),
        ("{C: log(1e-4)}", "1:5: log(…) takes two bounds: log(lo, hi)"),
        ("{C: log(1e-4, hi)}", "1:15: log(…) takes numbers: log(lo, hi)"),
        ("{d: int(2, 8.5)}", "1:12: int(…) takes whole numbers: int(lo, hi) or int(lo, hi, step=s)"),
        ("{d: int(2, 8, stpe=2)}", "1:15: int(…) takes no argument 'stpe'; did you mean 'step'?"),
        ("{d: int(2, 8, step=0)}", "1:5: 'd' has step=0; the step must be at least 1"),
        ("{d: int(8, 2)}", "1:5: 'd' runs from 8 down to 2; write the smaller bound first"),
        ("{x: uniform(0, 1, step=1)}", "1:19: uniform(…) takes no argument 'step'"),
        ("{x: {y: 1}}", "1:5: 'x' cannot hold a map; give a list [a, b], int(lo, hi), uniform(lo, hi) or log(lo, hi)"),
    ])
    func mistakesAreLocated(_ text: String, _ expected: String) {
        #expect(problem(text) == expected)
    }

    @Test func anUnknownRangeListsTheForms() {
        do {
            _ = try space("{C: normal(0, 1)}")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .script)
            #expect(error.notes == ["a dimension is a list [a, b], int(lo, hi), int(lo, hi, step=s), uniform(lo, hi) or log(lo, hi)"])
        }
    }

    @Test(arguments: ["x = {a: 1}", "x = [1, {a: [1, 2]}]", "print {C: 1}"])
    func aMapIsNotAValue(_ script: String) {
        let s = Session()
        #expect(s.run(script) == .runtimeError)
        #expect(s.diagnostics.count == 1)
        #expect(s.diagnostics[0].hasSuffix(": a map {…} is not a value; maps are option values of commands, such as a search space: tune … space={C: log(1e-4, 1), depth: [4, 8]}"))
        #expect(s["x"] == nil)
    }

    @Test func columnFunctionsTakeNoNamedArguments() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("g = filter f where abs(x=score) > 1") == .runtimeError)
        #expect(s.diagnostics == ["1:24: column functions take no named arguments; remove 'x='"])
    }
}
