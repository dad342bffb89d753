import Testing
import RecScript

@Suite struct SourceFileTests {
    @Test func lineStartsAndLineText() {
        let file = SourceFile(name: "f.rec", text: "ab\ncd\r\n\nlast")
        #expect(file.lineStarts == [0, 3, 7, 8])
        #expect((1...4).map(file.lineText) == ["ab", "cd", "", "last"])
        #expect(file.lineText(0) == "")
        #expect(file.lineText(5) == "")
    }

    @Test func aTrailingNewlineStartsAnEmptyLastLine() {
        let file = SourceFile(name: "f", text: "a\n")
        #expect(file.lineStarts == [0, 2])
        #expect(file.lineText(2) == "")
        #expect(file.location(ofOffset: 2) == SourceLocation(line: 2, column: 1, offset: 2))
    }

    @Test(arguments: [
        (0, 1, 1), (1, 1, 2), (2, 1, 3), (3, 2, 1), (5, 2, 3), (7, 3, 1), (8, 4, 1), (12, 4, 5),
    ])
    func locationOfOffset(_ offset: Int, _ line: Int, _ column: Int) {
        let file = SourceFile(name: "f", text: "ab\ncd\r\n\nlast")
        #expect(file.location(ofOffset: offset) == SourceLocation(line: line, column: column, offset: offset))
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        let text = "é🎵x\nñy"
        let file = SourceFile(name: "f", text: text)
        #expect(file.bytes.count == text.utf8.count)
        // é is 2 bytes, 🎵 is 4.
        #expect(file.location(ofOffset: 6) == SourceLocation(line: 1, column: 3, offset: 6))
        #expect(file.location(ofOffset: 10) == SourceLocation(line: 2, column: 2, offset: 10))
    }

    @Test func locationsAgreeWithAScanOfEveryOffset() {
        let text = "x = 1\n\n  héad \"🎵\"\r\nlast line\n"
        let file = SourceFile(name: "f", text: text)
        // Reference: walk the scalars, counting lines and columns.
        var line = 1, column = 1, offset = 0
        for scalar in text.unicodeScalars {
            #expect(file.location(ofOffset: offset) == SourceLocation(line: line, column: column, offset: offset))
            offset += String(scalar).utf8.count
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        #expect(file.location(ofOffset: offset) == SourceLocation(line: line, column: column, offset: offset))
    }

    @Test func textInRange() {
        let file = SourceFile(name: "f", text: "head f 5\nx = é + 1")
        let r = SourceRange(file.location(ofOffset: 13), file.location(ofOffset: 19))
        #expect(file.text(in: r) == "é + 1")
        // Out-of-bounds ranges clamp.
        let wide = SourceRange(SourceLocation(line: 1, column: 1, offset: -3), SourceLocation(line: 9, column: 1, offset: 99))
        #expect(file.text(in: wide) == file.text)
        let backwards = SourceRange(SourceLocation(line: 1, column: 5, offset: 4), SourceLocation(line: 1, column: 1, offset: 0))
        #expect(file.text(in: backwards) == "")
    }

    @Test func locationsCompareByOffsetAndPrintAsLineColon() {
        let a = SourceLocation(line: 1, column: 9, offset: 8)
        let b = SourceLocation(line: 2, column: 1, offset: 9)
        #expect(a < b && !(b < a))
        #expect("\(a)" == "1:9")
        #expect("\(SourceRange(a, b))" == "1:9-2:1")
    }

    @Test func unionCoversBothRanges() {
        func loc(_ o: Int) -> SourceLocation { SourceLocation(line: 1, column: o + 1, offset: o) }
        let a = SourceRange(loc(2), loc(4)), b = SourceRange(loc(7), loc(9))
        #expect(a.union(b) == SourceRange(loc(2), loc(9)))
        #expect(b.union(a) == SourceRange(loc(2), loc(9)))
        #expect(a.union(SourceRange(loc(3), loc(3))) == a)
    }
}
