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
        let index = InteractionIndex(data)
        let userRows = index.userRows.map(Double.init)
        let itemRows = data.itemRows.map(Double.init)
        let rows = ItemOrderedRows(data, values: target.values)
        for _ in 0..<parameters.epochs {
            if context.cancellation?.isCancelled == true { break }
            // b_i from the residuals of the current b_u, then b_u from those of the new b_i.
            let itemSums = rows.itemSums(userBias: bu, mean: mu)
            for i in 0..<itemCount { bi[i] = itemSums[i] / (parameters.regItem + itemRows[i]) }
            let userSums = rows.userSums(itemBias: bi, mean: mu, userCount: userCount)
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
        return BaselineModel(parameters: parameters, index: index, globalMean: mu,
                             userBias: bu, itemBias: bi, target: target.name,
                             scoreKind: target.role == .rating ? .rating : .probability,
                             trainingRMSE: (se / Double(n)).squareRoot())
    }

    /// The training rows ordered by item (an item's rows in row order) with their users and
    /// targets copied into that order, so both passes of an epoch stream through memory: the
    /// item pass sums each item's contiguous rows (b_u is small enough to stay in cache), and
    /// the user pass reads b_i in item order. An item's sum is its rows in row order, as a
    /// sequential pass makes it; user sums add fixed chunks of items in order, so the biases
    /// are the same on any number of cores.
    struct ItemOrderedRows {
        /// Rows of item i are offsets[i]..<offsets[i + 1].
        let offsets: [Int]
        let users: [Int32]
        let values: [Double]
        /// Item ranges whose user sums are computed apart and added in order.
        let chunks: [Range<Int>]

        /// Chunks of items for the user pass; fixed, so sums do not depend on cores.
        static let chunkCount = 8
        /// Rows per chunk at least: small logs sum in one sequential pass.
        static let minimumChunkRows = 65_536

        init(_ data: TrainingData, values rowValues: [Double]) {
            let order = data.rowsByItem
            let items = data.items.count
            var offsets = [Int](repeating: 0, count: items + 1)
            for i in 0..<items { offsets[i + 1] = offsets[i] + Int(data.itemRows[i]) }
            users = Self.gather(data.rowUsers, order)
            values = Self.gather(rowValues, order)
            let n = order.count
            let parts = Swift.min(Self.chunkCount, Swift.max(1, n / Self.minimumChunkRows))
            // Chunk boundaries at item boundaries, near equal row counts.
            var bounds = [0]
            var item = 0
            for c in 1..<parts {
                while item < items && offsets[item] < n * c / parts { item += 1 }
                bounds.append(Swift.max(bounds.last!, item))
            }
            bounds.append(items)
            chunks = (0..<parts).map { bounds[$0]..<bounds[$0 + 1] }
            self.offsets = offsets
        }

        /// `source[order[k]]` for every k, in parallel chunks.
        static func gather<T: BitwiseCopyable>(_ source: [T], _ order: [Int32]) -> [T] {
            [T](unsafeUninitializedCapacity: order.count) { out, initialized in
                let target = SharedPointer(out.baseAddress!)
                source.withUnsafeBufferPointer { s in
                    order.withUnsafeBufferPointer { o in
                        let chunks = Parallel.chunks(o.count)
                        Parallel.forEach(chunks.count) { c in
                            let t = target.base
                            for k in chunks[c] { (t + k).initialize(to: s[Int(o[k])]) }
                        }
                    }
                }
                initialized = order.count
            }
        }

        /// Σ over each item's rows of (r - μ - b_u), items in parallel.
        func itemSums(userBias: [Double], mean: Double) -> [Double] {
            offsets.withUnsafeBufferPointer { off in
                users.withUnsafeBufferPointer { u in
                    values.withUnsafeBufferPointer { r in
                        userBias.withUnsafeBufferPointer { b in
                            Parallel.array(off.count - 1, minimum: 8192) { i in
                                var sum = 0.0
                                for k in off[i]..<off[i + 1] { sum += r[k] - mean - b[Int(u[k])] }
                                return sum
                            }
                        }
                    }
                }
            }
        }

        /// Σ over each user's rows of (r - μ - b_i), item chunks in parallel, added in order.
        func userSums(itemBias: [Double], mean: Double, userCount: Int) -> [Double] {
            let partials = offsets.withUnsafeBufferPointer { off in
                users.withUnsafeBufferPointer { u in
                    values.withUnsafeBufferPointer { r in
                        itemBias.withUnsafeBufferPointer { b in
                            Parallel.map(chunks.count) { c -> [Double] in
                                var acc = [Double](repeating: 0, count: userCount)
                                acc.withUnsafeMutableBufferPointer { a in
                                    for i in chunks[c] {
                                        let bias = b[i]
                                        for k in off[i]..<off[i + 1] { a[Int(u[k])] += r[k] - mean - bias }
                                    }
                                }
                                return acc
                            }
                        }
                    }
                }
            }
            var total = partials[0]
            for part in partials.dropFirst() { for j in 0..<userCount { total[j] += part[j] } }
            return total
        }
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
