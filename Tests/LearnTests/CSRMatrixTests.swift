// CSRMatrix: the counting-sort transpose against a naive dense transpose, its invariants, and
// the small helpers (value lookup, row sums, mapValues).

import Testing
import Learn

/// A random sparse matrix with about `density` of its cells stored (nonzero values).
func randomCSR(_ rng: inout TestRandom, rows: Int, columns: Int, density: Double) -> CSRMatrix {
    var offsets = [0], indices: [Int32] = [], values: [Float] = []
    for _ in 0..<rows {
        for c in 0..<columns where rng.double() < density {
            indices.append(Int32(c))
            values.append(Float(1 + rng.int(9)) / 2)
        }
        offsets.append(indices.count)
    }
    return CSRMatrix(rows: rows, columns: columns, offsets: offsets, indices: indices, values: values)
}

func denseOf(_ m: CSRMatrix) -> [[Float]] {
    var out = [[Float]](repeating: [Float](repeating: 0, count: m.columns), count: m.rows)
    for r in 0..<m.rows { for p in m.range(of: r) { out[r][Int(m.indices[p])] = m.values[p] } }
    return out
}

/// The CSR invariants: offsets from 0 to nnz, non-decreasing; indices in range and strictly
/// ascending within a row.
func isWellFormed(_ m: CSRMatrix) -> Bool {
    guard m.offsets.count == m.rows + 1, m.offsets.first == 0, m.offsets.last == m.nonZeros else { return false }
    for r in 0..<m.rows {
        guard m.offsets[r] <= m.offsets[r + 1] else { return false }
        let row = m.indices[m.range(of: r)]
        guard row.allSatisfy({ $0 >= 0 && Int($0) < m.columns }) else { return false }
        guard zip(row, row.dropFirst()).allSatisfy({ $0 < $1 }) else { return false }
    }
    return true
}

@Suite struct CSRMatrixTests {
    @Test(arguments: [(UInt64(1), 1, 1, 1.0), (2, 5, 9, 0.3), (3, 30, 4, 0.5), (4, 17, 23, 0.1), (5, 8, 8, 0.0), (6, 3, 40, 0.9)])
    func transposeEqualsTheNaiveTranspose(seed: UInt64, rows: Int, columns: Int, density: Double) {
        var rng = TestRandom(seed: seed)
        let m = randomCSR(&rng, rows: rows, columns: columns, density: density)
        let t = m.transposed()
        #expect(t.rows == columns && t.columns == rows && t.nonZeros == m.nonZeros)
        #expect(isWellFormed(m) && isWellFormed(t))
        let d = denseOf(m)
        let naive = (0..<columns).map { c in (0..<rows).map { r in d[r][c] } }
        #expect(denseOf(t) == naive)
        #expect(t.transposed() == m, "transposing twice is the identity")
    }

    @Test func valueLooksUpStoredCellsAndZeroElsewhere() {
        var rng = TestRandom(seed: 8)
        let m = randomCSR(&rng, rows: 6, columns: 11, density: 0.4)
        let d = denseOf(m)
        for r in 0..<6 { for c in 0..<11 { #expect(m.value(r, c) == d[r][c]) } }
    }

    @Test func rowSumsAndMapValues() {
        let m = CSRMatrix(rows: 3, columns: 4, offsets: [0, 2, 2, 5], indices: [0, 3, 1, 2, 3], values: [1, 2, 0.5, 4, -1])
        #expect(m.rowSums() == [3, 0, 3.5])
        let doubled = m.mapValues { 2 * $0 }
        #expect(doubled.values == [2, 4, 1, 8, -2] && doubled.indices == m.indices && doubled.offsets == m.offsets)
        let t = m.transposed()
        #expect(t.offsets == [0, 1, 2, 3, 5])
        #expect(t.indices == [0, 2, 2, 0, 2])
        #expect(t.values == [1, 0.5, 4, 2, -1])
    }
}
