// Random forest (Breiman 2001) of histogram trees fitting class proportions, with
// scikit-learn's RandomForestClassifier's choices.
//
// Tree t draws its own generator from (seed, t), so trees can be built in any order on any
// number of cores with the same result. With bootstrap, it draws n rows with replacement and
// weights each row by the times it was drawn (w_r; rows never drawn are left out); without, every
// row has w_r = 1. Its derivatives are g_r = -w_r y_r and h_r = w_r, so a leaf's value
// -G / H = Σ w y / Σ w is the weighted share of label 1 in it, and a split's gain
// (HistogramTree.swift, λ = 0) is half the decrease of weighted Gini impurity (= 2 × the weighted
// variance of the 0/1 label). Nodes split depth first until pure, `depth` (0: no limit), or
// fewer than 2 × `min_leaf` distinct rows; each split draws features without replacement until
// `max_features` of them are not constant in the node (sqrt: ⌊√d⌋, log2: ⌊log2 d⌋, at least 1;
// all: d), as scikit-learn does.
//
//   P(label = 1 | x) = (1 / T) Σ_t leaf share of tree t
//   importance_j = normalise( (1 / T) Σ_t normalise(Σ_{splits of t on j} gain) )
// (scikit-learn's mean decrease in impurity). The difference from scikit-learn: splits are on
// at most `bins` quantile bins per feature, not between every two distinct values.

import Foundation
import Frame

/// A random forest of trees fitting the share of label 1.
package struct RandomForest: Classifier {
    /// How many features each split draws.
    package enum MaxFeatures: String, Sendable, CaseIterable {
        case sqrt, log2, all

        /// The number of features drawn per split among `d`.
        package func count(of d: Int) -> Int {
            switch self {
            case .sqrt: max(1, Int(Double(d).squareRoot()))
            case .log2: max(1, Int(Foundation.log2(Double(d))))
            case .all: d
            }
        }
    }

    package struct Parameters: Sendable, Equatable {
        package var trees: Int = 100
        package var depth: Int = 0
        package var minLeaf: Int = 1
        package var maxFeatures: MaxFeatures = .sqrt
        package var bootstrap: Bool = true
        package var bins: Int = 255
        package var seed: Int = 1
        package init() {}
    }

    package static let kindName = "forest"
    package static let summary = "random forest of trees fitting the share of label 1 (scikit-learn's choices)"
    package static let details = [
        "Breiman's random forest as scikit-learn's RandomForestClassifier builds it: each tree is grown on a bootstrap sample of the rows (bootstrap=true) until its leaves are pure, reach `depth` (0: no limit) or could not keep `min_leaf` rows on each side; each split picks the best of `max_features` features drawn at random (sqrt or log2 of the number of features, or all), by the decrease of Gini impurity. P(label = 1) is the mean over trees of the share of label 1 in the row's leaf.",
        "Features are cut into at most `bins` quantile bins once, and splits are searched on those bins (a missing value sorts after every number). Trees are built in parallel, each from its own generator derived from the seed and its number, so a seed gives the same forest on any number of cores. The importance of a feature is scikit-learn's mean decrease in impurity, normalised to sum to 1.",
    ]
    package static let examples = [
        "m = fit forest on train trees=100",
        "m = fit forest on train trees=300 max_features=log2 min_leaf=5",
    ]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("trees", \.trees, 1...100_000, "trees in the forest"),
        .integer("depth", \.depth, 0...64, "the deepest a tree may grow (0: no limit)"),
        .integer("min_leaf", \.minLeaf, 1...Int(Int32.max), "the fewest distinct training rows a leaf may keep"),
        .choice("max_features", \.maxFeatures, "features drawn per split: sqrt or log2 of their number, or all"),
        .bool("bootstrap", \.bootstrap, "grow each tree on a bootstrap sample of the rows (else on every row)"),
        .integer("bins", \.bins, 2...FeatureBins.maximumBins, "the most histogram bins of a feature"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the bins' sample, the bootstrap samples and the feature draws"),
    ]
    package static let defaultScaling = FeatureScaling.none
    package static let budgetParameter: String? = "trees"

    package let parameters: Parameters
    /// The bin bounds of the training matrix, which new matrices are binned with.
    package let bins: FeatureBins
    package let trees: [HistogramTree]
    /// Mean decrease in impurity per feature column, summing to 1 (all 0 when no tree split).
    package let importances: [Double]

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters p: Parameters,
                            context: FitContext) throws(LearnError) -> RandomForest {
        _ = try TreeEnsemble.checkTrainingData(x, labels: labels, kind: kindName)
        let d = x.columns
        let bins = FeatureBins(fitting: x, bins: p.bins, seed: UInt64(p.seed))
        let data = TreeData(bins.bin(x), bins: bins)
        var settings = GrowthSettings()
        settings.maxDepth = p.depth
        settings.minLeaf = p.minLeaf
        settings.featuresPerSplit = p.maxFeatures.count(of: d)
        let counter = TreeCounter()
        let grown: [(tree: HistogramTree, gains: [Double])?] = Parallel.map(p.trees) { t in
            if context.cancellation?.isCancelled == true { return nil }
            let result = Self.grow(tree: t, data: data, labels: labels, settings: settings, parameters: p)
            let done = counter.finish()
            context.report(Double(done) / Double(p.trees), "tree \(done) of \(p.trees)")
            return result
        }
        var trees = [HistogramTree](), importances = [Double](repeating: 0, count: d)
        for g in grown {
            guard let g else { throw .cancelled }
            trees.append(g.tree)
            let total = g.gains.reduce(0, +)
            if total > 0 { for j in 0..<d { importances[j] += g.gains[j] / total } }
        }
        let total = importances.reduce(0, +)
        if total > 0 { importances = importances.map { $0 / total } }
        return RandomForest(parameters: p, bins: bins, trees: trees, importances: importances)
    }

    /// The generator of tree t: its own stream, fixed by (seed, t).
    static func generator(seed: Int, tree t: Int) -> Xoshiro256 {
        Xoshiro256(seed: SplitMix64.mix(UInt64(seed) ^ SplitMix64.mix(UInt64(t) &+ 0xF0_2E57)))
    }

    /// Grows tree t on its bootstrap sample (or on every row), one thread.
    private static func grow(tree t: Int, data: TreeData, labels: [Float], settings: GrowthSettings,
                             parameters p: Parameters) -> (tree: HistogramTree, gains: [Double]) {
        let n = data.rows
        var rng = generator(seed: p.seed, tree: t)
        var weights = [Int64](repeating: p.bootstrap ? 0 : 1, count: n)
        if p.bootstrap { for _ in 0..<n { weights[rng.below(n)] += 1 } }
        var order = [Int32]()
        order.reserveCapacity(n)
        var g = [Int64](repeating: 0, count: n)
        for r in 0..<n where weights[r] > 0 {
            order.append(Int32(r))
            g[r] = labels[r] == 1 ? -weights[r] : 0
        }
        let grower = TreeGrower(data: data, settings: settings)
        let grown = g.withUnsafeBufferPointer { gp in
            weights.withUnsafeBufferPointer { hp in
                order.withUnsafeMutableBufferPointer { o in
                    grower.grow(order: o, gradients: Gradients(g: gp.baseAddress!, h: hp.baseAddress!, scale: 1),
                                features: Array(0..<data.columns), rng: &rng)
                }
            }
        }
        return (grown.tree, grown.gains)
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try TreeEnsemble.checkColumns(x, bins, kind: Self.kindName)
        let count = Double(trees.count)
        return try TreeEnsemble.scores(bins.bin(x), trees: trees, base: 0, context: context).map { $0 / count }
    }

    /// P(label = 1) of one row of raw feature values, walking the trees on thresholds.
    package func probability(raw row: [Float]) -> Double {
        trees.reduce(0) { $0 + $1.value(raw: row) } / Double(trees.count)
    }

    package var facts: [(String, SummaryValue)] {
        let leaves = trees.map(\.leafCount).reduce(0, +), depth = trees.map(\.depth).max() ?? 0
        return [("trees built", .int(trees.count)),
                ("mean leaves", .number(Double(leaves) / Double(max(1, trees.count)))),
                ("deepest tree", .int(depth))]
    }

    package var featureWeights: FeatureWeights? { FeatureWeights(title: "importance (mean decrease in impurity)", values: importances) }
}
