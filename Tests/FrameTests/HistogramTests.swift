// Histogram against numpy (expected values from `np.histogram(x, bins=k)`, numpy 2, copied
// below) and against a bin search over the edges on random data.

import Testing
@testable import Frame

@Suite struct HistogramTests {
    func histogram(_ values: [Double], bins: Int) throws -> Histogram {
        try DataFrame([.doubles("x", values)]).histogram("x", bins: bins)
    }

    @Test func matchesNumpy() throws {
        // np.histogram([1, 2, 2, 3, 10, 7.5, -4, 0, 3, 3, 9.999, 10], bins=5)
        let h = try histogram([1, 2, 2, 3, 10, 7.5, -4, 0, 3, 3, 9.999, 10], bins: 5)
        #expect(h.counts == [1, 2, 5, 0, 4])
        #expect(h.edges == [-4.0, -1.2000000000000002, 1.5999999999999996, 4.399999999999999, 7.199999999999999, 10.0])
        // np.histogram([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], bins=3)
        let h2 = try histogram([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], bins: 3)
        #expect(h2.counts == [2, 2, 3])
        #expect(h2.edges == [0.1, 0.3, 0.5, 0.7])
        // np.histogram([5, 5, 5], bins=4): a constant column spans [x - 0.5, x + 0.5].
        let h3 = try DataFrame([.integers("x", [5, 5, 5])]).histogram("x", bins: 4)
        #expect(h3 == Histogram(edges: [4.5, 4.75, 5.0, 5.25, 5.5], counts: [0, 0, 3, 0], nulls: 0))
        // np.histogram([1478000123, 1478003001, 1478010000, 1, 1478060000], bins=7)
        let h4 = try DataFrame([.integers("t", [1_478_000_123, 1_478_003_001, 1_478_010_000, 1, 1_478_060_000])]).histogram("t", bins: 7)
        #expect(h4.counts == [1, 0, 0, 0, 0, 0, 4])
        #expect(h4.edges == [1.0, 211151429.42857143, 422302857.85714287, 633454286.2857143, 844605714.7142857,
                             1055757143.1428572, 1266908571.5714285, 1478060000.0])
    }

    @Test func nullsAndNaNAreCountedApart() throws {
        let f = try DataFrame([.doubles("x", [1, .nan, 2, 3], validity: Bitmap([true, true, false, true]))])
        let h = try f.histogram("x", bins: 2)
        #expect(h == Histogram(edges: [1, 2, 3], counts: [1, 1], nulls: 2))
        let empty = try DataFrame([.doubles("x", [.nan])]).histogram("x", bins: 2)
        #expect(empty == Histogram(edges: [0, 0.5, 1], counts: [0, 0], nulls: 1))
    }

    @Test(arguments: ["k8", "k16", "i32", "i64", "f", "b"])
    func agreesWithABinSearchOverTheEdges(name: String) throws {
        let f = randomFrame(rows: 2 * Parallel.minimumChunk + 3, seed: 4)
        for bins in [1, 3, 64] {
            let h = try f.histogram(name, bins: bins)
            var counts = [Int](repeating: 0, count: bins), nulls = 0
            for i in 0..<f.rowCount {
                let x = f[name]!.double(at: i)
                if x.isNaN { nulls += 1; continue }
                // The last bin is closed; others hold edges[b] <= x < edges[b + 1].
                let b = (0..<bins).first { x >= h.edges[$0] && (x < h.edges[$0 + 1] || $0 == bins - 1) }!
                counts[b] += 1
            }
            #expect(h.counts == counts && h.nulls == nulls, "\(name) bins \(bins)")
            #expect(h.edges.count == bins + 1)
        }
    }

    @Test func errors() throws {
        let f = try DataFrame([.strings("s", ["a", "b"]), .doubles("x", [1, .infinity])])
        #expect(throws: FrameError.wrongType(column: "s", expected: "a numeric column for a histogram", actual: .string)) {
            try f.histogram("s", bins: 3)
        }
        #expect(throws: FrameError.invalidArgument("bins must be between 1 and \(DataFrame.histogramBinLimit), not 0")) {
            try f.histogram("x", bins: 0)
        }
        #expect(throws: FrameError.invalidArgument("histogram of 'x' needs finite values; it has an infinite one, filter it out first")) {
            try f.histogram("x", bins: 3)
        }
    }
}
