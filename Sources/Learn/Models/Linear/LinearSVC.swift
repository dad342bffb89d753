// A linear support vector machine with scikit-learn LinearSVC's objective (liblinear), its
// probabilities by Platt scaling, and an optional RBF kernel approximated by random Fourier
// features.
//
//   min_{w,b} ½(‖w‖² + b²) + C Σ_i L(y_i (wᵀφ(x_i) + b)),   y_i ∈ {-1, +1},
//   L(m) = max(0, 1 - m) (loss=hinge) or max(0, 1 - m)² (loss=squared_hinge),
//   φ(x) = x (kernel=linear) or z(x) = √(2/D) cos(Wx + c), W ~ N(0, 2γ) (kernel=rbf,
//   RandomFourierFeatures.swift, an approximation of exp(-γ‖x - x'‖²) with D = components).
// As in liblinear and scikit-learn's LinearSVC (intercept_scaling=1), the intercept is the
// weight of a constant feature 1 and is penalised with the rest.
// Solver: dual coordinate descent with shrinking (DualCoordinateDescent.swift), stopping when
// the spread of projected dual gradients is at most tol, or after max_iter epochs.
//
// Probabilities: P(y = 1 | x) = 1 / (1 + exp(A f(x) + B)), f = wᵀφ(x) + b, with A, B fitted by
// Platt scaling (PlattScaling.swift) on held-out decision values. Internal split: 10% of each
// class (at least one row of a class with two or more), drawn from the seed, is held out; the
// SVM is fitted on the other rows, A and B are fitted on the held-out rows' decision values,
// then the dual solve continues from that solution over all rows (held-out rows start at
// α = 0) to the final model, so no row is wasted and A, B come from rows the first fit never saw.
// gamma = 0 means scikit-learn's 'scale': γ = 1 / (d · Var(X)), the variance over all entries.

import Frame

/// A linear SVM (hinge or squared hinge) with Platt-scaled probabilities, optionally on random
/// Fourier features of an RBF kernel.
package struct LinearSVC: Classifier {
    /// The margin loss.
    package enum Loss: String, Sendable, CaseIterable {
        case hinge
        case squaredHinge = "squared_hinge"
    }
    /// The feature map: the inputs as they are, or random Fourier features of an RBF kernel.
    package enum Kernel: String, Sendable, CaseIterable { case linear, rbf }

    /// The hyperparameters of the SVM.
    package struct Parameters: Sendable, Equatable {
        package var c: Double = 1
        package var loss: Loss = .squaredHinge
        package var kernel: Kernel = .linear
        /// The RBF kernel's γ; 0 means 1 / (features · variance).
        package var gamma: Double = 0
        /// Random Fourier features D for kernel=rbf.
        package var components: Int = 500
        package var maxIterations: Int = 1000
        package var tolerance: Double = 1e-4
        package var seed: Int = 1
        package init() {}
    }

    /// The share of each class held out for Platt's fit.
    static let calibrationShare = 0.1
    /// The most random-feature values (rows x components) held in memory for training: 4 GiB.
    static let maxFeatureValues = 1 << 30

    package static let kindName = "svc"
    package static let summary = "linear support vector machine (hinge or squared hinge), optionally on random Fourier features of an RBF kernel, with Platt-scaled probabilities"
    package static let details = [
        "Minimises ½‖(w, b)‖² + C Σ loss(y·(wᵀx + b)), the objective of scikit-learn's LinearSVC (liblinear): the intercept is penalised like a weight, as there. loss=hinge is max(0, 1 - m), squared_hinge max(0, 1 - m)². Solved by dual coordinate descent with shrinking (Hsieh et al. 2008), stopping when the projected dual gradients spread by at most tol, or after max_iter epochs.",
        "kernel=rbf maps each row to `components` random Fourier features √(2/D) cos(Wx + c), W ~ N(0, 2γ) (Rahimi and Recht 2007, scikit-learn's RBFSampler): a linear SVM on them approximates an SVM with the kernel exp(-γ‖x - x'‖²), more closely as components grows. gamma=0 means 1 / (features · variance of X), scikit-learn's 'scale'. The features of every training row are held in memory.",
        "Probabilities come from Platt scaling (Lin, Lin and Weng's robust fit): 10% of each class, drawn with the seed, is held out, the SVM is fitted on the rest, the sigmoid on the held-out decision values, and the fit then continues on all rows. Numeric features are standardised unless scale= says otherwise.",
    ]
    package static let examples = ["m = fit svc on train", "m = fit svc on train C=0.1 loss=hinge",
                                   "m = fit svc on train kernel=rbf components=1000"]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .number("C", \.c, min: 0, max: 1e12, openMin: true, logScale: true,
                "weight of the summed margin loss against ½‖w‖²; smaller is more regularised"),
        .choice("loss", \.loss, "hinge (max(0, 1 - m)) or squared_hinge (its square)"),
        .choice("kernel", \.kernel, "linear, or rbf approximated by random Fourier features"),
        .number("gamma", \.gamma, min: 0, max: 1e6, logScale: true,
                "RBF width γ in exp(-γ‖x - x'‖²); 0 means 1 / (features · variance)"),
        .integer("components", \.components, 1...100_000, "random Fourier features for kernel=rbf"),
        .integer("max_iter", \.maxIterations, 1...1_000_000, "most epochs of dual coordinate descent"),
        .number("tol", \.tolerance, min: 0, max: 1, openMin: true, logScale: true,
                "stop when the projected dual gradients spread by at most this"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the row order, the held-out split and the Fourier features"),
    ]
    package static let defaultScaling = FeatureScaling.standard

    package let parameters: Parameters
    /// w (on the inputs for kernel=linear, on the Fourier features for rbf).
    package let weights: [Double]
    package let intercept: Double
    package let platt: PlattScaling
    /// The Fourier map for kernel=rbf.
    package let fourier: RandomFourierFeatures?
    package let epochs: Int
    package let converged: Bool
    package let calibrationRows: Int

    package init(parameters: Parameters, weights: [Double], intercept: Double, platt: PlattScaling,
                 fourier: RandomFourierFeatures?, epochs: Int, converged: Bool, calibrationRows: Int) {
        self.parameters = parameters
        self.weights = weights
        self.intercept = intercept
        self.platt = platt
        self.fourier = fourier
        self.epochs = epochs
        self.converged = converged
        self.calibrationRows = calibrationRows
    }

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                            context: FitContext) throws(LearnError) -> LinearSVC {
        _ = try BinaryLabels.check(x, labels, kind: kindName)
        let seed = UInt64(parameters.seed)
        var fourier: RandomFourierFeatures?
        var features = x.values
        var width = x.columns
        if parameters.kernel == .rbf {
            let values = x.rows.multipliedReportingOverflow(by: parameters.components)
            if values.overflow || values.partialValue > maxFeatureValues {
                throw .tooLarge("svc kernel=rbf would hold \(x.rows) rows x \(parameters.components) Fourier features (\(String(format: "%.1f", Double(x.rows) * Double(parameters.components) * 4 / 1e9)) GB); use fewer components or sample the training rows")
            }
            let map = RandomFourierFeatures(inputs: x.columns, components: parameters.components,
                                            gamma: parameters.gamma > 0 ? parameters.gamma : scaleGamma(x),
                                            seed: SplitMix64.mix(seed ^ 0xF0F1_E2D3))
            context.report(0, "random Fourier features")
            features = map.transform(x)
            width = map.components
            fourier = map
        }
        try context.checkCancelled()
        let (fitRows, heldOut) = calibrationSplit(labels, seed: SplitMix64.mix(seed ^ 0x5EED_CA11))
        let squared = parameters.loss == .squaredHinge
        let result: (DualCoordinateDescent.Result, PlattScaling, Int) = try features.withUnsafeBufferPointer { z throws(LearnError) in
            let base = z.baseAddress!
            let first = try DualCoordinateDescent.solve(
                base, columns: width, labels: labels, rows: fitRows, c: parameters.c, squaredHinge: squared,
                tolerance: parameters.tolerance, maxEpochs: parameters.maxIterations, seed: seed, context: context)
            context.report(0.5, "Platt scaling")
            let calibration = heldOut.isEmpty ? fitRows : heldOut
            let values = calibration.map { DualCoordinateDescent.dot(base + Int($0) * width, first.weights, width) }
            let platt = PlattScaling.fit(decisionValues: values, labels: calibration.map { labels[Int($0)] })
            guard !heldOut.isEmpty else { return (first, platt, 0) }
            let all = fitRows + heldOut
            let final = try DualCoordinateDescent.solve(
                base, columns: width, labels: labels, rows: all, c: parameters.c, squaredHinge: squared,
                tolerance: parameters.tolerance, maxEpochs: parameters.maxIterations, seed: seed &+ 1,
                warmStart: (first.alpha, first.weights), context: context)
            return (DualCoordinateDescent.Result(weights: final.weights, alpha: [], epochs: first.epochs + final.epochs,
                                                 converged: final.converged), platt, heldOut.count)
        }
        let (solution, platt, calibrationRows) = result
        guard solution.weights.allSatisfy(\.isFinite) else {
            throw .numerical("svc diverged (a weight became infinite); lower C")
        }
        context.report(1, "done")
        return LinearSVC(parameters: parameters, weights: Array(solution.weights[0..<width]), intercept: solution.weights[width],
                         platt: platt, fourier: fourier, epochs: solution.epochs, converged: solution.converged,
                         calibrationRows: calibrationRows)
    }

    /// scikit-learn's gamma='scale': 1 / (d · Var(X)) over all entries, 1 / d·1 when Var(X) = 0.
    static func scaleGamma(_ x: FeatureMatrix) -> Double {
        let sums = x.values.withUnsafeBufferPointer { v in
            Parallel.mapChunks(v.count) { range in
                var s = 0.0, ss = 0.0
                for i in range { let f = Double(v[i]); s += f; ss += f * f }
                return (s, ss)
            }
        }
        let count = Double(x.values.count)
        let mean = sums.map(\.0).reduce(0, +) / count
        let variance = Swift.max(sums.map(\.1).reduce(0, +) / count - mean * mean, 0)
        return 1 / (Double(x.columns) * (variance > 0 ? variance : 1))
    }

    /// Rows to fit on and rows held out for Platt's fit: `calibrationShare` of each class,
    /// at least one of a class with two or more rows, drawn by a seeded shuffle.
    static func calibrationSplit(_ labels: [Float], seed: UInt64) -> (fit: [Int32], heldOut: [Int32]) {
        var rng = Xoshiro256(seed: seed)
        var fit: [Int32] = [], heldOut: [Int32] = []
        for positive in [false, true] {
            var rows = (0..<labels.count).filter { (labels[$0] > 0.5) == positive }.map { Int32($0) }
            for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.below(i + 1)) }
            let held = rows.count >= 2 ? Swift.max(1, Int((calibrationShare * Double(rows.count)).rounded())) : 0
            heldOut += rows[0..<held]
            fit += rows[held...]
        }
        return (fit.sorted(), heldOut.sorted())
    }

    /// f(x) = wᵀφ(x) + b for each row.
    package func decisionValues(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try context.checkCancelled()
        let n = x.rows
        guard let fourier else {
            precondition(x.columns == weights.count, "svc was fitted on \(weights.count) columns, not \(x.columns)")
            let d = x.columns
            return x.values.withUnsafeBufferPointer { v in
                weights.withUnsafeBufferPointer { w in
                    Parallel.array(n) { r in
                        var z = intercept
                        let row = v.baseAddress! + r * d
                        for j in 0..<d { z += Double(row[j]) * w[j] }
                        return z
                    }
                }
            }
        }
        precondition(x.columns == fourier.inputs, "svc was fitted on \(fourier.inputs) columns, not \(x.columns)")
        let k = fourier.components, block = RandomFourierFeatures.blockRows
        let blocks = (n + block - 1) / block
        var out = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { xs in
            weights.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    let target = SharedPointer(o.baseAddress!)
                    BLAS.withThreads(1) {
                        // Block c writes only its own rows of `out`.
                        Parallel.forEach(blocks) { c in
                            let rows = (c * block)..<Swift.min(n, (c + 1) * block)
                            let z = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * k)
                            defer { z.deallocate() }
                            fourier.transform(xs.baseAddress!, rows: rows, into: z)
                            for r in 0..<rows.count {
                                var s = intercept
                                for j in 0..<k { s += Double(z[r * k + j]) * w[j] }
                                target[rows.lowerBound + r] = s
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try decisionValues(x, context: context).map(platt.probability)
    }

    package var facts: [(String, SummaryValue)] {
        var out: [(String, SummaryValue)] = [("epochs", .int(epochs)), ("converged", .text(converged ? "yes" : "no")),
                                             ("platt rows", .int(calibrationRows)), ("platt a", .number(platt.a)),
                                             ("platt b", .number(platt.b))]
        if let fourier { out += [("gamma", .number(fourier.gamma)), ("fourier features", .int(fourier.components))] }
        return out
    }

    package var featureWeights: FeatureWeights? {
        fourier == nil ? FeatureWeights(title: "coefficient", values: weights, intercept: intercept) : nil
    }
}
