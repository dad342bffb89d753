// Platt scaling (Platt 1999): a sigmoid from a classifier's decision values f to probabilities,
//
//   P(y = 1 | f) = 1 / (1 + exp(A f + B)),
//
// fitted by the numerically robust Newton method of Lin, Lin and Weng (2007, "A note on Platt's
// probabilistic outputs for support vector machines", Algorithm 1; libsvm's sigmoid_train):
// minimise the cross-entropy Σ_i -[t_i log p_i + (1 - t_i) log(1 - p_i)] against Platt's
// regularised targets t_i = (N₊ + 1) / (N₊ + 2) for positives and 1 / (N₋ + 2) for negatives
// (so one class, or separable values, still give a finite fit), from A = 0,
// B = log((N₋ + 1) / (N₊ + 1)). Each term is evaluated as t·(Af+B) + log(1 + e^{-(Af+B)}) or
// (t - 1)(Af+B) + log(1 + e^{Af+B}), whichever exponent is negative, so nothing overflows.
// Newton's direction uses the Hessian plus σ = 10⁻¹² on the diagonal; the step halves until
// f_new < f + 10⁻⁴ step ∇ᵀd; stop when |∂/∂A| and |∂/∂B| are both below 10⁻⁵, after 100
// iterations, or when the step falls below 10⁻¹⁰.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted Platt sigmoid: P(y = 1 | f) = 1 / (1 + exp(a f + b)).
package struct PlattScaling: Sendable, Equatable {
    package var a: Double
    package var b: Double

    /// Newton iterations at most (libsvm's max_iter).
    static let maxIterations = 100
    /// The smallest step of the line search (libsvm's min_step).
    static let minStep = 1e-10
    /// Added to the Hessian's diagonal so it is positive definite (libsvm's sigma).
    static let ridge = 1e-12
    /// Gradient size at which the fit has converged (libsvm's eps).
    static let gradientTolerance = 1e-5

    package init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// The sigmoid fitted to `decisionValues` and their 0/1 `labels`.
    package static func fit(decisionValues f: [Double], labels: [Float]) -> PlattScaling {
        precondition(f.count == labels.count, "one label per decision value")
        let positives = Double(labels.filter { $0 > 0.5 }.count)
        let negatives = Double(labels.count) - positives
        let hiTarget = (positives + 1) / (positives + 2), loTarget = 1 / (negatives + 2)
        let t = labels.map { $0 > 0.5 ? hiTarget : loTarget }
        func objective(_ a: Double, _ b: Double) -> Double {
            var value = 0.0
            for i in 0..<f.count {
                let z = f[i] * a + b
                value += z >= 0 ? t[i] * z + log1p(exp(-z)) : (t[i] - 1) * z + log1p(exp(z))
            }
            return value
        }
        var a = 0.0, b = log((negatives + 1) / (positives + 1))
        var value = objective(a, b)
        for _ in 0..<maxIterations {
            var h11 = ridge, h22 = ridge, h21 = 0.0, g1 = 0.0, g2 = 0.0
            for i in 0..<f.count {
                let z = f[i] * a + b
                let p: Double, q: Double
                if z >= 0 {
                    let e = exp(-z)
                    p = e / (1 + e)
                    q = 1 / (1 + e)
                } else {
                    let e = exp(z)
                    p = 1 / (1 + e)
                    q = e / (1 + e)
                }
                let d2 = p * q
                h11 += f[i] * f[i] * d2
                h22 += d2
                h21 += f[i] * d2
                let d1 = t[i] - p
                g1 += f[i] * d1
                g2 += d1
            }
            if abs(g1) < gradientTolerance && abs(g2) < gradientTolerance { break }
            let det = h11 * h22 - h21 * h21
            let dA = -(h22 * g1 - h21 * g2) / det
            let dB = -(-h21 * g1 + h11 * g2) / det
            let gd = g1 * dA + g2 * dB
            var step = 1.0
            while step >= minStep {
                let newA = a + step * dA, newB = b + step * dB
                let newValue = objective(newA, newB)
                if newValue < value + 1e-4 * step * gd {
                    a = newA
                    b = newB
                    value = newValue
                    break
                }
                step /= 2
            }
            if step < minStep { break }
        }
        return PlattScaling(a: a, b: b)
    }

    /// P(y = 1) for decision value `f`, without overflow.
    package func probability(_ f: Double) -> Double {
        let z = a * f + b
        if z >= 0 {
            let e = exp(-z)
            return e / (1 + e)
        }
        return 1 / (1 + exp(z))
    }
}
