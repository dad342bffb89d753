// Group by against a dictionary-of-lists reference on random frames (every key type, several
// keys, nulls, NaN, the direct and the hashed paths, frames large enough to run in parallel
// chunks), plus exact small cases and the errors.

import Testing
@testable import Frame

/// The plain reference: rows bucketed in a dictionary keyed by normalised cells, in order of
/// first appearance, each aggregate computed from the bucket's list of cells.
enum ReferenceGroupBy {
    static func grouped(_ f: DataFrame, by keys: [String], _ aggregates: [Aggregation]) -> DataFrame {
        let keyIndex = keys.map { f.index(of: $0)! }
        var order: [[RefKey]] = []
        var buckets: [[RefKey]: [Int]] = [:]
        for r in 0..<f.rowCount {
            let key = keyIndex.map { RefKey(f.columns[$0][r]) }
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append(r)
        }
        let groups = order.map { buckets[$0]! }
        var out = f.gather(groups.map { $0[0] }).columns.filter { keys.contains($0.name) }
        out = keys.map { k in out.first { $0.name == k }! }
        for a in aggregates {
            out.append(aggregate(a, f, groups))
        }
        return try! DataFrame(out)
    }

    static func aggregate(_ a: Aggregation, _ f: DataFrame, _ groups: [[Int]]) -> Column {
        guard let name = a.column else { return .integers(a.name, groups.map { Int64($0.count) }) }
        let c = f[name]!
        let values = groups.map { g in g.map { c[$0] }.filter { !isMissing($0) } }
        let numbers = values.map { $0.map { $0.doubleValue ?? .nan } }
        func doubles(_ xs: [Double?]) -> Column {
            .doubles(a.name, xs.map { $0 ?? .nan }, validity: Bitmap(xs.map { $0 != nil }))
        }
        switch a.function {
        case .count:
            return .integers(a.name, values.map { Int64($0.count) })
        case .sum:
            if c.type == .float64 { return .doubles(a.name, numbers.map { $0.reduce(0, +) }) }
            var sums: [Int64] = []
            for g in values {
                var s: Int64 = 0
                for v in g {
                    let x: Int64 = if case .int(let i) = v { i } else if case .bool(let b) = v { b ? 1 : 0 } else { 0 }
                    let (r, o) = s.addingReportingOverflow(x)
                    if o { return .doubles(a.name, numbers.map { $0.reduce(0, +) }) }
                    s = r
                }
                sums.append(s)
            }
            return .integers(a.name, sums)
        case .mean:
            return doubles(numbers.map { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) })
        case .std:
            return doubles(numbers.map { xs in
                guard xs.count > 1 else { return nil }
                let m = xs.reduce(0, +) / Double(xs.count)
                return (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1)).squareRoot()
            })
        case .min, .max:
            let picked: [Cell] = values.map { g in
                guard !g.isEmpty else { return .null }
                let sorted = g.sorted(by: less)
                return a.function == .min ? sorted.first! : sorted.last!
            }
            return column(a.name, c.type == .string || c.type == .bool || c.type == .float64 ? c.type : .int64, picked)
        case .distinct:
            return .integers(a.name, values.map { Int64(Set($0.map(RefKey.init)).count) })
        case .median:
            return doubles(numbers.map { xs in
                guard !xs.isEmpty else { return nil }
                let s = xs.sorted(), n = s.count
                let lo = s[(n - 1) / 2], hi = s[n / 2]
                let sum = lo + hi
                return n % 2 == 1 ? lo : (sum.isFinite ? sum / 2 : lo / 2 + hi / 2)
            })
        }
    }

    /// Ascending order of present cells of one type.
    static func less(_ a: Cell, _ b: Cell) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.bool(let x), .bool(let y)): !x && y
        case (.string(let x), .string(let y)): x < y
        default: false
        }
    }
}

@Suite struct GroupByTests {
    static let keySets: [[String]] = [["k8"], ["k16"], ["i32"], ["i64"], ["f"], ["b"], ["s"], ["k8", "s"], ["s", "b", "k16"], ["i64", "f"]]

    /// Aggregations over every column they accept (sum, mean and std skip i64, whose int64
    /// extremes make Double rounding order-dependent; they are tested exactly below).
    static var aggregations: [Aggregation] {
        var out = [Aggregation(.count)]
        for c in ["k8", "k16", "i32", "i64", "f", "b", "s"] {
            out += [Aggregation(.count, c), Aggregation(.min, c), Aggregation(.max, c), Aggregation(.distinct, c)]
            if c != "s" { out.append(Aggregation(.median, c)) }
            if c != "s" && c != "i64" { out += [Aggregation(.sum, c), Aggregation(.mean, c), Aggregation(.std, c)] }
        }
        return out
    }

    @Test(arguments: keySets)
    func matchesTheReferenceOnRandomFrames(keys: [String]) throws {
        for (seed, rows) in [(UInt64(1), 0), (2, 1), (3, 7), (4, 300)] {
            let f = randomFrame(rows: rows, seed: seed)
            let got = try f.grouped(by: keys, aggregates: Self.aggregations)
            let want = ReferenceGroupBy.grouped(f, by: keys, Self.aggregations)
            #expect(closeFrames(got, want, checkTypes: false), "keys \(keys), seed \(seed)\n\(dump(got))\n\(dump(want))")
        }
    }

    @Test(arguments: [["k16"], ["i32"], ["s", "k8"]])
    func matchesTheReferenceInParallelChunks(keys: [String]) throws {
        // Enough rows for several chunks on any machine with two or more cores.
        let f = randomFrame(rows: 3 * Parallel.minimumChunk + 17, seed: 9)
        let aggregates = [Aggregation(.count), Aggregation(.mean, "f"), Aggregation(.std, "k8"), Aggregation(.min, "s"),
                          Aggregation(.max, "i64"), Aggregation(.sum, "i32"), Aggregation(.median, "k16"), Aggregation(.distinct, "b")]
        let got = try f.grouped(by: keys, aggregates: aggregates)
        let want = ReferenceGroupBy.grouped(f, by: keys, aggregates)
        #expect(closeFrames(got, want, checkTypes: false))
    }

    @Test func manyDistinctKeyPairsAreNumberedBySorting() throws {
        // 3,001 x 3,001 possible pairs exceed the direct limit for 5,000 rows: the sorted path.
        var d = Draw(seed: 17)
        let n = 5000
        let f = try DataFrame([
            .integers("a", (0..<n).map { _ in d.int(0...3000) }, validity: Bitmap((0..<n).map { _ in !d.chance(0.05) })),
            .integers("b", (0..<n).map { _ in d.int(0...3000) }),
            .doubles("v", (0..<n).map { _ in Double(d.int(-9...9)) }),
        ])
        let aggregates = [Aggregation(.count), Aggregation(.sum, "v"), Aggregation(.max, "v")]
        let got = try f.grouped(by: ["a", "b"], aggregates: aggregates)
        #expect(closeFrames(got, ReferenceGroupBy.grouped(f, by: ["a", "b"], aggregates), checkTypes: false))
        #expect(sameFrame(try f.deduplicated(on: ["b", "a"]), DedupeTests.reference(f, on: ["b", "a"])))
    }

    @Test func exactSmallCase() throws {
        let f = try DataFrame([
            .integers("user", [3, 1, 3, 2, 1, 3]),
            .integers("listened", [1, 0, 0, 1, 1, 1], validity: Bitmap([true, true, true, true, false, true])),
            .strings("genre", ["rock", "pop", nil, "rock", "pop", "rock"]),
        ])
        let g = try f.grouped(by: ["user"], aggregates: [
            Aggregation(.count), Aggregation(.count, "listened"), Aggregation(.mean, "listened", as: "rate"),
            Aggregation(.sum, "listened"), Aggregation(.std, "listened"), Aggregation(.distinct, "genre"),
            Aggregation(.max, "genre"),
        ])
        #expect(g.columnNames == ["user", "count", "count_listened", "rate", "sum_listened", "std_listened", "distinct_genre", "max_genre"])
        let third = 1.0 / 3
        let want: [[Cell]] = [
            [.int(3), .int(3), .int(3), .double(2 * third), .int(2), .double(third.squareRoot()), .int(1), .string("rock")],
            [.int(1), .int(2), .int(1), .double(0), .int(0), .null, .int(1), .string("pop")],
            [.int(2), .int(1), .int(1), .double(1), .int(1), .null, .int(1), .string("rock")],
        ]
        #expect(closeFrames(g, frame(like: g, rows: want)))
    }

    @Test func nullKeysFormTheirOwnGroupInOrderOfFirstAppearance() throws {
        let f = try DataFrame([
            .strings("k", [nil, "b", nil, "a", "b"]),
            .integers("v", [1, 2, 3, 4, 5]),
        ])
        let g = try f.grouped(by: ["k"], aggregates: [Aggregation(.sum, "v"), Aggregation(.median, "v")])
        #expect(rows(g) == [[.null, .int(4), .double(2)], [.string("b"), .int(7), .double(3.5)], [.string("a"), .int(4), .double(4)]])
    }

    @Test func integerSumsFallBackToFloatOnOverflow() throws {
        let f = try DataFrame([.integers("k", [0, 0, 1]), .integers("v", [.max, .max, 5])])
        let g = try f.grouped(by: ["k"], aggregates: [Aggregation(.sum, "v"), Aggregation(.max, "v")])
        #expect(g["sum_v"]!.type == .float64)
        #expect(rows(g) == [[.int(0), .double(2 * Double(Int64.max)), .int(.max)], [.int(1), .double(5), .int(5)]])
    }

    @Test func floatKeysGroupNaNTogetherAndNegativeZeroWithZero() throws {
        let f = try DataFrame([.doubles("x", [.nan, 0, -0.0, .nan, 1]), .integers("v", [1, 2, 3, 4, 5])])
        let g = try f.grouped(by: ["x"], aggregates: [Aggregation(.count)])
        #expect(g.rowCount == 3)
        #expect(g["count"]!.int64Values() == [2, 2, 1])
    }

    @Test func wideIntegerKeysTakeTheHashedPathAndAgree() throws {
        let ids: [Int64] = [5_000_000_000, -7, 5_000_000_000, Int64.min, -7, Int64.max]
        let f = try DataFrame([.integers("id", ids), .integers("v", [1, 2, 3, 4, 5, 6])])
        let g = try f.grouped(by: ["id"], aggregates: [Aggregation(.sum, "v")])
        #expect(rows(g) == [[.int(5_000_000_000), .int(4)], [.int(-7), .int(7)], [.int(.min), .int(4)], [.int(.max), .int(6)]])
    }

    @Test func keepsTheKeyColumnsRoles() throws {
        var f = try DataFrame([.integers("u", [1, 1]), .integers("y", [0, 1])])
        f.schema[.user] = "u"
        f.schema[.label] = "y"
        let g = try f.grouped(by: ["u"], aggregates: [Aggregation(.mean, "y")])
        #expect(g.schema == Schema([.user: "u"]))
    }

    @Test func errorsNameTheProblem() throws {
        let f = try DataFrame([.integers("a", [1]), .strings("s", ["x"])])
        #expect(throws: FrameError.invalidArgument("group by needs at least one key column")) {
            try f.grouped(by: [], aggregates: [])
        }
        #expect(throws: FrameError.unknownColumn(name: "b", available: ["a", "s"])) {
            try f.grouped(by: ["b"], aggregates: [])
        }
        #expect(throws: FrameError.wrongType(column: "s", expected: "a numeric column for mean", actual: .string)) {
            try f.grouped(by: ["a"], aggregates: [Aggregation(.mean, "s")])
        }
        #expect(throws: FrameError.invalidArgument("sum needs a column, e.g. sum(a)")) {
            try f.grouped(by: ["a"], aggregates: [Aggregation(.sum)])
        }
        #expect(throws: FrameError.invalidArgument("group by would make two columns named 'a'; name the aggregations apart")) {
            try f.grouped(by: ["a"], aggregates: [Aggregation(.count, as: "a")])
        }
    }
}
