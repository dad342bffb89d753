// SmallMatrix: dense k x k routines for the few-column statistics (VIF), in plain Swift: k is
// the number of columns, so k³ is tiny next to the pass over the rows.
//
// inverse: Gauss-Jordan elimination with partial pivoting on [A | I]; at step c the row with
// the largest |pivot| in column c (at or below c) is swapped up, so every multiplier is at most
// 1 in magnitude. A pivot below `tolerance` times the largest diagonal entry of A means A is
// singular to working precision, and the inverse is refused (nil).
// residualVariance: the Schur complement of the other variables in a correlation matrix, i.e.
// Gaussian elimination of every other index; an index whose own remaining pivot is below the
// tolerance is a linear combination of those eliminated before it and is skipped.

/// Small dense matrix routines on row-major [[Double]].
enum SmallMatrix {
    /// The inverse of `a`, or nil when a pivot falls below `tolerance` (relative).
    static func inverse(_ a: [[Double]], tolerance: Double) -> [[Double]]? {
        let k = a.count
        var m = a
        var inv = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0.0 } }
        let scale = (0..<k).map { abs(a[$0][$0]) }.max() ?? 1
        for c in 0..<k {
            var pivotRow = c
            for r in (c + 1)..<Swift.max(c + 1, k) where abs(m[r][c]) > abs(m[pivotRow][c]) { pivotRow = r }
            guard abs(m[pivotRow][c]) > tolerance * scale else { return nil }
            m.swapAt(c, pivotRow)
            inv.swapAt(c, pivotRow)
            let p = m[c][c]
            for j in 0..<k {
                m[c][j] /= p
                inv[c][j] /= p
            }
            for r in 0..<k where r != c && m[r][c] != 0 {
                let f = m[r][c]
                for j in 0..<k {
                    m[r][j] -= f * m[c][j]
                    inv[r][j] -= f * inv[c][j]
                }
            }
        }
        return inv
    }

    /// The variance of variable j left after regressing it on all the others (1 - R²_j for a
    /// correlation matrix `a`), skipping others that are combinations of earlier ones.
    static func residualVariance(_ a: [[Double]], of j: Int, tolerance: Double) -> Double {
        let k = a.count
        var m = a
        var eliminated = [Bool](repeating: false, count: k)
        for c in 0..<k where c != j {
            let p = m[c][c]
            guard p > tolerance * Swift.max(a[c][c], 1e-300) else { continue }
            eliminated[c] = true
            for r in 0..<k where !eliminated[r] {
                let f = m[r][c] / p
                if f == 0 { continue }
                for s in 0..<k where !eliminated[s] { m[r][s] -= f * m[c][s] }
            }
        }
        return m[j][j]
    }
}
