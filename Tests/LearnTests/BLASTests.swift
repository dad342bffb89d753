// BLAS's wrappers against plain loops in Double: row-major products with and without
// transposes, the Gram matrix, and LAPACK's symmetric eigensolver (eigenvectors as rows).

import Testing
import Learn

@Suite struct BLASTests {
    @Test(arguments: [false, true], [false, true])
    func sgemmAndDgemmEqualTheTripleLoop(transposeA: Bool, transposeB: Bool) {
        var rng = TestRandom(seed: 1)
        let (m, n, k) = (5, 7, 3)
        let a = randomDense(&rng, transposeA ? k : m, transposeA ? m : k)
        let b = randomDense(&rng, transposeB ? n : k, transposeB ? k : n)
        let c0 = randomDense(&rng, m, n)
        let expected = multiply(transposeA ? transpose(a) : a, transposeB ? transpose(b) : b)
        // C = 2 op(A) op(B) + 0.5 C.
        var cd = c0.flatMap { $0 }
        a.flatMap { $0 }.withUnsafeBufferPointer { ap in
            b.flatMap { $0 }.withUnsafeBufferPointer { bp in
                cd.withUnsafeMutableBufferPointer { cp in
                    BLAS.dgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 2,
                               a: ap.baseAddress!, lda: a[0].count, b: bp.baseAddress!, ldb: b[0].count,
                               beta: 0.5, c: cp.baseAddress!, ldc: n)
                }
            }
        }
        var cs = c0.flatMap { $0 }.map(Float.init)
        a.flatMap { $0 }.map(Float.init).withUnsafeBufferPointer { ap in
            b.flatMap { $0 }.map(Float.init).withUnsafeBufferPointer { bp in
                cs.withUnsafeMutableBufferPointer { cp in
                    BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 2,
                               a: ap.baseAddress!, lda: a[0].count, b: bp.baseAddress!, ldb: b[0].count,
                               beta: 0.5, c: cp.baseAddress!, ldc: n)
                }
            }
        }
        for r in 0..<m {
            for c in 0..<n {
                let e = 2 * expected[r][c] + 0.5 * c0[r][c]
                #expect(abs(cd[r * n + c] - e) < 1e-12)
                #expect(abs(Double(cs[r * n + c]) - e) < 1e-5)
            }
        }
    }

    @Test(arguments: [false, true])
    func dgemvEqualsTheLoop(transpose t: Bool) {
        var rng = TestRandom(seed: 2)
        let a = randomDense(&rng, 4, 6)
        let x = (0..<(t ? 4 : 6)).map { _ in rng.normal() }
        var y = (0..<(t ? 6 : 4)).map { _ in rng.normal() }
        let y0 = y
        let op = t ? transpose(a) : a
        a.flatMap { $0 }.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.dgemv(transpose: t, m: 4, n: 6, alpha: -1, a: ap.baseAddress!, lda: 6, x: xp.baseAddress!, beta: 3, y: yp.baseAddress!)
                }
            }
        }
        for r in y.indices { #expect(abs(y[r] - (3 * y0[r] - dot(op[r], x))) < 1e-12) }
    }

    @Test func gramIsATransposeA() {
        var rng = TestRandom(seed: 3)
        let a = randomDense(&rng, 9, 5)
        let matrix = Matrix(rows: 9, columns: 5, values: a.flatMap { $0 }.map(Float.init))
        let g = BLAS.gram(matrix)
        let expected = multiply(transpose(a), a)
        for r in 0..<5 { for c in 0..<5 { #expect(abs(Double(g[r * 5 + c]) - expected[r][c]) < 1e-4) } }
    }

    /// Ascending eigenvalues; eigenvector j is row j (LAPACK's row-major output is transposed).
    @Test func symmetricEigenReturnsVectorsAsRows() throws {
        var rng = TestRandom(seed: 4)
        let spectrum = [0.5, 3, -2, 7, 1.25, 4]
        let a = symmetric(withEigenvalues: spectrum, &rng)
        let (values, vectors) = try #require(BLAS.symmetricEigen(a.flatMap { $0 }, n: 6))
        #expect(zip(values, spectrum.sorted()).allSatisfy { abs($0 - $1) < 1e-12 })
        for j in 0..<6 {
            let v = Array(vectors[(j * 6)..<((j + 1) * 6)])
            let av = a.map { dot($0, v) }
            #expect(zip(av, v).allSatisfy { abs($0 - values[j] * $1) < 1e-10 }, "pair \(j)")
            #expect(abs(dot(v, v) - 1) < 1e-12)
        }
        let (jv, _) = jacobiEigen(a)
        #expect(zip(jv, values.reversed()).allSatisfy { abs($0 - $1) < 1e-10 }, "the Jacobi reference agrees")
        #expect(BLAS.symmetricEigen([], n: 0)!.values.isEmpty)
    }
}
