import Testing
import Frame
import Learn

@Suite struct SplitTests {
    /// A frame whose `row` column is the row number, with a schema to carry over.
    func numbered(_ n: Int) throws -> DataFrame {
        var frame = try DataFrame([
            .integers("row", (0..<n).map(Int64.init)),
            .doubles("y", (0..<n).map { Double($0 % 2) }),
            .strings("name", (0..<n).map { "r\($0)" }),
        ])
        frame.schema = Schema([.user: "row", .label: "y"])
        return frame
    }

    func rows(_ frame: DataFrame) -> [Int64] { frame["row"]!.int64Values()! }

    @Test(arguments: [
        (10, 0.8, 8), (10, 0.5, 5), (3, 0.5, 2), (7, 0.3, 2), (1000, 0.75, 750),
        // At least one row on each side, whatever the ratio.
        (2, 0.5, 1), (10, 0.01, 1), (10, 0.99, 9), (5, 0.999, 4),
    ])
    func sizes(n: Int, ratio: Double, trainRows: Int) throws {
        let (train, test) = try Split.random(try numbered(n), ratio: ratio, seed: 1)
        #expect(train.rowCount == trainRows)
        #expect(test.rowCount == n - trainRows)
    }

    @Test(arguments: [UInt64(0), 1, 2, 99, .max])
    func partsAreDisjointCoverTheFrameAndKeepRowOrder(seed: UInt64) throws {
        let frame = try numbered(101)
        let (train, test) = try Split.random(frame, ratio: 0.7, seed: seed)
        let a = rows(train), b = rows(test)
        #expect(Set(a).isDisjoint(with: b))
        #expect((a + b).sorted() == Array(0..<101))
        #expect(a == a.sorted() && b == b.sorted())
        // Every column travels with its row.
        for part in [train, test] {
            for r in 0..<part.rowCount {
                let id = part["row"]![r]
                guard case .int(let v) = id else { Issue.record("row id \(id)"); continue }
                #expect(part["name"]![r] == .string("r\(v)"))
                #expect(part["y"]![r] == .double(Double(v % 2)))
            }
        }
    }

    @Test func thePartsKeepTheSchemaAndColumns() throws {
        let frame = try numbered(20)
        let (train, test) = try Split.random(frame, ratio: 0.8, seed: 3)
        #expect(train.schema == frame.schema && test.schema == frame.schema)
        #expect(train.columnNames == ["row", "y", "name"] && test.columnNames == ["row", "y", "name"])
    }

    @Test func theSameSeedGivesTheSameSplitAndOtherSeedsDiffer() throws {
        let frame = try numbered(200)
        let first = try Split.random(frame, ratio: 0.8, seed: 123)
        let again = try Split.random(frame, ratio: 0.8, seed: 123)
        #expect(rows(first.train) == rows(again.train))
        #expect(rows(first.test) == rows(again.test))
        let others = try (124...130).map { try rows(Split.random(frame, ratio: 0.8, seed: $0).test) }
        #expect(others.allSatisfy { $0 != rows(first.test) })
        #expect(Set(others).count == others.count)
    }

    @Test func theSplitIsRandomNotAPrefix() throws {
        let (train, _) = try Split.random(try numbered(100), ratio: 0.5, seed: 1)
        #expect(rows(train) != Array(0..<50))
    }

    @Test(arguments: [0.0, 1.0, -0.1, 1.5, .nan, .infinity])
    func ratioMustBeStrictlyBetweenZeroAndOne(_ ratio: Double) throws {
        let frame = try numbered(10)
        let expected = LearnError.invalidParameter(name: "ratio", reason: "must be between 0 and 1 (exclusive), e.g. 0.8")
        #expect(throws: expected) { try Split.random(frame, ratio: ratio, seed: 1) }
        #expect(expected.description == "ratio must be between 0 and 1 (exclusive), e.g. 0.8")
    }

    @Test(arguments: [0, 1])
    func aSplitNeedsTwoRows(_ n: Int) throws {
        let frame = try numbered(n)
        let expected = LearnError.invalidParameter(name: "frame", reason: "has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
        #expect(throws: expected) { try Split.random(frame, ratio: 0.5, seed: 1) }
        #expect(expected.description == "frame has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
    }
}
