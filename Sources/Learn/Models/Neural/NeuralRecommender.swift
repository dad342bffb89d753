// NeuralRecommender: the deep-learning recommender of the original Keras script
// (keras_deepLearning.py), trained by the Neural module. Each training row is one example:
//
//   user id ─ embedding(embed) ─┐
//   item id ─ embedding(embed) ─┼─ concatenate ─ [dense(h_1) ─ activation ─ dropout] ...
//   side features (features=) ──┘     ... ─ dense(h_last) ─ batchnorm ─ dense(1) ─ output
//
// Every hidden layer but the last is dense → activation → dropout; the last hidden layer is
// dense → batch normalisation (batchnorm=true), with no activation unless last_activation=true
// (the original: Dense(400) + ReLU + Dropout(0.5), Dense(100) + BatchNormalization, Dense(1)).
// With a 0/1 label the output is a logit and the loss binary cross-entropy from logits
// (stable at any score; the original passed sigmoid outputs to it); with a rating, the output
// is the rating and the loss the squared error.
//
// Training: a share `validation` of the rows is held out (drawn by the seed; Keras's
// validation_split takes the last rows instead). Each epoch shuffles the other rows and takes
// them in mini-batches of `batch` rows (the last one shorter), one optimiser step each. After
// each epoch the training rows' loss and metrics (from the training passes, dropout on, as
// Keras reports them) and the validation rows' (inference mode) are recorded. Early stopping
// (early_stop = patience > 0) stops when the monitored loss (val_loss, or loss without
// validation rows) has not improved for that many epochs and keeps the best epoch's weights;
// without it the last epoch's weights are kept. Ctrl-C ends training after the current batch
// and keeps the best epoch so far. The seed fixes the initial weights, the held-out rows, the
// order of rows and the dropout masks; products run on one OpenBLAS thread (Neural's
// Kernels.swift), so a seed gives the same weights run after run, on any core count.
//
// Scoring: ids the model never saw get a zero embedding (the model's score for an average
// newcomer); side features, for `recommend` and `similar`, are set to their training means
// (the average context), since a user-item pair alone does not say them.

import Foundation
import Frame
import Neural

/// A neural recommender: user and item embeddings into a dense network.
package struct NeuralRecommender: FittableModel, Recommender, ItemSimilarity {
    package struct Parameters: Sendable, Equatable {
        package var embed = 10
        package var hidden = [400, 100]
        package var hidden1 = 0
        package var hidden2 = 0
        package var activation = ActivationKind.relu
        package var lastActivation = false
        package var dropout = 0.5
        package var batchnorm = true
        package var optimizer = OptimizerKind.sgd
        package var learningRate = 0.08
        package var momentum = 0.9
        package var nesterov = false
        package var weightDecay = 0.004
        package var epochs = 50
        package var batch = 128
        package var validation = 0.2
        package var earlyStop = 0
        package var seed = 1
        package init() {}

        /// The hidden widths after hidden1 and hidden2.
        package var widths: [Int] {
            var w = hidden
            if hidden1 > 0 { if w.isEmpty { w = [hidden1] } else { w[0] = hidden1 } }
            if hidden2 > 0 { if w.count < 2 { w.append(hidden2) } else { w[1] = hidden2 } }
            return w
        }
    }

    package static let kindName = "neural"
    package static let summary = "deep-learning recommender: user and item embeddings through dense layers, trained by SGD or Adam"
    package static let details = [
        "User and item embeddings of embed values each (plus side features from features=[...], preprocessed as the classifiers' are) are concatenated and passed through dense layers: every hidden layer but the last is dense, activation, dropout; the last is dense then batch normalisation (batchnorm=true), without activation unless last_activation=true; then one output. The defaults reproduce the original Keras script: embed=10, hidden=[400, 100], relu, dropout 0.5, SGD with lr=0.08 and momentum 0.9, batch 128, 50 epochs.",
        "With a 0/1 label the output is a logit: the loss is binary cross-entropy computed from the logit, finite at any score (the original script passed probabilities to a loss that expected logits), and scores are probabilities. With a rating the loss is the squared error and scores are ratings.",
        "A share validation= of the rows (drawn by the seed) is held out; after each epoch the loss, AUC, accuracy, precision and recall (0.5 threshold) on the training rows (from the training passes, dropout on, as Keras reports them) and on the held-out rows are recorded: m.history holds them and plot history m draws them. early_stop=N stops when val_loss (loss without held-out rows) has not improved for N epochs and keeps the best epoch's weights; otherwise the last epoch's are kept. Ctrl-C ends training after the current batch and keeps the best epoch so far.",
        "Embedding tables get sparse updates: a step changes only the rows of the batch's users and items. With SGD a row's momentum catches up on the steps it missed when it is next touched (and before each evaluation), which gives the weights of dense momentum at sparse cost; Adam's moments change in touched rows only (lazy Adam). optimizer=adamw decays weights by lr × weight_decay each step. The seed fixes the initial weights (Glorot-uniform kernels, embeddings uniform on ±0.05), the held-out rows, the order of rows and the dropout masks: the same seed gives the same model.",
        "Users or items absent from training get a zero embedding (the score of an average newcomer). recommend and similar score items with the side features at their training means; similar ranks items by the cosine of their embeddings. Ranking metrics score every item for every user through the network: evaluate includes them by default only while that is under about 10^12 multiply-adds (ask for them by name beyond).",
    ]
    package static let examples = [
        "m = fit neural on train epochs=10",
        "m = fit neural on train embed=50 hidden=[256, 64] optimizer=adam lr=0.001 batch=1024 early_stop=5",
        "m = fit neural on train features=[user_age, context_type] epochs=5",
    ]
    package static let input = ModelInput.rows
    package static let acceptsSideFeatures = true
    package static let budgetParameter: String? = "epochs"
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("embed", \.embed, 1...1024, "values in each user and item embedding"),
        .integers("hidden", \.hidden, 1...8192, count: 1...8, "units of each hidden dense layer"),
        .integer("hidden1", \.hidden1, 0...8192, "units of the first hidden layer, overriding hidden[0] (0: as hidden)"),
        .integer("hidden2", \.hidden2, 0...8192, "units of the second hidden layer, overriding hidden[1] (0: as hidden)"),
        .choice("activation", \.activation, "activation of the hidden layers"),
        .bool("last_activation", \.lastActivation, "apply the activation to the last hidden layer too"),
        .number("dropout", \.dropout, min: 0, max: 0.95, "share of units dropped after each hidden layer but the last"),
        .bool("batchnorm", \.batchnorm, "batch normalisation after the last hidden layer"),
        .choice("optimizer", \.optimizer, "the update rule: SGD with momentum, Adam or AdamW"),
        .number("lr", \.learningRate, min: 0, max: 10, openMin: true, logScale: true, "learning rate"),
        .number("momentum", \.momentum, min: 0, max: 0.999, "SGD's momentum"),
        .bool("nesterov", \.nesterov, "Nesterov momentum (SGD)"),
        .number("weight_decay", \.weightDecay, min: 0, max: 1, "AdamW's decoupled weight decay"),
        .integer("epochs", \.epochs, 1...10_000, "most passes over the training rows"),
        .integer("batch", \.batch, 1...1_000_000, "rows per mini-batch"),
        .number("validation", \.validation, min: 0, max: 0.9, "share of rows held out to measure each epoch (0: none)"),
        .integer("early_stop", \.earlyStop, 0...10_000, "stop after this many epochs without improvement of val_loss (0: never)"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the weights, held-out rows, row order and dropout"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let scoreKind: ScoreKind
    /// The trained network.
    let network: EmbeddingNetwork
    /// The preprocessing of the side features, and their training means (encoded).
    let features: FeaturePipeline?
    package var sideFeatures: FeaturePipeline? { features }
    let featureMeans: [Float]
    package let history: TrainingHistory?
    let trainingRows: Int
    let heldOutRows: Int
    let fitSeconds: Double

    // MARK: - Fitting

    package static func fit(_ data: TrainingData, parameters p: Parameters, context: FitContext) throws(LearnError) -> NeuralRecommender {
        let target = try data.requireTarget(for: kindName)
        let loss: Loss = target.role == .rating ? .meanSquaredError : .binaryCrossEntropy
        let y = target.values.map(Float.init)
        if loss == .binaryCrossEntropy {
            if let bad = target.values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw .invalidParameter(name: "target", reason: "'\(target.name)' must be 0 or 1 in every row for neural's cross-entropy, but row \(bad + 1) holds \(HyperValue.format(target.values[bad])); declare it as rating= for the squared loss")
            }
            try BinaryTarget.requireBothClasses(y, target.name)
        }
        if let side = data.sideFeatures {
            precondition(side.matrix.rows == data.rowCount, "one feature row per training row")
            if let c = side.matrix.values.firstIndex(where: { !$0.isFinite }) {
                throw .invalidParameter(name: "features", reason: "feature \(side.matrix.names[c % side.matrix.columns]) is not a finite number in row \(c / side.matrix.columns + 1)")
            }
        }

        // Held-out rows, drawn by the seed; the generator then draws the weights, the dropout
        // seeds and each epoch's order.
        var rng = Xoshiro256(seed: UInt64(p.seed))
        let n = data.rowCount
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        let held = Int((p.validation * Double(n)).rounded())
        let validationRows = Array(order.prefix(held)).sorted()
        var trainRows = Array(order.dropFirst(held)).sorted()
        guard !trainRows.isEmpty else {
            throw .invalidParameter(name: "validation", reason: "holds out every one of the \(n) rows; lower it")
        }
        if p.validation > 0 && validationRows.isEmpty {
            throw .invalidParameter(name: "validation", reason: "\(HyperValue.format(p.validation)) of \(n) rows rounds to none; raise it or use validation=0")
        }
        guard p.batch <= trainRows.count else {
            throw .invalidParameter(name: "batch", reason: "\(p.batch) is more than the \(trainRows.count) training rows\(held > 0 ? " left after holding out \(held)" : ""); use batch=\(min(128, trainRows.count)) or fewer")
        }

        let denseWidth = data.sideFeatures?.matrix.columns ?? 0
        let network = build(p, users: data.users.count, items: data.items.count, denseWidth: denseWidth, rng: &rng)
        let optimizer = Optimizer(OptimizerSettings(kind: p.optimizer, learningRate: Float(p.learningRate), momentum: Float(p.momentum),
                                                    nesterov: p.nesterov, weightDecay: Float(p.weightDecay)))
        let params = network.parameters

        let binary = loss == .binaryCrossEntropy
        let metricNames = binary ? ["loss", "auc", "accuracy", "precision", "recall"] : ["loss", "rmse", "mae"]
        let hasValidation = !validationRows.isEmpty
        var history = TrainingHistory(names: metricNames + (hasValidation ? metricNames.map { "val_" + $0 } : []),
                                      monitor: hasValidation ? "val_loss" : "loss")
        let side = data.sideFeatures?.matrix.values ?? []

        // Buffers of one batch.
        let b = p.batch
        var bu = [Int32](repeating: 0, count: b), bi = [Int32](repeating: 0, count: b), by = [Float](repeating: 0, count: b)
        var bx = [Float](repeating: 0, count: max(1, b * denseWidth))
        let gradient = Tensor(rows: 0, columns: 1)
        var trainScores = [Double](repeating: 0, count: trainRows.count)
        var trainTargets = [Double](repeating: 0, count: trainRows.count)

        var best = Double.infinity, bestWeights: [[Float]]? = nil, sinceBest = 0
        var interrupted = false
        let clock = ContinuousClock()
        let started = clock.now
        let batches = (trainRows.count + b - 1) / b
        epochs: for epoch in 1...p.epochs {
            let epochStart = clock.now
            for i in stride(from: trainRows.count - 1, to: 0, by: -1) { trainRows.swapAt(i, rng.below(i + 1)) }
            var lossSum = 0.0
            for k in 0..<batches {
                if k % 64 == 0 {
                    if context.cancellation?.isCancelled == true { interrupted = true; break epochs }
                    context.report((Double(epoch - 1) + Double(k) / Double(batches)) / Double(p.epochs),
                                   "epoch \(epoch) of \(p.epochs)" + (history.rows.last.map { ", loss \(String(format: "%.4f", $0[0]))" } ?? ""))
                }
                let lo = k * b, hi = min(trainRows.count, lo + b), m = hi - lo
                for j in 0..<m {
                    let r = trainRows[lo + j]
                    bu[j] = data.rowUsers[r]
                    bi[j] = data.rowItems[r]
                    by[j] = y[r]
                    if denseWidth > 0 {
                        for c in 0..<denseWidth { bx[j * denseWidth + c] = side[r * denseWidth + c] }
                    }
                }
                let batchLoss: Double = bu.withUnsafeBufferPointer { u in
                    bi.withUnsafeBufferPointer { it in
                        bx.withUnsafeBufferPointer { x in
                            by.withUnsafeBufferPointer { t in
                                let out = network.forward(ids: [UnsafeBufferPointer(rebasing: u[0..<m]), UnsafeBufferPointer(rebasing: it[0..<m])],
                                                          dense: denseWidth > 0 ? x.baseAddress : nil, rows: m)
                                let l = loss.evaluate(out, targets: t.baseAddress!, gradient: gradient)
                                for j in 0..<m {
                                    trainScores[lo + j] = binary ? Double(ActivationKind.sigmoid(out.data[j])) : Double(out.data[j])
                                    trainTargets[lo + j] = Double(t[j])
                                }
                                network.backward(gradient)
                                return l
                            }
                        }
                    }
                }
                guard batchLoss.isFinite else {
                    throw .numerical("training diverged in epoch \(epoch) (the loss of batch \(k + 1) is \(batchLoss)); lower lr (now \(HyperValue.format(p.learningRate)))")
                }
                optimizer.step(params)
                lossSum += batchLoss * Double(m)
            }
            // The embeddings' pending momentum, before the weights are read.
            optimizer.flush(params)
            // The epoch's measurements.
            var row = measure(scores: trainScores, targets: trainTargets, binary: binary)
            row[0] = lossSum / Double(trainRows.count)
            if hasValidation {
                let (scores, logits) = predictRows(network, data: data, rows: validationRows, binary: binary, side: side, denseWidth: denseWidth)
                let targets = validationRows.map { Double(y[$0]) }
                var v = measure(scores: scores, targets: targets, binary: binary)
                v[0] = zip(logits, targets).reduce(0.0) { $0 + loss.value($1.0, Float($1.1)) } / Double(targets.count)
                row += v
            }
            history.rows.append(row)
            history.seconds.append(seconds(clock.now - epochStart))
            if epoch == 1 { context.show([history.lineHeader]) }
            context.show([history.line(epoch: epoch)])
            let monitored = row[hasValidation ? metricNames.count : 0]
            if monitored < best {
                best = monitored
                history.bestEpoch = epoch
                sinceBest = 0
                if p.earlyStop > 0 || epoch < p.epochs { bestWeights = network.snapshot() }
            } else {
                sinceBest += 1
            }
            context.report(Double(epoch) / Double(p.epochs), "epoch \(epoch) of \(p.epochs), loss \(String(format: "%.4f", row[0]))")
            if p.earlyStop > 0 && sinceBest >= p.earlyStop {
                history.stopReason = "early stop after epoch \(epoch): \(history.monitor) has not improved for \(p.earlyStop) epoch\(p.earlyStop == 1 ? "" : "s")"
                break
            }
        }
        if history.rows.isEmpty { throw .cancelled }
        if interrupted {
            history.interrupted = true
            history.stopReason = "interrupted after \(history.epochs) epoch\(history.epochs == 1 ? "" : "s")"
        } else if history.stopReason.isEmpty {
            history.stopReason = "ran \(history.epochs) epoch\(history.epochs == 1 ? "" : "s")"
        }
        // Early stopping and interruption keep the best epoch's weights.
        // (An interrupted epoch's partial updates are dropped too.)
        if let w = bestWeights, interrupted || (p.earlyStop > 0 && history.bestEpoch != history.epochs) {
            network.restore(w)
            history.keptBest = true
        }
        var means = [Float](repeating: 0, count: denseWidth)
        if denseWidth > 0 {
            var sums = [Double](repeating: 0, count: denseWidth)
            for r in 0..<n { for c in 0..<denseWidth { sums[c] += Double(side[r * denseWidth + c]) } }
            means = sums.map { Float($0 / Double(n)) }
        }
        return NeuralRecommender(parameters: p, index: InteractionIndex(data), scoreKind: binary ? .probability : .rating,
                                 network: network, features: data.sideFeatures?.pipeline, featureMeans: means,
                                 history: history, trainingRows: trainRows.count, heldOutRows: validationRows.count,
                                 fitSeconds: seconds(clock.now - started))
    }

    /// The network of a setting, with weights drawn from `rng`.
    static func build(_ p: Parameters, users: Int, items: Int, denseWidth: Int, rng: inout Xoshiro256) -> EmbeddingNetwork {
        let userEmbedding = Embedding(count: max(users, 1), width: p.embed, name: "user_embedding", rng: &rng)
        let itemEmbedding = Embedding(count: max(items, 1), width: p.embed, name: "item_embedding", rng: &rng)
        var layers: [any Layer] = []
        var width = 2 * p.embed + denseWidth
        let widths = p.widths
        for (l, h) in widths.enumerated() {
            layers.append(Dense(width, h, name: "dense_\(l + 1)", rng: &rng))
            width = h
            if l < widths.count - 1 {
                layers.append(ActivationLayer(p.activation, width: h))
                if p.dropout > 0 { layers.append(Dropout(rate: Float(p.dropout), width: h, seed: rng.next())) }
            } else {
                if p.batchnorm { layers.append(BatchNorm(width: h, name: "batchnorm")) }
                if p.lastActivation { layers.append(ActivationLayer(p.activation, width: h)) }
            }
        }
        layers.append(Dense(width, 1, name: "output", rng: &rng))
        return EmbeddingNetwork(embeddings: [userEmbedding, itemEmbedding], denseWidth: denseWidth, body: Sequential(layers))
    }

    /// Loss-free measurements: [placeholder loss, auc, accuracy, precision, recall] or
    /// [placeholder loss, rmse, mae].
    static func measure(scores: [Double], targets: [Double], binary: Bool) -> [Double] {
        if binary {
            let auc = (try? Metrics.auc(scores: scores, labels: targets)) ?? .nan
            let c = Metrics.confusion(scores: scores, labels: targets)
            let (tp, fp, fn) = (Double(c.truePositives), Double(c.falsePositives), Double(c.falseNegatives))
            let total = Double(max(1, scores.count))
            return [0, auc, (tp + Double(c.trueNegatives)) / total, tp + fp > 0 ? tp / (tp + fp) : 0, tp + fn > 0 ? tp / (tp + fn) : 0]
        }
        return [0, (try? Metrics.rmse(scores: scores, labels: targets)) ?? .nan, (try? Metrics.mae(scores: scores, labels: targets)) ?? .nan]
    }

    /// Scores and raw outputs of training rows `rows`, inference mode, in blocks.
    static func predictRows(_ network: EmbeddingNetwork, data: TrainingData, rows: [Int], binary: Bool,
                            side: [Float], denseWidth: Int) -> (scores: [Double], outputs: [Float]) {
        let users = rows.map { data.rowUsers[$0] }, items = rows.map { data.rowItems[$0] }
        var x: [Float] = []
        if denseWidth > 0 {
            x.reserveCapacity(rows.count * denseWidth)
            for r in rows { x += side[(r * denseWidth)..<((r + 1) * denseWidth)] }
        }
        let outputs = infer(network, users: users, items: items, dense: x, denseWidth: denseWidth)
        return (outputs.map { binary ? Double(ActivationKind.sigmoid($0)) : Double($0) }, outputs)
    }

    /// Rows scored per block at inference: large enough for efficient products on every core.
    static let block = 8192

    /// Raw outputs (logits or ratings) of the pairs (users[i], items[i]) with dense rows `dense`.
    static func infer(_ network: EmbeddingNetwork, users: [Int32], items: [Int32], dense: [Float], denseWidth: Int) -> [Float] {
        var out = [Float](repeating: 0, count: users.count)
        users.withUnsafeBufferPointer { u in
            items.withUnsafeBufferPointer { it in
                dense.withUnsafeBufferPointer { x in
                    let buffers = InferenceBuffers()
                    var lo = 0
                    while lo < users.count {
                        let hi = min(users.count, lo + block)
                        let t = network.infer(ids: [UnsafeBufferPointer(rebasing: u[lo..<hi]), UnsafeBufferPointer(rebasing: it[lo..<hi])],
                                              dense: denseWidth > 0 ? x.baseAddress! + lo * denseWidth : nil, rows: hi - lo,
                                              buffers: buffers)
                        for j in 0..<(hi - lo) { out[lo + j] = t.data[j] }
                        lo = hi
                    }
                }
            }
        }
        return out
    }

    // MARK: - Scoring

    package var facts: [(String, SummaryValue)] {
        var f: [(String, SummaryValue)] = [
            ("training rows", .int(trainingRows)),
            ("held-out rows", .int(heldOutRows)),
            ("users", .int(index.users.count)),
            ("items", .int(index.items.count)),
            ("network", .text(architecture)),
            ("weights", .int(network.parameters.reduce(0) { $0 + $1.count })),
        ]
        if let h = history {
            f.append(("epochs run", .int(h.epochs)))
            if let best = h.bestEpoch { f.append(("best epoch", .text("\(best) (\(h.monitor) \(String(format: "%.4f", h.value(h.monitor, epoch: best) ?? .nan)))"))) }
            f.append(("stopped", .text(h.stopReason + (h.keptBest ? "; weights of the best epoch kept" : ""))))
        }
        return f
    }

    /// "embed(10) x 2 | dense(400) relu dropout(0.5) | dense(100) batchnorm | dense(1)".
    package var architecture: String {
        var parts = ["embed(\(parameters.embed)) x 2" + (network.denseWidth > 0 ? " + \(network.denseWidth) features" : "")]
        var current: [String] = []
        for l in network.body.layers {
            if l is Dense, !current.isEmpty { parts.append(current.joined(separator: " ")); current = [] }
            current.append(l.description)
        }
        if !current.isEmpty { parts.append(current.joined(separator: " ")) }
        return parts.joined(separator: " | ")
    }

    private func outputScore(_ z: Float) -> Double {
        scoreKind == .probability ? Double(ActivationKind.sigmoid(z)) : Double(z)
    }

    /// The feature rows of `count` pairs scored without a context: the training means.
    private func meanFeatures(_ count: Int) -> [Float] {
        guard !featureMeans.isEmpty else { return [] }
        var x = [Float](); x.reserveCapacity(count * featureMeans.count)
        for _ in 0..<count { x += featureMeans }
        return x
    }

    package func predict(_ frame: DataFrame) throws(LearnError) -> [Double] {
        let data = try ScoringData(frame, users: index.users, items: index.items)
        var dense: [Float] = []
        if let features {
            dense = try features.transform(frame).values
        }
        return Self.infer(network, users: data.users, items: data.items, dense: dense, denseWidth: network.denseWidth)
            .map(outputScore)
    }

    package func score(user u: Int32, item i: Int32) -> Double {
        outputScore(Self.infer(network, users: [u], items: [i], dense: meanFeatures(1), denseWidth: network.denseWidth)[0])
    }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        scoreItems(users: [u], items: 0..<index.items.count, into: scores)
    }

    package var batchScoring: Bool { true }

    package func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>) {
        scoreItems(users: users, items: 0..<index.items.count, into: scores)
    }

    package func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        let w = items.count
        guard w > 0 else { return }
        let itemIDs = items.map { Int32($0) }
        for (r, u) in users.enumerated() {
            let out = Self.infer(network, users: [Int32](repeating: Int32(u), count: w), items: itemIDs,
                                 dense: meanFeatures(w), denseWidth: network.denseWidth)
            for j in 0..<w { scores[r * w + j] = scoreKind == .probability ? ActivationKind.sigmoid(out[j]) : out[j] }
        }
    }

    /// Multiply-adds of scoring every item for every user (the ranking metrics' work).
    package var rankingWork: Double {
        let perPair = network.body.layers.compactMap { $0 as? Dense }.reduce(0) { $0 + $1.inputWidth * $1.outputWidth }
        return Double(index.users.count) * Double(index.items.count) * Double(perPair)
    }

    /// Work the default metrics of `evaluate` allow: about a minute at 40 GFLOP/s.
    package static let affordableRankingWork = 1.2e12

    package var similarityName: String { "cosine of item embeddings" }

    package func similarItems(to i: Int, top: Int) -> [ItemScore] {
        let table = network.embeddings[1].table, d = table.columns
        let count = index.items.count
        func norm(_ r: Int) -> Float { Vector.dot(table.value + r * d, table.value + r * d, d).squareRoot() }
        let ni = norm(i)
        var scored: [ItemScore] = []
        scored.reserveCapacity(count)
        for j in 0..<count where j != i {
            let nj = norm(j)
            let c = ni > 0 && nj > 0 ? Vector.dot(table.value + i * d, table.value + j * d, d) / (ni * nj) : 0
            scored.append(ItemScore(item: j, score: Double(c)))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : index.items.raw[$0.item] < index.items.raw[$1.item] }
        return Array(scored.prefix(top))
    }

    package var arrays: [(String, [Double])] {
        guard let h = history else { return [] }
        return h.names.compactMap { name in h.values(name).map { (name, $0) } }
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
