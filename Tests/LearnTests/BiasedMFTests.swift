// BiasedMF: one SGD step by hand, the score's parts, determinism under a seed, logistic
// scores as probabilities, divergence reported, the training error, and fold-in against the
// same SGD written plainly.

import Foundation
import Testing
import Learn

func mfParameters(factors: Int = 3, epochs: Int = 1, lr: Double = 0.05, reg: Double = 0.1, initStd: Double = 0.4,
                  loss: BiasedMF.Loss = .squared, seed: Int = 7) -> BiasedMF.Parameters {
    var p = BiasedMF.Parameters()
    p.factors = factors
    p.epochs = epochs
    p.learningRate = lr
    p.reg = reg
    p.initStd = initStd
    p.loss = loss
    p.seed = seed
    return p
}

@Suite struct BiasedMFTests {
    /// One epoch over one row, or over two rows with no user or item in common: each row is
    /// one SGD step from the initial factors, which the fit draws with `Matrix.gaussian`
    /// (users with the seed, items with the seed + 0x9E3779B9; biases start at 0):
    ///   e = r - r̂,  b_u = η e,  b_i = η e,  p_u' = p_u + η (e q_i - λ p_u),  q_i' = q_i + η (e p_u - λ q_i)
    /// μ is the mean target (squared) or its logit, the mean clipped to [1e-6, 1 - 1e-6].
    @Test(arguments: BiasedMF.Loss.allCases, [[(Int64(1), Int64(10), 1.0)], [(1, 10, 1), (2, 20, 0)]])
    func oneEpochIsOneSGDStepPerRow(_ loss: BiasedMF.Loss, _ rows: [(Int64, Int64, Double)]) throws {
        let model = try BiasedMF.fit(try interactions(rows), parameters: mfParameters(loss: loss))
        let (k, lr, reg) = (3, Float(0.05), Float(0.1))
        let p0 = Matrix.gaussian(rows: rows.count, columns: k, scale: 0.4, seed: 7)
        let q0 = Matrix.gaussian(rows: rows.count, columns: k, scale: 0.4, seed: 7 &+ 0x9E37_79B9)
        let mean = min(max(rows.map(\.2).reduce(0, +) / Double(rows.count), 1e-6), 1 - 1e-6)
        let offset = Float(loss == .squared ? rows.map(\.2).reduce(0, +) / Double(rows.count) : log(mean / (1 - mean)))
        #expect(model.factors.offset == offset)
        for (row, target) in rows.map(\.2).enumerated() {
            var z = offset
            for j in 0..<k { z += p0[row, j] * q0[row, j] }
            let prediction = loss == .squared ? z : 1 / (1 + expf(-z))
            let e = Float(target) - prediction
            #expect(e != 0)
            #expect(abs(model.factors.userOffsets![row] - lr * e) < 1e-7, "b_u of row \(row)")
            #expect(abs(model.factors.itemOffsets![row] - lr * e) < 1e-7, "b_i of row \(row)")
            for j in 0..<k {
                let pu = p0[row, j] + lr * (e * q0[row, j] - reg * p0[row, j])
                let qi = q0[row, j] + lr * (e * p0[row, j] - reg * q0[row, j])
                #expect(abs(model.factors.userFactors[row, j] - pu) < 1e-6, "p_u[\(j)] of row \(row)")
                #expect(abs(model.factors.itemFactors[row, j] - qi) < 1e-6, "q_i[\(j)] of row \(row)")
            }
        }
    }

    /// r̂ = μ + b_u + b_i + <p_u, q_i>, squashed by σ for the logistic loss; an unknown user or
    /// item contributes nothing but its known part.
    @Test(arguments: BiasedMF.Loss.allCases)
    func theScoreIsItsParts(_ loss: BiasedMF.Loss) throws {
        let rows = randomLog(seed: 600, users: 8, items: 10, rows: 70)
        let model = try BiasedMF.fit(try logFrame(rows), parameters: mfParameters(epochs: 5, loss: loss))
        let f = model.factors
        func squash(_ z: Double) -> Double { loss == .logistic ? 1 / (1 + exp(-z)) : z }
        for u in 0..<8 {
            for i in 0..<10 {
                var z = Double(f.offset) + Double(f.userOffsets![u]) + Double(f.itemOffsets![i])
                z += dot(f.userFactors.row(u).map(Double.init), f.itemFactors.row(i).map(Double.init))
                #expect(abs(model.score(user: Int32(u), item: Int32(i)) - squash(z)) < 1e-5)
            }
            #expect(abs(model.score(user: Int32(u), item: -1) - squash(Double(f.offset + f.userOffsets![u]))) < 1e-6)
        }
        #expect(abs(model.score(user: -1, item: 2) - squash(Double(f.offset + f.itemOffsets![2]))) < 1e-6)
        #expect(abs(model.score(user: -1, item: -1) - squash(Double(f.offset))) < 1e-6)
        #expect(model.scoreKind == .probability)
    }

    @Test func theSameSeedGivesTheSameModelAndAnotherSeedAnother() throws {
        let frame = try logFrame(randomLog(seed: 601, users: 20, items: 25, rows: 300))
        let a = try BiasedMF.fit(frame, parameters: mfParameters(factors: 8, epochs: 10, seed: 3))
        let b = try BiasedMF.fit(frame, parameters: mfParameters(factors: 8, epochs: 10, seed: 3))
        let c = try BiasedMF.fit(frame, parameters: mfParameters(factors: 8, epochs: 10, seed: 4))
        #expect(a.factors.userFactors == b.factors.userFactors && a.factors.itemFactors == b.factors.itemFactors)
        #expect(a.factors.userOffsets == b.factors.userOffsets && a.factors.itemOffsets == b.factors.itemOffsets)
        #expect(a.trainingError == b.trainingError)
        #expect(a.factors.userFactors != c.factors.userFactors)
    }

    @Test func logisticScoresAreProbabilities() throws {
        let rows = randomLog(seed: 602, users: 10, items: 12, rows: 100)
        let model = try BiasedMF.fit(try logFrame(rows), parameters: mfParameters(factors: 6, epochs: 30, lr: 0.1, loss: .logistic))
        var all = [Float](repeating: .nan, count: 10 * 12)
        all.withUnsafeMutableBufferPointer { model.scoreItems(users: Array(0..<10), into: $0) }
        #expect(all.allSatisfy { $0 > 0 && $0 < 1 })
        let unknown = try interactions(users: [-1, rows[0].user, -1], items: [rows[0].item, -1, -1], labels: [1, 1, 1])
        let predicted = try model.predict(try logFrame(rows)) + model.predict(unknown)
        #expect(predicted.allSatisfy { $0 > 0 && $0 < 1 })
        // The training log loss is what the fit reports.
        let labels = rows.map(\.label)
        let loss = zip(predicted, labels).reduce(0.0) { $0 - ($1.1 * log($1.0) + (1 - $1.1) * log(1 - $1.0)) } / Double(rows.count)
        #expect(abs(model.trainingError - loss) < 1e-5)
        #expect(model.facts.contains { $0.0 == "training log loss" })
    }

    @Test func theTrainingErrorIsTheRMSEOfTheTrainingRows() throws {
        let rows = randomLog(seed: 603, users: 9, items: 9, rows: 80)
        let model = try BiasedMF.fit(try logFrame(rows), parameters: mfParameters(epochs: 15))
        let predicted = try model.predict(try logFrame(rows))
        let rmse = (zip(predicted, rows).reduce(0.0) { $0 + ($1.0 - $1.1.label) * ($1.0 - $1.1.label) } / Double(rows.count)).squareRoot()
        #expect(abs(model.trainingError - rmse) < 1e-6)
    }

    @Test func aHugeLearningRateIsANumericalError() throws {
        let frame = try ratingFrame(randomLog(seed: 604, users: 10, items: 10, rows: 100).map { ($0.user, $0.item, 1 + 4 * $0.label) })
        let error = #expect(throws: LearnError.self) {
            try BiasedMF.fit(frame, parameters: mfParameters(factors: 4, epochs: 200, lr: 10, reg: 0))
        }
        guard case .numerical(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.hasPrefix("mf diverged in epoch "))
        #expect(message.hasSuffix("(the factors became infinite); lower lr (now 10) or raise reg"))
    }

    /// Fold-in: the new user's bias and factors by the same SGD over the history (item side
    /// fixed, starting from zero), written here plainly in Float.
    @Test(arguments: BiasedMF.Loss.allCases)
    func foldInIsSGDOverTheHistory(_ loss: BiasedMF.Loss) throws {
        let model = try BiasedMF.fit(try logFrame(randomLog(seed: 605, users: 8, items: 11, rows: 70)),
                                     parameters: mfParameters(factors: 4, epochs: 6, loss: loss))
        let history = [ItemScore(item: 3, score: 1), ItemScore(item: 7, score: 0), ItemScore(item: 0, score: 1)]
        let f = model.factors
        let (lr, reg) = (Float(0.05), Float(0.1))
        var pu = [Float](repeating: 0, count: 4), b: Float = 0
        for _ in 0..<6 {
            for h in history {
                var z = f.offset + b + f.itemOffsets![h.item]
                for j in 0..<4 { z += pu[j] * f.itemFactors[h.item, j] }
                if loss == .logistic { z = 1 / (1 + expf(-z)) }
                let e = Float(h.score) - z
                b += lr * (e - reg * b)
                for j in 0..<4 { pu[j] += lr * (e * f.itemFactors[h.item, j] - reg * pu[j]) }
            }
        }
        let folded = model.scores(forHistory: history)
        for i in 0..<11 {
            var z = f.offset + b + f.itemOffsets![i]
            for j in 0..<4 { z += pu[j] * f.itemFactors[i, j] }
            let expected = loss == .logistic ? 1 / (1 + expf(-z)) : z
            #expect(abs(folded[i] - expected) < 1e-5, "item \(i)")
        }
    }
}
