import Testing
import RecScript

@Suite struct ParserExpressionTests {
    @Test(arguments: [
        // Arithmetic: * / % bind tighter than + -, all left-associative.
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 * 2 + 3", "(+ (* 1 2) 3)"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ("7 % 4 * 2", "(* (% 7 4) 2)"),
        ("a - (b - c)", "(- a (- b c))"),
        // Unary minus binds tighter than everything; literals fold their sign.
        ("-x * 2", "(* (neg x) 2)"),
        ("-2 * 3", "(* -2 3)"),
        ("- -1", "1"),
        ("-(1 + 2)", "(neg (+ 1 2))"),
        ("+x", "x"),
        ("-f.a", "(neg (. f a))"),
        // Comparisons sit below arithmetic and above logic.
        ("1 + 2 == 3", "(== (+ 1 2) 3)"),
        ("a < b == c", "(== (< a b) c)"),
        ("a != b", "(!= a b)"),
        ("a <= b", "(<= a b)"),
        ("a >= b", "(>= a b)"),
        ("a > b", "(> a b)"),
        ("x % 2 == 0", "(== (% x 2) 0)"),
        // and binds tighter than or; not binds looser than comparisons, tighter than and.
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("a or b or c", "(or (or a b) c)"),
        ("not a and b", "(and (not a) b)"),
        ("not a or b", "(or (not a) b)"),
        ("not a == b", "(not (== a b))"),
        ("not not a", "(not (not a))"),
        ("a == 1 or b < 2 and c >= 3", "(or (== a 1) (and (< b 2) (>= c 3)))"),
        ("a and not b", "(and a (not b))"),
        // in, not in, is null, is not null sit at comparison level.
        ("a in [1, 2]", "(in a [1 2])"),
        ("a not in [1, 2]", "(not-in a [1 2])"),
        ("a + 1 in [2]", "(in (+ a 1) [2])"),
        ("a in [1] and b", "(and (in a [1]) b)"),
        ("not a in [1]", "(not (in a [1]))"),
        ("a in xs", "(in a xs)"),
        ("a is null", "(is-null a)"),
        ("a is not null", "(is-not-null a)"),
        ("f.a is null and g", "(and (is-null (. f a)) g)"),
        ("not a is null", "(not (is-null a))"),
        ("a + 1 is not null or b", "(or (is-not-null (+ a 1)) b)"),
        // Members, calls, lists.
        ("f.col", "(. f col)"),
        ("a.b.c", "(. (. a b) c)"),
        ("mean(x)", "(mean(x))"),
        ("f()", "(f())"),
        ("round(f.x, 2)", "(round((. f x) 2))"),
        ("g(h(1), [2])", "(g((h(1)) [2]))"),
        ("[1, \"a\", true, null, 2.5]", "[1 \"a\" true null 2.5]"),
        ("[1, 2,]", "[1 2]"),
        ("[[1, 2], []]", "[[1 2] []]"),
        ("(((1)))", "1"),
    ])
    func precedenceAndShape(_ source: String, _ expected: String) {
        #expect(expression(source) == expected)
    }

    @Test func parenthesesSpanTheirBrackets() {
        let program = Parser.parse(SourceFile(name: "t", text: "x = (1 + 2)"))
        guard case .assign(_, .expression(let e)) = program.statements[0].kind else {
            Issue.record("not an expression"); return
        }
        #expect("\(e.range)" == "1:5-1:12")
    }

    @Test func binaryRangesCoverBothOperands() {
        let program = Parser.parse(SourceFile(name: "t", text: "x = a.b + mean(c) * 2"))
        guard case .assign(_, .expression(let e)) = program.statements[0].kind,
              case .binary(.add, let left, let right) = e.kind else {
            Issue.record("not a sum"); return
        }
        #expect("\(e.range)" == "1:5-1:22")
        #expect("\(left.range)" == "1:5-1:8")
        #expect("\(right.range)" == "1:11-1:22")
    }

    @Test func identifierAccessor() {
        let program = Parser.parse(SourceFile(name: "t", text: "print a 1"))
        guard case .command(let call) = program.statements[0].kind else { Issue.record("not a command"); return }
        #expect(call.arguments.map(\.value.identifier) == ["a", nil])
    }

    @Test func operatorPrecedenceTable() {
        #expect(BinaryOperator.or.precedence < BinaryOperator.and.precedence)
        #expect(BinaryOperator.and.precedence < BinaryOperator.equal.precedence)
        #expect(BinaryOperator.equal.precedence < BinaryOperator.add.precedence)
        #expect(BinaryOperator.add.precedence < BinaryOperator.multiply.precedence)
        #expect(Set([BinaryOperator.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].map(\.precedence)).count == 1)
        #expect(BinaryOperator.subtract.precedence == BinaryOperator.add.precedence)
        #expect(Set([BinaryOperator.multiply, .divide, .remainder].map(\.precedence)).count == 1)
    }
}

@Suite struct ParseExpressionTests {
    @Test(arguments: [
        ("5", "5"), ("-3", "-3"), ("0.25", "0.25"), ("\"text\"", "\"text\""), ("'x'", "\"x\""),
        ("true", "true"), ("null", "null"), ("[1, 2]", "[1 2]"), ("word", "word"), ("1 + 2", "(+ 1 2)"),
        ("  7  ", "7"), ("7\n", "7"), ("data/x.csv", "(/ data (. x csv))"),
    ])
    func values(_ text: String, _ expected: String) throws {
        let result = Parser.parseExpression(SourceFile(name: "-p n", text: text))
        let e = try result.get()
        #expect(sexpr(e) == expected)
    }

    @Test(arguments: [
        ("1 2", "1:3: unexpected '2' after the value"),
        ("a b", "1:3: unexpected 'b' after the value"),
        ("\"abc", "1:1: unterminated string; add the closing \""),
        ("@", "1:1: unexpected character '@'"),
        ("1 +", "1:4: expected a value after '+'"),
        ("[1", "1:3: expected ',' or ']' in the list opened at 1:1, found end of input"),
        ("", "1:1: expected a value, found end of input"),
        ("x; y", "1:2: unexpected ';' after the value"),
        ("1\n2", "2:1: unexpected '2' after the value"),
        ("\"a\" \"b\"", "1:5: unexpected string \"b\" after the value"),
        ("(1", "1:1: '(' at 1:1 is not closed; add ')'"),
    ])
    func errors(_ text: String, _ expected: String) {
        switch Parser.parseExpression(SourceFile(name: "-p n", text: text)) {
        case .success(let e): Issue.record("parsed as \(sexpr(e))")
        case .failure(let d): #expect(located(d) == expected)
        }
    }
}

@Suite struct IsIncompleteTests {
    @Test(arguments: [
        "x = [1,", "x = [1,\n 2", "print (1 +", "x = mean(", "x = [(\n)", "head f \\", "head f \\  ",
        "head f \\\n", "head f \\ # more to come", "a = 1\nhead f \\", "head f \\\n# still going",
    ])
    func incomplete(_ text: String) {
        #expect(Parser.isIncomplete(text))
    }

    @Test(arguments: [
        "", "head f", "x = [1, 2]", "x = (1))", "print \"[\"", "print '('", "print 1 # see [", "print 1 # C:\\",
        "print \"a\\\\\"", "x = [1,\n2]", "head f \\\n 5", "head f \\\n\n", "print \"a \\", "# C:\\",
    ])
    func complete(_ text: String) {
        #expect(!Parser.isIncomplete(text))
    }
}
