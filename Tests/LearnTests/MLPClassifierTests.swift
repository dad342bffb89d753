// MLPClassifier: backpropagation against finite differences of the loss written plainly in
// Doubles, Adam's steps by hand, one epoch of one batch as one Adam step from the Glorot
// initialisation, bit-identical weights under a seed, each hyperparameter changing the result,
// degenerate data, and XOR learned.

import Foundation
import Testing
import Frame
import Learn

private func mlpParameters(hidden: [Int] = [6], activation: Activation = .relu, alpha: Double = 1e-4,
                           lr: Double = 0.01, batch: Int = 32, epochs: Int = 5, earlyStop: Bool = false,
                           validation: Double = 0.1, patience: Int = 10, tol: Double = 1e-4,
                           seed: Int = 1) -> MLPClassifier.Parameters {
    var p = MLPClassifier.Parameters()
    p.hidden = hidden
    p.activation = activation
    p.alpha = alpha
    p.learningRate = lr
    p.batch = batch
    p.epochs = epochs
    p.earlyStop = earlyStop
    p.validation = validation
    p.patience = patience
    p.tol = tol
    p.seed = seed
    return p
}

/// The loss of MLPNetwork.swift written plainly in Doubles: layer by layer, then the mean
/// cross-entropy of σ(z) plus (α / 2m) Σ ‖W‖².
private func referenceLoss(_ theta: [Double], sizes: [Int], activation: Activation, x: [[Double]], y: [Double],
                           alpha: Double) -> Double {
    var offset = 0, penalty = 0.0
    var a = x
    for l in 0..<(sizes.count - 1) {
        let fanIn = sizes[l], fanOut = sizes[l + 1]
        let w = Array(theta[offset..<(offset + fanIn * fanOut)])
        let b = Array(theta[(offset + fanIn * fanOut)..<(offset + fanIn * fanOut + fanOut)])
        offset += fanIn * fanOut + fanOut
        penalty += w.map { $0 * $0 }.reduce(0, +)
        a = a.map { row in
            (0..<fanOut).map { j in
                let s = b[j] + (0..<fanIn).map { row[$0] * w[$0 * fanOut + j] }.reduce(0, +)
                if l == sizes.count - 2 { return s }
                switch activation {
                case .relu: return max(s, 0)
                case .tanh: return tanh(s)
                case .logistic: return 1 / (1 + exp(-s))
                }
            }
        }
    }
    let m = Double(x.count)
    var loss = 0.0
    for (row, label) in zip(a, y) {
        let p = 1 / (1 + exp(-row[0]))
        loss -= label * log(p) + (1 - label) * log(1 - p)
    }
    return loss / m + 0.5 * alpha * penalty / m
}

/// A small labelled problem: the label is 1 when x0 + x1² > 0.5, with 10% flipped.
private func problem(rows: Int, seed: UInt64) -> (FeatureMatrix, [Float]) {
    var rng = TestRandom(seed: seed)
    var values: [Float] = [], labels: [Float] = []
    for _ in 0..<rows {
        let row = (0..<3).map { _ in Float(rng.normal()) }
        values += row
        let y: Float = row[0] + row[1] * row[1] > 0.5 ? 1 : 0
        labels.append(rng.int(10) == 0 ? 1 - y : y)
    }
    return (FeatureMatrix(rows: rows, columns: 3, values: values, names: ["a", "b", "c"]), labels)
}

@Suite struct MLPClassifierTests {
    /// Every weight and bias of a 3-4-3-1 network, for each activation: the gradient of
    /// `lossAndGradients` against central differences of the plain Double loss (h = 1e-6).
    @Test(arguments: Activation.allCases)
    func backpropagationMatchesFiniteDifferences(_ activation: Activation) {
        let sizes = [3, 4, 3, 1]
        var network = MLPNetwork(sizes: sizes, activation: activation, seed: 5)
        var rng = TestRandom(seed: 80)
        network.parameters = network.parameters.map { _ in Float(rng.normal()) }  // larger than Glorot: every unit matters
        let m = 6
        let x = (0..<(m * 3)).map { _ in Float(rng.normal()) }
        let y: [Float] = [1, 0, 0, 1, 1, 0]
        let alpha: Float = 0.3
        let ws = MLPNetwork.Workspace(sizes: sizes, rows: m)
        var gradients = [Float](repeating: 0, count: network.parameters.count)
        let loss = gradients.withUnsafeMutableBufferPointer { g in
            network.lossAndGradients(x, labels: y, rows: m, alpha: alpha, workspace: ws, gradients: g.baseAddress!)
        }
        let xs = (0..<m).map { r in (0..<3).map { Double(x[r * 3 + $0]) } }
        let theta = network.parameters.map(Double.init)
        func f(_ t: [Double]) -> Double {
            referenceLoss(t, sizes: sizes, activation: activation, x: xs, y: y.map(Double.init), alpha: Double(alpha))
        }
        #expect(abs(loss - f(theta)) < 1e-5 * max(1, abs(loss)), "loss \(loss) vs \(f(theta))")
        let h = 1e-6
        for i in theta.indices {
            var up = theta, down = theta
            up[i] += h
            down[i] -= h
            let numeric = (f(up) - f(down)) / (2 * h)
            #expect(abs(Double(gradients[i]) - numeric) < 1e-5 + 1e-4 * abs(numeric),
                    "parameter \(i): backprop \(gradients[i]), finite difference \(numeric)")
        }
    }

    /// With a constant gradient g, Adam's first step is η sign(g) to within ε: m = (1 - β1) g,
    /// v = (1 - β2) g², η_1 = η sqrt(1 - β2) / (1 - β1); the second likewise, with m = 0.19 g,
    /// v = 0.001999 g². A zero gradient moves nothing.
    @Test func adamStepsByHand() {
        var adam = Adam(count: 3, learningRate: 0.01)
        var theta: [Float] = [1, -2, 0.5]
        let g: [Float] = [0.3, -0.1, 0]
        func expected(_ t: Int, _ start: [Float]) -> [Float] {
            let mHat = (t == 1 ? 0.1 : 0.19), vHat = (t == 1 ? 0.001 : 0.001999)
            let rate = 0.01 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            return zip(start, g).map { p, gi in
                Float(Double(p) - rate * mHat * Double(gi) / ((vHat * Double(gi) * Double(gi)).squareRoot() + 1e-8))
            }
        }
        let first = expected(1, theta)
        adam.step(&theta, gradients: g)
        #expect(zip(theta, first).allSatisfy { abs($0 - $1) < 1e-6 }, "\(theta) vs \(first)")
        #expect(zip(theta, [0.99, -1.99, 0.5] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        let second = expected(2, theta)
        adam.step(&theta, gradients: g)
        #expect(zip(theta, second).allSatisfy { abs($0 - $1) < 1e-6 }, "\(theta) vs \(second)")
        #expect(adam.t == 2 && theta[2] == 0.5)
    }

    /// One epoch with a batch of every row is one Adam step from MLPNetwork's Glorot
    /// initialisation (seeded by the first draw of the fit's generator), along the gradient of
    /// the whole training set. Initial weights lie within ±sqrt(6 / (fan in + fan out)).
    @Test func oneEpochOfOneBatchIsOneAdamStep() throws {
        let (x, labels) = problem(rows: 40, seed: 81)
        let p = mlpParameters(hidden: [5], activation: .tanh, alpha: 0.01, lr: 0.05, batch: 100, epochs: 1, seed: 9)
        let model = try MLPClassifier.fit(x, labels: labels, parameters: p, context: FitContext())
        var rng = Xoshiro256(seed: 9)
        var network = MLPNetwork(sizes: [3, 5, 1], activation: .tanh, seed: rng.next())
        let bound1 = Float((6.0 / 8).squareRoot()), bound2 = Float((6.0 / 6).squareRoot())
        #expect(network.parameters[0..<20].allSatisfy { abs($0) <= bound1 })
        #expect(network.parameters[20...].allSatisfy { abs($0) <= bound2 })
        var gradients = [Float](repeating: 0, count: network.parameters.count)
        let ws = MLPNetwork.Workspace(sizes: network.sizes, rows: 40)
        let loss = gradients.withUnsafeMutableBufferPointer { g in
            network.lossAndGradients(x.values, labels: labels, rows: 40, alpha: 0.01, workspace: ws, gradients: g.baseAddress!)
        }
        var adam = Adam(count: network.parameters.count, learningRate: 0.05)
        adam.step(&network.parameters, gradients: gradients)
        // The fit took the rows in shuffled order, so sums differ in their last bits.
        #expect(zip(model.network.parameters, network.parameters).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(abs(model.trainingLoss - loss) < 1e-5)
        #expect(model.epochsRun == 1)
    }

    @Test func theSameSeedGivesBitIdenticalWeights() throws {
        let (x, labels) = problem(rows: 300, seed: 82)
        let p = mlpParameters(hidden: [8, 4], epochs: 4)
        let a = try MLPClassifier.fit(x, labels: labels, parameters: p, context: FitContext())
        let b = try MLPClassifier.fit(x, labels: labels, parameters: p, context: FitContext())
        var q = p
        q.seed = 2
        let c = try MLPClassifier.fit(x, labels: labels, parameters: q, context: FitContext())
        #expect(a.network == b.network)
        #expect(a.network.parameters != c.network.parameters)
        #expect(try a.probabilities(x, context: FitContext()) == b.probabilities(x, context: FitContext()))
    }

    /// Each hyperparameter moved from a base setting changes the probabilities; patience and tol
    /// through when training stops (tol = 0.5 makes every epoch count as no improvement).
    @Test func eachHyperparameterChangesTheResult() throws {
        let (x, labels) = problem(rows: 200, seed: 83)
        let (test, _) = problem(rows: 50, seed: 84)
        func scores(_ p: MLPClassifier.Parameters) throws -> [Double] {
            try MLPClassifier.fit(x, labels: labels, parameters: p, context: FitContext()).probabilities(test, context: FitContext())
        }
        let base = try scores(mlpParameters(epochs: 8))
        let changed: [(String, MLPClassifier.Parameters)] = [
            ("hidden", mlpParameters(hidden: [7], epochs: 8)),
            ("activation", mlpParameters(activation: .logistic, epochs: 8)),
            ("alpha", mlpParameters(alpha: 1, epochs: 8)),
            ("lr", mlpParameters(lr: 0.03, epochs: 8)),
            ("batch", mlpParameters(batch: 50, epochs: 8)),
            ("epochs", mlpParameters(epochs: 9)),
            ("early_stop", mlpParameters(epochs: 8, earlyStop: true)),
            ("seed", mlpParameters(epochs: 8, seed: 2)),
            ("patience", mlpParameters(epochs: 8, patience: 1, tol: 0.5)),
        ]
        for (name, p) in changed { #expect(try scores(p) != base, "\(name)") }
        #expect(try scores(mlpParameters(epochs: 8, earlyStop: true, validation: 0.3))
                != scores(mlpParameters(epochs: 8, earlyStop: true)), "validation")
        #expect(try scores(mlpParameters(epochs: 8, patience: 2, tol: 0.5))
                != scores(mlpParameters(epochs: 8, patience: 2, tol: 0)), "tol")
        let stopped = try MLPClassifier.fit(x, labels: labels, parameters: mlpParameters(epochs: 8, patience: 2, tol: 0.5),
                                            context: FitContext())
        #expect(stopped.epochsRun == 4, "stops once more than patience epochs in a row did not improve")
        #expect(Set(MLPClassifier.hyperparameters.map(\.name)) == Set(changed.map(\.0) + ["validation", "tol"]))
        let early = try MLPClassifier.fit(x, labels: labels, parameters: mlpParameters(epochs: 8, earlyStop: true),
                                          context: FitContext())
        #expect(early.facts.map(\.0) == ["epochs run", "training loss", "best validation accuracy", "parameters"])
    }

    @Test func degenerateDataIsRefused() throws {
        let x = FeatureMatrix(rows: 3, columns: 1, values: [1, 2, 3], names: ["a"])
        #expect(throws: LearnError.unsupported("every training row has label 0; mlp needs rows of both labels")) {
            try MLPClassifier.fit(x, labels: [0, 0, 0], parameters: mlpParameters(), context: FitContext())
        }
        #expect(throws: LearnError.emptyData("the training frame of mlp")) {
            try MLPClassifier.fit(FeatureMatrix(rows: 0, names: ["a"]), labels: [], parameters: mlpParameters(), context: FitContext())
        }
        #expect(throws: LearnError.self) {
            try MLPClassifier.fit(x, labels: [0, 1, 0], parameters: mlpParameters(earlyStop: true), context: FitContext())
        }
        let constant = FeatureMatrix(rows: 4, columns: 1, values: [0, 0, 0, 0], names: ["a"])
        let model = try MLPClassifier.fit(constant, labels: [0, 1, 1, 1], parameters: mlpParameters(epochs: 50), context: FitContext())
        #expect(try model.probabilities(constant, context: FitContext()).allSatisfy { $0.isFinite && $0 > 0.5 })
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: LearnError.cancelled) {
            try MLPClassifier.fit(x, labels: [0, 1, 0], parameters: mlpParameters(), context: FitContext(cancellation: flag))
        }
    }

    /// XOR, which no linear model separates: four points, 50 copies each.
    @Test func learnsXOR() throws {
        let points: [(Float, Float, Float)] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
        var values: [Float] = [], labels: [Float] = []
        for _ in 0..<50 { for (a, b, y) in points { values += [a, b]; labels.append(y) } }
        let x = FeatureMatrix(rows: 200, columns: 2, values: values, names: ["a", "b"])
        let model = try MLPClassifier.fit(x, labels: labels, parameters: mlpParameters(hidden: [8], activation: .tanh, lr: 0.05,
                                                                                       batch: 20, epochs: 300),
                                          context: FitContext())
        let p = try model.probabilities(FeatureMatrix(rows: 4, columns: 2, values: [0, 0, 0, 1, 1, 0, 1, 1], names: ["a", "b"]),
                                        context: FitContext())
        #expect(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, "\(p)")
    }
}
