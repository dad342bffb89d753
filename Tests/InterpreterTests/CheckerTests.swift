import Testing
import Frame
import Interpreter

/// Mistakes found before anything runs: the script exits 65 and prints nothing.
@Suite struct CheckerTests {
    /// Runs `script` after `print "start"` with a frame `f` and a model-free session, and
    /// expects exit 65, nothing printed, and exactly `expected` (line numbers counted from
    /// the script's own first line).
    func expectScriptError(_ script: String, _ expected: [String], notes: [[String]]? = nil,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let s = Session()
        s.set("f", try mixedFrame())
        let status = s.run("print \"start\"\n" + script)
        #expect(status == .scriptError, sourceLocation: sourceLocation)
        #expect(s.results.isEmpty, "nothing runs", sourceLocation: sourceLocation)
        let shifted = expected.map { d -> String in
            let parts = d.split(separator: ":", maxSplits: 1)
            guard let line = Int(parts[0]) else { return d }
            return "\(line + 1):\(parts[1])"
        }
        #expect(s.diagnostics == shifted, sourceLocation: sourceLocation)
        if let notes { #expect(s.notes == notes, sourceLocation: sourceLocation) }
    }

    @Test func unknownCommandWithSuggestion() throws {
        try expectScriptError("lod \"x.csv\"", ["1:1: unknown command 'lod'; did you mean 'load'?"],
                              notes: [["'help' lists the commands"]])
        try expectScriptError("describ f", ["1:1: unknown command 'describ'; did you mean 'describe'?"])
        try expectScriptError("frobnicate f", ["1:1: unknown command 'frobnicate'"])
    }

    @Test func anUnknownBareNameIsACommandOrVariable() throws {
        try expectScriptError("hed", ["1:1: unknown command or variable 'hed'; did you mean 'head'?"])
        try expectScriptError("ff", ["1:1: unknown command or variable 'ff'; did you mean 'f'?"])
    }

    @Test func unknownOptionWithSuggestion() throws {
        try expectScriptError("a, b = split f rato=0.5", ["1:16: unknown option 'rato' for 'split'; did you mean 'ratio'?"],
                              notes: [["options: ratio, last, seed"]])
        try expectScriptError("head f rows=5", ["1:8: unknown option 'rows' for 'head'"],
                              notes: [["'head' takes no options"]])
    }

    @Test func tooManyArguments() throws {
        try expectScriptError("head f 5 6", ["1:10: too many arguments to 'head'; it takes 2 positional arguments"],
                              notes: [["usage: head <frame> [n]"]])
        try expectScriptError("shape f f", ["1:9: too many arguments to 'shape'; it takes 1 positional argument"])
    }

    @Test func missingRequiredArguments() throws {
        try expectScriptError("head", ["1:1: 'head' needs a frame (frame)"], notes: [["usage: head <frame> [n]"]])
        try expectScriptError("m = fit baseline", ["1:5: 'fit' needs a frame after 'on'"])
        try expectScriptError("print", ["1:1: 'print' needs 'value'"])
    }

    @Test func aClauseThatDoesNotApply() throws {
        try expectScriptError("head f on f", ["1:8: 'on' does not apply to 'head'"],
                              notes: [["usage: head <frame> [n]"]])
        try expectScriptError("describe f where f", ["1:12: 'where' does not apply to 'describe'"])
    }

    @Test func anArgumentGivenTwice() throws {
        try expectScriptError("head f 5 n=6", ["1:10: 'n' is given twice to 'head'"], notes: [["first given at 2:8"]])
    }

    @Test(arguments: [
        ("head f \"x\"", "1:8: n must be an integer, not a string"),
        ("head f 1.5", "1:8: n must be an integer, not a number"),
        ("head f -1", "1:8: n must be at least 0, not -1"),
        ("head f [1]", "1:8: n must be an integer, not a list"),
        ("head 5", "1:6: frame must be a variable holding a frame, not an integer"),
        ("head \"f\"", "1:6: frame must be a variable holding a frame, not a string"),
        ("m = fit baselin on f", "1:9: unknown model 'baselin'; did you mean 'baseline'?"),
        ("m = fit \"svdd\" on f", "1:9: unknown model 'svdd'; did you mean 'svd'?"),
        ("m = fit [baseline] on f", "1:9: model must be one of baseline, popular, svd, mf, als, itemknn, neural, logreg, forest, gbt, svc, knn, mlp, not a list"),
        ("m = fit baseline on f reg_user=-1", "1:32: reg_user must be at least 0, not -1"),
        ("m = fit baseline on f epochs=0", "1:30: epochs must be at least 1, not 0"),
        ("m = fit baseline on f epochs=1001", "1:30: epochs must be at most 1000, not 1001"),
        ("m = fit baseline on f reg_item=\"a\"", "1:32: reg_item must be a number, not a string"),
        ("a, b = split f ratio=2", "1:22: ratio must be at most 1, not 2"),
        ("a, b = split f ratio=-0.5", "1:22: ratio must be at least 0, not -0.5"),
        ("a, b = split f seed=true", "1:21: seed must be an integer, not a boolean"),
        ("load 5", "1:6: path must be a string in quotes, not an integer"),
        ("x = load \"a.csv\" header=1", "1:25: header must be true or false, not an integer"),
        ("x = load \"a.csv\" sep=null", "1:22: sep must be a string in quotes, not null"),
        ("x = load \"a.csv\" on_error=ignore", "1:27: unknown on_error 'ignore'"),
        ("schema f user=3", "1:15: user must be a column name, not an integer"),
        ("evaluate f on f metrics=[auc, acuracy]", "1:31: unknown metrics 'acuracy'; did you mean 'accuracy'?"),
        ("evaluate f on f metrics=rsme", "1:25: unknown metrics 'rsme'; did you mean 'rmse'?"),
    ])
    func literalsOfTheWrongKind(_ script: String, _ expected: String) throws {
        try expectScriptError(script, [expected])
    }

    @Test func unknownVariableWithSuggestion() throws {
        try expectScriptError("listens = head f\nhead listen", ["2:6: unknown variable 'listen'; did you mean 'listens'?"])
        try expectScriptError("print zzz", ["1:7: unknown variable 'zzz'"])
        try expectScriptError("print [1, f.score, fg]", ["1:20: unknown variable 'fg'; did you mean 'f'?"])
        try expectScriptError("describe f columns=[ff.x]", ["1:21: unknown variable 'ff'; did you mean 'f'?"])
        // Replacing every character is no typo: 'g' does not suggest 'f'.
        try expectScriptError("print g", ["1:7: unknown variable 'g'"])
    }

    @Test func aVariableIsKnownOnlyAfterItsAssignment() throws {
        try expectScriptError("print x\nx = 1", ["1:7: unknown variable 'x'"])
    }

    @Test func bareColumnWordsAreNotVariables() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("d = describe f columns=[score, \"genre\", f.liked]") == .ok)
        #expect(s.diagnostics == [])
    }

    @Test func assigningToACommandName() throws {
        try expectScriptError("head = 1", ["1:1: 'head' is a command; choose another name for the variable"])
        try expectScriptError("a, load = split f", ["1:4: 'load' is a command; choose another name for the variable"])
        try expectScriptError("param print = 1", ["1:7: 'print' is a command; choose another name for the variable"])
    }

    @Test func assigningANameTwiceInOneStatement() throws {
        try expectScriptError("a, a = split f", ["1:4: 'a' is assigned twice in one statement"])
    }

    @Test func theWrongNumberOfAssignmentTargets() throws {
        try expectScriptError("x = split f", ["1:5: 'split' gives 2 values; assign them to two names: a, b = split …"])
        try expectScriptError("a, b = head f", ["1:8: 'head' gives 1 value; assign it to one name"])
        try expectScriptError("x = print 1", ["1:5: 'print' gives no value to assign"])
        try expectScriptError("x = schema f", ["1:5: 'schema' gives no value to assign"])
        try expectScriptError("a, b = 5", ["1:1: a value cannot be assigned to 2 names"])
    }

    @Test func everyProblemIsReportedInOrder() throws {
        try expectScriptError("""
            lod "a.csv"
            head f 1 2
            x = split f
            print y
            """, [
                "1:1: unknown command 'lod'; did you mean 'load'?",
                "2:10: too many arguments to 'head'; it takes 2 positional arguments",
                "3:5: 'split' gives 2 values; assign them to two names: a, b = split …",
                "4:7: unknown variable 'y'",
            ])
    }

    @Test func syntaxErrorsStopTheScriptBeforeChecking() throws {
        let s = Session()
        #expect(s.run("print 1\nx = [1 2]\nlod") == .scriptError)
        #expect(s.results.isEmpty)
        #expect(s.diagnostics == ["2:8: expected ',' or ']' in the list opened at 2:5, found '2'"])
    }

    @Test func paramIsForScriptsOnly() throws {
        let s = Session()
        #expect(s.enter("param n = 5") == .scriptError)
        #expect(s.diagnostics ==
                ["1:1: 'param' declares a script parameter and is allowed only in scripts; assign instead: n = …"])
        #expect(s["n"] == nil)
        let script = Session()
        #expect(script.run("param n = 5\nprint n") == .ok)
        #expect(script.output == ["5\n"])
    }

    @Test func aSessionsVariablesAreKnownToLaterEntries() throws {
        let s = Session()
        #expect(s.enter("total = 41") == .ok)
        #expect(s.enter("print total + 1") == .ok)
        #expect(s.output == ["42\n"])
        #expect(s.enter("print totl") == .scriptError)
        #expect(s.diagnostics == ["1:7: unknown variable 'totl'; did you mean 'total'?"])
        // The session goes on after an error.
        #expect(s.enter("print total") == .ok)
        #expect(s.output == ["42\n", "41\n"])
    }
}
