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
package struct BaselineModel: Recommender {
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

    package let parameters: Parameters
    package let globalMean: Double
    package let userBias: [Double]
    package let itemBias: [Double]
    package let users: IDMap
    package let items: IDMap
    package let seen: SeenItems
    /// Root mean squared error on the training rows.
    package let trainingRMSE: Double
    package let trainingRows: Int

    package var kind: String { "baseline" }

    /// Fits the baseline to the user, item and label roles of `frame`.
    package static func fit(_ frame: DataFrame, parameters: Parameters = Parameters(),
                            cancellation: CancellationFlag? = nil) throws(LearnError) -> BaselineModel {
        guard parameters.regUser >= 0 else { throw .invalidParameter(name: "reg_user", reason: "must be at least 0") }
        guard parameters.regItem >= 0 else { throw .invalidParameter(name: "reg_item", reason: "must be at least 0") }
        guard parameters.epochs >= 1 else { throw .invalidParameter(name: "epochs", reason: "must be at least 1") }
        let (data, users, items) = try Interactions.training(from: frame)
        guard data.count > 0 else { throw .emptyData("the training frame") }
        let n = data.count
        var sum = 0.0
        for r in data.labels {
            guard r.isFinite else {
                throw .invalidParameter(name: "label", reason: "has missing or infinite values; filter them out first")
            }
            sum += r
        }
        let mu = sum / Double(n)
        var bu = [Double](repeating: 0, count: users.count)
        var bi = [Double](repeating: 0, count: items.count)
        var userCount = [Double](repeating: 0, count: users.count)
        var itemCount = [Double](repeating: 0, count: items.count)
        for k in 0..<n {
            userCount[Int(data.users[k])] += 1
            itemCount[Int(data.items[k])] += 1
        }
        var acc = [Double]()
        data.users.withUnsafeBufferPointer { U in
            data.items.withUnsafeBufferPointer { I in
                data.labels.withUnsafeBufferPointer { R in
                    for _ in 0..<parameters.epochs {
                        if cancellation?.isCancelled == true { return }
                        acc = [Double](repeating: 0, count: items.count)
                        for k in 0..<n { acc[Int(I[k])] += R[k] - mu - bu[Int(U[k])] }
                        for i in 0..<items.count { bi[i] = acc[i] / (parameters.regItem + itemCount[i]) }
                        acc = [Double](repeating: 0, count: users.count)
                        for k in 0..<n { acc[Int(U[k])] += R[k] - mu - bi[Int(I[k])] }
                        for u in 0..<users.count { bu[u] = acc[u] / (parameters.regUser + userCount[u]) }
                    }
                }
            }
        }
        if cancellation?.isCancelled == true { throw .cancelled }
        var se = 0.0
        for k in 0..<n {
            let e = data.labels[k] - (mu + bu[Int(data.users[k])] + bi[Int(data.items[k])])
            se += e * e
        }
        return BaselineModel(parameters: parameters, globalMean: mu, userBias: bu, itemBias: bi,
                             users: users, items: items, seen: SeenItems(data, userCount: users.count),
                             trainingRMSE: (se / Double(n)).squareRoot(), trainingRows: n)
    }

    /// μ + b_u + b_i, with 0 for an unknown user or item.
    package func score(user u: Int32, item i: Int32) -> Double {
        globalMean + (u >= 0 ? userBias[Int(u)] : 0) + (i >= 0 ? itemBias[Int(i)] : 0)
    }

    package func predict(_ frame: DataFrame) throws(LearnError) -> [Double] {
        let data = try Interactions.mapped(from: frame, users: users, items: items, labelRequired: false)
        return (0..<data.count).map { score(user: data.users[$0], item: data.items[$0]) }
    }

    package func itemScores(for u: DenseIndex) -> [Double] {
        let b = globalMean + userBias[u.int]
        return itemBias.map { b + $0 }
    }

    package var summary: [(String, SummaryValue)] {
        [("model", .text("baseline (global mean + user and item biases)")),
         ("reg_user", .number(parameters.regUser)), ("reg_item", .number(parameters.regItem)),
         ("epochs", .int(parameters.epochs)),
         ("training rows", .int(trainingRows)), ("users", .int(users.count)), ("items", .int(items.count)),
         ("global mean", .number(globalMean)), ("training rmse", .number(trainingRMSE))]
    }
}
