// Histogram trees, gradient boosting and the random forest: splits known by hand, the
// subtraction trick against direct histograms, leaf-wise boosting and depth-first forest trees
// against the exhaustive reference (Support/TreeReference.swift), row-parallel growth against
// one thread, every hyperparameter, seeds, degenerate data, constant columns, missing values,
// raw against binned prediction, early stopping and cancellation.

import Foundation
import Testing
import Frame
import Learn

func gbtParameters(_ change: (inout GradientBoosting.Parameters) -> Void = { _ in }) -> GradientBoosting.Parameters {
    var p = GradientBoosting.Parameters()
    change(&p)
    return p
}

func forestParameters(_ change: (inout RandomForest.Parameters) -> Void = { _ in }) -> RandomForest.Parameters {
    var p = RandomForest.Parameters()
    change(&p)
    return p
}

/// `rows` rows of `columns` features, values rounded to quarters (so there are repeats), and
/// a label from a noisy rule on the first three: 1 when x0 + 0.5 x1 - 0.4 x2 x1 + noise > 0.
func treeProblem(seed: UInt64, rows: Int, columns: Int = 4) -> (FeatureMatrix, [Float]) {
    var rng = TestRandom(seed: seed)
    var cols = [[Float]](repeating: [], count: columns)
    var labels = [Float]()
    for _ in 0..<rows {
        let v = (0..<columns).map { _ in Float((rng.normal() * 4).rounded() / 4) }
        for c in 0..<columns { cols[c].append(v[c]) }
        let z = Double(v[0]) + 0.5 * Double(v[1]) - 0.4 * Double(v[2] * v[1]) + rng.normal()
        labels.append(z > 0 ? 1 : 0)
    }
    return (matrix(cols), labels)
}

let noContext = FitContext()

@Suite struct TreeTests {
    // MARK: Known by hand

    /// x = 1...6, y = 0 0 0 1 1 1, one tree of two leaves at lr = 1: F_0 = logit(1/2) = 0,
    /// g = 1/2 - y, h = 1/4; the split 3 | 4 has G_L = 3/2, H_L = 3/4, so w_L = -2, w_R = 2,
    /// and gain (3/2)² / (3/4) · 2 - 0 = 6.
    @Test func aBoostedStumpSplitsWhereTheLabelsChange() throws {
        let x = matrix([[1, 2, 3, 4, 5, 6]])
        let model = try GradientBoosting.fit(x, labels: [0, 0, 0, 1, 1, 1], parameters: gbtParameters {
            $0.trees = 1; $0.learningRate = 1; $0.leaves = 2; $0.minLeaf = 1
        }, context: noContext)
        #expect(model.initialScore == 0)
        #expect(model.trees[0].nodes.count == 1 && model.trees[0].nodes[0].threshold == 3.5)
        #expect(model.trees[0].leafValues == [-2, 2])
        #expect(model.gains == [6])
        let p = try model.probabilities(matrix([[0, 3, 3.6, 100]]), context: noContext)
        let low = 1 / (1 + exp(2.0)), high = 1 / (1 + exp(-2.0))
        #expect(zip(p, [low, low, high, high]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// x = 1...6, y = 0 0 1 0 1 1, one stump on every row: the Gini gains (half the weighted
    /// decrease, Σ_L² / n_L + Σ_R² / n_R - Σ² / n) after 1...5 rows are 0.3, 0.75, 1/6, 0.75,
    /// 0.3; of the two equal best the first (2 | 3) is kept, with shares 0 and 3/4.
    @Test func aForestStumpHoldsTheLabelShares() throws {
        let x = matrix([[1, 2, 3, 4, 5, 6]])
        let model = try RandomForest.fit(x, labels: [0, 0, 1, 0, 1, 1], parameters: forestParameters {
            $0.trees = 1; $0.depth = 1; $0.bootstrap = false; $0.maxFeatures = .all
        }, context: noContext)
        #expect(model.trees[0].nodes.map(\.threshold) == [2.5])
        #expect(model.trees[0].leafValues == [0, 0.75])
        #expect(try model.probabilities(matrix([[1, 4]]), context: noContext) == [0, 0.75])
        #expect(model.featureWeights?.values == [1])
    }

    // MARK: Histograms

    /// The larger child's histogram by subtraction equals the one built from its rows, and
    /// both equal slot sums taken row by row.
    @Test func subtractionEqualsTheDirectHistogram() {
        let (x, _) = treeProblem(seed: 11, rows: 700)
        let bins = FeatureBins(fitting: x, bins: 32)
        let data = TreeData(bins.bin(x), bins: bins)
        let grower = TreeGrower(data: data, settings: GrowthSettings())
        var rng = TestRandom(seed: 12)
        let g = (0..<x.rows).map { _ in Int64(rng.int(2001)) - 1000 }, h = (0..<x.rows).map { _ in Int64(rng.int(500)) }
        let all = (0..<Int32(x.rows)).map { $0 }
        var order = all.filter { data[Int($0), 0] <= 12 } + all.filter { data[Int($0), 0] > 12 }
        let cut = all.filter { data[Int($0), 0] <= 12 }.count
        #expect(cut > 100 && cut < 600)
        func histogram(_ range: Range<Int>) -> [HistogramBin] {
            var out = [HistogramBin](repeating: HistogramBin(), count: data.totalBins)
            g.withUnsafeBufferPointer { gp in
                h.withUnsafeBufferPointer { hp in
                    order.withUnsafeMutableBufferPointer { o in
                        out.withUnsafeMutableBufferPointer {
                            grower.build(o, range, Array(0..<x.columns), Gradients(g: gp.baseAddress!, h: hp.baseAddress!, scale: 1),
                                         into: $0.baseAddress!)
                        }
                    }
                }
            }
            return out
        }
        let parent = histogram(0..<x.rows), left = histogram(0..<cut), right = histogram(cut..<x.rows)
        #expect(zip(parent, left).map { $0 - $1 } == right)
        var naive = [HistogramBin](repeating: HistogramBin(), count: data.totalBins)
        for i in cut..<x.rows {
            let r = Int(order[i])
            for c in 0..<x.columns { naive[data.offsets[c] + Int(data[r, c])] += HistogramBin(g: g[r], h: h[r], n: 1) }
        }
        #expect(naive == right)
    }

    // MARK: Against the exhaustive reference

    /// Boosting with leaf-wise trees equals boosting with the reference's trees: three trees,
    /// each row's log-odds F_0 + Σ lr · w, under several limits.
    @Test(arguments: [(31, 0, 1, 0.0), (6, 0, 3, 0.0), (12, 2, 1, 0.0), (8, 0, 4, 2.5)])
    func leafWiseBoostingEqualsTheReference(_ leaves: Int, _ depth: Int, _ minLeaf: Int, _ l2: Double) throws {
        let (x, labels) = treeProblem(seed: 21, rows: 120, columns: 3)
        let p = gbtParameters {
            $0.trees = 3; $0.learningRate = 0.5; $0.leaves = leaves; $0.depth = depth; $0.minLeaf = minLeaf; $0.l2 = l2; $0.bins = 16
        }
        let model = try GradientBoosting.fit(x, labels: labels, parameters: p, context: noContext)
        let binned = model.bins.bin(x)
        let n = x.rows
        let scale = Gradients.scale(rows: n)
        let mean = Double(labels.reduce(0, +)) / Double(n)
        var f = [Double](repeating: log(mean / (1 - mean)), count: n)
        let limits = ReferenceLimits(maxLeaves: leaves, maxDepth: depth, minLeaf: minLeaf, lambda: l2, minHessian: 1e-3)
        for t in 0..<3 {
            let probs = f.map { 1 / (1 + exp(-$0)) }
            let data = ReferenceData(codes: (0..<n).map { r in (0..<x.columns).map { Int(binned[r, $0]) } },
                                     g: (0..<n).map { Gradients.quantise(probs[$0] - Double(labels[$0]), scale) },
                                     h: (0..<n).map { Gradients.quantise(probs[$0] * (1 - probs[$0]), scale) }, scale: scale)
            let values = data.growLeafWise(Array(0..<n), limits)
            for r in 0..<n {
                let mine = model.trees[t].value(binned, row: r)
                #expect(abs(mine - 0.5 * values[r]!) < 1e-12, "tree \(t) row \(r)")
                f[r] += 0.5 * values[r]!
            }
        }
        #expect(model.trees.map(\.leafCount).max()! <= leaves)
    }

    /// Forest trees (every row, every feature drawn, depth first, sorted small nodes below the
    /// histogram root) split each node at a best exhaustive gain and stop where none is positive.
    @Test(arguments: [(0, 1), (4, 1), (0, 5)])
    func forestTreesMatchTheReference(_ depth: Int, _ minLeaf: Int) throws {
        let (x, labels) = treeProblem(seed: 31, rows: 300, columns: 3)
        let model = try RandomForest.fit(x, labels: labels, parameters: forestParameters {
            $0.trees = 2; $0.depth = depth; $0.minLeaf = minLeaf; $0.bootstrap = false; $0.maxFeatures = .all; $0.bins = 64
        }, context: noContext)
        let binned = model.bins.bin(x)
        let data = ReferenceData(codes: (0..<x.rows).map { r in (0..<x.columns).map { Int(binned[r, $0]) } },
                                 g: labels.map { $0 == 1 ? -1 : 0 }, h: labels.map { _ in 1 }, scale: 1)
        let limits = ReferenceLimits(maxDepth: depth, minLeaf: minLeaf)
        for tree in model.trees {
            #expect(tree.nodes.count > 10)
            #expect(data.verify(tree, Array(0..<x.rows), limits, pureStops: true) == 0)
        }
    }

    /// Histograms and partitions spread over cores give the tree one thread grows.
    @Test func parallelGrowthEqualsOneThread() {
        let (x, labels) = treeProblem(seed: 41, rows: 70_000, columns: 3)
        let bins = FeatureBins(fitting: x, bins: 255)
        let data = TreeData(bins.bin(x), bins: bins)
        let scale = Gradients.scale(rows: x.rows)
        let g = labels.map { Gradients.quantise(0.4 - Double($0), scale) }, h = labels.map { _ in Gradients.quantise(0.24, scale) }
        func grow(parallel: Bool) -> HistogramTree {
            var settings = GrowthSettings()
            settings.maxLeaves = 31
            settings.minLeaf = 20
            settings.parallel = parallel
            var order = (0..<Int32(x.rows)).map { $0 }
            var rng = Xoshiro256(seed: 1)
            return g.withUnsafeBufferPointer { gp in
                h.withUnsafeBufferPointer { hp in
                    order.withUnsafeMutableBufferPointer {
                        TreeGrower(data: data, settings: settings).grow(order: $0, gradients: Gradients(g: gp.baseAddress!, h: hp.baseAddress!, scale: scale),
                                                                        features: [0, 1, 2], rng: &rng).tree
                    }
                }
            }
        }
        let one = grow(parallel: false)
        #expect(one.leafCount == 31)
        #expect(grow(parallel: true) == one)
    }

    // MARK: Hyperparameters and seeds

    @Test func everyBoostingHyperparameterChangesTheModel() throws {
        let (x, labels) = treeProblem(seed: 51, rows: 600)
        let base = gbtParameters { $0.trees = 6; $0.learningRate = 0.3; $0.leaves = 8; $0.minLeaf = 5 }
        let reference = try GradientBoosting.fit(x, labels: labels, parameters: base, context: noContext).probabilities(x, context: noContext)
        let changes: [(String, (inout GradientBoosting.Parameters) -> Void)] = [
            ("trees", { $0.trees = 3 }), ("lr", { $0.learningRate = 0.1 }), ("leaves", { $0.leaves = 4 }),
            ("depth", { $0.depth = 2 }), ("min_leaf", { $0.minLeaf = 40 }), ("l2", { $0.l2 = 10 }),
            ("subsample", { $0.subsample = 0.5 }), ("colsample", { $0.colsample = 0.5 }), ("bins", { $0.bins = 4 }),
            ("early_stop", { $0.earlyStop = 2 }), ("validation", { $0.earlyStop = 50; $0.validation = 0.3 }),
            ("seed", { $0.subsample = 0.5; $0.seed = 2 }),
        ]
        #expect(Set(changes.map(\.0)) == Set(GradientBoosting.hyperparameters.map(\.name)))
        for (name, change) in changes {
            var p = base
            change(&p)
            var q = p
            if name == "validation" { q.validation = 0.1 }
            if name == "seed" { q.seed = 1 }
            let other = name == "validation" || name == "seed" ? try GradientBoosting.fit(x, labels: labels, parameters: q, context: noContext).probabilities(x, context: noContext) : reference
            let changed = try GradientBoosting.fit(x, labels: labels, parameters: p, context: noContext).probabilities(x, context: noContext)
            #expect(changed != other, "\(name)")
        }
    }

    @Test func everyForestHyperparameterChangesTheModel() throws {
        let (x, labels) = treeProblem(seed: 52, rows: 400)
        let base = forestParameters { $0.trees = 5 }
        let reference = try RandomForest.fit(x, labels: labels, parameters: base, context: noContext).probabilities(x, context: noContext)
        let changes: [(String, (inout RandomForest.Parameters) -> Void)] = [
            ("trees", { $0.trees = 3 }), ("depth", { $0.depth = 3 }), ("min_leaf", { $0.minLeaf = 10 }),
            ("max_features", { $0.maxFeatures = .all }), ("bootstrap", { $0.bootstrap = false }), ("bins", { $0.bins = 4 }),
            ("seed", { $0.seed = 2 }),
        ]
        #expect(Set(changes.map(\.0)) == Set(RandomForest.hyperparameters.map(\.name)))
        for (name, change) in changes {
            var p = base
            change(&p)
            #expect(try RandomForest.fit(x, labels: labels, parameters: p, context: noContext).probabilities(x, context: noContext) != reference, "\(name)")
        }
    }

    @Test func theSameSeedGivesTheSameModels() throws {
        let (x, labels) = treeProblem(seed: 61, rows: 500)
        let p = gbtParameters { $0.trees = 8; $0.subsample = 0.7; $0.colsample = 0.5; $0.minLeaf = 3; $0.earlyStop = 3 }
        let a = try GradientBoosting.fit(x, labels: labels, parameters: p, context: noContext)
        let b = try GradientBoosting.fit(x, labels: labels, parameters: p, context: noContext)
        #expect(a.trees == b.trees && a.gains == b.gains && a.trainingLogLoss == b.trainingLogLoss)
        let q = forestParameters { $0.trees = 6; $0.maxFeatures = .log2 }
        let c = try RandomForest.fit(x, labels: labels, parameters: q, context: noContext)
        let d = try RandomForest.fit(x, labels: labels, parameters: q, context: noContext)
        #expect(c.trees == d.trees && c.importances == d.importances)
    }

    @Test func theDeclarationsReadAsDocumented() {
        #expect(GradientBoosting.hyperparameters.map { "\($0.name)=\($0.get(GradientBoosting.defaults))" } == [
            "trees=100", "lr=0.1", "leaves=31", "depth=0", "min_leaf=20", "l2=0", "subsample=1", "colsample=1",
            "bins=255", "early_stop=0", "validation=0.1", "seed=1",
        ])
        #expect(RandomForest.hyperparameters.map { "\($0.name)=\($0.get(RandomForest.defaults))" } == [
            "trees=100", "depth=0", "min_leaf=1", "max_features=sqrt", "bootstrap=true", "bins=255", "seed=1",
        ])
        #expect(GradientBoosting.budgetParameter == "trees" && RandomForest.budgetParameter == "trees")
        #expect(GradientBoosting.defaultScaling == .none && RandomForest.defaultScaling == .none)
        #expect(RandomForest.MaxFeatures.allCases.map { $0.count(of: 13) } == [3, 3, 13])
    }

    // MARK: Degenerate data

    @Test func oneClassIsAnError() {
        let x = matrix([[1, 2, 3]])
        let message = "needs both labels in its training rows, but all 3 have label 1; a classifier cannot learn from one class"
        #expect(throws: LearnError.unsupported("gbt " + message)) {
            try GradientBoosting.fit(x, labels: [1, 1, 1], parameters: gbtParameters(), context: noContext)
        }
        #expect(throws: LearnError.unsupported("forest " + message)) {
            try RandomForest.fit(x, labels: [1, 1, 1], parameters: forestParameters(), context: noContext)
        }
        #expect(throws: LearnError.emptyData("the training matrix")) {
            try GradientBoosting.fit(matrix([[]]), labels: [], parameters: gbtParameters(), context: noContext)
        }
        #expect(throws: LearnError.unsupported("forest needs labels of 0 or 1, but row 2 has 0.5")) {
            try RandomForest.fit(x, labels: [1, 0.5, 0], parameters: forestParameters(), context: noContext)
        }
        #expect(throws: LearnError.self) {
            try GradientBoosting.fit(x, labels: [1, 0, 0], parameters: gbtParameters { $0.earlyStop = 5; $0.validation = 0.1 },
                                     context: noContext)
        }
    }

    /// A constant column has one bin, so it is never split on; when every column is constant,
    /// each tree is one leaf and the probability is the training share of label 1.
    @Test func aConstantColumnIsNeverSplitOn() throws {
        let (x, labels) = treeProblem(seed: 71, rows: 300, columns: 3)
        let constant = matrix([[Float](repeating: 5, count: 300), x.column(0), x.column(1), x.column(2)])
        let gbt = try GradientBoosting.fit(constant, labels: labels, parameters: gbtParameters { $0.trees = 10; $0.minLeaf = 2 }, context: noContext)
        let forest = try RandomForest.fit(constant, labels: labels, parameters: forestParameters { $0.trees = 10; $0.maxFeatures = .all }, context: noContext)
        #expect(!gbt.trees.contains { $0.nodes.contains { $0.feature == 0 } } && gbt.gains[0] == 0 && gbt.gains[1] > 0)
        #expect(!forest.trees.contains { $0.nodes.contains { $0.feature == 0 } } && forest.importances[0] == 0)
        let flat = matrix([[Float](repeating: 5, count: 300)])
        let share = Double(labels.reduce(0, +)) / 300
        let g = try GradientBoosting.fit(flat, labels: labels, parameters: gbtParameters { $0.trees = 3 }, context: noContext)
        #expect(g.trees.allSatisfy { $0.nodes.isEmpty })
        #expect(try g.probabilities(flat, context: noContext).allSatisfy { abs($0 - share) < 1e-12 })
        let f = try RandomForest.fit(flat, labels: labels, parameters: forestParameters { $0.trees = 3; $0.bootstrap = false }, context: noContext)
        #expect(try f.probabilities(flat, context: noContext).allSatisfy { abs($0 - share) < 1e-12 })
        #expect(f.importances == [0])
    }

    /// NaN sorts after every number: it has its own bin past the last, so a split sends it
    /// with the largest values, on binned rows and raw rows alike. Here the labels follow
    /// "missing", so the stump puts every number left (w = -2) and NaN right (w = 2), and a
    /// number beyond the training range still goes left.
    @Test func missingValuesSortAfterEveryNumber() throws {
        let x = matrix([[1, 2, 3, 4, .nan, .nan, .nan, .nan]])
        let labels: [Float] = [0, 0, 0, 0, 1, 1, 1, 1]
        let model = try GradientBoosting.fit(x, labels: labels, parameters: gbtParameters {
            $0.trees = 1; $0.learningRate = 1; $0.leaves = 2; $0.minLeaf = 1
        }, context: noContext)
        #expect(model.bins.upperBounds == [[1.5, 2.5, 3.5, .infinity]])
        #expect(model.trees[0].nodes.map(\.bin) == [3] && model.trees[0].leafValues == [-2, 2])
        #expect(model.logOdds(raw: [.nan]) == 2 && model.logOdds(raw: [1e9]) == -2 && model.logOdds(raw: [-1]) == -2)
        let p = try model.probabilities(matrix([[.nan, 1e9]]), context: noContext)
        #expect(abs(p[0] - 1 / (1 + exp(-2.0))) < 1e-12 && abs(p[1] - 1 / (1 + exp(2.0))) < 1e-12)
        let forest = try RandomForest.fit(x, labels: labels, parameters: forestParameters { $0.trees = 1; $0.bootstrap = false },
                                          context: noContext)
        #expect(forest.probability(raw: [.nan]) == 1 && forest.probability(raw: [7]) == 0)
    }

    /// Probabilities from binned rows equal the trees walked on raw values and thresholds.
    @Test func rawAndBinnedPredictionsAgree() throws {
        var (x, labels) = treeProblem(seed: 81, rows: 400)
        for r in stride(from: 0, to: 400, by: 17) { x[r, r % 4] = .nan }
        let gbt = try GradientBoosting.fit(x, labels: labels, parameters: gbtParameters { $0.trees = 10; $0.minLeaf = 3; $0.bins = 20 }, context: noContext)
        let forest = try RandomForest.fit(x, labels: labels, parameters: forestParameters { $0.trees = 5; $0.bins = 20 }, context: noContext)
        let (y, _) = treeProblem(seed: 82, rows: 200)
        let pg = try gbt.probabilities(y, context: noContext), pf = try forest.probabilities(y, context: noContext)
        for r in 0..<y.rows {
            let row = Array(y.row(r))
            #expect(abs(pg[r] - 1 / (1 + exp(-gbt.logOdds(raw: row)))) < 1e-12)
            #expect(abs(pf[r] - forest.probability(raw: row)) < 1e-12)
        }
    }

    // MARK: Early stopping, facts, cancellation

    /// With a large learning rate the validation loss soon rises: boosting stops `early_stop`
    /// trees after the best and keeps the best number of trees.
    @Test func earlyStoppingKeepsTheBestTrees() throws {
        let (x, labels) = treeProblem(seed: 91, rows: 800)
        let model = try GradientBoosting.fit(x, labels: labels, parameters: gbtParameters {
            $0.trees = 500; $0.learningRate = 1; $0.minLeaf = 1; $0.earlyStop = 4; $0.validation = 0.25
        }, context: noContext)
        let best = try #require(model.bestIteration)
        #expect(model.trees.count == best && model.treesBuilt == best + 4 && model.treesBuilt < 500)
        #expect(model.facts.map(\.0) == ["trees built", "best iteration", "mean leaves", "training log loss", "validation log loss"])
        #expect(model.featureWeights?.values.count == 4)
    }

    @Test func cancellationStopsBothAndProgressCountsTrees() throws {
        let (x, labels) = treeProblem(seed: 92, rows: 200)
        let flag = CancellationFlag()
        flag.cancel()
        let cancelled = FitContext(cancellation: flag)
        #expect(throws: LearnError.cancelled) { try GradientBoosting.fit(x, labels: labels, parameters: gbtParameters(), context: cancelled) }
        #expect(throws: LearnError.cancelled) { try RandomForest.fit(x, labels: labels, parameters: forestParameters(), context: cancelled) }
        let notes = NotesBox()
        _ = try RandomForest.fit(x, labels: labels, parameters: forestParameters { $0.trees = 4 },
                                 context: FitContext(progress: { share, note in notes.add(share, note) }))
        #expect(notes.all.sorted { $0.0 < $1.0 }.map(\.1) == ["tree 1 of 4", "tree 2 of 4", "tree 3 of 4", "tree 4 of 4"])
    }
}

/// Progress notes collected from any thread.
final class NotesBox: @unchecked Sendable {
    // @unchecked Sendable: `notes` is touched under `lock` only.
    private let lock = NSLock()
    private var notes: [(Double, String)] = []
    func add(_ share: Double, _ note: String) { lock.lock(); notes.append((share, note)); lock.unlock() }
    var all: [(Double, String)] { lock.lock(); defer { lock.unlock() }; return notes }
}
