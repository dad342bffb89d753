import Testing
import RecScript

@Suite struct LexerTokenKindTests {
    @Test func identifiersKeepDigitsAndUnderscores() {
        #expect(tokenSummary("user_id _x x2 ABC") == ["id:user_id", "id:_x", "id:x2", "id:ABC", "eof"])
    }

    @Test(arguments: ["and", "or", "not", "in", "is", "null", "true", "false", "on", "by", "where", "agg", "to", "param"])
    func everyReservedWordIsAKeyword(_ word: String) {
        #expect(tokenSummary(word) == ["kw:\(word)", "eof"])
        // A longer word that starts with a keyword is an identifier.
        #expect(tokenSummary(word + "s") == ["id:\(word)s", "eof"])
    }

    @Test func keywordSetIsTheDocumentedOne() {
        #expect(Token.keywords == ["and", "or", "not", "in", "is", "null", "true", "false",
                                   "on", "by", "where", "agg", "to", "param"])
        #expect(Token.clauseWords == ["on", "by", "where", "agg", "to"])
    }

    @Test(arguments: ["==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".", "[", "]", ":"])
    func everySymbol(_ symbol: String) {
        #expect(tokenSummary(symbol) == ["sym:\(symbol)", "eof"])
    }

    @Test func twoCharacterOperatorsWinOverOneCharacter() {
        #expect(tokenSummary("a<=b") == ["id:a", "sym:<=", "id:b", "eof"])
        #expect(tokenSummary("a<b") == ["id:a", "sym:<", "id:b", "eof"])
        #expect(tokenSummary("a===b") == ["id:a", "sym:==", "sym:=", "id:b", "eof"])
        #expect(tokenSummary("a = = b") == ["id:a", "sym:=", "sym:=", "id:b", "eof"])
    }

    @Test func semicolonIsAStatementEnd() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "a;b")).tokens
        #expect(tokens.map(summary) == ["id:a", "nl", "id:b", "eof"])
        #expect(tokens[1].lexeme == ";")
    }

    @Test func newlineAndEndOfFile() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "a\n\nb\n")).tokens
        #expect(tokens.map(summary) == ["id:a", "nl", "nl", "id:b", "nl", "eof"])
        #expect(tokens.last!.range.start == SourceLocation(line: 4, column: 1, offset: 5))
        #expect(tokens.last!.isEnd && tokens[1].isEnd && !tokens[0].isEnd)
    }

    @Test func emptyAndBlankInput() {
        #expect(tokenSummary("") == ["eof"])
        #expect(tokenSummary("  \t ") == ["eof"])
    }

    @Test func crlfLineEndings() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "a\r\nbb c")).tokens
        #expect(tokens.map(summary) == ["id:a", "nl", "id:bb", "id:c", "eof"])
        #expect(tokens[3].range.start == SourceLocation(line: 2, column: 4, offset: 6))
    }

    @Test func tokenRangesAndLexemes() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "x = 12\n  f.col")).tokens
        #expect(tokens.map(\.lexeme) == ["x", "=", "12", "\n", "f", ".", "col", ""])
        #expect(tokens[2].range == SourceRange(SourceLocation(line: 1, column: 5, offset: 4),
                                               SourceLocation(line: 1, column: 7, offset: 6)))
        #expect(tokens[6].range == SourceRange(SourceLocation(line: 2, column: 5, offset: 11),
                                               SourceLocation(line: 2, column: 8, offset: 14)))
    }

    @Test func columnsCountScalarsAfterMultiByteText() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "print \"é🎵\" x")).tokens
        #expect(tokens[2].range.start == SourceLocation(line: 1, column: 12, offset: 15))
    }

    @Test func spaceBeforeAndAfter() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "f -1 - x-y # c")).tokens
        let flags = tokens.map { "\($0.lexeme):\($0.spaceBefore ? "s" : "-")\($0.spaceAfter ? "s" : "-")" }
        #expect(flags == ["f:ss", "-:s-", "1:-s", "-:ss", "x:s-", "-:--", "y:-s", ":ss"])
    }
}

@Suite struct LexerNumberTests {
    @Test(arguments: [
        ("0", Int64(0)), ("42", 42), ("1_000", 1000), ("1_000_000", 1_000_000), ("007", 7),
        ("9223372036854775807", Int64.max), ("9_223_372_036_854_775_807", Int64.max),
    ])
    func integers(_ text: String, _ value: Int64) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.integer(value), .eof])
        #expect(tokens[0].lexeme == text)
    }

    @Test(arguments: [
        ("1.5", 1.5), (".5", 0.5), ("0.25", 0.25), ("1e3", 1000.0), ("1E3", 1000.0), ("1e+3", 1000.0),
        ("2.5e-3", 0.0025), ("1_000.25", 1000.25), ("1e1_0", 1e10), ("6.02e23", 6.02e23),
    ])
    func floats(_ text: String, _ value: Double) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.float(value), .eof])
    }

    @Test func aDotNotFollowedByADigitEndsTheNumber() {
        #expect(tokenSummary("1.") == ["int:1", "sym:.", "eof"])
        #expect(tokenSummary("1..2") == ["int:1", "sym:.", "float:0.2", "eof"])
    }

    @Test func anExponentWithoutDigitsIsAnInvalidNumber() {
        #expect(diagnostics("print 1e") == ["1:7: invalid number '1e'"])
        #expect(diagnostics("print 1e+") == ["1:7: invalid number '1e'"])
    }

    @Test(arguments: ["12abc", "1.5x", "0x1F", "3rd", "1e5e"])
    func lettersGluedToANumberAreAnInvalidNumber(_ text: String) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "print \(text) 7"))
        #expect(diagnostics.map(located) == ["1:7: invalid number '\(text)'"])
        #expect(diagnostics[0].range!.end.column == 7 + text.count)
        // The bad number is dropped and lexing goes on.
        #expect(tokens.map(summary) == ["id:print", "int:7", "eof"])
    }

    @Test func tooLargeIntegers() {
        #expect(diagnostics("x = 9223372036854775808") ==
                ["1:5: integer '9223372036854775808' is too large; the largest is 9223372036854775807"])
        #expect(diagnostics("x = 99_999_999_999_999_999_999") ==
                ["1:5: integer '99_999_999_999_999_999_999' is too large; the largest is 9223372036854775807"])
    }

    @Test func tooLargeFloats() {
        #expect(diagnostics("x = 1e400") == ["1:5: number '1e400' is too large; the largest is about 1.8e308"])
        #expect(diagnostics("x = 1e-400") == [])
    }

    @Test func theSmallestIntegerIsANegatedLiteral() {
        // Integers are lexed without their sign, so Int64.min cannot be written; one above it can.
        #expect(expression("-9223372036854775807") == "-9223372036854775807")
    }
}

@Suite struct LexerStringTests {
    @Test(arguments: [
        (#""abc""#, "abc"), (#"'abc'"#, "abc"), (#""""#, ""), (#"''"#, ""),
        (#""it's""#, "it's"), (#"'say "hi"'"#, #"say "hi""#),
        (#""a\nb""#, "a\nb"), (#""a\tb""#, "a\tb"), (#""a\rb""#, "a\rb"),
        (#""a\\b""#, #"a\b"#), (#""a\"b""#, #"a"b"#), (#"'a\'b'"#, "a'b"), (#""a\'b""#, "a'b"),
        (#""héllo 🎵""#, "héllo 🎵"), (##""# not a comment""##, "# not a comment"),
        (#""a;b [c""#, "a;b [c"),
    ])
    func stringValues(_ text: String, _ value: String) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.string(value), .eof])
        #expect(tokens[0].lexeme == text)
    }

    @Test func unknownEscape() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: #"print "a\qb""#))
        #expect(diagnostics.map(located) == [#"1:9: unknown escape '\q' in string; use \\ for a backslash"#])
        #expect(diagnostics[0].range!.end.column == 11)
        // The string is still produced, without the bad escape.
        #expect(tokens.map(\.kind) == [.identifier, .string("ab"), .eof])
    }

    @Test func unterminatedDoubleQuotedString() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "print \"abc\nprint 1"))
        #expect(diagnostics.map(located) == [#"1:7: unterminated string; add the closing ""#])
        #expect(diagnostics[0].range!.end == SourceLocation(line: 1, column: 11, offset: 10))
        // The newline still ends the statement and the next line lexes normally.
        #expect(tokens.map(summary) == ["id:print", "nl", "id:print", "int:1", "eof"])
    }

    @Test func unterminatedSingleQuotedString() {
        #expect(diagnostics("print 'abc") == ["1:7: unterminated string; add the closing '"])
    }

    @Test func aBackslashAtTheEndOfAnUnterminatedString() {
        #expect(diagnostics(#"print "abc\"#) == [#"1:7: unterminated string; add the closing ""#])
    }
}

@Suite struct LexerLayoutTests {
    @Test func commentsRunToTheEndOfTheLine() {
        #expect(tokenSummary("# a comment\nhead f # another\n#") == ["nl", "id:head", "id:f", "nl", "eof"])
        #expect(tokenSummary("f#x") == ["id:f", "eof"])
    }

    @Test func backslashContinuesTheStatement() {
        #expect(tokenSummary("head f \\\n  5") == ["id:head", "id:f", "int:5", "eof"])
        #expect(tokenSummary("head f \\   \n5") == ["id:head", "id:f", "int:5", "eof"])
        #expect(tokenSummary("head f \\ # why\n5") == ["id:head", "id:f", "int:5", "eof"])
        #expect(tokenSummary("head f \\\r\n5") == ["id:head", "id:f", "int:5", "eof"])
        #expect(tokenSummary("head f \\") == ["id:head", "id:f", "eof"])
    }

    @Test func aTokenAfterAContinuationHasSpaceBefore() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "f \\\n-1")).tokens
        #expect(tokens[1].lexeme == "-" && tokens[1].spaceBefore && !tokens[1].spaceAfter)
    }

    @Test func backslashInsideALineIsAnError() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "head f \\ 5"))
        #expect(diagnostics.map(located) == [#"1:8: unexpected '\'; a line continuation must end the line"#])
        #expect(tokens.map(summary) == ["id:head", "id:f", "int:5", "eof"])
    }

    @Test func lineBreaksInsideBracketsAreTokensTooForTheParserToSkip() {
        #expect(tokenSummary("x = [1,\n 2]\ny") ==
                ["id:x", "sym:=", "sym:[", "int:1", "sym:,", "nl", "int:2", "sym:]", "nl", "id:y", "eof"])
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "(a;\n)")).tokens
        #expect(tokens.map(\.isLineBreak) == [false, false, false, true, false, false])
        #expect(tokens.map(\.isEnd) == [false, false, true, true, false, true])
    }

    @Test func firstTokenOfEachLineIsMarked() {
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "a b\n  c \\\n d\n\ne")).tokens
        #expect(tokens.map(\.lexeme) == ["a", "b", "\n", "c", "d", "\n", "\n", "e", ""])
        #expect(tokens.map(\.firstOnLine) == [true, false, false, true, true, false, true, true, false])
    }

    @Test func aStrayClosingBracketDoesNotSwallowLaterNewlines() {
        #expect(tokenSummary(")\n]\nx") == ["sym:)", "nl", "sym:]", "nl", "id:x", "eof"])
    }

    @Test func bracesAndColonsOfMaps() {
        #expect(tokenSummary("{C: [1], \"d\": x}") == ["sym:{", "id:C", "sym::", "sym:[", "int:1", "sym:]", "sym:,",
                                                     "str:d", "sym::", "id:x", "sym:}", "eof"])
    }

    @Test func bracketsInsideStringsAndCommentsDoNotCount() {
        #expect(tokenSummary("x = \"[\"\ny # (") == ["id:x", "sym:=", "str:[", "nl", "id:y", "eof"])
    }

    @Test(arguments: [("@", "@"), ("$", "$"), ("!", "!"), ("é", "é"), ("🎵", "🎵"), ("~", "~"), ("&", "&")])
    func unexpectedCharacters(_ text: String, _ shown: String) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "print \(text) x"))
        #expect(diagnostics.map(located) == ["1:7: unexpected character '\(shown)'"])
        #expect(diagnostics[0].range!.end.column == 8)
        #expect(tokens.map(summary) == ["id:print", "id:x", "eof"])
    }

    @Test func everyLexicalErrorIsReportedInOrder() {
        let (_, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "a @ b\n$ 'x\n1x \\ y"))
        #expect(diagnostics.map(located) == [
            "1:3: unexpected character '@'",
            "2:1: unexpected character '$'",
            "2:3: unterminated string; add the closing '",
            "3:1: invalid number '1x'",
            #"3:4: unexpected '\'; a line continuation must end the line"#,
        ])
    }
}
