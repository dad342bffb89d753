import Foundation
import Testing
import Frame
import Interpreter

@Suite struct HeadTailShapeTests {
    func session() throws -> Session {
        let s = Session()
        s.set("f", try mixedFrame())
        return s
    }

    @Test func headShowsTheFirstRows() throws {
        let s = try session()
        #expect(s.run("head f 3") == .ok)
        let t = try #require(s.lastTable)
        #expect(t.columns.map(\.name) == ["user_id", "score", "genre", "liked"])
        #expect(t.rows == [
            [.int(3), .double(2.5), .string("pop"), .bool(true)],
            [.int(1), .double(-1), .string("rock"), .bool(false)],
            [.int(4), .double(4), .null, .bool(true)],
        ])
        #expect(t.notes == ["first 3 of 8 rows × 4 columns"])
        #expect(t.columns.map(\.alignment) == [.right, .right, .left, .right])
    }

    @Test func tailShowsTheLastRows() throws {
        let s = try session()
        #expect(s.run("tail f 2") == .ok)
        let t = try #require(s.lastTable)
        #expect(t.rows.map { $0[0] } == [.int(2), .int(6)])
        #expect(t.rows[1][2] == .null)
        #expect(t.notes == ["last 2 of 8 rows × 4 columns"])
    }

    @Test(arguments: [("head f", 8), ("head f 0", 0), ("head f 100", 8), ("tail f 5", 5), ("head f n=1", 1)])
    func rowCounts(_ script: String, _ rows: Int) throws {
        let s = try session()
        #expect(s.run("x = " + script) == .ok)
        #expect(s["x"]?.frame?.rowCount == rows)
        #expect(s.output == ["x = frame \(rows) row\(rows == 1 ? "" : "s") × 4 columns\n"])
    }

    @Test func headDefaultsToTenRows() throws {
        let s = Session()
        s.set("big", try DataFrame([.integers("k", (0..<25).map(Int64.init))]))
        s.run("x = head big\ny = tail big")
        #expect(s["x"]?.frame?.doubles("k") == (0..<10).map(Double.init))
        #expect(s["y"]?.frame?.doubles("k") == (15..<25).map(Double.init))
    }

    @Test func headOnANonFrameIsARuntimeError() throws {
        let s = try session()
        s.set("n", .int(3))
        #expect(s.run("head n") == .runtimeError)
        #expect(s.diagnostics == ["1:6: expected a frame for 'frame', but 'n' is an integer"])
    }

    @Test func shapeIsAListOfRowsAndColumns() throws {
        let s = try session()
        #expect(s.run("shape f\nd = shape f") == .ok)
        #expect(s.output == ["8 rows × 4 columns\n", "d = [8, 4]\n"])
        #expect(describe(s["d"]) == "[int 8, int 4]")
    }
}

@Suite struct TypesNullsTests {
    @Test func typesNameEachColumnsStorage() throws {
        let s = Session()
        var frame = try DataFrame([
            .integers("small", [1, -2, 3]), .integers("wide", [1, 40_000, 3]), .integers("huge", [1, 5_000_000_000, 2]),
            .doubles("x", [1, 2, 3]), .strings("s", ["ab", nil, "ab"]), .bools("b", [true, false, true]),
        ])
        frame.schema = Schema([.user: "small", .label: "x"])
        s.set("f", frame)
        #expect(s.run("t = types f") == .ok)
        let t = try #require(s["t"]?.frame)
        #expect(t.cells("column") == ["small", "wide", "huge", "x", "s", "b"].map(Cell.string))
        #expect(t.cells("type") == ["int8", "int32", "int64", "float64", "string", "bool"].map(Cell.string))
        #expect(t.cells("role") == ["user", "", "", "label", "", ""].map(Cell.string))
        // Values, plus a validity bitmap for the column with a null, plus the string dictionary.
        let bytes: [Int64] = [3, 12, 24, 24, 4 * 3 + 2 + 1, 3]
        #expect(t.cells("bytes") == bytes.map(Cell.int))
        s.run("types f")
        #expect(s.lastTable?.notes == ["6 columns, 3 rows, 81 bytes in memory"])
    }

    @Test func nullsCountsAndShares() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("n = nulls f\nnulls f") == .ok)
        let t = try #require(s["n"]?.frame)
        #expect(t.cells("column") == ["user_id", "score", "genre", "liked"].map(Cell.string))
        #expect(t.cells("nulls") == [0, 1, 2, 0].map { Cell.int($0) })
        #expect(t.cells("share") == [0, 0.125, 0.25, 0].map { Cell.double($0) })
        #expect(s.lastTable?.notes == ["3 missing values in all"])
        #expect(s.output.last!.contains("12.5%"))
    }

    @Test func nullsOfACompleteFrame() throws {
        let s = Session()
        s.set("f", try DataFrame([.integers("a", [1, 2])]))
        s.run("nulls f")
        #expect(s.lastTable?.notes == ["no missing values in 1 column × 2 rows"])
        s.set("g", try DataFrame([.integers("a", [1])]))
        s.run("types g")
        #expect(s.lastTable?.notes == ["1 column, 1 row, 1 byte in memory"])
    }
}

@Suite struct DescribeTests {
    /// Mean, sample standard deviation and linearly interpolated quantiles, computed plainly.
    func stats(_ xs: [Double]) -> (mean: Double, std: Double, q: (Double) -> Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let std = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
        let sorted = xs.sorted()
        func q(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let below = floor(position), above = ceil(position)
            return sorted[Int(below)] * (1 - (position - below)) + sorted[Int(above)] * (position - below)
        }
        return (mean, std, q)
    }

    @Test func numericColumnsGetMomentsAndQuartiles() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("d = describe f") == .ok)
        let d = try #require(s["d"]?.frame)
        #expect(d.columnNames == ["column", "count", "nulls", "mean", "std", "min", "25%", "50%", "75%", "max", "distinct"])
        #expect(d.cells("column") == ["user_id", "score", "genre", "liked"].map(Cell.string))
        #expect(d.cells("count") == [8, 7, 6, 8].map { Cell.int($0) })
        #expect(d.cells("nulls") == [0, 1, 2, 0].map { Cell.int($0) })
        #expect(d.cells("distinct") == [7, 6, 3, 2].map { Cell.int($0) })

        let columns: [(row: Int, values: [Double])] = [
            (0, [3, 1, 4, 1, 5, 9, 2, 6]),
            (1, [2.5, -1, 4, 4, 10, 3.25, 7]),  // the null left out
            (3, [1, 0, 1, 1, 0, 0, 1, 0]),
        ]
        for (row, values) in columns {
            let (mean, std, q) = stats(values)
            let expected = [mean, std, values.min()!, q(0.25), q(0.5), q(0.75), values.max()!]
            let got = ["mean", "std", "min", "25%", "50%", "75%", "max"].map { d.doubles($0)[row] }
            for (g, e) in zip(got, expected) { #expect(abs(g - e) < 1e-12, "row \(row): \(got) vs \(expected)") }
        }
        // Text columns get count, nulls and distinct only.
        for stat in ["mean", "std", "min", "25%", "50%", "75%", "max"] { #expect(d.cells(stat)[2] == .null) }
    }

    @Test func quartilesInterpolateBetweenValues() throws {
        let s = Session()
        s.set("f", try DataFrame([.doubles("x", [4, 1, 3, 2])]))
        s.run("d = describe f")
        let d = try #require(s["d"]?.frame)
        #expect(d.doubles("25%") == [1.75] && d.doubles("50%") == [2.5] && d.doubles("75%") == [3.25])
        #expect(d.doubles("mean") == [2.5])
        #expect(abs(d.doubles("std")[0] - (5.0 / 3).squareRoot()) < 1e-15)
    }

    @Test func aSingleValueHasNoStandardDeviation() throws {
        let s = Session()
        s.set("f", try DataFrame([.integers("x", [7])]))
        s.run("d = describe f")
        let d = try #require(s["d"]?.frame)
        #expect(d.cells("std") == [.null])
        #expect(d.cells("50%") == [.double(7)])
    }

    @Test func theMeanIsStableOnLargeOffsets() throws {
        // Timestamps near 1.5e9: the naive sum of squares would lose every digit of the spread.
        let xs = (0..<1000).map { 1.5e9 + Double($0 % 10) }
        let s = Session()
        s.set("f", try DataFrame([.doubles("t", xs)]))
        s.run("d = describe f")
        let d = try #require(s["d"]?.frame)
        let (mean, std, _) = stats(xs.map { $0 - 1.5e9 })
        #expect(abs(d.doubles("mean")[0] - (1.5e9 + mean)) < 1e-6)
        #expect(abs(d.doubles("std")[0] - std) < 1e-6)
    }

    @Test func selectedColumnsOnly() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("d = describe f columns=[score, f.user_id]") == .ok)
        #expect(s["d"]?.frame?.cells("column") == [.string("score"), .string("user_id")])
        #expect(s.run("describe f columns=genre") == .ok)
        #expect(s.lastTable?.rows.count == 1)
    }

    @Test func anUnknownColumnSuggestsTheClosest() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("describe f columns=[score, genr]") == .runtimeError)
        #expect(s.diagnostics == ["1:28: column 'genr' not found; did you mean 'genre'?"])
        #expect(s.notes == [["columns: user_id, score, genre, liked"]])
    }

    @Test func theTableShowsTrimmedNumbersAndGroupedCounts() throws {
        let s = Session()
        s.set("f", try DataFrame([.doubles("x", [1, 2, 3, 4]), .integers("n", Array(repeating: 1, count: 4))]))
        s.run("describe f")
        let text = s.output[0]
        #expect(text.contains("2.5"))
        #expect(text.contains("1.291 "))
        #expect(text.contains("4 rows × 2 columns"))
    }
}
