// Biased matrix factorisation by stochastic gradient descent (Funk; Koren, Bell and Volinsky
// 2009; Surprise's SVD), on each training row's target: an explicit rating, or the 0/1 label.
//
//   z(u, i) = μ + b_u + b_i + <p_u, q_i>
//   squared:  minimise Σ (r - z)² + λ (b_u² + b_i² + ‖p_u‖² + ‖q_i‖²),  r̂ = z
//   logistic: maximise Σ [y log σ(z) + (1 - y) log(1 - σ(z))] - λ (...),  r̂ = σ(z), μ = logit(ȳ)
// Both take, for every row, with e = r - r̂ (the same form for both losses):
//   b_u += η (e - λ b_u),  b_i += η (e - λ b_i),  p_u += η (e q_i - λ p_u),  q_i += η (e p_u - λ q_i)
//
// Rows run in parallel without races and without depending on the core count (distributed
// SGD, Gemulla et al. 2011): users and items fall into G = 8 blocks each (index mod 8), the
// rows into the 64 (user block, item block) cells; sub-epoch s runs the 8 cells (b, b + s mod 8)
// at once, which share no user and no item. Rows are shuffled once by the seed, so a seed gives
// the same model on any machine.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// μ + b_u + b_i + <p_u, q_i>, fitted by SGD.
package struct BiasedMF: FactorModel, FittableModel, FoldIn {
    package enum Loss: String, Sendable, CaseIterable { case squared, logistic }

    package struct Parameters: Sendable, Equatable {
        package var factors: Int = 32
        package var epochs: Int = 20
        package var learningRate: Double = 0.01
        package var reg: Double = 0.02
        /// Standard deviation of the initial factors.
        package var initStd: Double = 0.1
        package var loss: Loss = .squared
        package var seed: Int = 1
        package init() {}
    }

    /// Blocks per side of the stratified schedule; fixed, so results do not depend on cores.
    static let strata = 8

    package static let kindName = "mf"
    package static let summary = "biased matrix factorisation by SGD on each row's rating or label"
    package static let details = [
        "r̂ = μ + b_u + b_i + <p_u, q_i> (Surprise's SVD), fitted by stochastic gradient descent on every training row's target: the rating when the schema declares one, else the 0/1 label. loss=squared predicts the target itself; loss=logistic predicts P(label = 1) = σ(μ + b_u + b_i + <p_u, q_i>).",
        "On an explicit rating (loss=squared), scores are clipped to the range of the training ratings, as Surprise clips to its rating scale. Rows run in parallel in a stratified schedule that shares no user or item between threads and does not depend on the number of cores, so a seed gives the same model anywhere. If the training error becomes infinite the fit stops and says to lower lr or raise reg.",
    ]
    package static let examples = ["m = fit mf on train factors=32 epochs=20", "m = fit mf on train loss=logistic lr=0.05"]
    package static let input = ModelInput.rows
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("factors", \.factors, 1...1024, "latent factors per user and item"),
        .integer("epochs", \.epochs, 1...1000, "passes over the training rows"),
        .number("lr", \.learningRate, min: 0, max: 10, openMin: true, logScale: true, "learning rate η"),
        .number("reg", \.reg, min: 0, max: 100, logScale: true, "L2 regularisation λ of biases and factors"),
        .number("init_std", \.initStd, min: 0, max: 10, "standard deviation of the initial factors"),
        .choice("loss", \.loss, "squared error on the target, or logistic loss on a 0/1 label"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the initial factors and the row order"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let factors: FactorScores
    package let target: String
    package let scoreKind: ScoreKind
    /// For an explicit rating with squared loss: the training ratings' range, to which scores
    /// are clipped (as Surprise clips to its rating scale); nil otherwise.
    package let ratingRange: ClosedRange<Float>?
    /// RMSE (squared) or log loss (logistic) on the training rows.
    package let trainingError: Double

    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> BiasedMF {
        let target = try data.requireTarget(for: kindName)
        let logistic = parameters.loss == .logistic
        if logistic, let bad = target.values.first(where: { $0 < 0 || $0 > 1 }) {
            throw .invalidParameter(name: "loss", reason: "logistic needs a target between 0 and 1, but \(target.name) has \(bad); use loss=squared")
        }
        let n = data.rowCount, k = parameters.factors
        let userCount = data.users.count, itemCount = data.items.count
        let mean = target.values.reduce(0, +) / Double(n)
        let mu = Float(logistic ? log(Swift.min(Swift.max(mean, 1e-6), 1 - 1e-6) / (1 - Swift.min(Swift.max(mean, 1e-6), 1 - 1e-6))) : mean)
        var p = Matrix.gaussian(rows: userCount, columns: k, scale: parameters.initStd, seed: UInt64(parameters.seed))
        var q = Matrix.gaussian(rows: itemCount, columns: k, scale: parameters.initStd, seed: UInt64(parameters.seed) &+ 0x9E37_79B9)
        var bu = [Float](repeating: 0, count: userCount), bi = [Float](repeating: 0, count: itemCount)
        let cells = Self.cells(data, seed: UInt64(parameters.seed))
        let g = strata
        let lr = Float(parameters.learningRate), reg = Float(parameters.reg)
        let values = target.values.map { Float($0) }
        for epoch in 0..<parameters.epochs {
            try context.checkCancelled()
            p.values.withUnsafeMutableBufferPointer { pp in
                q.values.withUnsafeMutableBufferPointer { qp in
                    bu.withUnsafeMutableBufferPointer { bup in
                        bi.withUnsafeMutableBufferPointer { bip in
                            let state = SGDState(p: pp.baseAddress!, q: qp.baseAddress!, bu: bup.baseAddress!, bi: bip.baseAddress!)
                            for s in 0..<g {
                                // Cells (b, b + s mod g) share no user and no item.
                                Parallel.forEach(g) { b in
                                    let cell = cells[b * g + (b + s) % g]
                                    state.run(cell, data.rowUsers, data.rowItems, values, k: k, mu: mu,
                                              lr: lr, reg: reg, logistic: logistic)
                                }
                            }
                        }
                    }
                }
            }
            if !(bu.allSatisfy(\.isFinite) && p.values.allSatisfy(\.isFinite)) {
                throw .numerical("mf diverged in epoch \(epoch + 1) (the factors became infinite); lower lr (now \(HyperValue.format(parameters.learningRate))) or raise reg")
            }
            context.report(Double(epoch + 1) / Double(parameters.epochs), "epoch \(epoch + 1) of \(parameters.epochs)")
        }
        let factors = FactorScores(userFactors: p, itemFactors: q, offset: mu, userOffsets: bu, itemOffsets: bi)
        var error = 0.0
        for r in 0..<n {
            let z = factors.score(user: data.rowUsers[r], item: data.rowItems[r])
            if logistic {
                let pr = Swift.min(Swift.max(1 / (1 + exp(-z)), 1e-15), 1 - 1e-15)
                error -= target.values[r] * log(pr) + (1 - target.values[r]) * log(1 - pr)
            } else {
                error += (target.values[r] - z) * (target.values[r] - z)
            }
        }
        error /= Double(n)
        let explicit = !logistic && target.role == .rating
        return BiasedMF(parameters: parameters, index: InteractionIndex(data), factors: factors, target: target.name,
                        scoreKind: logistic ? .probability : (target.role == .rating ? .rating : .probability),
                        ratingRange: explicit ? Float(target.values.min()!)...Float(target.values.max()!) : nil,
                        trainingError: logistic ? error : error.squareRoot())
    }

    /// Row numbers in each (user block, item block) cell, shuffled by `seed`.
    private static func cells(_ data: TrainingData, seed: UInt64) -> [[Int32]] {
        let g = strata
        var rng = Xoshiro256(seed: seed &+ 0x51_7C_C1_B7)
        var order = Array(0..<Int32(data.rowCount))
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        var cells = [[Int32]](repeating: [], count: g * g)
        for r in order {
            let u = Int(data.rowUsers[Int(r)]) % g, i = Int(data.rowItems[Int(r)]) % g
            cells[u * g + i].append(r)
        }
        return cells
    }

    /// The factors and biases, shared by the threads of one sub-epoch.
    private struct SGDState: @unchecked Sendable {
        // @unchecked Sendable: the cells run at once touch disjoint users and items.
        let p: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>
        let bu: UnsafeMutablePointer<Float>, bi: UnsafeMutablePointer<Float>

        func run(_ rows: [Int32], _ users: [Int32], _ items: [Int32], _ values: [Float], k: Int, mu: Float,
                 lr: Float, reg: Float, logistic: Bool) {
            rows.withUnsafeBufferPointer { rs in
                users.withUnsafeBufferPointer { us in
                    items.withUnsafeBufferPointer { its in
                        values.withUnsafeBufferPointer { vs in
                            for r in rs {
                                let row = Int(r)
                                let u = Int(us[row]), i = Int(its[row])
                                let pu = p + u * k, qi = q + i * k
                                var z = mu + bu[u] + bi[i] + Vector.dot(pu, qi, k)
                                if logistic { z = 1 / (1 + expf(-z)) }
                                let e = vs[row] - z
                                bu[u] += lr * (e - reg * bu[u])
                                bi[i] += lr * (e - reg * bi[i])
                                // p_u and q_i both move from their old values.
                                var j = 0
                                while j < k {
                                    let a = pu[j], b = qi[j]
                                    pu[j] = a + lr * (e * b - reg * a)
                                    qi[j] = b + lr * (e * a - reg * b)
                                    j &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    package func score(user u: Int32, item i: Int32) -> Double {
        let z = factors.score(user: u, item: i)
        if parameters.loss == .logistic { return 1 / (1 + exp(-z)) }
        if let r = ratingRange { return Swift.min(Swift.max(z, Double(r.lowerBound)), Double(r.upperBound)) }
        return z
    }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(user: u, into: scores)
        squash(scores)
    }

    package func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(users: users, into: scores)
        squash(scores)
    }

    package func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(users: users, items: items, into: scores)
        squash(scores)
    }

    /// σ for logistic loss; the rating range for explicit ratings.
    private func squash(_ scores: UnsafeMutableBufferPointer<Float>) {
        if parameters.loss == .logistic {
            for i in 0..<scores.count { scores[i] = 1 / (1 + expf(-scores[i])) }
        } else if let r = ratingRange {
            for i in 0..<scores.count { scores[i] = Swift.min(Swift.max(scores[i], r.lowerBound), r.upperBound) }
        }
    }

    package var similarityName: String { "cosine of the item factors" }

    /// A new user's bias and factors by the same SGD over the history rows (target = the
    /// history's value, 1 for a listen), item factors and biases held fixed.
    package func scores(forHistory history: [ItemScore]) -> [Float] {
        let k = parameters.factors
        var pu = [Float](repeating: 0, count: k)
        var b: Float = 0
        let lr = Float(parameters.learningRate), reg = Float(parameters.reg)
        let q = factors.itemFactors
        for _ in 0..<parameters.epochs {
            for h in history {
                var z = factors.offset + b + (factors.itemOffsets?[h.item] ?? 0)
                for j in 0..<k { z += pu[j] * q[h.item, j] }
                if parameters.loss == .logistic { z = 1 / (1 + expf(-z)) }
                let e = Float(h.score) - z
                b += lr * (e - reg * b)
                for j in 0..<k { pu[j] += lr * (e * q[h.item, j] - reg * pu[j]) }
            }
        }
        var out = [Float](repeating: 0, count: index.items.count)
        out.withUnsafeMutableBufferPointer {
            factors.scoreItems(vector: pu, userOffset: b, into: $0)
            squash($0)
        }
        return out
    }

    package var facts: [(String, SummaryValue)] {
        [("target", .text(target)), ("training rows", .int(index.rowCount)), ("users", .int(index.users.count)),
         ("items", .int(index.items.count)),
         (parameters.loss == .logistic ? "training log loss" : "training rmse", .number(trainingError))]
    }
}
