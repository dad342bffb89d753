// Correlation against numpy and pandas on a small fixture, and against a two-pass per-pair
// reference on random frames. Expected values (numpy 2.x, pandas 2.x), copied below:
//   Pearson: `np.corrcoef(X, rowvar=False)`, X the fixture as float64;
//   Spearman and the pairwise-complete cases: `df.corr(method=...)`. pandas' own Pearson is off
//   by up to 2e-12 on the timestamp column d (checked against exact rational arithmetic with
//   Python's fractions), so comparisons with pandas allow 1e-11.

import Testing
@testable import Frame

enum CorrelationFixture {
    static let a: [Int64] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    static let b: [Double] = [2.5, 1.0, 4.0, 3.5, 6.0, 5.5, 8.0, 7.0, 9.5, 11.0, 10.0, 12.5]
    static let c: [Int64] = [5, 3, 5, 1, 2, 2, 4, 5, 1, 3, 2, 4]
    static let d: [Int64] = [1_478_000_123, 1_478_003_001, 1_478_010_000, 1_478_000_500, 1_478_020_000, 1_478_030_000,
                             1_478_005_000, 1_478_040_000, 1_478_001_000, 1_478_050_000, 1_478_060_000, 1_478_002_000]

    static var frame: DataFrame {
        try! DataFrame([.integers("a", a), .doubles("b", b), .integers("c", c), .integers("d", d)])
    }

    /// b missing at rows 1 and 7 (NaN), c at rows 0, 7 and 10 (null).
    static var frameWithGaps: DataFrame {
        var b2 = b
        b2[1] = .nan
        b2[7] = .nan
        let valid = (0..<12).map { ![0, 7, 10].contains($0) }
        return try! DataFrame([.integers("a", a), .doubles("b", b2), .integers("c", c, validity: Bitmap(valid)), .integers("d", d)])
    }
}

/// The reference: for each pair, the complete rows' values, two-pass means, then r.
enum ReferenceCorrelation {
    static func matrix(_ f: DataFrame, spearman: Bool) -> [[Double]] {
        let cols = f.columns.filter { $0.type.isNumeric }
        return cols.map { x in
            cols.map { y in
                var xs: [Double] = [], ys: [Double] = []
                for i in 0..<f.rowCount {
                    let u = x.double(at: i), v = y.double(at: i)
                    if !u.isNaN && !v.isNaN { xs.append(u); ys.append(v) }
                }
                if spearman { (xs, ys) = (ranks(xs), ranks(ys)) }
                return pearson(xs, ys)
            }
        }
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (u, v) in zip(x, y) {
            sxy += (u - mx) * (v - my)
            sxx += (u - mx) * (u - mx)
            syy += (v - my) * (v - my)
        }
        guard sxx > 1e-12 * x.map({ $0 * $0 }).reduce(0, +), syy > 1e-12 * y.map({ $0 * $0 }).reduce(0, +), sxx > 0, syy > 0 else { return .nan }
        return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
    }

    /// Average 1-based ranks, by sorting.
    static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            for t in i...j { r[order[t]] = Double(i + j + 2) / 2 }
            i = j + 1
        }
        return r
    }
}

func expectClose(_ got: [[Double]], _ want: [[Double]], tolerance: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, sourceLocation: sourceLocation)
    for (g, w) in zip(got, want) {
        #expect(g.count == w.count && zip(g, w).allSatisfy { close($0, $1, tolerance) }, "\(g) vs \(w)", sourceLocation: sourceLocation)
    }
}

@Suite struct CorrelationTests {
    @Test func pearsonMatchesNumpy() throws {
        let m = try CorrelationFixture.frame.correlation(method: .pearson)
        #expect(m.names == ["a", "b", "c", "d"])
        expectClose(m.values, [
            [1.0, 0.9658935279553792, -0.19265702537001278, 0.5009806702001494],
            [0.9658935279553793, 1.0, -0.11268739267631618, 0.4105752327965716],
            [-0.19265702537001278, -0.11268739267631618, 1.0, -0.06831184025316756],
            [0.5009806702001494, 0.4105752327965716, -0.06831184025316756, 1.0],
        ])
    }

    @Test func spearmanMatchesPandas() throws {
        expectClose(try CorrelationFixture.frame.correlation(method: .spearman).values, [
            [1.0, 0.965034965034965, -0.19968188304978737, 0.46153846153846156],
            [0.965034965034965, 1.0, -0.09984094152489369, 0.42657342657342656],
            [-0.19968188304978737, -0.09984094152489369, 1.0, 0.02496023538122342],
            [0.46153846153846156, 0.42657342657342656, 0.02496023538122342, 1.0],
        ], tolerance: 1e-11)
    }

    @Test func pairwiseCompleteRowsMatchPandas() throws {
        let f = CorrelationFixture.frameWithGaps
        expectClose(try f.correlation(method: .pearson).values, [
            [1.0, 0.9740866094641573, 0.023727279958211386, 0.5009806701983827],
            [0.9740866094641573, 1.0, 0.1748149640244195, 0.3771374064237667],
            [0.023727279958211386, 0.1748149640244195, 1.0, 0.005289154262266659],
            [0.5009806701983827, 0.3771374064237667, 0.005289154262266659, 1.0],
        ], tolerance: 1e-11)
        expectClose(try f.correlation(method: .spearman).values, [
            [1.0, 0.9636363636363636, 0.02542738138578039, 0.46153846153846156],
            [0.9636363636363636, 1.0, 0.20609467411177057, 0.47878787878787876],
            [0.02542738138578039, 0.20609467411177057, 1.0, 0.29665278283410457],
            [0.46153846153846156, 0.47878787878787876, 0.29665278283410457, 1.0],
        ], tolerance: 1e-11)
    }

    @Test(arguments: CorrelationMethod.allCases)
    func matchesThePerPairReference(method: CorrelationMethod) throws {
        for (seed, n, nullRate) in [(UInt64(1), 0, 0.0), (2, 1, 0.0), (3, 300, 0.0), (4, 300, 0.2), (5, 3 * Parallel.minimumChunk, 0.0)] {
            var f = randomFrame(rows: n, seed: seed, nullRate: nullRate)
            f = try f.dropping(["i64"])  // int64 extremes: Double rounding, tested on the fixture instead
            let got = try f.correlation(method: method)
            #expect(got.names == ["k8", "k16", "i32", "f", "b"])
            expectClose(got.values, ReferenceCorrelation.matrix(f, spearman: method == .spearman), tolerance: 1e-9)
        }
    }

    @Test func spearmanWithoutMissingValuesRanksEachColumnOnce() throws {
        // No null and no NaN: rank tables for small ranges, sorted ranks for wide and float columns.
        for n in [2, 500, 2 * Parallel.minimumChunk + 1] {
            var f = try randomFrame(rows: n, seed: 12, nullRate: 0).selecting(["k8", "k16", "i32", "b"])
            var d = Draw(seed: 13)
            f = try f.with(.doubles("g", (0..<n).map { _ in Double(d.int(-50...50)) / 4 }))
            #expect(f.columns.allSatisfy { $0.presence() == nil })
            expectClose(try f.correlation(method: .spearman).values, ReferenceCorrelation.matrix(f, spearman: true), tolerance: 1e-9)
        }
    }

    @Test func constantColumnsAreNaN() throws {
        let f = try DataFrame([.integers("k", [1, 1, 1]), .doubles("x", [0.1, 0.1, 0.1]), .integers("v", [1, 2, 3])])
        for method in CorrelationMethod.allCases {
            let m = try f.correlation(method: method).values
            #expect(m[0].allSatisfy(\.isNaN) && m[1].allSatisfy(\.isNaN))
            #expect(m[2][2] == 1 && m[2][0].isNaN)
        }
    }

    @Test func selectsColumnsAndRejectsText() throws {
        let f = try DataFrame([.integers("a", [1, 2, 3]), .strings("s", ["x", "y", "z"]), .doubles("b", [3, 1, 2])])
        #expect(try f.correlation().names == ["a", "b"])
        #expect(try f.correlation(columns: ["b", "a"]).values[0][1] == -0.5)
        #expect(throws: FrameError.wrongType(column: "s", expected: "a numeric column for a correlation", actual: .string)) {
            try f.correlation(columns: ["a", "s"])
        }
    }
}
