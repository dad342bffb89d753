// The neural recommender kind: its per-epoch history (Keras's names, one row per epoch), early
// stopping that stops on an overfitting problem and keeps exactly the best epoch's weights,
// bit-identical fits under a seed, the bad inputs it refuses with a located message, unseen
// ids scored with a zero embedding, a rating target trained on the squared loss with rmse and
// mae, and side features reaching the network.

import Foundation
import Testing
import Frame
import Learn
import Neural

private func neuralParameters(embed: Int = 4, hidden: [Int] = [16, 8], dropout: Double = 0.2,
                              optimizer: OptimizerKind = .sgd, lr: Double = 0.08, epochs: Int = 5, batch: Int = 32,
                              validation: Double = 0.2, earlyStop: Int = 0, seed: Int = 1) -> NeuralRecommender.Parameters {
    var p = NeuralRecommender.Parameters()
    p.embed = embed
    p.hidden = hidden
    p.dropout = dropout
    p.optimizer = optimizer
    p.learningRate = lr
    p.epochs = epochs
    p.batch = batch
    p.validation = validation
    p.earlyStop = earlyStop
    p.seed = seed
    return p
}

/// 30 users (raw 100...) x 20 items (raw 500...), every pair once; the label is 1 when the
/// user's parity is the item's (half the pairs).
private func parityFrame() throws -> DataFrame {
    var rows: [(Int64, Int64, Double)] = []
    for u in 0..<30 { for i in 0..<20 { rows.append((Int64(100 + u), Int64(500 + i), u % 2 == i % 2 ? 1 : 0)) } }
    return try interactions(rows)
}

/// 600 random pairs of 40 users and 30 items with coin-flip labels: nothing to learn but noise.
private func noiseFrame() throws -> DataFrame {
    var rng = TestRandom(seed: 91)
    return try interactions((0..<600).map { _ in (Int64(rng.int(40)), Int64(rng.int(30)), Double(rng.int(2))) })
}

private func fit(_ frame: DataFrame, _ p: NeuralRecommender.Parameters) throws -> NeuralRecommender {
    try NeuralRecommender.fit(try TrainingData(frame), parameters: p, context: FitContext())
}

@Suite struct NeuralRecommenderTests {
    /// One row per epoch with the training and held-out measurements under Keras's names; the
    /// monitored quantity, the best epoch and the stop reason; the model learns the parity.
    @Test func historyHasARowPerEpochUnderKerasNames() throws {
        let model = try fit(try parityFrame(), neuralParameters(epochs: 40))
        let h = try #require(model.history)
        #expect(h.names == ["loss", "auc", "accuracy", "precision", "recall",
                            "val_loss", "val_auc", "val_accuracy", "val_precision", "val_recall"])
        #expect(h.epochs == 40 && h.rows.allSatisfy { $0.count == 10 } && h.seconds.count == 40)
        #expect(h.monitor == "val_loss" && h.stopReason == "ran 40 epochs" && !h.keptBest)
        let valLoss = try #require(h.values("val_loss"))
        #expect(h.bestEpoch == valLoss.firstIndex(of: valLoss.min()!)! + 1)
        for name in h.names where name != "loss" && name != "val_loss" {
            #expect(h.values(name)!.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(name)")
        }
        let loss = try #require(h.values("loss"))
        #expect(loss.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(loss.last! < loss.first! / 2, "loss \(loss)")
        #expect(h.value("val_accuracy", epoch: 40)! > 0.9)
        #expect(model.scoreKind == .probability)
        #expect(model.arrays.map(\.0) == h.names)
        #expect(model.architecture == "embed(4) x 2 | dense(16) relu dropout(0.2) | dense(8) batchnorm | dense(1)")

        let noValidation = try fit(try parityFrame(), neuralParameters(epochs: 2, validation: 0))
        let hv = try #require(noValidation.history)
        #expect(hv.names == ["loss", "auc", "accuracy", "precision", "recall"] && hv.monitor == "loss" && hv.epochs == 2)
    }

    /// On coin-flip labels a large network memorises the training rows and val_loss climbs:
    /// early_stop=3 stops 3 epochs after the best, well before the 200 allowed, and the model
    /// holds the best epoch's weights, exactly those of a fit of that many epochs.
    @Test func earlyStoppingStopsAndKeepsTheBestEpoch() throws {
        let frame = try noiseFrame()
        var p = neuralParameters(embed: 16, hidden: [64, 32], dropout: 0, optimizer: .adam, lr: 0.01, epochs: 200,
                                 validation: 0.3, earlyStop: 3)
        let stopped = try fit(frame, p)
        let h = try #require(stopped.history)
        let best = try #require(h.bestEpoch)
        #expect(h.epochs < 200 && h.epochs == best + 3, "ran \(h.epochs), best \(best)")
        #expect(h.keptBest)
        #expect(h.stopReason == "early stop after epoch \(h.epochs): val_loss has not improved for 3 epochs")
        let valLoss = h.values("val_loss")!
        #expect(valLoss[best - 1] == valLoss.min()!)
        #expect(valLoss.last! > valLoss[best - 1])

        p.epochs = best
        p.earlyStop = 0
        let short = try fit(frame, p)
        #expect(short.history!.rows == Array(h.rows.prefix(best)))
        #expect(try stopped.predict(frame).map(\.bitPattern) == short.predict(frame).map(\.bitPattern))
    }

    /// The same seed, the same model to the bit; another seed, another model.
    @Test func theSameSeedGivesIdenticalPredictions() throws {
        let frame = try parityFrame()
        let p = neuralParameters(optimizer: .adam, lr: 0.01, epochs: 3)
        let a = try fit(frame, p), b = try fit(frame, p)
        var q = p
        q.seed = 2
        let c = try fit(frame, q)
        let pa = try a.predict(frame)
        #expect(pa.map(\.bitPattern) == (try b.predict(frame)).map(\.bitPattern))
        #expect(a.history!.rows == b.history!.rows)
        #expect(pa != (try c.predict(frame)))
    }

    @Test func badInputIsRefusedWithALocatedMessage() throws {
        let frame = try parityFrame()
        // 600 rows, 120 held out: 480 to train on.
        #expect(throws: LearnError.invalidParameter(name: "batch", reason: "1000 is more than the 480 training rows left after holding out 120; use batch=128 or fewer")) {
            try fit(frame, neuralParameters(batch: 1000))
        }
        #expect(throws: LearnError.invalidParameter(name: "batch", reason: "601 is more than the 600 training rows; use batch=128 or fewer")) {
            try fit(frame, neuralParameters(batch: 601, validation: 0))
        }
        var rows: [(Int64, Int64, Double)] = [(1, 1, 1), (1, 2, 0), (2, 1, 2), (2, 2, 0)]
        #expect(throws: LearnError.invalidParameter(name: "target", reason: "'y' must be 0 or 1 in every row for neural's cross-entropy, but row 3 holds 2; declare it as rating= for the squared loss")) {
            try fit(try interactions(rows), neuralParameters(batch: 2, validation: 0))
        }
        rows[2].2 = 0
        rows[0].2 = 0
        #expect(throws: LearnError.invalidParameter(name: "target", reason: "'y' is 0 in every row of the training frame; a classifier needs both classes")) {
            try fit(try interactions(rows), neuralParameters(batch: 2, validation: 0))
        }
        rows[0].2 = 1
        #expect(throws: LearnError.invalidParameter(name: "validation", reason: "0.1 of 4 rows rounds to none; raise it or use validation=0")) {
            try fit(try interactions(rows), neuralParameters(batch: 2, validation: 0.1))
        }
        var noTarget = frame
        noTarget.schema[.label] = nil
        #expect(throws: LearnError.missingRole(.label)) { try fit(noTarget, neuralParameters()) }
    }

    /// Unseen users get a zero embedding: any two unseen users score an item alike, finite,
    /// as do unseen items; a known pair scores as it does in the training frame.
    @Test func unseenIDsScoreWithAZeroEmbedding() throws {
        let frame = try parityFrame()
        let model = try fit(frame, neuralParameters(epochs: 3))
        let known = try model.predict(frame)
        let odd = try interactions(users: [7, 8, 100, 7, 9], items: [500, 500, 9_999, 9_999, 501], labels: [1, 1, 1, 1, 1])
        let scores = try model.predict(odd)
        #expect(scores.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 }, "\(scores)")
        #expect(scores[0] == scores[1], "two unseen users, the same item")
        #expect(scores[0] != scores[4], "the item still matters")
        // user 100 is known; item 9999 is not.
        #expect(scores[2] != scores[3])
        #expect(try model.predict(try interactions(users: [100], items: [500], labels: [1]))[0] == known[0])
    }

    /// A rating column is learned with the squared loss: the history reports rmse and mae,
    /// loss is the mean squared error (rmse²), and the scores are ratings.
    @Test func aRatingTargetUsesTheSquaredLoss() throws {
        var rows: [(Int64, Int64, Double)] = []
        for u in 0..<30 { for i in 0..<20 { rows.append((Int64(u), Int64(i), u % 2 == i % 2 ? 4.5 : 1.5)) } }
        let frame = try ratingFrame(rows)
        let model = try fit(frame, neuralParameters(dropout: 0, optimizer: .adam, lr: 0.01, epochs: 60))
        #expect(model.scoreKind == .rating)
        let h = try #require(model.history)
        #expect(h.names == ["loss", "rmse", "mae", "val_loss", "val_rmse", "val_mae"])
        for (loss, rmse) in [("loss", "rmse"), ("val_loss", "val_rmse")] {
            for e in 1...h.epochs {
                let l = h.value(loss, epoch: e)!, r = h.value(rmse, epoch: e)!
                #expect(abs(l - r * r) <= 1e-5 * l, "\(loss) \(l) vs \(rmse)² \(r * r) at epoch \(e)")
            }
        }
        let valRMSE = h.values("val_rmse")!
        #expect(valRMSE.last! < 0.5 && valRMSE.last! < valRMSE.first!, "\(valRMSE)")
        #expect(h.values("val_mae")!.last! <= valRMSE.last!)
        let predicted = try model.predict(frame)
        let rmse = (zip(predicted, rows).reduce(0.0) { $0 + ($1.0 - $1.1.2) * ($1.0 - $1.1.2) } / Double(rows.count)).squareRoot()
        #expect(rmse < 0.5, "rmse \(rmse)")
    }

    /// Side features go through the network: with labels decided by a context column alone,
    /// predictions follow it; a non-finite feature is refused naming it and its row.
    @Test func sideFeaturesReachTheNetwork() throws {
        var rng = TestRandom(seed: 92)
        let n = 400
        let users = (0..<n).map { _ in Int64(rng.int(10)) }, items = (0..<n).map { _ in Int64(rng.int(10)) }
        let context = (0..<n).map { _ in rng.normal() }
        var frame = try DataFrame([.integers("u", users), .integers("i", items), .doubles("ctx", context),
                                   .doubles("y", context.map { $0 > 0 ? 1 : 0 })])
        frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
        var data = try TrainingData(frame)
        let labels = context.map { Float($0 > 0 ? 1 : 0) }
        let spec = FeatureSpec([FeatureRequest(["ctx"], encoding: .numeric)], scaling: .standard)
        let (pipeline, matrix) = try FeaturePipeline.fit(frame, spec: spec, target: "y", labels: labels)
        data.sideFeatures = SideFeatures(pipeline: pipeline, matrix: matrix)
        let model = try NeuralRecommender.fit(data, parameters: neuralParameters(optimizer: .adam, lr: 0.01, epochs: 20),
                                              context: FitContext())
        #expect(model.architecture.hasPrefix("embed(4) x 2 + 1 features |"))
        let p = try model.predict(frame)
        let accuracy = Double(zip(p, labels).filter { ($0 >= 0.5) == ($1 == 1) }.count) / Double(n)
        #expect(accuracy > 0.9, "accuracy \(accuracy)")

        var bad = matrix
        bad.values[2 * bad.columns] = .nan
        data.sideFeatures = SideFeatures(pipeline: pipeline, matrix: bad)
        #expect(throws: LearnError.invalidParameter(name: "features", reason: "feature \(matrix.names[0]) is not a finite number in row 3")) {
            try NeuralRecommender.fit(data, parameters: neuralParameters(), context: FitContext())
        }
    }

    /// Ctrl-C: the fit ends at the next batch check, returns (does not throw), says it was
    /// interrupted, and holds exactly the weights of its best epoch so far, which a fit of that
    /// many epochs under the same seed reproduces.
    @Test func anInterruptedFitKeepsItsBestEpoch() throws {
        let frame = try parityFrame()
        let flag = CancellationFlag()
        let lines = LineCounter()
        let context = FitContext(cancellation: flag, log: { shown in
            if lines.add(shown.count) >= 3 { flag.cancel() }  // the header, epoch 1, epoch 2
        })
        let p = neuralParameters(epochs: 20, batch: 8)
        let m = try NeuralRecommender.fit(frame, parameters: p, context: context)
        let h = try #require(m.history)
        #expect(h.interrupted && h.epochs == 2 && h.keptBest)
        #expect(h.stopReason == "interrupted after 2 epochs")
        let best = try #require(h.bestEpoch)
        var q = p
        q.epochs = best
        let reference = try NeuralRecommender.fit(frame, parameters: q)
        #expect(try m.predict(frame) == reference.predict(frame))
    }
}

/// Counts lines shown by a fit, from whichever thread shows them.
private final class LineCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += n
        return count
    }
}
