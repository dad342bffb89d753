// BLAS: the one file that imports OpenBLAS. Large dense products (scoring every item for a
// block of users, Gram matrices) and the small symmetric eigenproblems of the Lanczos method
// go through it; everything else in Learn calls these wrappers, never CBLAS itself.
//
// OpenBLAS runs its own thread pool. Callers use it from one thread at a time for large
// operands (it then uses every core) and do their own per-row work with Dispatch.

import COpenBLAS

/// Dense linear algebra through OpenBLAS and LAPACKE (row-major throughout).
package enum BLAS {
    /// C (m x n) = alpha op(A) op(B) + beta C, Floats; op(A) is m x k, op(B) is k x n.
    package static func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                              alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                              b: UnsafePointer<Float>, ldb: Int,
                              beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C (m x n) = alpha op(A) op(B) + beta C, Doubles.
    package static func dgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                              alpha: Double = 1, a: UnsafePointer<Double>, lda: Int,
                              b: UnsafePointer<Double>, ldb: Int,
                              beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha op(A) x + beta y, Doubles; A is m x n row-major.
    package static func dgemv(transpose: Bool = false, m: Int, n: Int, alpha: Double = 1,
                              a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>,
                              beta: Double = 0, y: UnsafeMutablePointer<Double>) {
        guard m > 0, n > 0 else { return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }

    /// y = alpha op(A) x + beta y, Floats; A is m x n row-major.
    package static func sgemv(transpose: Bool = false, m: Int, n: Int, alpha: Float = 1,
                              a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                              beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }

    /// The Gram matrix AᵀA (n x n) of a row-major m x n Float matrix, both triangles filled.
    package static func gram(_ a: Matrix) -> [Float] {
        var out = [Float](repeating: 0, count: a.columns * a.columns)
        a.values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { g in
                sgemm(transposeA: true, m: a.columns, n: a.columns, k: a.rows, a: x.baseAddress!, lda: a.columns,
                      b: x.baseAddress!, ldb: a.columns, c: g.baseAddress!, ldc: a.columns)
            }
        }
        return out
    }

    /// Eigenvalues (ascending) and eigenvectors (as the rows of the returned n x n row-major
    /// array) of a symmetric n x n matrix; nil when LAPACK does not converge.
    package static func symmetricEigen(_ matrix: [Double], n: Int) -> (values: [Double], vectors: [Double])? {
        precondition(matrix.count == n * n, "symmetricEigen needs an n x n matrix")
        guard n > 0 else { return ([], []) }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n),
                               ap.baseAddress!, Int32(n), wp.baseAddress!)
            }
        }
        guard info == 0 else { return nil }
        // Row-major output holds eigenvector j in column j; return them as rows.
        var vectors = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { vectors[c * n + r] = a[r * n + c] } }
        return (w, vectors)
    }

    /// Runs `body` with OpenBLAS on `count` threads, then restores the count: small products
    /// called from several Dispatch workers at once each run on their caller's thread.
    package static func withThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let saved = threads
        threads = count
        defer { threads = saved }
        return try body()
    }

    /// OpenBLAS's thread count.
    package static var threads: Int {
        get { Int(recscript_blas_threads()) }
        set { recscript_blas_set_threads(Int32(newValue)) }
    }
}
