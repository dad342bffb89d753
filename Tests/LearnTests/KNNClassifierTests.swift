// KNNClassifier: the blocked search against a brute-force reference (across block edges, with
// duplicated rows and with features far from the origin, where the sgemm keys cancel badly),
// distance weights with exact matches, cosine distances by hand, the refusal of too much work,
// degenerate data, and each hyperparameter changing the result.

import Foundation
import Testing
import Frame
import Learn

/// `rows` x `columns` standard-normal values shifted by `offset`.
private func randomMatrix(_ rng: inout TestRandom, rows: Int, columns: Int, offset: Double = 0, spread: Double = 1) -> FeatureMatrix {
    let values = (0..<(rows * columns)).map { _ in Float(offset + spread * rng.normal()) }
    return FeatureMatrix(rows: rows, columns: columns, values: values, names: (0..<columns).map { "x\($0)" })
}

private func knnParameters(k: Int = 5, weights: KNNClassifier.Weights = .uniform,
                           metric: KNNClassifier.Metric = .euclidean) -> KNNClassifier.Parameters {
    var p = KNNClassifier.Parameters()
    p.k = k
    p.weights = weights
    p.metric = metric
    return p
}

/// Each query's training rows by the definition: every distance in Doubles, sorted by
/// (distance, row).
private func bruteForceOrder(_ train: FeatureMatrix, _ queries: FeatureMatrix,
                             _ metric: KNNClassifier.Metric) -> [[(Double, Int)]] {
    func unit(_ v: [Double]) -> [Double]? {
        var s = 0.0
        for x in v { s += x * x }
        return s == 0 ? nil : v.map { Double(Float($0 * (1 / s.squareRoot()))) }
    }
    func prepare(_ m: FeatureMatrix, _ r: Int) -> [Double]? {
        let v = m.row(r).map(Double.init)
        return metric == .cosine ? unit(v) : v
    }
    let trainRows = (0..<train.rows).map { prepare(train, $0) }
    return (0..<queries.rows).map { q -> [(Double, Int)] in
        let a = prepare(queries, q)
        var all: [(Double, Int)] = []
        for (r, b) in trainRows.enumerated() {
            guard let a, let b else { all.append((1, r)); continue }
            var s = 0.0
            for j in 0..<a.count { s += (a[j] - b[j]) * (a[j] - b[j]) }
            all.append((metric == .cosine ? s / 2 : s.squareRoot(), r))
        }
        all.sort { x, y in x.0 < y.0 || (x.0 == y.0 && x.1 < y.1) }
        return all
    }
}

/// P(label = 1) from a sorted order: the k first vote.
private func referenceVote(_ order: [(Double, Int)], _ labels: [Float], k: Int, _ weights: KNNClassifier.Weights) -> Double {
    let nearest = order.prefix(k)
    switch weights {
    case .uniform:
        return nearest.map { Double(labels[$0.1]) }.reduce(0, +) / Double(k)
    case .distance:
        let exact = nearest.filter { $0.0 == 0 }
        if !exact.isEmpty { return exact.map { Double(labels[$0.1]) }.reduce(0, +) / Double(exact.count) }
        var num = 0.0, den = 0.0
        for (d, r) in nearest {
            num += Double(labels[r]) / d
            den += 1 / d
        }
        return num / den
    }
}

@Suite struct KNNClassifierTests {
    /// 1,100 training rows (two training blocks, the second partial) and 150 queries (two query
    /// blocks); some queries and training rows are copies of training rows, so exact matches and
    /// equal distances occur. Far from the origin (offset 100, spread 0.05) the sgemm keys lose
    /// almost every digit, so only the near-tie margin and the exact re-measure keep the answer.
    @Test(arguments: [(KNNClassifier.Metric.euclidean, 0.0, 1.0), (.cosine, 0.0, 1.0), (.euclidean, 100.0, 0.05)])
    func blockedSearchEqualsBruteForce(_ metric: KNNClassifier.Metric, _ offset: Double, _ spread: Double) throws {
        var rng = TestRandom(seed: 71)
        var train = randomMatrix(&rng, rows: 1100, columns: 5, offset: offset, spread: spread)
        var queries = randomMatrix(&rng, rows: 150, columns: 5, offset: offset, spread: spread)
        for r in stride(from: 1000, to: 1100, by: 7) { for c in 0..<5 { train[r, c] = train[r - 1000, c] } }
        for q in stride(from: 0, to: 150, by: 7) { for c in 0..<5 { queries[q, c] = train[(q * 31) % 1100, c] } }
        let labels = (0..<1100).map { _ in Float(rng.int(2)) }
        let order = bruteForceOrder(train, queries, metric)
        for weights in KNNClassifier.Weights.allCases {
            for k in [1, 7] {
                let p = knnParameters(k: k, weights: weights, metric: metric)
                let model = try KNNClassifier.fit(train, labels: labels, parameters: p, context: FitContext())
                let fast = try model.probabilities(queries, context: FitContext())
                #expect(fast == order.map { referenceVote($0, labels, k: k, weights) }, "weights=\(weights) k=\(k)")
            }
        }
    }

    /// Rows 0-2 sit at the origin (labels 1, 0, 1), row 3 at (3, 4) with 0, row 4 at (1, 0) with 1.
    ///   (0, 0), k=4: uniform 3/4 (rows 0-2 and 4); distance: the three exact matches take all
    ///   the weight, 2/3.
    ///   (0, 1), k=2: three rows at distance 1, the first two win: 1/2 either way.
    ///   (2, 0), k=3: row 4 at 1, rows 0 and 1 at 2: uniform 2/3, distance (1 + 1/2) / (1 + 1/2 + 1/2) = 3/4.
    @Test func distanceWeightsGiveExactMatchesAllTheWeight() throws {
        let train = FeatureMatrix(rows: 5, columns: 2, values: [0, 0, 0, 0, 0, 0, 3, 4, 1, 0], names: ["a", "b"])
        let labels: [Float] = [1, 0, 1, 0, 1]
        let queries = FeatureMatrix(rows: 3, columns: 2, values: [0, 0, 0, 1, 2, 0], names: ["a", "b"])
        func scores(_ k: Int, _ w: KNNClassifier.Weights) throws -> [Double] {
            try KNNClassifier.fit(train, labels: labels, parameters: knnParameters(k: k, weights: w), context: FitContext())
                .probabilities(queries, context: FitContext())
        }
        #expect(try scores(4, .distance)[0] == 2.0 / 3)
        #expect(try scores(4, .uniform)[0] == 0.75)
        #expect(try scores(2, .uniform)[1] == 0.5)
        #expect(try scores(2, .distance)[1] == 0.5)
        #expect(try scores(3, .uniform)[2] == 2.0 / 3)
        #expect(try scores(3, .distance)[2] == 0.75)
    }

    /// Training (1, 0) 1, (0, 1) 0, (-1, 0) 0, (2, 2.1) 1, (0, 0) 1. From (3, 0) the cosine
    /// distances are 0, 1, 2, 1 - 2/2.9 and 1 (a zero row); k=3 takes rows 0, 3 and, of the two
    /// at distance 1, the earlier row 1. A zero query is at distance 1 from everything, so its
    /// neighbours are the first k rows. Cosine ignores length: (0.3, 0) scores as (3, 0); the
    /// Euclidean distance does not (its 3 nearest of (0.3, 0) are rows 4, 0 and 1).
    @Test func cosineDistances() throws {
        let train = FeatureMatrix(rows: 5, columns: 2, values: [1, 0, 0, 1, -1, 0, 2, 2.1, 0, 0], names: ["a", "b"])
        let labels: [Float] = [1, 0, 0, 1, 1]
        let queries = FeatureMatrix(rows: 3, columns: 2, values: [3, 0, 0, 0, 0.3, 0], names: ["a", "b"])
        func scores(_ k: Int, _ w: KNNClassifier.Weights) throws -> [Double] {
            try KNNClassifier.fit(train, labels: labels, parameters: knnParameters(k: k, weights: w, metric: .cosine),
                                  context: FitContext()).probabilities(queries, context: FitContext())
        }
        #expect(try scores(2, .uniform) == [1, 0.5, 1])
        #expect(try scores(3, .uniform) == [2.0 / 3, 1.0 / 3, 2.0 / 3])
        #expect(try scores(3, .distance)[0] == 1, "row 0 is an exact match")
        #expect(try scores(3, .distance)[1] == 1.0 / 3, "equal distances weigh equally")
        let euclidean = try KNNClassifier.fit(train, labels: labels, parameters: knnParameters(k: 3), context: FitContext())
            .probabilities(queries, context: FitContext())
        #expect(euclidean[0] == 1 && euclidean[2] == 2.0 / 3, "euclidean does not ignore length")
    }

    /// The estimate is queries x training rows x (columns + 8) multiply-adds at the measured rate
    /// on every core; above the limit the model refuses before any distance is computed and says
    /// how to shrink the work.
    @Test func tooMuchWorkIsRefusedWithAWayOut() throws {
        #expect(KNNClassifier.estimatedSeconds(queries: 1000, training: 2000, columns: 12, cores: 4, rate: 1e6) == 10)
        #expect(KNNClassifier.estimatedSeconds(queries: 2_000_000, training: 5_000_000, columns: 40) > KNNClassifier.maximumSeconds)
        var rng = TestRandom(seed: 72)
        let train = randomMatrix(&rng, rows: 5000, columns: 2)
        let model = try KNNClassifier.fit(train, labels: (0..<5000).map { Float($0 % 2) }, parameters: knnParameters(),
                                          context: FitContext())
        // 1000 x 5000 x (2 + 8) / (2 cores x 2e4 a second) = 1250 seconds; a sample that takes half
        // the limit has 5000 x 600 / 1250 / 2 = 1200 rows, 1000 in one digit.
        try model.checkWork(queries: 1000, limit: 1250, cores: 2, rate: 2e4)
        #expect(throws: LearnError.tooLarge("knn would compare 1000 rows with 5000 training rows of 2 features, about 21 minutes on this machine; fit on a sample of the training frame (sample train n=1000) or predict fewer rows")) {
            try model.checkWork(queries: 1000, limit: 600, cores: 2, rate: 2e4)
        }
        // 50,000 seconds: a sample of 30 rows is not worth suggesting; 6 rows at a time would do.
        #expect(throws: LearnError.tooLarge("knn would compare 1000 rows with 5000 training rows of 2 features, about 13.9 hours on this machine; predict fewer rows at a time (about 6)")) {
            try model.checkWork(queries: 1000, limit: 600, cores: 2, rate: 500)
        }
    }

    @Test func degenerateDataIsRefused() throws {
        let x = FeatureMatrix(rows: 3, columns: 1, values: [1, 2, 3], names: ["a"])
        #expect(throws: LearnError.unsupported("every training row has label 1; knn needs rows of both labels")) {
            try KNNClassifier.fit(x, labels: [1, 1, 1], parameters: knnParameters(k: 1), context: FitContext())
        }
        #expect(throws: LearnError.invalidParameter(name: "k", reason: "is 5 but the training frame has only 3 rows; lower k")) {
            try KNNClassifier.fit(x, labels: [1, 0, 1], parameters: knnParameters(k: 5), context: FitContext())
        }
        #expect(throws: LearnError.emptyData("the training frame of knn")) {
            try KNNClassifier.fit(FeatureMatrix(rows: 0, names: ["a"]), labels: [], parameters: knnParameters(), context: FitContext())
        }
        let model = try KNNClassifier.fit(x, labels: [1, 0, 1], parameters: knnParameters(k: 1), context: FitContext())
        #expect(try model.probabilities(FeatureMatrix(rows: 0, names: ["a"]), context: FitContext()) == [])
        #expect(throws: LearnError.self) { try model.probabilities(FeatureMatrix(rows: 1, names: ["a", "b"]), context: FitContext()) }
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: LearnError.cancelled) { try model.probabilities(x, context: FitContext(cancellation: flag)) }
    }

    /// k, weights and metric each move some probability.
    @Test func eachHyperparameterChangesTheResult() throws {
        var rng = TestRandom(seed: 73)
        let train = randomMatrix(&rng, rows: 300, columns: 4, offset: 0.5)
        let labels = (0..<300).map { r in Float(train[r, 0] + train[r, 1] > 1 ? 1 : 0) }
        let queries = randomMatrix(&rng, rows: 50, columns: 4, offset: 0.5)
        func scores(_ p: KNNClassifier.Parameters) throws -> [Double] {
            try KNNClassifier.fit(train, labels: labels, parameters: p, context: FitContext()).probabilities(queries, context: FitContext())
        }
        let base = try scores(knnParameters())
        #expect(try scores(knnParameters(k: 12)) != base)
        #expect(try scores(knnParameters(weights: .distance)) != base)
        #expect(try scores(knnParameters(metric: .cosine)) != base)
        #expect(KNNClassifier.hyperparameters.map(\.name) == ["k", "weights", "metric"])
        let model = try KNNClassifier.fit(train, labels: labels, parameters: knnParameters(), context: FitContext())
        #expect(model.facts.map(\.0) == ["training rows", "features"])
    }
}
