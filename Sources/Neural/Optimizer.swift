// Optimizers: one step per batch on every parameter from its gradient, in Keras 3's forms.
//   sgd       v ← μ v - η g;  w ← w + v            (nesterov: w ← w + μ v - η g)
//             with μ = 0 it is w ← w - η g
//   adam      m ← m + (1 - β1)(g - m),  s ← s + (1 - β2)(g² - s),  t ← t + 1,
//             w ← w - η_t m / (sqrt(s) + ε),  η_t = η sqrt(1 - β2^t) / (1 - β1^t)
//   adamw     adam, after w ← w - η λ w for the parameters that decay (decoupled weight
//             decay, Loshchilov and Hutter, 2019)
// Sparse parameters (embedding tables) are updated in the rows the batch touched only. Under
// SGD with momentum a row skipped for j steps would, densely, have moved by its velocity v
// each step while the velocity decayed: w += v μ (1 - μ^j) / (1 - μ) (nesterov: μ² (1 - μ^j) /
// (1 - μ)), v ← μ^j v. That catch-up is applied when the row is next touched and, for every
// row, at `flush` (before the weights are read), so sparse steps give dense momentum's
// weights. Adam's moments change in touched rows only (lazy Adam). t counts the network's steps.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The update rules.
package enum OptimizerKind: String, Sendable, CaseIterable {
    case sgd, adam, adamw
}

/// An optimiser's settings.
package struct OptimizerSettings: Sendable, Equatable {
    package var kind: OptimizerKind = .sgd
    package var learningRate: Float = 0.01
    /// SGD's momentum μ.
    package var momentum: Float = 0
    package var nesterov = false
    package var beta1: Float = 0.9
    package var beta2: Float = 0.999
    package var epsilon: Float = 1e-7
    /// AdamW's λ.
    package var weightDecay: Float = 0.004

    package init(kind: OptimizerKind = .sgd, learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                 beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, weightDecay: Float = 0.004) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

extension Optimizer {
    /// Applies to every row of the sparse parameters the momentum steps it has missed, so the
    /// weights are those of dense momentum after the last step. Call before reading weights.
    package func flush(_ parameters: [Parameter]) {
        guard settings.kind == .sgd, settings.momentum != 0 else { return }
        let mu = Double(settings.momentum), nesterov = settings.nesterov, now = steps
        for p in parameters where p.sparse && p.appliedThrough.count == p.rows {
            let w = p.columns, v = p.slot(0), value = p.value
            p.appliedThrough.withUnsafeMutableBufferPointer { applied in
                for r in 0..<p.rows {
                    Self.catchUp(value + r * w, v + r * w, w, skipped: now - applied[r], momentum: mu, nesterov: nesterov)
                    applied[r] = now
                }
            }
        }
    }

    /// A row (w values and their velocities) moved by `skipped` momentum-only steps (see the
    /// file comment).
    @inline(__always)
    static func catchUp(_ value: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ w: Int,
                        skipped j: Int, momentum mu: Double, nesterov: Bool) {
        guard j > 0 else { return }
        let muJ = pow(mu, Double(j))
        let gain = Float((nesterov ? mu * mu : mu) * (1 - muJ) / (1 - mu)), decay = Float(muJ)
        for i in 0..<w {
            value[i] += gain * v[i]
            v[i] *= decay
        }
    }

    /// v ← μ v - η g; w ← w + v (nesterov: w ← w + μ v - η g), eight lanes at a time.
    @inline(__always)
    static func momentumStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                             _ n: Int, lr: Float, momentum: Float, nesterov: Bool) {
        var i = 0
        let mu = SIMD8<Float>(repeating: momentum), eta = SIMD8<Float>(repeating: lr)
        while i &+ 8 <= n {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
            let vv = mu * UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self) - eta * gv
            UnsafeMutableRawPointer(v + i).storeBytes(of: vv, as: SIMD8<Float>.self)
            let step = nesterov ? mu * vv - eta * gv : vv
            let wv = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD8<Float>.self) + step
            UnsafeMutableRawPointer(w + i).storeBytes(of: wv, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n {
            v[i] = momentum * v[i] - lr * g[i]
            w[i] += nesterov ? momentum * v[i] - lr * g[i] : v[i]
            i &+= 1
        }
    }
}

/// Applies steps of one rule to a set of parameters.
package final class Optimizer {
    package var settings: OptimizerSettings
    /// Steps taken.
    package private(set) var steps = 0

    package init(_ settings: OptimizerSettings) { self.settings = settings }

    /// One step on every parameter, from the gradients of the last backward pass.
    package func step(_ parameters: [Parameter]) {
        steps += 1
        let s = settings
        let lr = s.learningRate
        // Adam's bias-corrected rate for this step.
        let t = Double(steps)
        let adamRate = Float(Double(lr) * (1 - pow(Double(s.beta2), t)).squareRoot() / (1 - pow(Double(s.beta1), t)))
        for p in parameters {
            let w = p.columns
            let value = p.value, grad = p.gradient
            let kind = s.kind
            let v0 = kind == .sgd && s.momentum == 0 ? nil : p.slot(0)
            let v1 = kind == .sgd ? nil : p.slot(1)
            func update(_ range: Range<Int>) {
                switch kind {
                case .sgd:
                    if let v = v0 {
                        Self.momentumStep(value + range.lowerBound, grad + range.lowerBound, v + range.lowerBound, range.count,
                                          lr: lr, momentum: s.momentum, nesterov: s.nesterov)
                    } else {
                        for i in range { value[i] -= lr * grad[i] }
                    }
                case .adam, .adamw:
                    let m = v0!, v = v1!
                    let decay = kind == .adamw && p.decays ? lr * s.weightDecay : 0
                    let b1 = 1 - s.beta1, b2 = 1 - s.beta2
                    for i in range {
                        if decay != 0 { value[i] -= decay * value[i] }
                        let g = grad[i]
                        m[i] += b1 * (g - m[i])
                        v[i] += b2 * (g * g - v[i])
                        value[i] -= adamRate * m[i] / (v[i].squareRoot() + s.epsilon)
                    }
                }
            }
            if p.sparse {
                let catchUp = kind == .sgd && s.momentum != 0
                if catchUp && p.appliedThrough.count != p.rows { p.appliedThrough = [Int](repeating: steps - 1, count: p.rows) }
                let touched = p.touchedRows
                if catchUp {
                    let v = v0!, mu = Double(s.momentum), nesterov = s.nesterov
                    p.appliedThrough.withUnsafeMutableBufferPointer { applied in
                        for r in touched {
                            let row = Int(r)
                            Self.catchUp(value + row * w, v + row * w, w, skipped: steps - 1 - applied[row], momentum: mu, nesterov: nesterov)
                            applied[row] = steps
                            update(row * w..<(row + 1) * w)
                        }
                    }
                } else {
                    for r in touched { update(Int(r) * w..<(Int(r) + 1) * w) }
                }
            } else {
                update(0..<p.count)
            }
        }
    }
}
