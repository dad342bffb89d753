// Value counts and crosstabs against dictionary counting and sorting, plus exact small cases
// and the crosstab's column limit.

import Testing
@testable import Frame

@Suite struct ValueCountsTests {
    /// The reference: counts in a dictionary, sorted by count descending then value ascending
    /// (nulls last among equal counts).
    static func reference(_ f: DataFrame, _ name: String) -> [(Cell, Int)] {
        let c = f[name]!
        var counts: [RefKey: Int] = [:], first: [RefKey: Cell] = [:]
        for i in 0..<c.count {
            let k = RefKey(c[i])
            counts[k, default: 0] += 1
            if first[k] == nil { first[k] = c[i] }
        }
        return counts.map { (first[$0.key]!, $0.value) }.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            if isMissing(a.0) != isMissing(b.0) { return isMissing(b.0) }
            return ReferenceGroupBy.less(a.0, b.0)
        }
    }

    @Test(arguments: ["k8", "k16", "i64", "f", "b", "s"])
    func matchesDictionaryCounting(name: String) throws {
        for (seed, n) in [(UInt64(1), 0), (2, 1), (3, 500)] {
            let f = randomFrame(rows: n, seed: seed, nullRate: 0.2)
            let v = try f.valueCounts(name)
            let want = Self.reference(f, name)
            #expect(v.columnNames == ["value", "count", "share"])
            #expect(v.rowCount == want.count)
            for (i, (value, count)) in want.enumerated() where i < v.rowCount {
                #expect(sameCell(v["value"]![i], value) && v["count"]![i] == .int(Int64(count)), "\(name) row \(i)")
                #expect(v["share"]![i] == .double(Double(count) / Double(n)))
            }
        }
    }

    @Test func exactSmallCaseAndTop() throws {
        let f = try DataFrame([.strings("g", ["b", nil, "a", "b", nil, "c", "a"])])
        #expect(rows(try f.valueCounts("g")) == [
            [.string("a"), .int(2), .double(2.0 / 7)], [.string("b"), .int(2), .double(2.0 / 7)],
            [.null, .int(2), .double(2.0 / 7)], [.string("c"), .int(1), .double(1.0 / 7)],
        ])
        #expect(try f.valueCounts("g", top: 1).rowCount == 1)
        #expect(throws: FrameError.invalidArgument("top must be at least 1, not 0")) { try f.valueCounts("g", top: 0) }
    }
}

@Suite struct CrosstabTests {
    @Test(arguments: [("k8", "b"), ("s", "k8"), ("b", "s"), ("f", "b")])
    func matchesDictionaryCounting(rowsName: String, columnsName: String) throws {
        let f = randomFrame(rows: 400, seed: 6, nullRate: 0.2)
        let t = try f.crosstab(rowsName, columnsName)
        // Expected: sorted distinct values of each column (nulls last), pair counts.
        let rv = try f.valueCounts(rowsName).sorted(by: [SortKey("value")])["value"]!
        let cv = try f.valueCounts(columnsName).sorted(by: [SortKey("value")])["value"]!
        var pairs: [[RefKey]: Int] = [:]
        for i in 0..<f.rowCount { pairs[[RefKey(f[rowsName]![i]), RefKey(f[columnsName]![i])], default: 0] += 1 }
        #expect(t.rowCount == rv.count && t.columnCount == cv.count + 1)
        for i in 0..<rv.count {
            #expect(sameCell(t.columns[0][i], rv[i]))
            for j in 0..<cv.count {
                #expect(t.columns[j + 1][i] == .int(Int64(pairs[[RefKey(rv[i]), RefKey(cv[j])]] ?? 0)))
            }
        }
    }

    @Test func exactSmallCase() throws {
        let f = try DataFrame([
            .integers("age", [30, 18, 30, 18, 30]),
            .strings("os", ["ios", "web", "ios", nil, "web"]),
        ])
        let t = try f.crosstab("age", "os")
        #expect(t.columnNames == ["age", "ios", "web", "null"])
        #expect(rows(t) == [[.int(18), .int(0), .int(1), .int(1)], [.int(30), .int(2), .int(1), .int(0)]])
    }

    @Test func repeatedColumnNamesGetASuffix() throws {
        let f = try DataFrame([.strings("x", ["x", "1"]), .integers("y", [1, 1])])
        let t = try f.crosstab("y", "x")
        #expect(t.columnNames == ["y", "1", "x"])
        let g = try DataFrame([.strings("a", ["1"]), .integers("b", [1])])
        #expect(try g.crosstab("b", "a").columnNames == ["b", "1"])
        let h = try DataFrame([.strings("y", ["y"]), .integers("z", [1])]).crosstab("y", "y")
        #expect(h.columnNames == ["y", "y_2"])
    }

    @Test func tooManyColumnsIsAnError() throws {
        let n = DataFrame.crosstabColumnLimit + 1
        let f = try DataFrame([.integers("a", [Int64](repeating: 1, count: n)), .integers("b", (0..<n).map(Int64.init))])
        #expect(throws: FrameError.invalidArgument("crosstab of 'a' by 'b' would have \(n) columns, over the limit of \(DataFrame.crosstabColumnLimit); put the column with fewer values second, or filter first")) {
            try f.crosstab("a", "b")
        }
        #expect(try f.crosstab("b", "a").rowCount == n)
    }
}
