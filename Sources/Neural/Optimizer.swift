// Optimizers: one step per batch on every parameter from its gradient, in Keras 3's forms.
//   sgd       v ← μ v - η g;  w ← w + v            (nesterov: w ← w + μ v - η g)
//             with μ = 0 it is w ← w - η g
//   adam      m ← m + (1 - β1)(g - m),  s ← s + (1 - β2)(g² - s),  t ← t + 1,
//             w ← w - η_t m / (sqrt(s) + ε),  η_t = η sqrt(1 - β2^t) / (1 - β1^t)
//   adamw     adam, after w ← w - η λ w for the parameters that decay (decoupled weight
//             decay, Loshchilov and Hutter, 2019)
// Sparse parameters (embedding tables) are updated in the rows the batch touched only; their
// slots change in those rows only (lazy updates). t counts steps of the whole network.

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
            func update(_ range: Range<Int>) {
                switch s.kind {
                case .sgd:
                    if s.momentum == 0 {
                        for i in range { p.value[i] -= lr * p.gradient[i] }
                    } else {
                        let v = p.slot(0)
                        for i in range {
                            v[i] = s.momentum * v[i] - lr * p.gradient[i]
                            p.value[i] += s.nesterov ? s.momentum * v[i] - lr * p.gradient[i] : v[i]
                        }
                    }
                case .adam, .adamw:
                    let m = p.slot(0), v = p.slot(1)
                    let decay = s.kind == .adamw && p.decays ? lr * s.weightDecay : 0
                    let b1 = 1 - s.beta1, b2 = 1 - s.beta2
                    for i in range {
                        if decay != 0 { p.value[i] -= decay * p.value[i] }
                        let g = p.gradient[i]
                        m[i] += b1 * (g - m[i])
                        v[i] += b2 * (g * g - v[i])
                        p.value[i] -= adamRate * m[i] / (v[i].squareRoot() + s.epsilon)
                    }
                }
            }
            if p.sparse {
                for r in p.touchedRows { update(Int(r) * w..<(Int(r) + 1) * w) }
            } else {
                update(0..<p.count)
            }
        }
    }
}
