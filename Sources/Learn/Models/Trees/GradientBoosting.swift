// Gradient boosting of histogram trees on the binary log loss (Friedman 2001; LightGBM's
// leaf-wise trees on binned features, Ke et al. 2017).
//
//   F_0 = log(ȳ / (1 - ȳ))  (the log-odds of the training labels' mean)
//   for t = 1...T:  p_r = σ(F_{t-1}(x_r)),  g_r = p_r - y_r,  h_r = p_r (1 - p_r)
//                   tree_t = a histogram tree grown leaf-wise on (g, h) (HistogramTree.swift:
//                            leaf value -G / (H + λ), gain G_L²/(H_L+λ) + G_R²/(H_R+λ) - G²/(H+λ))
//                   F_t = F_{t-1} + η tree_t
//   P(y = 1 | x) = σ(F_T(x))
// Each tree sees the training rows kept by `subsample` (each row independently, LightGBM's
// bagging) and `colsample` of the columns (drawn per tree, LightGBM's feature_fraction); both
// draws come from a generator seeded by (seed, tree number). A split needs `min_leaf` rows and
// a hessian sum of 1e-3 (LightGBM's min_sum_hessian_in_leaf) on each side.
//
// Early stopping (early_stop = k > 0): a `validation` share of the rows, drawn by the seed, is
// held out; after each tree the validation log loss is measured, and boosting stops once k
// trees in a row have not lowered it; the model keeps the trees up to the best one.
//
// Histograms are built over row chunks in parallel and their integer sums merged, scores and
// gradients are updated rows in parallel, and losses are summed in fixed blocks: a seed gives
// the same model on any number of cores.

import Foundation
import Frame

/// Gradient-boosted trees on the binary log loss.
package struct GradientBoosting: Classifier {
    package struct Parameters: Sendable, Equatable {
        package var trees: Int = 100
        package var learningRate: Double = 0.1
        package var leaves: Int = 31
        package var depth: Int = 0
        package var minLeaf: Int = 20
        package var l2: Double = 0
        package var subsample: Double = 1
        package var colsample: Double = 1
        package var bins: Int = 255
        package var earlyStop: Int = 0
        package var validation: Double = 0.1
        package var seed: Int = 1
        package init() {}
    }

    /// The smallest hessian sum a leaf may keep (LightGBM's min_sum_hessian_in_leaf): a leaf
    /// of rows the model is already sure of would get a huge value -G / H.
    static let minHessian = 1e-3

    package static let kindName = "gbt"
    package static let summary = "gradient-boosted trees on the log loss (LightGBM-style, leaf-wise on binned features)"
    package static let details = [
        "Boosting (Friedman) of regression trees on the binary log loss: starting from the log-odds of the training labels' mean, each tree fits the Newton step of the loss from its gradients and hessians, and is added scaled by lr; P(label = 1) = σ(sum). Trees grow leaf-wise as in LightGBM: the leaf whose best split gains most is split next, up to `leaves` leaves (and `depth`, when set), each side keeping at least `min_leaf` rows; l2 regularises the leaf values.",
        "Features are cut into at most `bins` quantile bins once, before the first tree, and splits are searched on bin histograms (a missing value sorts after every number). subsample keeps each row for a tree with that probability, colsample draws that share of the columns per tree. With early_stop=k, a `validation` share of the rows is held out and boosting stops once k trees have not lowered its log loss, keeping the best number of trees. A seed gives the same model on any number of cores.",
    ]
    package static let examples = [
        "m = fit gbt on train trees=200 lr=0.1 leaves=31",
        "m = fit gbt on train trees=2000 early_stop=20 validation=0.1",
    ]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("trees", \.trees, 1...100_000, "boosting rounds (trees)"),
        .number("lr", \.learningRate, min: 0, max: 1, openMin: true, logScale: true, "learning rate η: the scale of each tree"),
        .integer("leaves", \.leaves, 2...131_072, "the most leaves of a tree"),
        .integer("depth", \.depth, 0...64, "the deepest a tree may grow (0: no limit)"),
        .integer("min_leaf", \.minLeaf, 1...Int(Int32.max), "the fewest training rows a leaf may keep"),
        .number("l2", \.l2, min: 0, "L2 regularisation λ of the leaf values"),
        .number("subsample", \.subsample, min: 0, max: 1, openMin: true, "share of the training rows each tree sees"),
        .number("colsample", \.colsample, min: 0, max: 1, openMin: true, "share of the feature columns each tree sees"),
        .integer("bins", \.bins, 2...FeatureBins.maximumBins, "the most histogram bins of a feature"),
        .integer("early_stop", \.earlyStop, 0...100_000, "stop after this many trees without a better validation log loss (0: off)"),
        .number("validation", \.validation, min: 0, max: 0.5, openMin: true, "share of the rows held out for early stopping"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the bins' sample, the row and column draws and the validation rows"),
    ]
    package static let defaultScaling = FeatureScaling.none
    package static let budgetParameter: String? = "trees"

    package let parameters: Parameters
    /// The bin bounds of the training matrix, which new matrices are binned with.
    package let bins: FeatureBins
    /// F_0, the log-odds of the training labels' mean.
    package let initialScore: Double
    /// The trees, their leaf values already scaled by the learning rate.
    package let trees: [HistogramTree]
    /// The number of trees with the lowest validation log loss, under early stopping.
    package let bestIteration: Int?
    /// Trees built before stopping (more than `trees.count` when early stopping cut some).
    package let treesBuilt: Int
    package let trainingLogLoss: Double
    package let validationLogLoss: Double?
    /// Total gain of the splits on each feature column, over the kept trees.
    package let gains: [Double]

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters p: Parameters,
                            context: FitContext) throws(LearnError) -> GradientBoosting {
        _ = try TreeEnsemble.checkTrainingData(x, labels: labels, kind: kindName)
        let n = x.rows, d = x.columns
        let seed = UInt64(p.seed)
        // Training and validation rows, ascending.
        var trainRows = (0..<Int32(n)).map { $0 }
        var validRows = [Int32]()
        if p.earlyStop > 0 {
            let held = Int((p.validation * Double(n)).rounded())
            guard held >= 1 && held < n else {
                throw .unsupported("early_stop needs rows both to train on and to hold out, but validation=\(HyperValue.format(p.validation)) of \(n) rows holds out \(held); use more rows or another validation share")
            }
            var rng = Xoshiro256(seed: SplitMix64.mix(seed ^ 0x7A11_DA7E))
            for i in stride(from: n - 1, to: 0, by: -1) { trainRows.swapAt(i, rng.below(i + 1)) }
            validRows = trainRows[..<held].sorted()
            trainRows = trainRows[held...].sorted()
        }
        let positives = try TreeEnsemble.checkTrainingData(x, labels: labels, rows: trainRows, kind: kindName)
        let mean = Double(positives) / Double(trainRows.count)
        let f0 = log(mean / (1 - mean))

        let bins = FeatureBins(fitting: x, bins: p.bins, seed: seed)
        let data = TreeData(bins.bin(x), bins: bins)
        var settings = GrowthSettings()
        settings.maxLeaves = p.leaves
        settings.maxDepth = p.depth
        settings.minLeaf = p.minLeaf
        settings.lambda = p.l2
        settings.minHessian = minHessian
        settings.parallel = true
        let grower = TreeGrower(data: data, settings: settings)

        var scores = [Double](repeating: f0, count: n)
        var gq = [Int64](repeating: 0, count: n), hq = [Int64](repeating: 0, count: n)
        let scale = Gradients.scale(rows: trainRows.count)
        var order = [Int32](repeating: 0, count: trainRows.count)
        var trees = [HistogramTree](), treeGains = [[Double]]()
        var best = (loss: Double.infinity, trees: 0)
        let lr = p.learningRate
        for t in 0..<p.trees {
            try context.checkCancelled()
            Self.gradients(scores, labels, scale, &gq, &hq)
            var rng = Xoshiro256(seed: SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(t) &+ 0x6B7_7EE5)))
            var inBag = 0
            if p.subsample < 1 {
                for r in trainRows where rng.uniform() < p.subsample {
                    order[inBag] = r
                    inBag += 1
                }
            } else {
                order = trainRows
                inBag = order.count
            }
            var features = Array(0..<d)
            if p.colsample < 1 {
                let k = max(1, Int((p.colsample * Double(d)).rounded()))
                for i in 0..<k { features.swapAt(i, i + rng.below(d - i)) }
                features = features[..<k].sorted()
            }
            var grown = gq.withUnsafeBufferPointer { g in
                hq.withUnsafeBufferPointer { h in
                    order.withUnsafeMutableBufferPointer { o in
                        grower.grow(order: UnsafeMutableBufferPointer(rebasing: o[..<inBag]),
                                    gradients: Gradients(g: g.baseAddress!, h: h.baseAddress!, scale: scale),
                                    features: features, rng: &rng)
                    }
                }
            }
            for i in grown.tree.leafValues.indices { grown.tree.leafValues[i] *= lr }
            let tree = grown.tree
            // Scores: in-bag rows through the leaves' ranges, the others by walking the tree.
            scores.withUnsafeMutableBufferPointer { s in
                let target = SharedPointer(s.baseAddress!)
                order.withUnsafeBufferPointer { o in
                    // Each leaf's rows are its own.
                    Parallel.forEach(grown.leafRanges.count) { leaf in
                        let v = tree.leafValues[leaf]
                        for i in grown.leafRanges[leaf] { target.base[Int(o[i])] += v }
                    }
                }
                var rest = validRows
                if inBag < trainRows.count {
                    var bagged = [Bool](repeating: false, count: n)
                    for i in 0..<inBag { bagged[Int(order[i])] = true }
                    rest += trainRows.filter { !bagged[Int($0)] }
                }
                // Each row is walked once.
                let chunks = Parallel.chunks(rest.count, minimum: 16_384)
                Parallel.forEach(chunks.count) { c in
                    for i in chunks[c] {
                        let r = Int(rest[i])
                        target.base[r] += tree.leafValues[data.leaf(tree, row: r)]
                    }
                }
            }
            trees.append(tree)
            treeGains.append(grown.gains)
            if p.earlyStop > 0 {
                let loss = TreeEnsemble.sum(validRows.count) { TreeEnsemble.logLoss(labels[Int(validRows[$0])], logOdds: scores[Int(validRows[$0])]) }
                    / Double(validRows.count)
                if loss < best.loss { best = (loss, trees.count) }
                if trees.count - best.trees >= p.earlyStop { break }
            }
            context.report(Double(t + 1) / Double(p.trees), "tree \(t + 1) of \(p.trees)")
        }
        let built = trees.count
        if p.earlyStop > 0 && best.trees < built {
            // Take the dropped trees back out of the training rows' scores.
            for tree in trees[best.trees...] {
                scores.withUnsafeMutableBufferPointer { s in
                    let target = SharedPointer(s.baseAddress!)
                    let chunks = Parallel.chunks(trainRows.count, minimum: 16_384)
                    // Each row is walked once.
                    Parallel.forEach(chunks.count) { c in
                        for i in chunks[c] {
                            let r = Int(trainRows[i])
                            target.base[r] -= tree.leafValues[data.leaf(tree, row: r)]
                        }
                    }
                }
            }
            trees.removeSubrange(best.trees...)
            treeGains.removeSubrange(best.trees...)
        }
        let trainingLoss = TreeEnsemble.sum(trainRows.count) { TreeEnsemble.logLoss(labels[Int(trainRows[$0])], logOdds: scores[Int(trainRows[$0])]) }
            / Double(trainRows.count)
        var gains = [Double](repeating: 0, count: d)
        for g in treeGains { for j in 0..<d { gains[j] += g[j] } }
        return GradientBoosting(parameters: p, bins: bins, initialScore: f0, trees: trees,
                                bestIteration: p.earlyStop > 0 ? best.trees : nil, treesBuilt: built,
                                trainingLogLoss: trainingLoss, validationLogLoss: p.earlyStop > 0 ? best.loss : nil,
                                gains: gains)
    }

    /// g = σ(F) - y and h = σ(F) (1 - σ(F)) of every row, quantised at `scale`, rows in parallel.
    private static func gradients(_ scores: [Double], _ labels: [Float], _ scale: Double,
                                  _ gq: inout [Int64], _ hq: inout [Int64]) {
        let n = scores.count
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { y in
                gq.withUnsafeMutableBufferPointer { gb in
                    hq.withUnsafeMutableBufferPointer { hb in
                        let g = SharedPointer(gb.baseAddress!), h = SharedPointer(hb.baseAddress!)
                        let chunks = Parallel.chunks(n, minimum: 16_384)
                        // Each chunk writes its own rows.
                        Parallel.forEach(chunks.count) { c in
                            for r in chunks[c] {
                                let p = 1 / (1 + exp(-s[r]))
                                g.base[r] = Gradients.quantise(p - Double(y[r]), scale)
                                h.base[r] = Gradients.quantise(p * (1 - p), scale)
                            }
                        }
                    }
                }
            }
        }
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try TreeEnsemble.checkColumns(x, bins, kind: Self.kindName)
        return try TreeEnsemble.scores(bins.bin(x), trees: trees, base: initialScore, context: context)
            .map { 1 / (1 + exp(-$0)) }
    }

    /// The log-odds F(x) of one row of raw feature values, walking the trees on thresholds.
    package func logOdds(raw row: [Float]) -> Double {
        trees.reduce(initialScore) { $0 + $1.value(raw: row) }
    }

    package var facts: [(String, SummaryValue)] {
        var out: [(String, SummaryValue)] = [("trees built", .int(treesBuilt))]
        if let bestIteration { out.append(("best iteration", .int(bestIteration))) }
        out.append(("mean leaves", .number(trees.isEmpty ? 0 : Double(trees.map(\.leafCount).reduce(0, +)) / Double(trees.count))))
        out.append(("training log loss", .number(trainingLogLoss)))
        if let validationLogLoss { out.append(("validation log loss", .number(validationLogLoss))) }
        return out
    }

    package var featureWeights: FeatureWeights? { FeatureWeights(title: "importance (gain)", values: gains) }
}
