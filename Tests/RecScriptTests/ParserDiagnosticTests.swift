import Testing
import RecScript

/// Every diagnostic the parser can produce, with its exact message and place.
@Suite struct ParserDiagnosticTests {
    @Test(arguments: [
        // param
        ("param 1 = 2", "1:7: expected a parameter name after 'param', found '1'"),
        ("param in = 2", "1:7: expected a parameter name after 'param', found 'in' ('in' is a reserved word)"),
        ("param", "1:6: expected a parameter name after 'param', found end of input"),
        ("param n 5", "1:9: expected '=' after the parameter name (param name = default), found '5'"),
        ("param n", "1:8: expected '=' after the parameter name (param name = default), found end of input"),
        ("param n; x = 1", "1:8: expected '=' after the parameter name (param name = default), found ';'"),
        ("param n = ", "1:11: expected a value, found end of input"),
        ("param n = 1 2", "1:13: unexpected '2'; put one statement on a line or separate them with ';'"),
        // assignments
        ("a, b split f", "1:6: expected '=' after the names being assigned, found 'split'"),
        ("a, 1 = split f", "1:4: expected a variable name after ',', found '1'"),
        ("a, on = split f", "1:4: expected a variable name after ',', found 'on' ('on' is a reserved word)"),
        ("a, = split f", "1:4: expected a variable name after ',', found '='"),
        ("x =", "1:4: expected a command or a value after '='"),
        ("x = \n", "1:5: expected a command or a value after '='"),
        ("x = ; y = 1", "1:5: expected a command or a value after '='"),
        ("x = 1 2", "1:7: unexpected '2'; put one statement on a line or separate them with ';'"),
        ("x = f.a g", "1:9: unexpected 'g'; put one statement on a line or separate them with ';'"),
        ("x = \"a\" \"b\"", "1:9: unexpected string \"b\"; put one statement on a line or separate them with ';'"),
        ("x = a = 1", "1:7: unexpected '=' in the arguments of 'a'"),
        ("x = )", "1:5: expected a value, found ')'"),
        ("x = on", "1:5: expected a value, found 'on'; 'on' is a reserved word"),
        ("x = in", "1:5: expected a value, found 'in'; 'in' is a reserved word"),
        // statement starts
        ("on x", "1:1: expected a command or an assignment, found 'on'; 'on' is a reserved word"),
        ("true", "1:1: expected a command or an assignment, found 'true'; 'true' is a reserved word"),
        ("5 + 1", "1:1: expected a command or an assignment, found '5'"),
        ("\"abc\"", "1:1: expected a command or an assignment, found string \"abc\""),
        ("= 5", "1:1: expected a command or an assignment, found '='"),
        ("[1]", "1:1: expected a command or an assignment, found '['"),
        ("-x", "1:1: expected a command or an assignment, found '-'"),
        // command arguments
        ("head f n=", "1:10: expected a value after 'n='"),
        ("head f n=;", "1:10: expected a value after 'n='"),
        ("fit baseline on", "1:16: expected a value after 'on'"),
        ("group f by", "1:11: expected a value after 'by'"),
        ("filter f where", "1:15: expected a value after 'where'"),
        ("group f by a agg", "1:17: expected a value after 'agg'"),
        ("head f ,", "1:8: unexpected ',' in the arguments of 'head'"),
        ("head f )", "1:8: unexpected ')' in the arguments of 'head'"),
        ("head f ]", "1:8: unexpected ']' in the arguments of 'head'"),
        ("head f .col", "1:8: unexpected '.' in the arguments of 'head'"),
        ("head f : x", "1:8: unexpected ':' in the arguments of 'head'"),
        ("head f param", "1:8: unexpected 'param' in the arguments of 'head'"),
        ("x = f .col", "1:7: unexpected '.' in the arguments of 'f'"),
        // expressions
        ("print x is 5", "1:12: expected 'null' after 'is'"),
        ("print x is", "1:11: expected 'null' after 'is'"),
        ("print x is not 5", "1:16: expected 'null' after 'is not'"),
        ("print 1 = 2", "1:9: use '==' to compare; '=' assigns or names an option"),
        ("filter f where a = 1", "1:18: use '==' to compare; '=' assigns or names an option"),
        ("x = (a = 1)", "1:8: use '==' to compare; '=' assigns or names an option"),
        ("print 1 +", "1:10: expected a value after '+'"),
        ("print 1 *", "1:10: expected a value after '*'"),
        ("print 1 ==", "1:11: expected a value after '=='"),
        ("print a and", "1:12: expected a value after 'and'"),
        ("print a or;", "1:11: expected a value after 'or'"),
        ("print a in", "1:11: expected a value, found end of input"),
        ("print a not in", "1:15: expected a value, found end of input"),
        ("print not", "1:10: expected a value, found end of input"),
        ("print -", "1:8: expected a value, found end of input"),
        ("print 1 * )", "1:11: expected a value, found ')'"),
        ("print f.", "1:9: expected a column name after '.', found end of input"),
        ("print f.(x)", "1:9: expected a column name after '.', found '('"),
        ("print f.in", "1:9: expected a column name after '.', found 'in'"),
        ("print f.\"a\"", "1:9: expected a column name after '.', found string \"a\""),
        ("print (1 + 2", "1:7: '(' at 1:7 is not closed; add ')'"),
        ("print (1 + 2\n", "1:7: '(' at 1:7 is not closed; add ')'"),
        ("print (1 + 2; x = 1", "1:7: '(' at 1:7 is not closed; add ')'"),
        ("print (a -b)", "1:10: expected ')' to close the '(' at 1:7, found '-'"),
        ("print (1, 2)", "1:9: expected ')' to close the '(' at 1:7, found ','"),
        ("x = [", "1:5: '[' at 1:5 is not closed; add ']'"),
        ("x = [1,", "1:5: '[' at 1:5 is not closed; add ']'"),
        ("x = [1,\n2,", "1:5: '[' at 1:5 is not closed; add ']'"),
        ("x = [1\n", "1:5: '[' at 1:5 is not closed; add ']'"),
        ("x = [1,;", "1:5: '[' at 1:5 is not closed; add ']'"),
        ("x = mean(", "1:9: '(' at 1:9 is not closed; add ')'"),
        ("x = mean(a\n", "1:9: '(' at 1:9 is not closed; add ')'"),
        ("x = [1 2]", "1:8: expected ',' or ']' in the list opened at 1:5, found '2'"),
        ("x = [1", "1:7: expected ',' or ']' in the list opened at 1:5, found end of input"),
        ("x = [a -b]", "1:8: expected ',' or ']' in the list opened at 1:5, found '-'"),
        ("x = mean(a b)", "1:12: expected ',' or ')' in the list opened at 1:9, found 'b'"),
        ("x = mean(a]", "1:11: expected ',' or ')' in the list opened at 1:9, found ']'"),
    ])
    func diagnostic(_ source: String, _ expected: String) {
        let program = Parser.parse(SourceFile(name: "t", text: source))
        #expect(program.diagnostics.map(located) == [expected])
        #expect(program.diagnostics.allSatisfy { $0.severity == .error && $0.notes.isEmpty })
    }

    @Test func everyErrorOfAFileIsReportedInOrderAndGoodStatementsSurvive() {
        let source = """
            x = 1 +
            head f ,
            print @
            ok = 1
            y = [1 2]
            param in = 3; z = 3
            w = (a = 1); v = 2
            """
        let program = Parser.parse(SourceFile(name: "t", text: source))
        #expect(program.diagnostics.map(located) == [
            "1:8: expected a value after '+'",
            "2:8: unexpected ',' in the arguments of 'head'",
            "3:7: unexpected character '@'",
            "5:8: expected ',' or ']' in the list opened at 5:5, found '2'",
            "6:7: expected a parameter name after 'param', found 'in' ('in' is a reserved word)",
            "7:8: use '==' to compare; '=' assigns or names an option",
        ])
        #expect(program.statements.map(describe) == ["print", "ok = 1", "z = 3", "v = 2"])
    }

    @Test func lexicalAndSyntaxErrorsInterleaveBySourcePosition() {
        let source = "print 1 = 2 @\nprint $\nx ="
        #expect(diagnostics(source) == [
            "1:9: use '==' to compare; '=' assigns or names an option",
            "1:13: unexpected character '@'",
            "2:7: unexpected character '$'",
            "3:4: expected a command or a value after '='",
        ])
    }

    @Test(arguments: [
        ("x = \"abc", "1:5: unterminated string; add the closing \""),
        ("x = 12abc", "1:5: invalid number '12abc'"),
        ("x = 99999999999999999999", "1:5: integer '99999999999999999999' is too large; the largest is 9223372036854775807"),
        ("print (@)", "1:8: unexpected character '@'"),
        ("head f n=@", "1:10: unexpected character '@'"),
        ("print 1 + $", "1:11: unexpected character '$'"),
    ])
    func aLexicalErrorIsNotReportedAgainByTheParser(_ source: String, _ expected: String) {
        // The damaged statement would otherwise also get "expected a value ...".
        #expect(diagnostics(source) == [expected])
    }

    @Test func aLexicalErrorDoesNotHideSyntaxErrorsOfOtherStatements() {
        #expect(diagnostics("x = \"abc\ny = 1 +\nz = @") == [
            "1:5: unterminated string; add the closing \"",
            "2:8: expected a value after '+'",
            "3:5: unexpected character '@'",
        ])
    }

    @Test func anUnclosedBracketIsReportedAtTheBracketAndParsingGoesOnNextLine() {
        let (stmts, diagnostics) = statements("x = [1, 2\ny = 3\nprint (1 + 2\nhead f ,\nz = mean(a\nw = 4")
        #expect(diagnostics == [
            "1:5: '[' at 1:5 is not closed; add ']'",
            "3:7: '(' at 3:7 is not closed; add ')'",
            "4:8: unexpected ',' in the arguments of 'head'",
            "5:9: '(' at 5:9 is not closed; add ')'",
        ])
        #expect(stmts == ["y = 3", "w = 4"])
    }

    @Test func bracketsSpanLines() {
        let (stmts, diagnostics) = statements("""
            x = [1,
                 2,
            ]
            print (1
              + 2) mean(
              a,
              b
            )
            y = [
            ]
            z = (1
            )
            """)
        #expect(diagnostics == [])
        #expect(stmts == ["x = [1 2]", "print (+ 1 2) (mean(a b))", "y = []", "z = 1"])
    }
}
