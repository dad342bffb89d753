import Testing
import Frame
import Interpreter

@Suite struct SchemaTests {
    func frame() throws -> DataFrame {
        try DataFrame([
            .integers("user_id", [1, 2]), .integers("media_id", [10, 20]), .doubles("is_listened", [1, 0]),
            .strings("title", ["a", "b"]), .integers("ts_listen", [1_500_000_000, 1_500_000_100]),
        ])
    }

    @Test func declaresRolesOnTheVariable() throws {
        let s = Session()
        s.set("listens", try frame())
        #expect(s.run("schema listens user=user_id item=media_id label=is_listened time=ts_listen") == .ok)
        let schema = try #require(s["listens"]?.frame?.schema)
        #expect(schema == Schema([.user: "user_id", .item: "media_id", .label: "is_listened", .time: "ts_listen"]))
        let pairs = try #require(s.lastValues)
        #expect(pairs.map(\.0) == ["user", "item", "label", "rating", "time"])
        #expect(pairs.map(\.1) == ["user_id", "media_id", "is_listened", "—", "ts_listen"].map(Cell.string))
    }

    @Test func rolesAccumulateAndShowWithNoOptions() throws {
        let s = Session()
        s.set("f", try frame())
        #expect(s.run("schema f user=\"user_id\"\nschema f item=f.media_id\nschema f") == .ok)
        #expect(s["f"]?.frame?.schema == Schema([.user: "user_id", .item: "media_id"]))
        #expect(s.lastValues?.map(\.1) == [.string("user_id"), .string("media_id"), .string("—"), .string("—"), .string("—")])
        guard case .keyValues(let title, _)? = s.results.last?.blocks.first else { Issue.record("no values"); return }
        #expect(title == "schema of f")
    }

    @Test func aTimeColumnMayBeText() throws {
        let s = Session()
        s.set("f", try frame())
        #expect(s.run("schema f time=title") == .ok)
    }

    @Test func anUnknownColumnSuggestsAndListsTheColumns() throws {
        let s = Session()
        s.set("f", try frame())
        #expect(s.run("schema f user=user item=media_id") == .runtimeError)
        #expect(s.diagnostics == ["1:15: column 'user' not found; did you mean 'user_id'?"])
        #expect(s.notes == [["columns: user_id, media_id, is_listened, title, ts_listen"]])
        #expect(s["f"]?.frame?.schema.isEmpty == true)
    }

    @Test func theUserItemAndLabelMustBeNumeric() throws {
        let s = Session()
        s.set("f", try frame())
        #expect(s.run("schema f label=title") == .runtimeError)
        #expect(s.diagnostics == ["1:10: the label column must be numeric, but 'title' holds string"])
    }

    @Test func theFrameMustBeAVariable() throws {
        let s = Session()
        s.set("f", try frame())
        #expect(s.run("schema (f) user=user_id") == .ok)
        let t = Session()
        t.set("f", try frame())
        #expect(t.run("schema f.title user=user_id") == .runtimeError)
        #expect(t.diagnostics == ["1:8: schema needs the name of a frame variable, such as 'schema listens user=user_id'"])
    }

    @Test func aLongColumnListIsCut() throws {
        let s = Session()
        s.set("f", try DataFrame((0..<25).map { .integers("c\($0)", [1]) }))
        s.run("schema f user=nope")
        #expect(s.notes == [["columns: " + (0..<20).map { "c\($0)" }.joined(separator: ", ") + ", …"]])
    }
}
