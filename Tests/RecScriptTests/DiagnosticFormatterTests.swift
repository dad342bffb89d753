import Testing
import RecScript

@Suite struct DiagnosticFormatterTests {
    let file = SourceFile(name: "script.rec", text: "x = 1\nhead lisens 5\n")

    func range(_ file: SourceFile, _ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file.location(ofOffset: start), file.location(ofOffset: end))
    }

    @Test func headerSourceLineAndCaretUnderTheRange() {
        let d = Diagnostic.error("unknown variable 'lisens'; did you mean 'listens'?", at: range(file, 11, 17))
        #expect(DiagnosticFormatter.format(d, in: file) == """
            script.rec:2:6: error: unknown variable 'lisens'; did you mean 'listens'?
                head lisens 5
                     ^~~~~~

            """)
    }

    @Test func anEmptyRangeGetsOneCaret() {
        let d = Diagnostic.error("expected a value", at: range(file, 5, 5))
        #expect(DiagnosticFormatter.format(d, in: file) == "script.rec:1:6: error: expected a value\n    x = 1\n         ^\n")
    }

    @Test func aRangeOverSeveralLinesUnderlinesToTheEndOfTheFirst() {
        let d = Diagnostic.error("bad", at: range(file, 4, 15))
        #expect(DiagnosticFormatter.format(d, in: file) == "script.rec:1:5: error: bad\n    x = 1\n        ^\n")
        let d2 = Diagnostic.error("bad", at: range(file, 0, 15))
        #expect(DiagnosticFormatter.format(d2, in: file) == "script.rec:1:1: error: bad\n    x = 1\n    ^~~~~\n")
    }

    @Test func notesFollowTheExcerpt() {
        let d = Diagnostic.error("column 'ag' not found", at: range(file, 0, 1), notes: ["columns: age, user", "second"])
        #expect(DiagnosticFormatter.format(d, in: file) ==
                "script.rec:1:1: error: column 'ag' not found\n    x = 1\n    ^\n  note: columns: age, user\n  note: second\n")
    }

    @Test func unlocatedDiagnostics() {
        let d = Diagnostic.error("file not found", at: nil, notes: ["cwd: /tmp"])
        #expect(DiagnosticFormatter.format(d, in: file) == "script.rec: error: file not found\n  note: cwd: /tmp\n")
        #expect(DiagnosticFormatter.format(d, in: nil) == "error: file not found\n  note: cwd: /tmp\n")
        // A range without a file cannot be excerpted.
        let located = Diagnostic.error("x", at: range(file, 0, 1))
        #expect(DiagnosticFormatter.format(located, in: nil) == "error: x\n")
    }

    @Test func severities() {
        let w = Diagnostic(.warning, "slow", at: nil)
        let n = Diagnostic(.note, "fyi", at: nil)
        #expect(DiagnosticFormatter.format(w, in: nil) == "warning: slow\n")
        #expect(DiagnosticFormatter.format(n, in: nil) == "note: fyi\n")
        #expect(Diagnostic.error("e", at: nil).severity == .error)
    }

    @Test func caretUnderMultiByteCharacters() {
        // Columns count scalars, so the caret sits under the character a user sees.
        let f = SourceFile(name: "u.rec", text: "print \"é🎵\" @x")
        let at = f.bytes.firstIndex(of: UInt8(ascii: "@"))!
        let d = Diagnostic.error("unexpected character '@'", at: range(f, at, at + 1))
        #expect(DiagnosticFormatter.format(d, in: f) ==
                "u.rec:1:12: error: unexpected character '@'\n    print \"é🎵\" @x\n               ^\n")
    }

    @Test func tabsBeforeTheCaretAreKept() {
        let f = SourceFile(name: "t.rec", text: "\thead\tf  bad")
        let d = Diagnostic.error("oops", at: range(f, 9, 12))
        #expect(DiagnosticFormatter.format(d, in: f) == "t.rec:1:10: error: oops\n    \thead\tf  bad\n    \t    \t   ^~~\n")
    }

    @Test func carriageReturnsAreNotShown() {
        let f = SourceFile(name: "w.rec", text: "x = @\r\n")
        let d = Diagnostic.error("bad", at: range(f, 4, 5))
        #expect(DiagnosticFormatter.format(d, in: f) == "w.rec:1:5: error: bad\n    x = @\n        ^\n")
    }

    @Test func colourWrapsSeverityAndCaret() {
        let d = Diagnostic.error("bad", at: range(file, 0, 1))
        #expect(DiagnosticFormatter.format(d, in: file, color: true) ==
                "script.rec:1:1: \u{1B}[1;31merror:\u{1B}[0m bad\n    x = 1\n    \u{1B}[1;32m^\u{1B}[0m\n")
        let w = Diagnostic(.warning, "w", at: nil)
        #expect(DiagnosticFormatter.format(w, in: nil, color: true) == "\u{1B}[1;35mwarning:\u{1B}[0m w\n")
        let n = Diagnostic(.note, "n", at: nil)
        #expect(DiagnosticFormatter.format(n, in: nil, color: true) == "\u{1B}[1;36mnote:\u{1B}[0m n\n")
    }

    @Test func aParsedFilesDiagnosticsFormatEndToEnd() {
        let f = SourceFile(name: "s.rec", text: "x = 1\nprint [1 2]\n")
        let program = Parser.parse(f)
        #expect(program.diagnostics.map { DiagnosticFormatter.format($0, in: f) } == [
            "s.rec:2:10: error: expected ',' or ']' in the list opened at 2:7, found '2'\n    print [1 2]\n             ^\n",
        ])
    }
}
