// Lanczos: the largest eigenvalues and eigenvectors of a symmetric positive semidefinite
// operator given only as x -> A x (the Gram operator of a sparse matrix: the truncated SVD).
//
// From a random unit q_1 the three-term recurrence
//   w = A q_j - α_j q_j - β_{j-1} q_{j-1},  α_j = q_jᵀ A q_j,  β_j = ‖w‖,  q_{j+1} = w / β_j
// builds an orthonormal basis Q_m of the Krylov space in which A is the tridiagonal T_m
// (α on the diagonal, β beside it). Every new vector is orthogonalised against all earlier
// ones, twice (classical Gram-Schmidt through BLAS), so no spurious copies of converged
// eigenvalues appear. An eigenpair (θ, s) of T_m gives the Ritz pair (θ, Q_m s), whose residual
// is ‖A Q_m s - θ Q_m s‖ = β_m |s_m|; the top k have converged when each residual is below
// `tolerance` · θ_1, which bounds their eigenvalue errors by about residual² / gap. If β
// vanishes (an invariant subspace), the recurrence restarts from a new random vector
// orthogonal to Q (and convergence is judged only k steps after such a restart), so a
// repeated eigenvalue whose copies lie in separate invariant subspaces is found each time. A
// single Krylov sequence sees one copy of each eigenvalue: copies that no breakdown separates
// are found only as rounding lets them in, as with ARPACK. With m = n steps T_m is similar
// to A and the result is exact.

import Frame

/// Eigenpairs of a large symmetric operator.
package enum Lanczos {
    /// The top eigenpairs, largest first.
    package struct Result: Sendable {
        package var values: [Double]
        /// Eigenvector i is vectors[i * dimension ..< (i + 1) * dimension], unit length.
        package var vectors: [Double]
        /// Lanczos steps taken (operator applications).
        package var steps: Int
    }

    /// Steps between convergence checks once k steps have been taken.
    static let checkInterval = 5

    /// The `k` largest eigenpairs of the n x n operator `apply` (y = A x).
    package static func largest(_ k: Int, dimension n: Int, seed: UInt64, tolerance: Double = 1e-10,
                                maxSteps: Int? = nil, context: FitContext = FitContext(),
                                apply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) throws(LearnError) -> Result {
        precondition(k >= 1 && k <= n, "Lanczos needs 1 <= k <= n")
        let limit = Swift.min(n, maxSteps ?? Swift.max(30 * k, 300))
        var rng = Xoshiro256(seed: seed)
        var basis: [Double] = []          // m x n, row j = q_j
        basis.reserveCapacity(Swift.min(limit, 64) * n)
        var alphas: [Double] = [], betas: [Double] = []
        var q = randomUnit(n, &rng)
        var w = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: limit)
        var scale = 0.0
        var found: (values: [Double], vectors: [Double])?
        var steps = 0
        // Steps taken since the last restart; after one, the new direction must be explored for
        // k steps before convergence counts (it may hold another copy of a top eigenvalue).
        var sinceRestart = 0
        while steps < limit {
            try context.checkCancelled()
            basis += q
            let m = steps + 1
            q.withUnsafeBufferPointer { qp in w.withUnsafeMutableBufferPointer { apply(qp.baseAddress!, $0.baseAddress!) } }
            var alpha = 0.0
            for i in 0..<n { alpha += q[i] * w[i] }
            alphas.append(alpha)
            // Full reorthogonalisation (subsumes the three-term subtraction), twice.
            for _ in 0..<2 { orthogonalise(&w, against: basis, rows: m, n: n, scratch: &h) }
            let beta = norm(w)
            scale = Swift.max(scale, abs(alpha) + beta + (betas.last ?? 0))
            steps = m
            sinceRestart += 1
            let invariant = beta <= 1e-12 * scale
            // An invariant subspace makes every residual vanish without proving that the top k
            // are all there: restart instead, unless the whole space has been spanned.
            if m >= k && sinceRestart >= k && (!invariant || m == n)
                && ((m - k) % checkInterval == 0 || m == limit || m == n) {
                if let (values, vectors, converged) = ritz(alphas, betas, k, lastBeta: beta, tolerance: tolerance),
                   converged || m == n {
                    found = (values, vectors)
                    break
                }
            }
            if m == n { break }
            if invariant {
                sinceRestart = 0
                // An invariant subspace: continue from a fresh direction orthogonal to it.
                var fresh = randomUnit(n, &rng)
                for _ in 0..<2 { orthogonalise(&fresh, against: basis, rows: m, n: n, scratch: &h) }
                let f = norm(fresh)
                guard f > 1e-8 else { break }
                q = fresh.map { $0 / f }
                betas.append(0)
            } else {
                q = w.map { $0 / beta }
                betas.append(beta)
            }
        }
        if found == nil, let (values, vectors, converged) = ritz(alphas, betas, k, lastBeta: 0, tolerance: tolerance),
           converged && steps >= n {
            found = (values, vectors)
        }
        guard let (values, small) = found else {
            throw .numerical("the Lanczos iteration did not converge to \(k) eigenvalues in \(steps) steps; try a smaller k")
        }
        // Ritz vectors Q_mᵀ s_i.
        let m = alphas.count
        var vectors = [Double](repeating: 0, count: k * n)
        basis.withUnsafeBufferPointer { qb in
            small.withUnsafeBufferPointer { s in
                vectors.withUnsafeMutableBufferPointer { out in
                    // (k x m) · (m x n)
                    BLAS.dgemm(m: k, n: n, k: m, a: s.baseAddress!, lda: m, b: qb.baseAddress!, ldb: n,
                               c: out.baseAddress!, ldc: n)
                }
            }
        }
        return Result(values: values, vectors: vectors, steps: steps)
    }

    /// The top k eigenpairs of T (values descending, vectors k x m) and whether they converged.
    private static func ritz(_ alphas: [Double], _ betas: [Double], _ k: Int, lastBeta: Double,
                             tolerance: Double) -> ([Double], [Double], Bool)? {
        let m = alphas.count
        var t = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            t[i * m + i] = alphas[i]
            if i + 1 < m {
                t[i * m + i + 1] = betas[i]
                t[(i + 1) * m + i] = betas[i]
            }
        }
        guard let (values, vectors) = BLAS.symmetricEigen(t, n: m) else { return nil }
        let top = values.last ?? 0
        var outValues: [Double] = [], outVectors: [Double] = []
        var converged = true
        for r in 0..<k {
            let idx = m - 1 - r
            outValues.append(values[idx])
            outVectors += vectors[(idx * m)..<((idx + 1) * m)]
            let residual = abs(lastBeta * vectors[idx * m + m - 1])
            if residual > tolerance * Swift.max(abs(top), .leastNormalMagnitude) { converged = false }
        }
        return (outValues, outVectors, converged)
    }

    /// w -= Qᵀ (Q w) for the first `rows` rows of Q.
    private static func orthogonalise(_ w: inout [Double], against basis: [Double], rows: Int, n: Int,
                                      scratch h: inout [Double]) {
        basis.withUnsafeBufferPointer { q in
            w.withUnsafeMutableBufferPointer { wp in
                h.withUnsafeMutableBufferPointer { hp in
                    BLAS.dgemv(m: rows, n: n, a: q.baseAddress!, lda: n, x: wp.baseAddress!, y: hp.baseAddress!)
                    BLAS.dgemv(transpose: true, m: rows, n: n, alpha: -1, a: q.baseAddress!, lda: n,
                               x: hp.baseAddress!, beta: 1, y: wp.baseAddress!)
                }
            }
        }
    }

    private static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    private static func randomUnit(_ n: Int, _ rng: inout Xoshiro256) -> [Double] {
        let v = (0..<n).map { _ in rng.gaussian() }
        let s = norm(v)
        return v.map { $0 / s }
    }
}
