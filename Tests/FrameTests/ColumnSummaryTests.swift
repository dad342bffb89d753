// The fast summary against the plain oracle (`referenceSummary`) on random columns of every
// type: nulls, negatives, int64 extremes, NaN, constant and empty columns, both the counting
// and the sorting paths, and columns long enough to run in parallel chunks. Counts, minimum,
// maximum, quartiles and distinct counts must be equal; mean and std agree to 1e-9 of the
// column's scale (both are accurate to rounding, in different orders).

import Testing
@testable import Frame

@Suite struct ColumnSummaryTests {
    func expectAgrees(_ c: Column, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = c.summary(), want = c.referenceSummary()
        let scale = max(1, abs(want.min ?? 0), abs(want.max ?? 0))
        func near(_ x: Double?, _ y: Double?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return x == y || abs(x - y) <= 1e-9 * scale
        }
        let exact = got.count == want.count && got.nulls == want.nulls && got.min == want.min && got.max == want.max
            && got.q25 == want.q25 && got.median == want.median && got.q75 == want.q75 && got.distinct == want.distinct
        #expect(exact && near(got.mean, want.mean) && near(got.std, want.std),
                "\(c.name) (\(c.type)): \(got) vs \(want)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [0, 1, 2, 5, 500])
    func agreesOnRandomColumns(rows: Int) {
        for seed in UInt64(1)...4 {
            for c in randomFrame(rows: rows, seed: seed, nullRate: seed == 1 ? 0 : 0.15).columns { expectAgrees(c) }
        }
    }

    @Test func agreesInParallelChunksOnBothPaths() {
        var d = Draw(seed: 7)
        let n = 3 * Parallel.minimumChunk + 11
        let validity = Bitmap((0..<n).map { _ in !d.chance(0.05) })
        // Counting (small range), sorting (wide range, 32-bit keys; 64-bit keys), floats.
        expectAgrees(.integers("small", (0..<n).map { _ in d.int(-50...2000) }, validity: validity))
        expectAgrees(.integers("wide32", (0..<n).map { _ in d.int(1_478_000_000...1_480_636_000) }))
        expectAgrees(.integers("wide64", (0..<n).map { _ in d.chance(0.01) ? .min : d.int(-(1 << 40)...(1 << 40)) }, validity: validity))
        expectAgrees(.doubles("float", (0..<n).map { _ in d.chance(0.01) ? .nan : Double(d.int(-1000...1000)) / 7 }, validity: validity))
        expectAgrees(.bools("flag", (0..<n).map { _ in d.chance(0.3) }))
        expectAgrees(.strings("text", (0..<n).map { _ in d.chance(0.1) ? nil : String(d.below(300)) }))
    }

    @Test func exactSmallCases() {
        let s = Column.integers("t", [1, 1_478_000_000, 1_478_000_010, 1_478_000_020]).summary()
        #expect(s.min == 1 && s.max == 1_478_000_020 && s.distinct == 4)
        #expect(s.q25 == 1_108_500_000.25 && s.median == 1_478_000_005)
        let x = Column.integers("x", [.max, .max - 1, .min]).summary()
        #expect(x.distinct == 3 && x.min == Double(Int64.min) && x.max == Double(Int64.max))
        let constant = Column.doubles("c", [2.5, 2.5, .nan], validity: Bitmap([true, true, false])).summary()
        #expect(constant == ColumnSummary(count: 2, nulls: 1, mean: 2.5, std: 0, min: 2.5, q25: 2.5, median: 2.5, q75: 2.5, max: 2.5, distinct: 1))
        let nan = Column.doubles("n", [.nan, .nan]).summary()
        #expect(nan == ColumnSummary(count: 2, nulls: 0, distinct: 0))
    }

    @Test func timestampsKeepTheirDigits() {
        // Mean 1.5e9 + 0.5, sample std exactly sqrt(1/3) for [a, a, a+1, a+1] (n - 1 = 3).
        let a: Int64 = 1_500_000_000
        let s = Column.integers("ts", [a, a + 1, a, a + 1]).summary()
        #expect(s.mean == 1_500_000_000.5)
        #expect(abs(s.std! - (1.0 / 3).squareRoot()) < 1e-12)
    }

    @Test func summariesKeepColumnOrder() {
        let f = randomFrame(rows: 100, seed: 3)
        #expect(f.summaries() == f.columns.map { $0.summary() })
    }
}
