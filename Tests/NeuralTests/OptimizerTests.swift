// The optimisers against their steps computed by hand in Doubles (Keras 3's forms, written
// here in the textbook shape m ← β1 m + (1 - β1) g, v ← β2 v + (1 - β2) g²): plain SGD, with
// momentum, with Nesterov momentum, Adam, and AdamW on a parameter that decays and one that
// does not, three steps each with different gradients. Sparse parameters: only the touched
// rows change, values and slots alike.

import Foundation
import Testing
import Frame
import Neural

/// The values after each of `gradients.count` steps, in Doubles.
private func handSteps(_ s: OptimizerSettings, start: [Double], gradients: [[Double]], decays: Bool) -> [[Double]] {
    var w = start
    var velocity = [Double](repeating: 0, count: w.count)
    var m = velocity, v = velocity
    let lr = Double(s.learningRate), mu = Double(s.momentum)
    let b1 = Double(s.beta1), b2 = Double(s.beta2), eps = Double(s.epsilon)
    var out: [[Double]] = []
    for (t, g) in zip(1..., gradients) {
        for i in w.indices {
            switch s.kind {
            case .sgd:
                if mu == 0 {
                    w[i] -= lr * g[i]
                } else {
                    velocity[i] = mu * velocity[i] - lr * g[i]
                    w[i] += s.nesterov ? mu * velocity[i] - lr * g[i] : velocity[i]
                }
            case .adam, .adamw:
                if s.kind == .adamw && decays { w[i] -= lr * Double(s.weightDecay) * w[i] }
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                // Keras folds the bias corrections into the rate, so ε is added to sqrt(v), not
                // sqrt(v̂): w -= η sqrt(1 - β2^t) / (1 - β1^t) · m / (sqrt(v) + ε).
                let rate = lr * (1 - pow(b2, Double(t))).squareRoot() / (1 - pow(b1, Double(t)))
                w[i] -= rate * m[i] / (v[i].squareRoot() + eps)
            }
        }
        out.append(w)
    }
    return out
}

/// The library's values after each step on a 1 x 2 dense parameter.
private func librarySteps(_ s: OptimizerSettings, start: [Float], gradients: [[Float]], decays: Bool) -> [[Float]] {
    let p = Parameter(name: "w", rows: 1, columns: 2, decays: decays)
    p.values = start
    let optimizer = Optimizer(s)
    var out: [[Float]] = []
    for g in gradients {
        p.gradient.update(from: g, count: 2)
        optimizer.step([p])
        out.append(p.values)
    }
    #expect(optimizer.steps == gradients.count)
    return out
}

private let start: [Float] = [1, -2]
private let gradients: [[Float]] = [[0.5, -1], [0.2, 0.3], [-0.4, 0.1]]

/// The settings compared with the hand steps; AdamW's λ is large enough to matter.
private let cases: [OptimizerSettings] = [
    OptimizerSettings(kind: .sgd, learningRate: 0.1),
    OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9),
    OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: true),
    OptimizerSettings(kind: .adam, learningRate: 0.1),
    OptimizerSettings(kind: .adam, learningRate: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-3),
    OptimizerSettings(kind: .adamw, learningRate: 0.1, weightDecay: 0.5),
]

@Suite struct OptimizerTests {
    @Test(arguments: cases)
    func threeStepsMatchTheHandComputedSteps(_ s: OptimizerSettings) {
        for decays in [true, false] {
            let got = librarySteps(s, start: start, gradients: gradients, decays: decays)
            let expected = handSteps(s, start: start.map(Double.init), gradients: gradients.map { $0.map(Double.init) }, decays: decays)
            for (t, (a, b)) in zip(got, expected).enumerated() {
                #expect(zip(a, b).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "\(s.kind) step \(t + 1) decays \(decays): \(a) vs \(b)")
            }
        }
    }

    /// A few values worked out on paper, so the Double reference above is itself checked.
    @Test func firstStepsOnPaper() {
        let sgd = librarySteps(OptimizerSettings(learningRate: 0.1), start: start, gradients: gradients, decays: true)
        #expect(sgd[0] == [0.95, -1.9])
        // v1 = -0.05, w1 = 0.95; v2 = 0.9 · -0.05 - 0.1 · 0.2 = -0.065, w2 = 0.885.
        let momentum = librarySteps(OptimizerSettings(learningRate: 0.1, momentum: 0.9), start: start, gradients: gradients, decays: true)
        #expect(abs(momentum[0][0] - 0.95) < 1e-6 && abs(momentum[1][0] - 0.885) < 1e-6)
        // w1 = 1 + 0.9 · -0.05 - 0.05 = 0.905.
        let nesterov = librarySteps(OptimizerSettings(learningRate: 0.1, momentum: 0.9, nesterov: true), start: start,
                                    gradients: gradients, decays: true)
        #expect(abs(nesterov[0][0] - 0.905) < 1e-6 && abs(nesterov[0][1] - -1.81) < 1e-6)
        // Adam's first step is η sign(g), up to ε.
        let adam = librarySteps(OptimizerSettings(kind: .adam, learningRate: 0.1), start: start, gradients: gradients, decays: true)
        #expect(abs(adam[0][0] - 0.9) < 1e-5 && abs(adam[0][1] - -1.9) < 1e-5)
        // AdamW first shrinks by η λ: 1 - 0.1 · 0.5 = 0.95, then the Adam step.
        let adamw = librarySteps(OptimizerSettings(kind: .adamw, learningRate: 0.1, weightDecay: 0.5), start: start,
                                 gradients: gradients, decays: true)
        #expect(abs(adamw[0][0] - 0.85) < 1e-5 && abs(adamw[0][1] - -1.8) < 1e-5)
        let undecayed = librarySteps(OptimizerSettings(kind: .adamw, learningRate: 0.1, weightDecay: 0.5), start: start,
                                     gradients: gradients, decays: false)
        #expect(undecayed == adam)
    }

    /// Steps 1-2 touch rows 1 and 3 of a 4 x 2 table, step 3 rows 0 and 2. Untouched rows keep
    /// their values (their gradient memory holds stale nonzero values the step must ignore),
    /// and a row first touched in step 3 moves as a first update would with zero slots at
    /// step 3 (momentum -η g; Adam m = (1 - β1) g, v = (1 - β2) g² with step 3's correction):
    /// its slots did not change while it was untouched.
    @Test(arguments: Array(cases.dropFirst()))
    func sparseParametersUpdateOnlyTouchedRows(_ s: OptimizerSettings) {
        var rng = Xoshiro256(seed: 31)
        let p = Parameter(name: "table", rows: 4, columns: 2, sparse: true, decays: true)
        let initial = randomValues(&rng, 8)
        p.values = initial
        let optimizer = Optimizer(s)
        p.gradient.update(repeating: 7, count: 8)
        for _ in 0..<2 {
            let g = randomValues(&rng, 8)
            p.gradient.update(from: g, count: 8)
            p.touchedRows = [1, 3]
            optimizer.step([p])
            let v = p.values
            #expect(Array(v[0..<2]) == Array(initial[0..<2]) && Array(v[4..<6]) == Array(initial[4..<6]))
            #expect(Array(v[2..<4]) != Array(initial[2..<4]))
        }
        let afterTwo = p.values
        let g3 = randomValues(&rng, 8)
        p.gradient.update(from: g3, count: 8)
        p.touchedRows = [0, 2]
        optimizer.step([p])
        let v = p.values
        #expect(Array(v[2..<4]) == Array(afterTwo[2..<4]) && Array(v[6..<8]) == Array(afterTwo[6..<8]))
        for k in [0, 1, 4, 5] {
            let firstTouch: Double
            switch s.kind {
            case .sgd:
                firstTouch = handSteps(s, start: [Double(afterTwo[k])], gradients: [[Double(g3[k])]], decays: true)[0][0]
            case .adam, .adamw:
                // Zero slots, step 3's bias correction, one decay.
                let lr = Double(s.learningRate), b1 = Double(s.beta1), b2 = Double(s.beta2)
                var w = Double(afterTwo[k])
                if s.kind == .adamw { w -= lr * Double(s.weightDecay) * w }
                let m = (1 - b1) * Double(g3[k]), vv = (1 - b2) * Double(g3[k]) * Double(g3[k])
                let rate = lr * (1 - pow(b2, 3)).squareRoot() / (1 - pow(b1, 3))
                firstTouch = w - rate * m / (vv.squareRoot() + Double(s.epsilon))
            }
            #expect(abs(Double(v[k]) - firstTouch) < 1e-6, "\(s.kind) value \(k): \(v[k]) vs \(firstTouch)")
        }
    }

    /// After resetOptimizerState the next step is a first step again (momentum forgotten).
    @Test func resetForgetsTheSlots() {
        let p = Parameter(name: "w", rows: 1, columns: 2, decays: true)
        p.values = start
        let optimizer = Optimizer(OptimizerSettings(learningRate: 0.1, momentum: 0.9))
        p.gradient.update(from: gradients[0], count: 2)
        optimizer.step([p])
        p.resetOptimizerState()
        let before = p.values
        p.gradient.update(from: gradients[1], count: 2)
        optimizer.step([p])
        #expect(zip(p.values, zip(before, gradients[1])).allSatisfy { abs($0 - ($1.0 - 0.1 * $1.1)) < 1e-7 })
    }

    /// Sparse SGD with momentum catches skipped rows up in closed form: after `flush`, a table
    /// updated sparsely over steps that touch different rows equals the same table updated
    /// densely with zero gradients in its untouched rows, with and without Nesterov.
    @Test(arguments: [false, true])
    func sparseMomentumEqualsDenseMomentum(_ nesterov: Bool) {
        var rng = Xoshiro256(seed: 77)
        let settings = OptimizerSettings(kind: .sgd, learningRate: 0.05, momentum: 0.9, nesterov: nesterov)
        let sparse = Parameter(name: "table", rows: 5, columns: 3, sparse: true, decays: true)
        let dense = Parameter(name: "dense", rows: 5, columns: 3, decays: true)
        let start = randomValues(&rng, 15)
        sparse.values = start
        dense.values = start
        let a = Optimizer(settings), b = Optimizer(settings)
        let touched: [[Int32]] = [[0, 2], [2], [1, 4], [2, 3], [0], [4], [2], [1, 3]]
        for rows in touched {
            let g = randomValues(&rng, 15)
            var d = [Float](repeating: 0, count: 15)
            for r in rows { for c in 0..<3 { d[Int(r) * 3 + c] = g[Int(r) * 3 + c] } }
            sparse.gradient.update(from: g, count: 15)
            sparse.touchedRows = rows
            dense.gradient.update(from: d, count: 15)
            a.step([sparse])
            b.step([dense])
        }
        #expect(sparse.values != dense.values, "the skipped steps are pending before the flush")
        a.flush([sparse])
        let gap = zip(sparse.values, dense.values).map { abs($0 - $1) }.max() ?? 1
        #expect(gap < 1e-6)
    }
}
