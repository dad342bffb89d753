// MLPNetwork: a fully connected network with one sigmoid output, as scikit-learn's
// MLPClassifier builds for a binary label. Layer sizes s_0 (inputs), s_1 ... s_L-1 (hidden), s_L = 1.
//
//   A_0 = X (m x s_0),  A_l+1 = f(A_l W_l + b_l)  (W_l: s_l x s_l+1, row-major; f the activation),
//   z = A_L-1 W_L-1 + b_L-1 (the logit),  p = σ(z)
//   loss = (1/m) Σ_i [max(z_i, 0) - y_i z_i + log(1 + e^-|z_i|)] + (α / 2m) Σ_l ‖W_l‖²
// The binary cross-entropy is taken from the logit, which stays finite when p rounds to 0 or 1
// (scikit-learn clips p instead). Backpropagation:
//   δ_L = p - y,  ∂loss/∂W_l = (A_lᵀ δ_l+1 + α W_l) / m,  ∂loss/∂b_l = (1/m) Σ_rows δ_l+1,
//   δ_l = (δ_l+1 W_lᵀ) ⊙ f'(A_l),  f' from the output: relu 1[A > 0], tanh 1 - A², logistic A (1 - A).
// Every product is one sgemm on the batch; bias, activation and derivative are one pass each.
// Initialisation (Glorot and Bengio 2010, as scikit-learn's _init_coef): W_l and b_l uniform on
// ±sqrt(c / (s_l + s_l+1)), c = 2 for the logistic activation, else 6, drawn layer by layer,
// weights before biases, from one seeded generator.
//
// All parameters live in one flat array (W_0, b_0, W_1, b_1, ...), as do their gradients, so the
// optimiser updates one vector.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The activation of the hidden layers.
package enum Activation: String, Sendable, CaseIterable {
    case relu, tanh, logistic
}

/// A fully connected network with a single logit output.
package struct MLPNetwork: Sendable, Equatable {
    /// Widths: inputs, each hidden layer, then 1.
    package let sizes: [Int]
    package let activation: Activation
    /// W_0, b_0, W_1, b_1, ... in one array; W_l is s_l x s_l+1 row-major.
    package var parameters: [Float]
    /// Where W_l starts in `parameters`; b_l follows it.
    package let offsets: [Int]

    /// A network of the given widths with Glorot-uniform weights and biases drawn from `seed`.
    package init(sizes: [Int], activation: Activation, seed: UInt64) {
        self.sizes = sizes
        self.activation = activation
        var offsets: [Int] = []
        var total = 0
        for l in 0..<(sizes.count - 1) {
            offsets.append(total)
            total += sizes[l] * sizes[l + 1] + sizes[l + 1]
        }
        self.offsets = offsets
        var rng = Xoshiro256(seed: seed)
        var values = [Float](repeating: 0, count: total)
        let factor = activation == .logistic ? 2.0 : 6.0
        for l in 0..<(sizes.count - 1) {
            let bound = (factor / Double(sizes[l] + sizes[l + 1])).squareRoot()
            for i in offsets[l]..<(offsets[l] + sizes[l] * sizes[l + 1] + sizes[l + 1]) {
                values[i] = Float((2 * rng.uniform() - 1) * bound)
            }
        }
        parameters = values
    }

    /// Layers with weights (hidden layers + the output).
    package var layerCount: Int { sizes.count - 1 }
    /// Where b_l starts in `parameters`.
    package func biasOffset(_ l: Int) -> Int { offsets[l] + sizes[l] * sizes[l + 1] }

    /// Buffers for batches of up to `rows` rows: the outputs and deltas of every layer. Owned
    /// by one thread at a time.
    package final class Workspace {
        let rows: Int
        /// A_1 ... A_L-1 (hidden), then z: rows x s_l+1 each.
        let outputs: [UnsafeMutablePointer<Float>]
        /// δ of each layer's output, the same shapes.
        let deltas: [UnsafeMutablePointer<Float>]

        package init(sizes: [Int], rows: Int) {
            self.rows = rows
            func buffer(_ width: Int) -> UnsafeMutablePointer<Float> {
                let b = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
                b.initialize(repeating: 0, count: rows * width)
                return b
            }
            outputs = sizes.dropFirst().map(buffer)
            deltas = sizes.dropFirst().map(buffer)
        }

        deinit {
            for b in outputs { b.deallocate() }
            for b in deltas { b.deallocate() }
        }

        /// Row i's logit after `forward`.
        package func logit(_ i: Int) -> Float { outputs[outputs.count - 1][i] }
    }

    /// Fills the workspace's outputs for `m` rows of `x`; the last output holds the logits.
    package func forward(_ x: UnsafePointer<Float>, rows m: Int, workspace ws: Workspace) {
        precondition(m <= ws.rows, "batch larger than its workspace")
        parameters.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress!
            for l in 0..<layerCount {
                let fanIn = sizes[l], fanOut = sizes[l + 1]
                let input = l == 0 ? x : UnsafePointer(ws.outputs[l - 1])
                let o = ws.outputs[l]
                BLAS.sgemm(m: m, n: fanOut, k: fanIn, a: input, lda: fanIn, b: p + offsets[l], ldb: fanOut,
                           c: o, ldc: fanOut)
                let b = p + biasOffset(l)
                if l == layerCount - 1 {
                    for i in 0..<m { for j in 0..<fanOut { o[i * fanOut + j] += b[j] } }
                } else {
                    Self.biasAndActivate(o, rows: m, width: fanOut, bias: b, activation)
                }
            }
        }
    }

    /// o = f(o + b) row by row.
    @inline(__always)
    static func biasAndActivate(_ o: UnsafeMutablePointer<Float>, rows m: Int, width w: Int,
                                bias b: UnsafePointer<Float>, _ f: Activation) {
        for i in 0..<m {
            let row = o + i * w
            switch f {
            case .relu:
                var j = 0
                while j &+ 8 <= w {
                    let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                        + UnsafeRawPointer(b + j).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(row + j).storeBytes(of: v.replacing(with: 0, where: v .< 0), as: SIMD8<Float>.self)
                    j &+= 8
                }
                while j < w { row[j] = Swift.max(row[j] + b[j], 0); j &+= 1 }
            case .tanh:
                for j in 0..<w { row[j] = tanhf(row[j] + b[j]) }
            case .logistic:
                for j in 0..<w { row[j] = sigmoid(row[j] + b[j]) }
            }
        }
    }

    /// σ(z) = 1 / (1 + e^-z).
    @inline(__always)
    static func sigmoid(_ z: Float) -> Float { 1 / (1 + expf(-z)) }

    /// Binary cross-entropy of label y given logit z: max(z, 0) - y z + log(1 + e^-|z|).
    @inline(__always)
    static func crossEntropy(_ z: Float, _ y: Float) -> Double {
        Double(Swift.max(z, 0) - y * z) + Double(log1pf(expf(-abs(z))))
    }

    /// The loss of `m` rows (mean cross-entropy + (α / 2m) Σ ‖W‖²) and its gradient, written into
    /// `gradients` (same layout as `parameters`).
    package func lossAndGradients(_ x: UnsafePointer<Float>, labels y: UnsafePointer<Float>, rows m: Int, alpha: Float,
                                  workspace ws: Workspace, gradients: UnsafeMutablePointer<Float>) -> Double {
        forward(x, rows: m, workspace: ws)
        let last = layerCount - 1
        var loss = 0.0
        // δ_L = σ(z) - y.
        let z = ws.outputs[last], dz = ws.deltas[last]
        for i in 0..<m {
            loss += Self.crossEntropy(z[i], y[i])
            dz[i] = Self.sigmoid(z[i]) - y[i]
        }
        loss /= Double(m)
        let scale = 1 / Float(m)
        parameters.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress!
            var penalty = 0.0
            for l in stride(from: last, through: 0, by: -1) {
                let fanIn = sizes[l], fanOut = sizes[l + 1]
                let input = l == 0 ? x : UnsafePointer(ws.outputs[l - 1])
                let delta = UnsafePointer(ws.deltas[l])
                let w = p + offsets[l], gw = gradients + offsets[l]
                // ∂W = (A_lᵀ δ + α W) / m.
                BLAS.sgemm(transposeA: true, m: fanIn, n: fanOut, k: m, alpha: scale, a: input, lda: fanIn,
                           b: delta, ldb: fanOut, c: gw, ldc: fanOut)
                let size = fanIn * fanOut
                let a = alpha * scale
                penalty += Double(Vector.dot(w, w, size))
                Vector.axpy(a, w, gw, size)
                // ∂b = column sums of δ / m.
                let gb = gradients + biasOffset(l)
                for j in 0..<fanOut { gb[j] = 0 }
                for i in 0..<m { Vector.axpy(1, delta + i * fanOut, gb, fanOut) }
                for j in 0..<fanOut { gb[j] *= scale }
                guard l > 0 else { continue }
                // δ_l-1 = (δ W_lᵀ) ⊙ f'(A_l).
                let dp = ws.deltas[l - 1]
                BLAS.sgemm(transposeB: true, m: m, n: fanIn, k: fanOut, a: delta, lda: fanOut, b: w, ldb: fanOut,
                           c: dp, ldc: fanIn)
                Self.multiplyByDerivative(dp, output: input, count: m * fanIn, activation)
            }
            loss += 0.5 * Double(alpha) * penalty / Double(m)
        }
        return loss
    }

    /// d *= f'(A), with f' written in terms of the activation's output A.
    @inline(__always)
    static func multiplyByDerivative(_ d: UnsafeMutablePointer<Float>, output a: UnsafePointer<Float>, count: Int,
                                     _ f: Activation) {
        switch f {
        case .relu:
            var i = 0
            while i &+ 8 <= count {
                let av = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                let dv = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(d + i).storeBytes(of: dv.replacing(with: 0, where: av .<= 0), as: SIMD8<Float>.self)
                i &+= 8
            }
            while i < count { if a[i] <= 0 { d[i] = 0 }; i &+= 1 }
        case .tanh:
            for i in 0..<count { d[i] *= 1 - a[i] * a[i] }
        case .logistic:
            for i in 0..<count { d[i] *= a[i] * (1 - a[i]) }
        }
    }

    /// The logits of `rows` rows of `x` (row-major, `sizes[0]` columns), by blocks on every core.
    package func logits(_ x: [Float], rows n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n)
        let block = Self.scoringBlock
        let blocks = (n + block - 1) / block
        let d = sizes[0]
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let target = SharedPointer(op.baseAddress!)
                BLAS.withThreads(1) {
                    // Block b writes only out[b * block ..< (b + 1) * block].
                    Parallel.forEach(blocks) { b in
                        let lo = b * block, hi = Swift.min(n, lo + block)
                        let ws = Workspace(sizes: sizes, rows: hi - lo)
                        forward(xp.baseAddress! + lo * d, rows: hi - lo, workspace: ws)
                        for i in 0..<(hi - lo) { target[lo + i] = ws.logit(i) }
                    }
                }
            }
        }
        return out
    }

    /// Rows per block when scoring: fixed, so a row's logit does not depend on the core count.
    static let scoringBlock = 4096
}
