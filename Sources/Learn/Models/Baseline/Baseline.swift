// The baseline predictor: global mean plus regularised user and item biases
// (Koren, "Factor in the neighbors", 2010, section 2.1; Surprise's BaselineOnly with ALS).
//
//   r̂(u,i) = μ + b_u + b_i
//   minimise Σ (r - μ - b_u - b_i)² + λ_u Σ b_u² + λ_i Σ b_i²
//
// by alternating exact minimisations, each bias in closed form given the others:
//   b_i = Σ_{u ∈ R(i)} (r - μ - b_u) / (λ_i + |R(i)|)
//   b_u = Σ_{i ∈ R(u)} (r - μ - b_i) / (λ_u + |R(u)|)
// Each step lowers the objective, so it converges; a few epochs suffice. An unknown user or
// item contributes a bias of 0. Every row counts, so a user who replays a track weighs it more.

import Frame

/// μ + b_u + b_i, fitted by alternating least squares.
package struct BaselineModel: Recommender, FittableModel {
    /// Hyperparameters of the baseline.
    package struct Parameters: Sendable, Equatable {
        /// λ_u: shrinks the biases of users with few rows towards 0.
        package var regUser: Double = 15
        /// λ_i: shrinks the biases of items with few rows towards 0.
        package var regItem: Double = 10
        /// Alternating passes over the data.
        package var epochs: Int = 10
        package init() {}
    }

    package static let kindName = "baseline"
    package static let summary = "global mean plus regularised user and item biases"
    package static let details = [
        "r̂ = μ + b_u + b_i, fitted by alternating least squares on every training row's target (the rating when the schema declares one, else the label), as Surprise's BaselineOnly (Koren 2010). On a 0/1 label the score estimates the probability of a listen; an unknown user or item adds a bias of 0.",
    ]
    package static let examples = ["m = fit baseline on train", "m = fit baseline on train reg_user=5 reg_item=5"]
    package static let input = ModelInput.rows
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .number("reg_user", \.regUser, min: 0, max: 1e6, "shrinkage of user biases towards 0"),
        .number("reg_item", \.regItem, min: 0, max: 1e6, "shrinkage of item biases towards 0"),
        .integer("epochs", \.epochs, 1...1000, "alternating passes over the data"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let globalMean: Double
    package let userBias: [Double]
    package let itemBias: [Double]
    /// What the biases were fitted to.
    package let target: String
    package let scoreKind: ScoreKind
    /// Root mean squared error on the training rows.
    package let trainingRMSE: Double

    /// Fits the baseline to the target of every training row.
    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> BaselineModel {
        let target = try data.requireTarget(for: kindName)
        let n = data.rowCount
        let userCount = data.users.count, itemCount = data.items.count
        let mu = target.values.reduce(0, +) / Double(n)
        var bu = [Double](repeating: 0, count: userCount)
        var bi = [Double](repeating: 0, count: itemCount)
        let userRows = data.rowUsers.reduce(into: [Double](repeating: 0, count: userCount)) { $0[Int($1)] += 1 }
        let itemRows = data.itemRows.map(Double.init)
        // Rows in a fixed number of chunks, summed in chunk order: the same sums on any machine.
        let chunks = Swift.min(accumulationChunks, Swift.max(1, n / minimumChunkRows))
        let ranges = (0..<chunks).map { c in (n * c / chunks)..<(n * (c + 1) / chunks) }
        for _ in 0..<parameters.epochs {
            if context.cancellation?.isCancelled == true { break }
            // b_i from the residuals of the current b_u, then b_u from those of the new b_i.
            let itemSums = residualSums(ranges, slots: data.rowItems, others: data.rowUsers, otherBias: bu,
                                        values: target.values, mean: mu, count: itemCount)
            for i in 0..<itemCount { bi[i] = itemSums[i] / (parameters.regItem + itemRows[i]) }
            let userSums = residualSums(ranges, slots: data.rowUsers, others: data.rowItems, otherBias: bi,
                                        values: target.values, mean: mu, count: userCount)
            for u in 0..<userCount { bu[u] = userSums[u] / (parameters.regUser + userRows[u]) }
        }
        try context.checkCancelled()
        var se = 0.0
        data.rowUsers.withUnsafeBufferPointer { us in
            data.rowItems.withUnsafeBufferPointer { it in
                target.values.withUnsafeBufferPointer { r in
                    for k in 0..<n {
                        let e = r[k] - (mu + bu[Int(us[k])] + bi[Int(it[k])])
                        se += e * e
                    }
                }
            }
        }
        return BaselineModel(parameters: parameters, index: InteractionIndex(data), globalMean: mu,
                             userBias: bu, itemBias: bi, target: target.name,
                             scoreKind: target.role == .rating ? .rating : .probability,
                             trainingRMSE: (se / Double(n)).squareRoot())
    }

    /// Row chunks whose partial sums are added in order (fixed, so results do not depend on cores).
    static let accumulationChunks = 8
    /// Rows per chunk at least: small logs sum in one sequential pass, in row order.
    static let minimumChunkRows = 65_536

    /// Σ over rows of (r - μ - otherBias[other]) into slot `slots[row]`, chunks in parallel,
    /// partial sums added in chunk order.
    private static func residualSums(_ ranges: [Range<Int>], slots: [Int32], others: [Int32], otherBias: [Double],
                                     values: [Double], mean: Double, count: Int) -> [Double] {
        let partials = slots.withUnsafeBufferPointer { s in
            others.withUnsafeBufferPointer { o in
                otherBias.withUnsafeBufferPointer { b in
                    values.withUnsafeBufferPointer { r in
                        Parallel.map(ranges.count) { c -> [Double] in
                            var acc = [Double](repeating: 0, count: count)
                            acc.withUnsafeMutableBufferPointer { a in
                                for k in ranges[c] { a[Int(s[k])] += r[k] - mean - b[Int(o[k])] }
                            }
                            return acc
                        }
                    }
                }
            }
        }
        var total = partials[0]
        total.withUnsafeMutableBufferPointer { t in
            for part in partials.dropFirst() {
                part.withUnsafeBufferPointer { p in for i in 0..<count { t[i] += p[i] } }
            }
        }
        return total
    }

    /// μ + b_u + b_i, with 0 for an unknown user or item.
    package func score(user u: Int32, item i: Int32) -> Double {
        globalMean + (u >= 0 ? userBias[Int(u)] : 0) + (i >= 0 ? itemBias[Int(i)] : 0)
    }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let b = globalMean + userBias[u]
        for i in 0..<itemBias.count { scores[i] = Float(b + itemBias[i]) }
    }

    package var facts: [(String, SummaryValue)] {
        [("target", .text(target)), ("training rows", .int(index.rowCount)), ("users", .int(index.users.count)),
         ("items", .int(index.items.count)), ("global mean", .number(globalMean)),
         ("training rmse", .number(trainingRMSE))]
    }
}
