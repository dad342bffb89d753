// The logistic loss of a linear score over every training row, with its gradient and Hessian:
// the one pass over the data that each iteration of logistic regression makes.
//
//   z_i = x_iᵀw + b,   ℓ_i = log(1 + e^{z_i}) - y_i z_i
//       = max(z_i, 0) + log1p(e^{-|z_i|}) - y_i z_i          (never overflows)
//   p_i = σ(z_i) = 1 / (1 + e^{-|z|}) for z >= 0, e^{-|z|} / (1 + e^{-|z|}) otherwise
//   ∂ℓ_i/∂(w, b) = (p_i - y_i) (x_i, 1),   ∂²ℓ_i = p_i (1 - p_i) (x_i, 1)(x_i, 1)ᵀ
//
// Rows are cut into blocks of a fixed `blockRows`, whatever the core count; each block's sums are
// Doubles, and the blocks' sums are added in block order, so the result is the same number on
// any machine. Blocks run on every core. The Hessian of a block is BᵀB with B_i = √(p_i(1-p_i))
// (x_i, 1), one Float GEMM per block (OpenBLAS on one thread per block), added in Double.
// `referenceSums` is the plain row-by-row loop the tests hold it to.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sums over rows of the logistic loss of z = xᵀw + b and of its derivatives.
package enum LogisticLoss {
    /// Rows per block: large enough that scheduling costs nothing, small enough that a block's
    /// Hessian operand (blockRows x (d + 1) Floats) stays in cache-sized memory.
    package static let blockRows = 8192

    /// Σ ℓ_i, its gradient (d + 1 values, the intercept last) and optionally its Hessian.
    package struct Sums: Equatable, Sendable {
        /// Σ ℓ_i.
        package var loss: Double
        /// Σ ∂ℓ_i/∂(w, b): d values, then the intercept's.
        package var gradient: [Double]
        /// (d + 1) x (d + 1) row-major, or empty when not asked for.
        package var hessian: [Double]
    }

    /// ℓ(z) for label y, stably.
    @inline(__always)
    package static func loss(_ z: Double, _ y: Double) -> Double {
        Swift.max(z, 0) + log1p(exp(-abs(z))) - y * z
    }

    /// σ(z), stably.
    @inline(__always)
    package static func sigmoid(_ z: Double) -> Double {
        let e = exp(-abs(z))
        return z >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    /// The sums over every row of `x`, with coefficients `w` (d values then the intercept).
    package static func sums(_ x: FeatureMatrix, labels: [Float], w: [Double], hessian: Bool) -> Sums {
        let d = x.columns, n = x.rows, p = d + 1
        precondition(w.count == p && labels.count == n, "one coefficient per column plus the intercept")
        let blocks = (n + blockRows - 1) / blockRows
        let width = 1 + p + (hessian ? p * p : 0)
        var partial = [Double](repeating: 0, count: blocks * width)
        x.values.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ys in
                w.withUnsafeBufferPointer { ws in
                    partial.withUnsafeMutableBufferPointer { out in
                        let target = SharedPointer(out.baseAddress!)
                        let run = {
                            // Block k writes only partial[k * width ..< (k + 1) * width].
                            Parallel.forEach(blocks) { k in
                                let rows = (k * blockRows)..<Swift.min(n, (k + 1) * blockRows)
                                block(xs.baseAddress!, ys.baseAddress!, ws.baseAddress!, d: d, rows: rows,
                                      hessian: hessian, into: target.base + k * width)
                            }
                        }
                        if hessian { BLAS.withThreads(1, run) } else { run() }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: width)
        for k in 0..<blocks {
            for j in 0..<width { total[j] += partial[k * width + j] }
        }
        return Sums(loss: total[0], gradient: Array(total[1...p]), hessian: hessian ? Array(total[(1 + p)...]) : [])
    }

    /// One block's sums into `out`: loss, gradient (p values), Hessian (p² values, optional).
    private static func block(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ w: UnsafePointer<Double>,
                              d: Int, rows: Range<Int>, hessian: Bool, into out: UnsafeMutablePointer<Double>) {
        let p = d + 1
        let b = w[d]
        let gradient = out + 1
        var loss = 0.0, residualSum = 0.0
        let count = rows.count
        // B for the Hessian: √(p(1-p)) (x_i, 1), row-major count x p.
        let weighted: UnsafeMutablePointer<Float>? = hessian ? .allocate(capacity: count * p) : nil
        defer { weighted?.deallocate() }
        for r in rows {
            let row = x + r &* d
            var z0 = 0.0, z1 = 0.0
            var j = 0
            while j &+ 1 < d {
                z0 += Double(row[j]) * w[j]
                z1 += Double(row[j &+ 1]) * w[j &+ 1]
                j &+= 2
            }
            if j < d { z0 += Double(row[j]) * w[j] }
            let z = z0 + z1 + b
            let yi = Double(y[r])
            let e = exp(-abs(z))
            loss += Swift.max(z, 0) + log1p(e) - yi * z
            let prob = z >= 0 ? 1 / (1 + e) : e / (1 + e)
            let residual = prob - yi
            residualSum += residual
            for j in 0..<d { gradient[j] += residual * Double(row[j]) }
            if let weighted {
                let s = (prob * (1 - prob)).squareRoot()
                let target = weighted + (r &- rows.lowerBound) &* p
                for j in 0..<d { target[j] = Float(s * Double(row[j])) }
                target[d] = Float(s)
            }
        }
        out[0] = loss
        gradient[d] = residualSum
        if let weighted {
            let h = UnsafeMutablePointer<Float>.allocate(capacity: p * p)
            defer { h.deallocate() }
            BLAS.sgemm(transposeA: true, m: p, n: p, k: count, a: weighted, lda: p, b: weighted, ldb: p, c: h, ldc: p)
            let hessianOut = out + 1 + p
            for i in 0..<(p * p) { hessianOut[i] = Double(h[i]) }
        }
    }

    /// The same sums by the plain definition, row by row on one thread, all in Double.
    package static func referenceSums(_ x: FeatureMatrix, labels: [Float], w: [Double], hessian: Bool) -> Sums {
        let d = x.columns, p = d + 1
        var sums = Sums(loss: 0, gradient: [Double](repeating: 0, count: p),
                        hessian: hessian ? [Double](repeating: 0, count: p * p) : [])
        for r in 0..<x.rows {
            let features = x.row(r).map(Double.init) + [1]
            var z = 0.0
            for j in 0..<p { z += features[j] * w[j] }
            let y = Double(labels[r])
            sums.loss += loss(z, y)
            let prob = sigmoid(z)
            for j in 0..<p { sums.gradient[j] += (prob - y) * features[j] }
            if hessian {
                for i in 0..<p { for j in 0..<p { sums.hessian[i * p + j] += prob * (1 - prob) * features[i] * features[j] } }
            }
        }
        return sums
    }
}
