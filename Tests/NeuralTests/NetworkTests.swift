// Whole embedding networks: back-propagation through two embeddings, dense features and a
// dense-relu-batchnorm-dense stack against central differences of the mean loss, for both
// losses and every parameter value; bit-identical training under a seed; snapshot and
// restore; inference equal to training without dropout or batch normalisation; and a small
// problem learned end to end with SGD momentum and with Adam.

import Foundation
import Testing
import Frame
import Neural

/// users(6 x 3) | items(5 x 3) | 2 dense features → dense(6) → relu → batchnorm → dense(1), with
/// biases, γ and β moved from their initial values so every parameter matters.
private func smallNetwork(seed: UInt64) -> EmbeddingNetwork {
    var rng = Xoshiro256(seed: seed)
    let users = Embedding(count: 6, width: 3, name: "users", initializer: .uniform(0.8), rng: &rng)
    let items = Embedding(count: 5, width: 3, name: "items", initializer: .uniform(0.8), rng: &rng)
    let first = Dense(8, 6, name: "hidden", rng: &rng)
    let bn = BatchNorm(width: 6)
    let output = Dense(6, 1, name: "output", rng: &rng)
    first.bias.values = randomValues(&rng, 6, scale: 0.3)
    bn.scale.values = randomValues(&rng, 6, scale: 0.5).map { 1 + $0 }
    bn.offset.values = randomValues(&rng, 6, scale: 0.5)
    output.bias.values = [0.2]
    return EmbeddingNetwork(embeddings: [users, items], denseWidth: 2,
                            body: Sequential([first, ActivationLayer(.relu, width: 6), bn, output]))
}

/// The batch of the gradient checks: 10 rows where users repeat (0 three times), one user id
/// is -1 (no row, no gradient), and user 5 and item 4 are never used.
private struct GradientBatch {
    let users: [Int32] = [0, 1, 0, 2, 3, -1, 0, 4, 1, 2]
    let items: [Int32] = [0, 1, 2, 3, 0, 1, 2, 3, 3, 0]
    let dense: [Float]
    let targets: [Float]

    init(_ loss: Loss) {
        var rng = Xoshiro256(seed: 52)
        dense = randomValues(&rng, 20)
        targets = loss == .binaryCrossEntropy ? [1, 0, 0, 1, 1, 0, 1, 0, 1, 1] : randomValues(&rng, 10, scale: 2)
    }

    /// The network's mean loss in training mode, writing its gradient when asked.
    func meanLoss(_ network: EmbeddingNetwork, _ loss: Loss, gradient: Tensor? = nil) -> Double {
        let out = run(network, users: users, items: items, dense: dense)
        return targets.withUnsafeBufferPointer { loss.evaluate(out, targets: $0.baseAddress!, gradient: gradient) }
    }
}

/// The mean loss of `smallNetwork`'s shape written plainly in Doubles, from its parameters'
/// values in `network.parameters` order: lookups (zeros for ids out of the tables), the
/// concatenation, dense, ReLU, batch normalisation with the batch's statistics (ε = 1e-3),
/// dense, then cross-entropy from logits or the squared error.
private func referenceLoss(_ theta: [[Double]], _ batch: GradientBatch, _ loss: Loss) -> Double {
    let (userTable, itemTable, w1, b1, gamma, beta, w2, b2) = (theta[0], theta[1], theta[2], theta[3], theta[4], theta[5], theta[6], theta[7])
    let n = batch.users.count
    func lookup(_ table: [Double], _ rows: Int, _ i: Int32) -> [Double] {
        i >= 0 && Int(i) < rows ? Array(table[Int(i) * 3..<Int(i) * 3 + 3]) : [0, 0, 0]
    }
    let x: [[Double]] = (0..<n).map { r in
        let features: [Double] = [Double(batch.dense[r * 2]), Double(batch.dense[r * 2 + 1])]
        return lookup(userTable, 6, batch.users[r]) + lookup(itemTable, 5, batch.items[r]) + features
    }
    let hidden: [[Double]] = x.map { row in
        (0..<6).map { j in
            var s = b1[j]
            for c in 0..<8 { s += row[c] * w1[c * 6 + j] }
            return max(0, s)
        }
    }
    var normalized = hidden
    for j in 0..<6 {
        let mean = hidden.reduce(0.0) { $0 + $1[j] } / Double(n)
        let variance = hidden.reduce(0.0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / Double(n)
        for r in 0..<n { normalized[r][j] = gamma[j] * (hidden[r][j] - mean) / (variance + 1e-3).squareRoot() + beta[j] }
    }
    var total = 0.0
    for r in 0..<n {
        var z = b2[0]
        for j in 0..<6 { z += normalized[r][j] * w2[j] }
        let t = Double(batch.targets[r])
        if loss == .binaryCrossEntropy {
            total -= t * log(sigmoid(z)) + (1 - t) * log(1 - sigmoid(z))
        } else {
            total += (z - t) * (z - t)
        }
    }
    return total / Double(n)
}

@Suite struct NetworkGradientTests {
    /// Every parameter value of the network against central differences (h = 2e-3) of the
    /// library's own mean loss, for both losses. The rows of unused ids have differences of
    /// exactly 0 and are not among the touched rows. The ReLU's inputs keep a margin of twice
    /// the largest change one perturbation can make, so no difference crosses the kink. The
    /// absolute floor 2e-4 is the rounding noise of these differences: the Float forward pass
    /// moves the loss by a few 1e-7 between evaluations, which h = 2e-3 turns into ~1e-4 (the
    /// Double reference below checks the small gradients tightly).
    @Test(arguments: Loss.allCases)
    func everyGradientMatchesFiniteDifferences(_ loss: Loss) throws {
        let network = smallNetwork(seed: 51)
        let batch = GradientBatch(loss)

        // The ReLU's pre-activations, and the largest change of one by a perturbation of h.
        let h: Float = 2e-3
        let x = Tensor(rows: 0, columns: 8)
        let pieces: [Tensor] = [Tensor(rows: 0, columns: 3), Tensor(rows: 0, columns: 3), Tensor(rows: 10, columns: 2, values: batch.dense)]
        batch.users.withUnsafeBufferPointer { network.embeddings[0].infer($0, into: pieces[0]) }
        batch.items.withUnsafeBufferPointer { network.embeddings[1].infer($0, into: pieces[1]) }
        network.concatenate.join(pieces, into: x)
        let hidden = try #require(network.body.layers[0] as? Dense)
        let pre = Tensor(rows: 0, columns: 6)
        hidden.infer(x, into: pre)
        let reach = Double(h) * Double(max(1, x.values.map(abs).max()!, hidden.kernel.values.map(abs).max()!))
        let margin = Double(pre.values.map(abs).min()!)
        try #require(margin > 2 * reach, "a pre-activation \(margin) is within reach \(reach) of the kink; pick another seed")

        let g = Tensor(rows: 0, columns: 1)
        _ = batch.meanLoss(network, loss, gradient: g)
        network.backward(g)
        #expect(network.embeddings[0].table.touchedRows == [0, 1, 2, 3, 4])
        #expect(network.embeddings[1].table.touchedRows == [0, 1, 2, 3])
        #expect(network.parameters.map(\.name) == ["users.table", "items.table", "hidden.kernel", "hidden.bias",
                                                   "batchnorm.gamma", "batchnorm.beta", "output.kernel", "output.bias"])
        let analytic = network.parameters.map(\.gradients)
        var checked = 0
        for (p, grad) in zip(network.parameters, analytic) {
            for k in 0..<p.count {
                let numeric = centralDifference(p.value, k, h: h, { batch.meanLoss(network, loss) })
                if p.sparse && !p.touchedRows.contains(Int32(k / p.columns)) {
                    #expect(numeric == 0, "\(p.name)[\(k)]: an unused row changes the loss")
                } else {
                    #expect(agrees(grad[k], numeric, rtol: 1e-2, atol: 2e-4),
                            "\(loss) \(p.name)[\(k)]: backprop \(grad[k]), difference \(numeric)")
                    checked += 1
                }
            }
        }
        #expect(checked == 15 + 12 + 48 + 6 + 6 + 6 + 6 + 1)
    }

    /// The same network and batch: the library's loss equals the plain Double loss, and every
    /// gradient (Float backprop) matches central differences of the Double loss (h = 1e-6, so
    /// the differences carry about 1e-9 of error) to 1e-4 relative, 1e-6 absolute (measured:
    /// at most 4.4e-7 apart, for the squared loss).
    @Test(arguments: Loss.allCases)
    func everyGradientMatchesTheDoubleReference(_ loss: Loss) {
        let network = smallNetwork(seed: 51)
        let batch = GradientBatch(loss)
        let g = Tensor(rows: 0, columns: 1)
        let value = batch.meanLoss(network, loss, gradient: g)
        network.backward(g)
        let theta = network.parameters.map { $0.values.map(Double.init) }
        #expect(abs(value - referenceLoss(theta, batch, loss)) < 1e-6 * max(1, value), "loss \(value)")
        for (pi, p) in network.parameters.enumerated() {
            let grad = p.gradients
            for k in 0..<p.count {
                let h = 1e-6
                var up = theta, down = theta
                up[pi][k] += h
                down[pi][k] -= h
                let numeric = (referenceLoss(up, batch, loss) - referenceLoss(down, batch, loss)) / (2 * h)
                if p.sparse && !p.touchedRows.contains(Int32(k / p.columns)) {
                    #expect(numeric == 0, "\(p.name)[\(k)]")
                } else {
                    #expect(agrees(grad[k], numeric, rtol: 1e-4, atol: 1e-6),
                            "\(loss) \(p.name)[\(k)]: backprop \(grad[k]), difference \(numeric)")
                }
            }
        }
    }
}

/// An embedding network for `users` x `items` with a hidden stack of relu layers with dropout,
/// then batchnorm and the output, all drawn from `seed` (the recommender's shape).
private func recommenderNetwork(seed: UInt64, users: Int, items: Int, embed: Int = 8, hidden: [Int] = [16, 8],
                                dropout: Float = 0.2) -> EmbeddingNetwork {
    var rng = Xoshiro256(seed: seed)
    let u = Embedding(count: users, width: embed, name: "user_embedding", rng: &rng)
    let i = Embedding(count: items, width: embed, name: "item_embedding", rng: &rng)
    var layers: [any Layer] = []
    var width = 2 * embed
    for (l, w) in hidden.enumerated() {
        layers.append(Dense(width, w, name: "dense_\(l + 1)", rng: &rng))
        width = w
        if l < hidden.count - 1 {
            layers.append(ActivationLayer(.relu, width: w))
            if dropout > 0 { layers.append(Dropout(rate: dropout, width: w, seed: rng.next())) }
        } else {
            layers.append(BatchNorm(width: w))
        }
    }
    layers.append(Dense(width, 1, name: "output", rng: &rng))
    return EmbeddingNetwork(embeddings: [u, i], denseWidth: 0, body: Sequential(layers))
}

/// 50 users x 40 items, every pair once; the label is 1 when the user's group (u mod 3) is
/// the item's (i mod 3): a third of the pairs, so always answering 0 is 67% accurate.
private struct GroupProblem {
    let users: [Int32], items: [Int32], labels: [Float]
    init() {
        var u: [Int32] = [], i: [Int32] = [], y: [Float] = []
        for a in 0..<50 { for b in 0..<40 { u.append(Int32(a)); i.append(Int32(b)); y.append(a % 3 == b % 3 ? 1 : 0) } }
        users = u; items = i; labels = y
    }
}

/// Trains `network` on the group problem for `epochs` epochs of shuffled batches of 50;
/// returns the mean training loss of the first and of the last epoch.
private func train(_ network: EmbeddingNetwork, _ optimizer: Optimizer, _ problem: GroupProblem, epochs: Int,
                   seed: UInt64) -> (first: Double, last: Double) {
    var rng = Xoshiro256(seed: seed)
    var order = Array(problem.users.indices)
    var losses: [Double] = []
    for _ in 0..<epochs {
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, rng.below(k + 1)) }
        var total = 0.0
        for start in stride(from: 0, to: order.count, by: 50) {
            let rows = order[start..<min(order.count, start + 50)]
            total += trainStep(network, optimizer, loss: .binaryCrossEntropy, users: rows.map { problem.users[$0] },
                               items: rows.map { problem.items[$0] }, targets: rows.map { problem.labels[$0] }) * Double(rows.count)
        }
        losses.append(total / Double(order.count))
    }
    return (losses[0], losses[losses.count - 1])
}

@Suite struct NetworkTrainingTests {
    /// The same seed, the same batches: bit-identical parameters and moving statistics after
    /// five Adam steps with dropout; another seed gives other ones.
    @Test func theSameSeedTrainsBitIdentically() {
        func trained(_ seed: UInt64) -> EmbeddingNetwork {
            let network = recommenderNetwork(seed: seed, users: 20, items: 15)
            let optimizer = Optimizer(OptimizerSettings(kind: .adam, learningRate: 0.01))
            var rng = Xoshiro256(seed: 61)
            for _ in 0..<5 {
                let users = (0..<32).map { _ in Int32(rng.below(20)) }, items = (0..<32).map { _ in Int32(rng.below(15)) }
                trainStep(network, optimizer, loss: .binaryCrossEntropy, users: users, items: items,
                          targets: (0..<32).map { _ in Float(rng.below(2)) })
            }
            return network
        }
        let a = trained(7), b = trained(7), c = trained(8)
        #expect(bits(a) == bits(b))
        #expect(bits(a) != bits(c))
        for (p, q) in zip(a.parameters + a.state, c.parameters + c.state) { #expect(p.values != q.values, "\(p.name)") }
    }

    /// restore(snapshot()) brings back every parameter and moving statistic after more training.
    @Test func restoreBringsBackASnapshot() {
        let network = recommenderNetwork(seed: 3, users: 10, items: 10)
        let optimizer = Optimizer(OptimizerSettings(learningRate: 0.1, momentum: 0.9))
        let users: [Int32] = [0, 1, 2, 3, 4, 5, 6, 7], items: [Int32] = [7, 6, 5, 4, 3, 2, 1, 0]
        let targets: [Float] = [1, 0, 1, 0, 1, 1, 0, 0]
        trainStep(network, optimizer, loss: .binaryCrossEntropy, users: users, items: items, targets: targets)
        let saved = network.snapshot(), savedBits = bits(network)
        for _ in 0..<3 { trainStep(network, optimizer, loss: .binaryCrossEntropy, users: users, items: items, targets: targets) }
        #expect(bits(network) != savedBits)
        network.restore(saved)
        #expect(bits(network) == savedBits)
        #expect(saved.count == network.parameters.count + network.state.count)
    }

    /// Without dropout or batch normalisation, training and inference passes give the same
    /// outputs; with them, inference is deterministic and does not move the moving statistics.
    @Test func inferenceMatchesTrainingWithoutDropoutOrBatchNorm() {
        var rng = Xoshiro256(seed: 62)
        let u = Embedding(count: 5, width: 2, rng: &rng), i = Embedding(count: 5, width: 2, rng: &rng)
        let plain = EmbeddingNetwork(embeddings: [u, i], denseWidth: 1,
                                     body: Sequential([Dense(5, 4, rng: &rng), ActivationLayer(.tanh, width: 4), Dense(4, 1, rng: &rng)]))
        let users: [Int32] = [0, 4, 2, -1], items: [Int32] = [1, 1, 3, 0], dense: [Float] = [0.5, -1, 2, 0]
        let training = run(plain, users: users, items: items, dense: dense).values
        let inferred = run(plain, users: users, items: items, dense: dense, training: false).values
        #expect(zip(training, inferred).allSatisfy { abs($0 - $1) < 1e-6 }, "\(training) vs \(inferred)")

        let full = recommenderNetwork(seed: 4, users: 5, items: 5)
        let state = full.state.map(\.values)
        let a = run(full, users: users, items: items, training: false).values
        let b = run(full, users: users, items: items, training: false).values
        #expect(a == b && full.state.map(\.values) == state)
    }

    /// The group problem learned with SGD (momentum 0.9) and with Adam: the last epoch's loss
    /// is under a fifth of the first's and inference classifies more than 90% of the pairs.
    @Test(arguments: [OptimizerSettings(kind: .sgd, learningRate: 0.05, momentum: 0.9),
                      OptimizerSettings(kind: .adam, learningRate: 0.01)])
    func learnsWhichGroupsMatch(_ settings: OptimizerSettings) {
        let problem = GroupProblem()
        let network = recommenderNetwork(seed: 71, users: 50, items: 40)
        let (first, last) = train(network, Optimizer(settings), problem, epochs: 30, seed: 72)
        #expect(last < first / 5, "\(settings.kind): loss \(first) → \(last)")
        let out = run(network, users: problem.users, items: problem.items, training: false).values
        let correct = zip(out, problem.labels).filter { ($0 > 0) == ($1 == 1) }.count
        let accuracy = Double(correct) / Double(problem.labels.count)
        #expect(accuracy > 0.9, "\(settings.kind): accuracy \(accuracy)")
    }
}

@Suite struct ThreadCountTests {
    /// Products large enough for OpenBLAS to thread (a 128-row batch through dense(400) and
    /// dense(100)): training under 1 and under 2 OpenBLAS threads gives the same bits, so a
    /// seed fixes the weights on any core count (OpenBLAS's threaded sgemm alone rounds
    /// differently: see Kernels.swift).
    @Test func theThreadCountDoesNotChangeTheWeights() {
        func trained(threads: Int) -> [[UInt32]] {
            let network = recommenderNetwork(seed: 81, users: 300, items: 200, embed: 10, hidden: [400, 100], dropout: 0.5)
            let optimizer = Optimizer(OptimizerSettings(learningRate: 0.05, momentum: 0.9))
            var rng = Xoshiro256(seed: 82)
            Kernels.withThreads(threads) {
                for _ in 0..<3 {
                    let users = (0..<128).map { _ in Int32(rng.below(300)) }, items = (0..<128).map { _ in Int32(rng.below(200)) }
                    trainStep(network, optimizer, loss: .binaryCrossEntropy, users: users, items: items,
                              targets: (0..<128).map { _ in Float(rng.below(2)) })
                }
            }
            let scores = Kernels.withThreads(threads) {
                run(network, users: Array(0..<128), items: Array(0..<128), training: false).values.map(\.bitPattern)
            }
            return bits(network) + [scores]
        }
        #expect(trained(threads: 1) == trained(threads: 2))
    }
}
