import Foundation
import Testing
import Frame
import Interpreter

/// A small table: a text column, an integer column, a float column.
func sampleTable(title: String? = "t", ellipsisBefore: Int? = nil) -> Table {
    Table(title: title,
          columns: [TableColumn("name", alignment: .left), TableColumn("n"), TableColumn("x")],
          rows: [[.string("a"), .int(1), .double(1.5)], [.string("bbb"), .int(22), .double(-2)]],
          notes: ["2 rows"], ellipsisBefore: ellipsisBefore)
}

@Suite struct TerminalRendererTests {
    @Test func alignsTextLeftAndNumbersRight() {
        #expect(TerminalRenderer().render(sampleTable()) == """
            t
            name   n        x
            ────  ──  ───────
            a      1   1.5000
            bbb   22  -2.0000
            2 rows

            """)
    }

    @Test func anEllipsisRowMarksLeftOutRows() {
        let lines = TerminalRenderer().render(sampleTable(title: nil, ellipsisBefore: 1)).split(separator: "\n")
        #expect(lines == ["name   n        x", "────  ──  ───────", "a      1   1.5000", "…      …        …",
                          "bbb   22  -2.0000", "2 rows"])
    }

    @Test func aTooWideTableKeepsBothEndsAndNamesTheHiddenColumns() {
        let names = (0..<20).map { String(format: "col_%02d", $0) }
        let table = Table(columns: names.map { TableColumn($0) },
                          rows: [names.indices.map { .int(Int64(100_000 + $0)) }])
        let out = TerminalRenderer(width: 80).render(table)
        let lines = out.split(separator: "\n").map(String.init)
        // The table fits; the note after it may wrap like any text.
        #expect(lines.dropLast().allSatisfy { displayWidth($0) <= 80 })
        #expect(lines[0] == "col_00  col_01  col_02  col_03  col_04  …  col_16  col_17  col_18  col_19")
        #expect(lines[2].hasPrefix("100000  100001  100002  100003  100004  …  "))
        #expect(lines[2].hasSuffix("100019"))
        #expect(lines.last == "11 columns not shown: " + names[5...15].joined(separator: ", "))
    }

    @Test func aTableThatFitsIsNotElided() {
        let out = TerminalRenderer(width: 80).render(sampleTable())
        #expect(!out.contains("not shown"))
    }

    @Test func theWidthIsNeverBelowTheMinimum() {
        #expect(TerminalRenderer(width: 10).width == TerminalRenderer.minimumWidth)
        #expect(TerminalRenderer(width: 150).width == 150)
    }

    @Test func keyValuesAndText() {
        let p = Presentation([
            .keyValues(title: "m", [("model", .string("baseline")), ("users", .int(1234)), ("mean", .double(0.5))]),
            .text("done"),
        ])
        #expect(TerminalRenderer().render(p) == "m\n  model  baseline\n  users  1,234\n  mean   0.5000\n\ndone\n")
    }

    @Test func colourMakesTitlesBoldAndNotesDim() {
        let out = TerminalRenderer(color: true).render(sampleTable())
        #expect(out.hasPrefix("\u{1B}[1mt\u{1B}[0m\n"))
        #expect(out.hasSuffix("\u{1B}[2m2 rows\u{1B}[0m\n"))
    }

    @Test func wideCharactersTakeTwoColumns() {
        let table = Table(columns: [TableColumn("k", alignment: .left), TableColumn("v")],
                          rows: [[.string("日本"), .int(1)], [.string("ab"), .int(2)]])
        #expect(TerminalRenderer().render(table) == "k     v\n────  ─\n日本  1\nab    2\n")
    }

    @Test(arguments: [("abc", 3), ("é", 1), ("e\u{301}", 1), ("日本", 4), ("🎵", 2), ("a\tb", 2), ("", 0), ("한", 2)])
    func displayWidths(_ s: String, _ width: Int) {
        #expect(displayWidth(s) == width)
    }
}

@Suite struct MarkdownRendererTests {
    @Test func pipeTablesWithAlignmentMarkers() {
        #expect(MarkdownRenderer().render(Presentation([.table(sampleTable())])) == """
            **t**

            | name | n | x |
            | :--- | ---: | ---: |
            | a | 1 | 1.5000 |
            | bbb | 22 | -2.0000 |

            *2 rows*

            """)
    }

    @Test func pipesAreEscapedAndNewlinesFlattened() {
        let table = Table(title: "a|b", columns: [TableColumn("x|y", alignment: .left), TableColumn("n")],
                          rows: [[.string("p|q\nr"), .int(1)]], notes: ["note|1", "two"])
        #expect(MarkdownRenderer().render(table) ==
                "**a\\|b**\n\n| x\\|y | n |\n| :--- | ---: |\n| p\\|q r | 1 |\n\n*note\\|1*  \n*two*\n")
    }

    @Test func ellipsisKeyValuesAndText() {
        let md = MarkdownRenderer()
        #expect(md.render(sampleTable(title: nil, ellipsisBefore: 1)).contains("| a | 1 | 1.5000 |\n| … | … | … |\n| bbb |"))
        #expect(md.render(.keyValues(title: nil, [("k", .string("v|w"))])) == "|  |  |\n| :--- | :--- |\n| k | v\\|w |\n")
        #expect(md.render(Presentation([.text("hi"), .text("there\n")])) == "hi\n\nthere\n")
    }
}

@Suite struct JSONTests {
    @Test(arguments: [
        (JSON.string("plain"), #""plain""#),
        (.string("q\"b\\s/"), #""q\"b\\s/""#),
        (.string("n\nr\rt\t"), #""n\nr\rt\t""#),
        (.string("\u{01}\u{1F}\u{7F}"), "\"\\u0001\\u001f\u{7F}\""),
        (.string("é日本🎵"), "\"é日本🎵\""),
        (.null, "null"), (.bool(true), "true"), (.bool(false), "false"),
        (.int(-42), "-42"), (.int(.min), "-9223372036854775808"),
        (.double(2), "2.0"), (.double(-0.0), "0.0"), (.double(0.1), "0.1"), (.double(1e20), "1e+20"),
        (.double(1.5e-7), "1.5e-07"), (.double(.nan), "null"), (.double(.infinity), "null"), (.double(-.infinity), "null"),
        (.array([]), "[]"), (.array([.int(1), .null, .string("x")]), #"[1,null,"x"]"#),
        (.object([]), "{}"), (.object([("b", .int(1)), ("a", .array([.bool(false)]))]), #"{"b":1,"a":[false]}"#),
    ])
    func serialisation(_ value: JSON, _ expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test func everyStringRoundTripsThroughFoundation() throws {
        var scalars = (0..<0x80).map { String(Unicode.Scalar(UInt8($0))) }
        scalars += ["é", "日", "🎵", "\u{2028}", "\u{FEFF}"]
        let text = scalars.joined()
        let json = JSON.array([.string(text)]).serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(parsed == [text])
    }

    @Test func cellsBecomeJSON() {
        #expect(JSON(Cell.null) == .null)
        #expect(JSON(Cell.int(3)) == .int(3))
        #expect(JSON(Cell.double(.nan)) == .null)
        #expect(JSON(Cell.double(0.5)) == .double(0.5))
        #expect(JSON(Cell.bool(true)) == .bool(true))
        #expect(JSON(Cell.string("s")) == .string("s"))
        #expect(JSON.object([("a", .int(1))]) != JSON.object([("a", .int(2))]))
    }

    @Test func rendererOutputParsesWithFoundation() throws {
        let table = Table(title: "top \"3\"",
                          columns: [TableColumn("item"), TableColumn("score")],
                          rows: [[.int(1), .double(0.25)], [.int(2), .double(.nan)]],
                          notes: ["a\tnote"], ellipsisBefore: 1)
        let p = Presentation([.text("line \"one\"\n"), .table(table), .keyValues(title: nil, [("k", .string("v"))])])
        let s = Session()
        s.run("\n\nprint \"say \\\"hi\\\"\" # a comment")
        let info = try #require(s.statements.first)
        let objects = JSONRenderer().objects(p, statement: info)
        #expect(objects.count == 3)
        let parsed = try objects.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.serialized().utf8)) as? [String: Any])
        }
        #expect(parsed[0]["type"] as? String == "text")
        #expect(parsed[0]["text"] as? String == "line \"one\"\n")
        #expect(parsed[0]["statement"] as? String == #"print "say \"hi\"""#)
        #expect(parsed[0]["line"] as? Int == 3)
        #expect(parsed[1]["type"] as? String == "table")
        #expect(parsed[1]["title"] as? String == "top \"3\"")
        #expect(parsed[1]["columns"] as? [String] == ["item", "score"])
        let rows = try #require(parsed[1]["rows"] as? [[Any]])
        #expect(rows[0][1] as? Double == 0.25)
        #expect(rows[1][1] is NSNull)
        #expect(parsed[1]["rows_omitted_before"] as? Int == 1)
        #expect(parsed[1]["notes"] as? [String] == ["a\tnote"])
        #expect(parsed[2]["type"] as? String == "values")
        #expect(parsed[2]["values"] as? [String: String] == ["k": "v"])
        // Keys keep their order.
        #expect(objects[1].serialized().hasPrefix(#"{"statement":"print \"say \\\"hi\\\"\"","line":3,"type":"table","title":"#))
    }

    @Test func withoutAStatementThereIsNoSourceOrLine() {
        let objects = JSONRenderer().objects(.text("x"), statement: nil)
        #expect(objects.map { $0.serialized() } == [#"{"type":"text","text":"x"}"#])
    }
}

@Suite struct CSVRendererTests {
    @Test func quotesOnlyWhatNeedsQuoting() {
        let table = Table(columns: [TableColumn("a,b"), TableColumn("q\"x"), TableColumn("plain")],
                          rows: [[.string("x\ny"), .string("r\rs"), .string("ok")],
                                 [.null, .double(.nan), .double(0.1)],
                                 [.int(-3), .bool(true), .double(1e20)]])
        #expect(CSVRenderer().render(.table(table)) ==
                "\"a,b\",\"q\"\"x\",plain\n\"x\ny\",\"r\rs\",ok\n,,0.1\n-3,true,1e+20\n")
    }

    @Test func fullPrecisionNotTheRoundedDisplay() {
        let table = Table(columns: [TableColumn("x")], rows: [[.double(0.123456789)], [.double(2)]])
        #expect(CSVRenderer().render(.table(table)) == "x\n0.123456789\n2.0\n")
    }

    @Test func textBecomesCommentsAndValuesAKeyValueTable() {
        let p = Presentation([.text("first\n\nsecond\n"), .keyValues(title: "ignored", [("k", .string("v,w")), ("n", .int(2))])])
        #expect(CSVRenderer().render(p) == "# first\n# second\n\nkey,value\nk,\"v,w\"\nn,2\n")
    }
}
