// Cholesky: the factorisation A = L Lᵀ of a small symmetric positive definite matrix and the
// solve A x = b by forward and back substitution, in Double. Used for exact ALS solves (the
// reference beside the conjugate-gradient kernel) and for explaining ALS scores; the k x k
// systems here (k <= a few hundred) are too small for LAPACK to pay.

/// A factorised symmetric positive definite matrix.
package struct Cholesky: Sendable {
    package let n: Int
    /// L, row-major, lower triangle (the upper triangle is zero).
    package let lower: [Double]

    /// Factorises the n x n row-major matrix `a`; nil when it is not positive definite.
    package init?(_ a: [Double], n: Int) {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0 else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<Swift.max(j + 1, n) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        self.n = n
        lower = l
    }

    /// x with A x = b.
    package func solve(_ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= lower[i * n + k] * y[k] }
            y[i] = s / lower[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<Swift.max(i + 1, n) { s -= lower[k * n + i] * y[k] }
            y[i] = s / lower[i * n + i]
        }
        return y
    }
}
