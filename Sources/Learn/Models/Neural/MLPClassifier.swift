// MLPClassifier: a multilayer perceptron for a 0/1 label, trained as scikit-learn's
// MLPClassifier(solver='adam') trains one (the network and its gradients: MLPNetwork.swift; the
// optimiser: Adam.swift).
//
// Each epoch shuffles the training rows with the seeded generator and takes them in mini-batches
// of min(batch, n) rows (the last one shorter); each batch is one Adam step on its mean loss
// (cross-entropy + (α / 2m) Σ ‖W‖²). The epoch's loss is the batch losses weighted by batch size.
// Stopping (scikit-learn's _update_no_improvement_count, n_iter_no_change = patience):
//   early_stop=false: an epoch whose loss is not below best loss - tol counts as no improvement;
//   early_stop=true:  a stratified share `validation` of the rows is held out first (drawn by the
//                     seed), and an epoch whose held-out accuracy is not above best + tol counts;
//                     the parameters of the best epoch are kept at the end.
// Training stops after more than `patience` such epochs in a row, or after `epochs` epochs.
// The generator draws the initial weights, then the held-out rows, then each epoch's order; the
// batch products run on one thread, so a seed gives bit-identical weights on any number of cores.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A multilayer perceptron with a sigmoid output, trained by Adam on mini-batches.
package struct MLPClassifier: Classifier {
    /// The hyperparameters of a fit.
    package struct Parameters: Sendable, Equatable {
        package var hidden: [Int] = [100]
        package var activation: Activation = .relu
        package var alpha: Double = 1e-4
        package var learningRate: Double = 0.001
        package var batch: Int = 200
        package var epochs: Int = 200
        package var earlyStop: Bool = false
        package var validation: Double = 0.1
        package var patience: Int = 10
        package var tol: Double = 1e-4
        package var seed: Int = 1
        package init() {}
    }

    package static let kindName = "mlp"
    package static let summary = "multilayer perceptron: hidden layers of relu, tanh or logistic units, a sigmoid output, trained by Adam"
    package static let details = [
        "A fully connected network (hidden=[100] is one layer of 100 units; hidden=[64, 32] two) with a sigmoid output, as scikit-learn's MLPClassifier: Glorot-uniform initial weights, binary cross-entropy plus alpha/2 times the squared weights (divided by the batch size), Adam with learning rate lr on shuffled mini-batches of batch rows.",
        "Training stops after epochs passes, or when the training loss (early_stop=false) or the accuracy on a held-out share `validation` of the rows (early_stop=true, which then keeps the best epoch's weights) has not improved by tol for more than patience epochs. The seed fixes the initial weights, the held-out rows and the order of the rows, so the same seed gives the same network.",
    ]
    package static let examples = ["m = fit mlp on train hidden=[64, 32] epochs=50",
                                   "m = fit mlp on train activation=tanh early_stop=true alpha=0.001"]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integers("hidden", \.hidden, 1...4096, count: 1...8, "units in each hidden layer"),
        .choice("activation", \.activation, "activation of the hidden units"),
        .number("alpha", \.alpha, min: 0, max: 100, logScale: true, "L2 penalty on the weights"),
        .number("lr", \.learningRate, min: 0, max: 10, openMin: true, logScale: true, "Adam's learning rate"),
        .integer("batch", \.batch, 1...1_000_000, "rows per mini-batch (at most the training rows)"),
        .integer("epochs", \.epochs, 1...10_000, "most passes over the training rows"),
        .bool("early_stop", \.earlyStop, "stop on the accuracy of held-out rows, not the training loss"),
        .number("validation", \.validation, min: 0, max: 0.5, openMin: true, "early_stop: share of rows held out"),
        .integer("patience", \.patience, 1...10_000, "epochs without improvement before stopping"),
        .number("tol", \.tol, min: 0, max: 1, "smallest change that counts as an improvement"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the weights, the held-out rows and the row order"),
    ]
    package static let defaultScaling = FeatureScaling.standard
    package static let budgetParameter: String? = "epochs"

    package let parameters: Parameters
    /// The trained network.
    package let network: MLPNetwork
    /// Epochs run before stopping.
    package let epochsRun: Int
    /// The last epoch's training loss.
    package let trainingLoss: Double
    /// The best held-out accuracy, with early_stop.
    package let bestValidationScore: Double?

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                            context: FitContext) throws(LearnError) -> MLPClassifier {
        guard x.rows > 0 else { throw .emptyData("the training frame of mlp") }
        guard x.columns > 0 else { throw .unsupported("mlp needs at least one feature column") }
        precondition(labels.count == x.rows, "one label per training row")
        let positives = labels.indices.filter { labels[$0] == 1 }
        let negatives = labels.indices.filter { labels[$0] != 1 }
        if positives.isEmpty || negatives.isEmpty {
            throw .unsupported("every training row has label \(positives.isEmpty ? 0 : 1); mlp needs rows of both labels")
        }
        var rng = Xoshiro256(seed: UInt64(parameters.seed))
        var network = MLPNetwork(sizes: [x.columns] + parameters.hidden + [1], activation: parameters.activation,
                                 seed: rng.next())
        // Held-out rows: the same share of each label, drawn by the seed.
        var trainRows = Array(0..<x.rows), heldOut: [Int] = []
        if parameters.earlyStop {
            var kept: [Int] = []
            for var group in [negatives, positives] {
                for i in stride(from: group.count - 1, to: 0, by: -1) { group.swapAt(i, rng.below(i + 1)) }
                let n = Int((parameters.validation * Double(group.count)).rounded())
                heldOut += group.prefix(n)
                kept += group.dropFirst(n)
            }
            if heldOut.isEmpty || kept.isEmpty {
                throw .unsupported("early_stop holds out \(heldOut.count) of \(x.rows) rows; use more rows, another validation share, or early_stop=false")
            }
            heldOut.sort()
            kept.sort()
            trainRows = kept
        }
        let n = trainRows.count, d = x.columns
        let batch = Swift.min(parameters.batch, n)
        let validation = heldOut.isEmpty ? nil : x.selecting(rows: heldOut)
        let validationLabels = heldOut.map { labels[$0] }

        var adam = Adam(count: network.parameters.count, learningRate: parameters.learningRate)
        let workspace = MLPNetwork.Workspace(sizes: network.sizes, rows: batch)
        var gradients = [Float](repeating: 0, count: network.parameters.count)
        var xb = [Float](repeating: 0, count: batch * d), yb = [Float](repeating: 0, count: batch)
        let alpha = Float(parameters.alpha), tol = parameters.tol
        var bestLoss = Double.infinity, bestScore = -Double.infinity, bestParameters = network.parameters
        var stale = 0, epochsRun = 0, loss = Double.nan
        for epoch in 0..<parameters.epochs {
            try context.checkCancelled()
            for i in stride(from: n - 1, to: 0, by: -1) { trainRows.swapAt(i, rng.below(i + 1)) }
            var total = 0.0
            BLAS.withThreads(1) {
                x.values.withUnsafeBufferPointer { xp in
                    var start = 0
                    while start < n {
                        let m = Swift.min(batch, n - start)
                        xb.withUnsafeMutableBufferPointer { bp in
                            for r in 0..<m {
                                let row = trainRows[start + r]
                                (bp.baseAddress! + r * d).update(from: xp.baseAddress! + row * d, count: d)
                                yb[r] = labels[row]
                            }
                        }
                        let batchLoss = gradients.withUnsafeMutableBufferPointer { gp in
                            xb.withUnsafeBufferPointer { bp in
                                yb.withUnsafeBufferPointer { yp in
                                    network.lossAndGradients(bp.baseAddress!, labels: yp.baseAddress!, rows: m,
                                                             alpha: alpha, workspace: workspace, gradients: gp.baseAddress!)
                                }
                            }
                        }
                        total += batchLoss * Double(m)
                        network.parameters.withUnsafeMutableBufferPointer { pp in
                            gradients.withUnsafeBufferPointer { gp in adam.step(pp.baseAddress!, gradients: gp.baseAddress!) }
                        }
                        start += m
                    }
                }
            }
            loss = total / Double(n)
            epochsRun = epoch + 1
            guard loss.isFinite else {
                throw .numerical("mlp diverged in epoch \(epoch + 1) (the loss became infinite); lower lr (now \(HyperValue.format(parameters.learningRate))) or raise alpha")
            }
            if let validation {
                let score = accuracy(network.logits(validation.values, rows: validation.rows), validationLabels)
                stale = score < bestScore + tol ? stale + 1 : 0
                if score > bestScore {
                    bestScore = score
                    bestParameters = network.parameters
                }
            } else {
                stale = loss > bestLoss - tol ? stale + 1 : 0
                bestLoss = Swift.min(bestLoss, loss)
            }
            context.report(Double(epoch + 1) / Double(parameters.epochs),
                           "epoch \(epoch + 1) of \(parameters.epochs), loss \(HyperValue.format((loss * 1e4).rounded() / 1e4))")
            if stale > parameters.patience { break }
        }
        if validation != nil { network.parameters = bestParameters }
        return MLPClassifier(parameters: parameters, network: network, epochsRun: epochsRun, trainingLoss: loss,
                             bestValidationScore: validation == nil ? nil : bestScore)
    }

    /// The share of rows whose logit is on the side of their label (z > 0 for label 1).
    static func accuracy(_ logits: [Float], _ labels: [Float]) -> Double {
        var right = 0
        for (z, y) in zip(logits, labels) where (z > 0) == (y == 1) { right += 1 }
        return Double(right) / Double(labels.count)
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        guard x.columns == network.sizes[0] else {
            throw .unsupported("mlp was fitted on \(network.sizes[0]) feature columns, but these rows have \(x.columns)")
        }
        try context.checkCancelled()
        return network.logits(x.values, rows: x.rows).map { 1 / (1 + exp(-Double($0))) }
    }

    package var facts: [(String, SummaryValue)] {
        var out: [(String, SummaryValue)] = [("epochs run", .int(epochsRun)), ("training loss", .number(trainingLoss))]
        if let bestValidationScore { out.append(("best validation accuracy", .number(bestValidationScore))) }
        out.append(("parameters", .int(network.parameters.count)))
        return out
    }
}
