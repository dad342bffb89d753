// Dropout (Srivastava et al., 2014), inverted as Keras does it: in training each value is kept
// with probability 1 - rate and scaled by 1 / (1 - rate), so inference passes values through
// unchanged. The mask comes from the layer's own seeded generator (32 bits a draw, two draws a
// 64-bit output), so a seed fixes which units drop in every step.

import Frame

/// Inverted dropout.
package final class Dropout: Layer {
    package let rate: Float
    package let inputWidth: Int
    package var outputWidth: Int { inputWidth }
    package var needsInputGradient = true
    private var rng: Xoshiro256
    private let output: Tensor
    private let inputGradient: Tensor
    /// The scale of each value of the last forward pass: 0 or 1 / (1 - rate).
    private var mask: [Float] = []

    package init(rate: Float, width: Int, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout's rate must be in [0, 1)")
        self.rate = rate
        inputWidth = width
        rng = Xoshiro256(seed: seed)
        output = Tensor(rows: 0, columns: width)
        inputGradient = Tensor(rows: 0, columns: width)
    }

    package var description: String { "dropout(\(rate))" }

    package func forward(_ x: Tensor) -> Tensor {
        output.resize(rows: x.rows)
        let n = x.count
        if mask.count < n { mask = [Float](repeating: 0, count: n) }
        // Kept when a 32-bit draw is at or above rate · 2^32.
        let cut = UInt64((Double(rate) * 4_294_967_296).rounded(.down))
        let scale = 1 / (1 - rate)
        mask.withUnsafeMutableBufferPointer { m in
            var i = 0
            while i < n {
                let bits = rng.next()
                m[i] = (bits & 0xFFFF_FFFF) >= cut ? scale : 0
                if i &+ 1 < n { m[i &+ 1] = (bits >> 32) >= cut ? scale : 0 }
                i &+= 2
            }
            for j in 0..<n { output.data[j] = x.data[j] * m[j] }
        }
        return output
    }

    package func infer(_ x: Tensor, into y: Tensor) { y.copy(from: x) }

    package func backward(_ g: Tensor) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.resize(rows: g.rows)
        let n = g.count
        mask.withUnsafeBufferPointer { m in
            for j in 0..<n { inputGradient.data[j] = g.data[j] * m[j] }
        }
        return inputGradient
    }
}
