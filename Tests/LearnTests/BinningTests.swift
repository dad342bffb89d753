// Binning: bounds by hand for few distinct values, for the greedy quantile bins and for a big
// value; a constant column; codes that agree with the raw comparison; NaN's own bin; the
// row-major copy; the sample of rows.

import Testing
import Frame
import Learn

/// A matrix from its columns.
func matrix(_ columns: [[Float]]) -> FeatureMatrix {
    let n = columns.first?.count ?? 0, d = columns.count
    var values = [Float](repeating: 0, count: n * d)
    for c in 0..<d { for r in 0..<n { values[r * d + c] = columns[c][r] } }
    return FeatureMatrix(rows: n, columns: d, values: values, names: (0..<d).map { "x\($0)" })
}

@Suite struct BinningTests {
    /// Few distinct values: one bin each, bounds at the midpoints, +inf last.
    @Test func fewDistinctValuesGetABinEach() {
        let bins = FeatureBins(fitting: matrix([[3, 1, 2, 3, 1, 3]]), bins: 255)
        #expect(bins.upperBounds == [[1.5, 2.5, .infinity]])
        #expect(bins.binCounts == [4])
        #expect([1, 1.5, 1.6, 2, 3, 100, -.infinity].map { bins.code($0, column: 0) } == [0, 0, 1, 1, 2, 2, 0])
        #expect(bins.code(.nan, column: 0) == 3)
    }

    /// 0...999 into 10 bins: no big value, so the mean size stays 100 and every bin closes
    /// after 100 values, at the midpoint to the next: 99.5, 199.5, ..., 899.5, +inf.
    @Test func manyValuesGetQuantileBins() {
        let bounds = FeatureBins.bounds(sorted: (0..<1000).map(Float.init), bins: 10)
        #expect(bounds == (0..<9).map { Float($0 * 100) + 99.5 } + [.infinity])
    }

    /// 500 zeros and 1...500 into 10 bins: 0 is big (500 >= 1000 / 10) and gets its own bin;
    /// the other 500 values share the 9 bins left, mean 500 / 9 = 55.6, so the first closes
    /// at 56 values; then 444 / 8 = 55.5 (56 values), 388 / 7 = 55.4 (56), 332 / 6 = 55.3 (56),
    /// 276 / 5 = 55.2 (56), 220 / 4 = 55 (55), 165 / 3 = 55 (55), 110 / 2 = 55 (55), and the
    /// ninth bound is the 9th bin closed (bins - 1), the last bin takes the rest.
    @Test func aBigValueGetsItsOwnBin() {
        let values = [Float](repeating: 0, count: 500) + (1...500).map(Float.init)
        let bounds = FeatureBins.bounds(sorted: values, bins: 10)
        #expect(bounds == [0.5, 56.5, 112.5, 168.5, 224.5, 280.5, 335.5, 390.5, 445.5, .infinity])
    }

    @Test func aConstantColumnHasOneBin() {
        let bins = FeatureBins(fitting: matrix([[7, 7, 7, 7]]), bins: 255)
        #expect(bins.upperBounds == [[.infinity]])
        #expect(bins.bin(matrix([[7, -3, 1e9, .nan]])).codes == [0, 0, 0, 1])
    }

    /// Code <= b exactly when value <= bound b, on random values with repeats and NaN.
    @Test func codesAgreeWithTheRawComparison() {
        var rng = TestRandom(seed: 91)
        let column: [Float] = (0..<3000).map { i in i % 97 == 0 ? .nan : Float((rng.normal() * 4).rounded() / 4) }
        let x = matrix([column])
        let bins = FeatureBins(fitting: x, bins: 16)
        let bounds = bins.upperBounds[0]
        #expect(bounds.count == 16)
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
        let binned = bins.bin(x)
        for r in 0..<x.rows {
            let code = Int(binned[r, 0])
            if column[r].isNaN { #expect(code == bounds.count); continue }
            for b in 0..<bounds.count { #expect((code <= b) == (column[r] <= bounds[b])) }
        }
    }

    @Test func theRowMajorCopyTransposes() {
        let x = matrix([[1, 2, 3], [30, 10, 20]])
        let binned = FeatureBins(fitting: x, bins: 255).bin(x)
        #expect(binned.codes == [0, 1, 2, 2, 0, 1])
        #expect(binned.rowMajor() == [0, 2, 1, 0, 2, 1])
    }

    /// Beyond 200,000 rows the bounds come from a sample fixed by the seed.
    @Test func theSampleIsFixedBySeed() {
        let a = FeatureBins.sample(rows: 300_000, seed: 5), b = FeatureBins.sample(rows: 300_000, seed: 5)
        #expect(a.count == FeatureBins.sampleRows && a == b && a == a.sorted())
        #expect(a != FeatureBins.sample(rows: 300_000, seed: 6))
        #expect(FeatureBins.sample(rows: 10, seed: 5) == Array(0..<10))
    }
}
