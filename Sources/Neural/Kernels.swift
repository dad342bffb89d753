// Kernels: the one file of the Neural module that imports OpenBLAS, and the small vector loops
// the layers share. Matrix products of a batch go to OpenBLAS's sgemm, which splits the output
// over every core (never the inner dimension, so a product is the same on any core count);
// per-element passes are plain SIMD loops, eight lanes at a time.

import COpenBLAS

/// Products and vector loops on raw Float pointers (row-major).
package enum Kernels {
    /// C (m x n) = alpha op(A) op(B) + beta C; op(A) is m x k, op(B) is k x n.
    @inline(__always)
    package static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's thread count (0: every core) for the duration of `body`.
    package static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        let before = openblas_get_num_threads()
        openblas_set_num_threads(Int32(n))
        defer { openblas_set_num_threads(before) }
        return try body()
    }

    /// y += x, n values.
    @inline(__always)
    package static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i &+ 8 <= n {
            let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n { y[i] += x[i]; i &+= 1 }
    }

    /// Column sums of an m x n matrix into `sums` (n values, overwritten).
    @inline(__always)
    package static func columnSums(_ x: UnsafePointer<Float>, rows m: Int, columns n: Int, into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: n)
        for r in 0..<m { add(x + r * n, to: sums, n) }
    }

    /// Adds `bias` (n values) to every row of an m x n matrix.
    @inline(__always)
    package static func addRows(_ bias: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int) {
        for r in 0..<m { add(bias, to: x + r * n, n) }
    }
}
