// Dense reference linear algebra in Double, written plainly so the library's sparse, Float
// and BLAS paths can be held equal to it: products, the cyclic Jacobi eigenvalue method and a
// Cholesky-free solve (Fixtures.swift's `solve`).

/// A dense row-major matrix of Doubles as an array of rows.
typealias Dense = [[Double]]

func zeros(_ rows: Int, _ columns: Int) -> Dense {
    Dense(repeating: [Double](repeating: 0, count: columns), count: rows)
}

/// A rows x columns matrix of roughly standard normal entries.
func randomDense(_ rng: inout TestRandom, _ rows: Int, _ columns: Int) -> Dense {
    (0..<rows).map { _ in (0..<columns).map { _ in rng.normal() } }
}

func transpose(_ a: Dense) -> Dense {
    guard let columns = a.first?.count else { return [] }
    return (0..<columns).map { c in a.map { $0[c] } }
}

func multiply(_ a: Dense, _ b: Dense) -> Dense {
    let inner = b.count, columns = b.first?.count ?? 0
    return a.map { row in
        (0..<columns).map { c in (0..<inner).reduce(0.0) { $0 + row[$1] * b[$1][c] } }
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 } }

/// The eigenvalues (descending) and unit eigenvectors (`vectors[j]` goes with `values[j]`) of
/// a symmetric matrix by cyclic Jacobi rotations: each rotation zeroes one off-diagonal pair;
/// sweeps repeat until the off-diagonal mass is negligible. Slow (O(n³) per sweep) and simple.
func jacobiEigen(_ matrix: Dense) -> (values: [Double], vectors: [[Double]]) {
    let n = matrix.count
    var a = matrix
    var v = (0..<n).map { r in (0..<n).map { c in r == c ? 1.0 : 0.0 } }
    for _ in 0..<100 {
        var off = 0.0, total = 0.0
        for r in 0..<n {
            for c in 0..<n {
                total += a[r][c] * a[r][c]
                if r != c { off += a[r][c] * a[r][c] }
            }
        }
        if off <= 1e-30 * max(total, 1e-300) { break }
        for p in 0..<n {
            for q in (p + 1)..<max(p + 1, n) where a[p][q] != 0 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
                for k in 0..<n {
                    let vkp = v[k][p], vkq = v[k][q]
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<n).sorted { a[$0][$0] > a[$1][$1] }
    return (order.map { a[$0][$0] }, order.map { j in (0..<n).map { v[$0][j] } })
}

/// The singular values (descending) of a dense matrix: square roots of the eigenvalues of the
/// smaller Gram matrix.
func singularValues(_ m: Dense) -> [Double] {
    let rows = m.count, columns = m.first?.count ?? 0
    let gram = rows <= columns ? multiply(m, transpose(m)) : multiply(transpose(m), m)
    return jacobiEigen(gram).values.map { max($0, 0).squareRoot() }
}

/// The best rank-k approximation of `m` (Eckart-Young), from the eigenvectors of M Mᵀ:
/// U_k U_kᵀ M projects every column on the top k left singular vectors.
func rankApproximation(_ m: Dense, k: Int) -> Dense {
    let (_, vectors) = jacobiEigen(multiply(m, transpose(m)))
    let u = Array(vectors.prefix(k))                  // k x rows
    let projection = multiply(transpose(u), u)       // rows x rows
    return multiply(projection, m)
}

/// A random orthogonal n x n matrix: the product of n Householder reflections I - 2 v vᵀ / vᵀv.
func randomOrthogonal(_ n: Int, _ rng: inout TestRandom) -> Dense {
    var q = (0..<n).map { r in (0..<n).map { c in r == c ? 1.0 : 0.0 } }
    for _ in 0..<n {
        let v = (0..<n).map { _ in rng.normal() }
        let vv = dot(v, v)
        // q = q (I - 2 v vᵀ / vᵀv)
        for r in 0..<n {
            let qv = dot(q[r], v)
            for c in 0..<n { q[r][c] -= 2 * qv * v[c] / vv }
        }
    }
    return q
}

/// Q diag(values) Qᵀ for an orthogonal Q: a symmetric matrix with exactly these eigenvalues.
func symmetric(withEigenvalues values: [Double], _ rng: inout TestRandom) -> Dense {
    let n = values.count
    let q = randomOrthogonal(n, &rng)
    var out = zeros(n, n)
    for r in 0..<n {
        for c in 0..<n {
            var s = 0.0
            for j in 0..<n { s += q[r][j] * values[j] * q[c][j] }
            out[r][c] = s
        }
    }
    return out
}
