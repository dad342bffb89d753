// Dropout (Srivastava et al., 2014), inverted as Keras does it: in training each value is kept
// with probability 1 - rate and scaled by 1 / (1 - rate), so inference passes values through
// unchanged. The mask comes from the layer's own seeded generator, four 16-bit draws from each
// 64-bit output: a value is dropped when its draw is below rate · 65536 (rounded down), so the
// rate is kept to within 1/65536. A seed fixes which units drop in every step.

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
        if mask.count < n + 4 { mask = [Float](repeating: 0, count: n + 4) }
        let cut = UInt64((Double(rate) * 65_536).rounded(.down))
        let scale = 1 / (1 - rate)
        let src = x.data, dst = output.data
        // The generator in a local: a class's stored property would be checked for exclusive
        // access on every draw.
        var g = rng
        defer { rng = g }
        mask.withUnsafeMutableBufferPointer { mb in
            let m = mb.baseAddress!
            // Branch-free: a lane's keep-or-drop is a vector compare and select, since a branch
            // on a fair coin is mispredicted half the time.
            let cut4 = SIMD4<UInt32>(repeating: UInt32(cut)), scale4 = SIMD4<Float>(repeating: scale), zero = SIMD4<Float>()
            var i = 0
            while i &+ 4 <= n {
                let bits = g.next()
                let lanes = SIMD4<UInt32>(UInt32(truncatingIfNeeded: bits & 0xFFFF), UInt32(truncatingIfNeeded: bits >> 16 & 0xFFFF),
                                          UInt32(truncatingIfNeeded: bits >> 32 & 0xFFFF), UInt32(truncatingIfNeeded: bits >> 48))
                let mv = zero.replacing(with: scale4, where: lanes .>= cut4)
                UnsafeMutableRawPointer(m + i).storeBytes(of: mv, as: SIMD4<Float>.self)
                let xv = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(dst + i).storeBytes(of: xv * mv, as: SIMD4<Float>.self)
                i &+= 4
            }
            if i < n {
                let bits = g.next()
                for j in i..<n {
                    m[j] = (bits >> UInt64(16 * (j - i)) & 0xFFFF) >= cut ? scale : 0
                    dst[j] = src[j] * m[j]
                }
            }
        }
        return output
    }

    /// d = a ⊙ b, n values.
    @inline(__always)
    static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into d: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i &+ 8 <= n {
            let v = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(d + i).storeBytes(of: v, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n { d[i] = a[i] * b[i]; i &+= 1 }
    }

    package func infer(_ x: Tensor, into y: Tensor) { y.copy(from: x) }

    package func backward(_ g: Tensor) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.resize(rows: g.rows)
        let n = g.count
        let src = g.data, dst = inputGradient.data
        mask.withUnsafeBufferPointer { m in Self.multiply(src, m.baseAddress!, into: dst, n) }
        return inputGradient
    }
}
