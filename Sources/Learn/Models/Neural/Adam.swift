// Adam (Kingma and Ba 2015) in scikit-learn's form (AdamOptimizer), on one flat parameter vector:
//
//   t += 1,  m = β1 m + (1 - β1) g,  v = β2 v + (1 - β2) g²
//   η_t = η sqrt(1 - β2^t) / (1 - β1^t)
//   θ -= η_t m / (sqrt(v) + ε)
//
// The bias corrections fold into the step size η_t (computed in Doubles), and ε is added to
// sqrt(v) itself, as scikit-learn and the paper's "efficient version" do.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam's moment estimates and step count for one parameter vector.
package struct Adam: Sendable, Equatable {
    package let learningRate: Double
    package let beta1: Double
    package let beta2: Double
    package let epsilon: Double
    /// First and second moment estimates, one per parameter.
    package private(set) var m: [Float]
    package private(set) var v: [Float]
    /// Steps taken.
    package private(set) var t = 0

    package init(count: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
    }

    /// One step on `parameters` along `gradients` (both `m.count` long).
    package mutating func step(_ parameters: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>) {
        t += 1
        let rate = Float(learningRate * (1 - pow(beta2, Double(t))).squareRoot() / (1 - pow(beta1, Double(t))))
        let b1 = Float(beta1), b2 = Float(beta2), c1 = Float(1 - beta1), c2 = Float(1 - beta2), eps = Float(epsilon)
        let n = m.count
        m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
                let mm = mp.baseAddress!, vv = vp.baseAddress!
                var i = 0
                while i &+ 8 <= n {
                    let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
                    let m1 = b1 * UnsafeRawPointer(mm + i).loadUnaligned(as: SIMD8<Float>.self) + c1 * gv
                    let v1 = b2 * UnsafeRawPointer(vv + i).loadUnaligned(as: SIMD8<Float>.self) + c2 * gv * gv
                    let p = UnsafeRawPointer(parameters + i).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(mm + i).storeBytes(of: m1, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(vv + i).storeBytes(of: v1, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(parameters + i).storeBytes(of: p - rate * m1 / (v1.squareRoot() + eps),
                                                                        as: SIMD8<Float>.self)
                    i &+= 8
                }
                while i < n {
                    mm[i] = b1 * mm[i] + c1 * g[i]
                    vv[i] = b2 * vv[i] + c2 * g[i] * g[i]
                    parameters[i] -= rate * mm[i] / (vv[i].squareRoot() + eps)
                    i &+= 1
                }
            }
        }
    }
}
