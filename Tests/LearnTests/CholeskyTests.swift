// Cholesky: the factor L Lᵀ = A and the solve, against Gaussian elimination; no factor for a
// matrix that is not positive definite.

import Testing
import Learn

@Suite struct CholeskyTests {
    @Test(arguments: [1, 2, 5, 12])
    func solvesLikeGaussianElimination(n: Int) throws {
        var rng = TestRandom(seed: UInt64(n))
        let b = randomDense(&rng, n, n + 2)
        var a = multiply(b, transpose(b))
        for d in 0..<n { a[d][d] += 0.1 }
        let rhs = (0..<n).map { _ in rng.normal() }
        let chol = try #require(Cholesky(a.flatMap { $0 }, n: n))
        let x = chol.solve(rhs)
        let reference = solve(a, rhs)
        #expect(zip(x, reference).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) })
        // L Lᵀ = A, with L lower triangular.
        for r in 0..<n {
            for c in 0..<n {
                if c > r { #expect(chol.lower[r * n + c] == 0) }
                let llt = (0..<n).reduce(0.0) { $0 + chol.lower[r * n + $1] * chol.lower[c * n + $1] }
                #expect(abs(llt - a[r][c]) < 1e-10 * max(1, abs(a[r][c])))
            }
        }
    }

    @Test func aMatrixThatIsNotPositiveDefiniteHasNoFactor() {
        #expect(Cholesky([1, 2, 2, 1], n: 2) == nil, "eigenvalues 3 and -1")
        #expect(Cholesky([1, 1, 1, 1], n: 2) == nil, "singular")
        #expect(Cholesky([0], n: 1) == nil)
        #expect(Cholesky([4], n: 1)?.solve([2]) == [0.5])
    }
}
