// Random Fourier features (Rahimi and Recht 2007): an explicit map z: R^d -> R^D with
//
//   z(x) = √(2/D) cos(W x + b),   W_kj ~ N(0, 2γ),  b_k ~ U[0, 2π),
//   E[z(x)ᵀz(x')] = exp(-γ ‖x - x'‖²),
//
// so a linear model on z(x) approximates a kernel machine with the RBF kernel, the error
// shrinking as 1/√D. This is scikit-learn's RBFSampler. W and b are drawn from the seeded
// Xoshiro256 (W row by row, then b), so a seed gives the same map everywhere.
// The map of a block of rows is one GEMM (rows x d times d x D) and a cosine per value.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// z(x) = √(2/D) cos(Wx + b), the random Fourier map of an RBF kernel.
package struct RandomFourierFeatures: Sendable, Equatable {
    /// Rows mapped per GEMM: a block's output (blockRows x D Floats) stays a few MB.
    static let blockRows = 2048

    package let inputs: Int
    package let components: Int
    package let gamma: Double
    /// W, D x d row-major.
    package let weights: [Float]
    /// b, D values.
    package let offsets: [Float]

    /// A map of `inputs` features to `components` features for exp(-γ‖x - x'‖²), drawn from `seed`.
    package init(inputs: Int, components: Int, gamma: Double, seed: UInt64) {
        var rng = Xoshiro256(seed: seed)
        let sd = (2 * gamma).squareRoot()
        self.inputs = inputs
        self.components = components
        self.gamma = gamma
        weights = (0..<(components * inputs)).map { _ in Float(sd * rng.gaussian()) }
        offsets = (0..<components).map { _ in Float(2 * Double.pi * rng.uniform()) }
    }

    /// The map of rows `rows` of `x` (row-major, `inputs` wide) into `out` (rows.count x D).
    /// Runs BLAS on the caller's thread count.
    func transform(_ x: UnsafePointer<Float>, rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let d = inputs, k = components
        guard !rows.isEmpty else { return }
        weights.withUnsafeBufferPointer { w in
            BLAS.sgemm(transposeB: true, m: rows.count, n: k, k: d, a: x + rows.lowerBound * d, lda: d,
                       b: w.baseAddress!, ldb: d, c: out, ldc: k)
        }
        let scale = Float((2 / Double(k)).squareRoot())
        offsets.withUnsafeBufferPointer { b in
            for r in 0..<rows.count {
                let row = out + r * k
                for j in 0..<k { row[j] = scale * cosf(row[j] + b[j]) }
            }
        }
    }

    /// z(x) for every row of `x`, in parallel blocks (each block's GEMM on one thread).
    package func transform(_ x: FeatureMatrix) -> [Float] {
        precondition(x.columns == inputs, "the map was drawn for \(inputs) columns, not \(x.columns)")
        let n = x.rows, k = components
        var out = [Float](repeating: 0, count: n * k)
        let blocks = (n + Self.blockRows - 1) / Self.blockRows
        x.values.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                let target = SharedPointer(o.baseAddress!)
                BLAS.withThreads(1) {
                    // Block c writes only its own rows of `out`.
                    Parallel.forEach(blocks) { c in
                        let rows = (c * Self.blockRows)..<Swift.min(n, (c + 1) * Self.blockRows)
                        transform(xs.baseAddress!, rows: rows, into: target.base + rows.lowerBound * k)
                    }
                }
            }
        }
        return out
    }

    /// z(x) for one row by the definition, in Double (the reference for `transform`).
    package func referenceTransform(_ row: [Float]) -> [Double] {
        (0..<components).map { k in
            var s = Double(offsets[k])
            for j in 0..<inputs { s += Double(weights[k * inputs + j]) * Double(row[j]) }
            return (2 / Double(components)).squareRoot() * cos(s)
        }
    }
}
