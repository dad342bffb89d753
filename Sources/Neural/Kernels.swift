// Kernels: the one file of the Neural module that imports OpenBLAS, and the small vector loops
// the layers share. Matrix products of a batch go to OpenBLAS's sgemm on one thread per call:
// its threaded products round differently from its single-threaded ones (measured with
// OpenBLAS 0.3.21: 2600 of the 12 800 values of a 128 x 400 by 400 x 100 product differ in
// their last bits between 1 and 2 threads), so each product pins the process-wide count to 1
// and the last one running restores it. To use two cores, a product of at least `shardWork`
// multiply-adds is cut into two halves of its output (columns when it has enough, else rows)
// computed at once. The cut depends on the shapes alone, never on the machine's core count,
// so a seed gives the same bits on one core or many. Per-element passes are plain SIMD loops,
// eight lanes at a time.

import COpenBLAS
import Frame
import Synchronization

/// Neural's products running, and OpenBLAS's thread count when the first of them started.
private let pinnedThreads = Mutex<(running: Int, saved: Int32)>((0, 1))

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
        guard m * n * k >= shardWork else {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let (pa, pb, pc) = (SharedPointer(UnsafeMutablePointer(mutating: a)), SharedPointer(UnsafeMutablePointer(mutating: b)), SharedPointer(c))
        if n >= 32 {
            // Columns [0, h) and [h, n): B's columns (its rows when transposed) and C's.
            let h = (n / 2 + 7) / 8 * 8
            Parallel.forEach(2) { s in
                let lo = s == 0 ? 0 : h, w = s == 0 ? h : n - h
                let bs = UnsafePointer(pb.base) + (transposeB ? lo * ldb : lo)
                sgemm(transposeA, transposeB, m, w, k, alpha, UnsafePointer(pa.base), lda, bs, ldb, beta, pc.base + lo, ldc)
            }
        } else {
            // Rows [0, h) and [h, m): A's rows (its columns when transposed) and C's.
            let h = m / 2
            Parallel.forEach(2) { s in
                let lo = s == 0 ? 0 : h, r = s == 0 ? h : m - h
                let as_ = UnsafePointer(pa.base) + (transposeA ? lo : lo * lda)
                sgemm(transposeA, transposeB, r, n, k, alpha, as_, lda, UnsafePointer(pb.base), ldb, beta, pc.base + lo * ldc, ldc)
            }
        }
    }

    /// Multiply-adds from which a product is split in two (below, one call costs less than
    /// waking a second thread).
    package static let shardWork = 1 << 20

    @inline(__always)
    private static func sgemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        oneThread {
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// Runs `body` with OpenBLAS on one thread (see the file comment). Checked on every call,
    /// since other code may change the count while products of several threads overlap.
    private static func oneThread(_ body: () -> Void) {
        pinnedThreads.withLock { state in
            let now = openblas_get_num_threads()
            if state.running == 0 { state.saved = now }
            if now != 1 { openblas_set_num_threads(1) }
            state.running += 1
        }
        body()
        pinnedThreads.withLock { state in
            state.running -= 1
            if state.running == 0 && state.saved != 1 { openblas_set_num_threads(state.saved) }
        }
    }

    /// Sets OpenBLAS's thread count (0: every core) for the duration of `body`. Neural's own
    /// products run on one thread whatever the count (see the file comment).
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
}
