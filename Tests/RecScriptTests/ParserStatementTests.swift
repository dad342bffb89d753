import Testing
import RecScript

@Suite struct ParserStatementTests {
    @Test(arguments: [
        ("head f", "head f"),
        ("head f 5", "head f 5"),
        ("help", "help"),
        ("print \"hello\"", "print \"hello\""),
        ("load \"data/x.csv\" rows=1000 columns=[a, b]", "load \"data/x.csv\" rows=1000 columns=[a b]"),
        ("split f ratio=0.8 seed=-1", "split f ratio=0.8 seed=-1"),
        ("head f n = 5", "head f n=5"),
        ("fit baseline on train reg_user=5", "fit baseline on:train reg_user=5"),
        ("group f by [a, b] agg [mean(x), count()]", "group f by:[a b] agg:[(mean(x)) (count())]"),
        ("filter f where x > 1 and y == \"a\"", "filter f where:(and (> x 1) (== y \"a\"))"),
        ("describe f columns=[f.a, \"b c\"]", "describe f columns=[(. f a) \"b c\"]"),
        ("print f.user_id", "print (. f user_id)"),
        ("print true false null", "print true false null"),
        ("print [] [[1], []]", "print [] [[1] []]"),
    ])
    func commands(_ source: String, _ expected: String) {
        let (stmts, diagnostics) = statements(source)
        #expect(diagnostics == [])
        #expect(stmts == [expected])
    }

    @Test(arguments: [
        // Swift's spacing rule for '-' and '+': space before and none after starts an argument.
        ("head f -1", "head f -1"),
        ("head f - 1", "head (- f 1)"),
        ("head f-1", "head (- f 1)"),
        ("head f- 1", "head (- f 1)"),
        ("head f -x", "head f (neg x)"),
        ("head f +1", "head f 1"),
        ("head f + 1", "head (+ f 1)"),
        ("print 1 -2 - 3", "print 1 (- -2 3)"),
        ("print a -b -c", "print a (neg b) (neg c)"),
        ("print (a - b)", "print (- a b)"),
        ("print [a-b, -c]", "print [(- a b) (neg c)]"),
        ("print a * -b", "print (* a (neg b))"),
    ])
    func minusSpacing(_ source: String, _ expected: String) {
        let (stmts, diagnostics) = statements(source)
        #expect(diagnostics == [])
        #expect(stmts == [expected])
    }

    @Test(arguments: [
        ("x = 1", "x = 1"),
        ("x = -1.5", "x = -1.5"),
        ("x = \"s\"", "x = \"s\""),
        ("x = [1, 2]", "x = [1 2]"),
        ("x = f", "x = {f}"),
        ("x = head f 5", "x = {head f 5}"),
        ("x = f -1", "x = {f -1}"),
        ("x = f.col", "x = (. f col)"),
        ("f.col", "show (. f col)"),
        ("f.col * 2", "show (* (. f col) 2)"),
        ("x = f + 1", "x = (+ f 1)"),
        ("x = f+1", "x = (+ f 1)"),
        ("x = f == 1", "x = (== f 1)"),
        ("x = mean(y)", "x = (mean(y))"),
        ("x = a and b", "x = (and a b)"),
        ("x = a or b", "x = (or a b)"),
        ("x = a in [1]", "x = (in a [1])"),
        ("x = a is null", "x = (is-null a)"),
        ("x = not a", "x = (not a)"),
        ("x = (a)", "x = a"),
        ("m = fit baseline on train", "m = {fit baseline on:train}"),
        ("train, test = split f ratio=0.8", "train, test = {split f ratio=0.8}"),
        ("a,b=split f", "a, b = {split f}"),
        ("a, b, c = x", "a, b, c = {x}"),
        ("param n = 5", "param n = 5"),
        ("param path = \"x.csv\"", "param path = \"x.csv\""),
        ("param r = 0.5 * 2", "param r = (* 0.5 2)"),
        ("param cols = [a, b]", "param cols = [a b]"),
    ])
    func assignmentsAndParameters(_ source: String, _ expected: String) {
        let (stmts, diagnostics) = statements(source)
        #expect(diagnostics == [])
        #expect(stmts == [expected])
    }

    @Test func statementsAreSeparatedByNewlinesAndSemicolons() {
        let (stmts, diagnostics) = statements("""
            # a comment line

            x = 1; print x
            ;;
            head f \\
              5   # trailing comment
            y = [1,
                 2]; z = 3
            """)
        #expect(diagnostics == [])
        #expect(stmts == ["x = 1", "print x", "head f 5", "y = [1 2]", "z = 3"])
    }

    @Test func emptyPrograms() {
        #expect(statements("") == ([], []))
        #expect(statements("\n\n# only comments\n;\n") == ([], []))
    }

    @Test func statementAndArgumentRanges() {
        let program = Parser.parse(SourceFile(name: "t", text: "x = 1\n  head f n=5 on g"))
        #expect(program.statements.count == 2)
        let stmt = program.statements[1]
        #expect("\(stmt.range)" == "2:3-2:18")
        guard case .command(let call) = stmt.kind else { Issue.record("not a command"); return }
        #expect(call.name == "head")
        #expect("\(call.nameRange)" == "2:3-2:7")
        #expect(call.arguments.map { "\($0.range)" } == ["2:8-2:9", "2:10-2:13", "2:14-2:18"])
        #expect(call.arguments.map { "\($0.value.range)" } == ["2:8-2:9", "2:12-2:13", "2:17-2:18"])
        if case .option(let name, let range) = call.arguments[1].label {
            #expect(name == "n" && "\(range)" == "2:10-2:11")
        } else {
            Issue.record("n=5 is not an option")
        }
        if case .clause(let word, let range) = call.arguments[2].label {
            #expect(word == "on" && "\(range)" == "2:14-2:16")
        } else {
            Issue.record("on g is not a clause")
        }
        #expect("\(program.statements[0].range)" == "1:1-1:6")
    }

    @Test func assignmentTargetsAndRanges() {
        let program = Parser.parse(SourceFile(name: "t", text: "tr, te = split f"))
        guard case .assign(let targets, .command(let call)) = program.statements[0].kind else {
            Issue.record("not an assignment of a command"); return
        }
        #expect(targets.map(\.name) == ["tr", "te"])
        #expect(targets.map { "\($0.range)" } == ["1:1-1:3", "1:5-1:7"])
        #expect(call.name == "split")
        #expect("\(program.statements[0].range)" == "1:1-1:17")
    }

    @Test func parameterRange() {
        let program = Parser.parse(SourceFile(name: "t", text: "param n = 5 + 1"))
        #expect("\(program.statements[0].range)" == "1:1-1:16")
        guard case .param(let target, _) = program.statements[0].kind else { Issue.record("not a param"); return }
        #expect(target.name == "n" && "\(target.range)" == "1:7-1:8")
    }

    @Test func programKeepsItsFile() {
        let file = SourceFile(name: "script.rec", text: "help")
        #expect(Parser.parse(file).file.name == "script.rec")
    }
}
