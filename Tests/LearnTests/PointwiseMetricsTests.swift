// Pointwise metrics: AUC against its pair-counting definition, and the threshold metrics by
// hand; which metrics apply to which kind of score.

import Foundation
import Testing
import Learn

@Suite struct AUCTests {
    /// Random scores from a handful of values (so ties abound) and random 0/1 labels.
    @Test(arguments: [(UInt64(1), 2), (2, 3), (3, 10), (4, 57), (5, 200), (6, 1000), (7, 1001)])
    func equalsThePairCountingDefinition(seed: UInt64, n: Int) throws {
        var rng = TestRandom(seed: seed)
        let levels = [0.0, 0.1, 0.25, 0.5, 0.75, 1.0]
        var scores = (0..<n).map { _ in levels[rng.int(levels.count)] }
        var labels = (0..<n).map { _ in Double(rng.int(2)) }
        // Both classes present.
        labels[0] = 1
        labels[n - 1] = 0
        scores[0] = levels[rng.int(levels.count)]
        let fast = try Metrics.auc(scores: scores, labels: labels)
        #expect(abs(fast - referenceAUC(scores: scores, labels: labels)) < 1e-12)
    }

    @Test func equalsTheDefinitionOnContinuousScoresWithRealLabels() throws {
        var rng = TestRandom(seed: 42)
        let scores = (0..<500).map { _ in Double(rng.int(1_000_000)) / 1e6 }
        // Labels are positive above 0.5, not only when exactly 1.
        let labels = (0..<500).map { _ in [0.0, 0.2, 0.5, 0.51, 1.0, 3.0][rng.int(6)] }
        let fast = try Metrics.auc(scores: scores, labels: labels)
        #expect(abs(fast - referenceAUC(scores: scores, labels: labels)) < 1e-12)
    }

    @Test(arguments: [
        ([0.1, 0.4, 0.35, 0.8], [0.0, 0, 1, 1], 0.75),
        ([0.1, 0.2, 0.8, 0.9], [0.0, 0, 1, 1], 1.0),
        ([0.9, 0.8, 0.2, 0.1], [0.0, 0, 1, 1], 0.0),
        ([0.5, 0.5, 0.5, 0.5], [0.0, 1, 0, 1], 0.5),
        ([0.3, 0.3], [1.0, 0], 0.5),
        ([0.2, 0.7], [1.0, 0], 0.0),
        ([1, 2, 2, 3], [0.0, 1, 0, 1], 0.875),
        ([-5, 0, 1e9], [0.0, 1, 1], 1.0),
    ])
    func knownCases(scores: [Double], labels: [Double], expected: Double) throws {
        #expect(try Metrics.auc(scores: scores, labels: labels) == expected)
    }

    @Test func aucIgnoresRowOrderAndMonotoneTransforms() throws {
        let scores = [0.3, 0.1, 0.9, 0.3, 0.5, 0.7], labels = [1.0, 0, 1, 0, 0, 1]
        let a = try Metrics.auc(scores: scores, labels: labels)
        let b = try Metrics.auc(scores: scores.reversed(), labels: labels.reversed())
        let c = try Metrics.auc(scores: scores.map { exp(3 * $0) - 7 }, labels: labels)
        #expect(a == b && a == c)
    }

    @Test func singleClassIsUndefined() {
        #expect(throws: LearnError.undefinedMetric(metric: "auc", reason: "the labels are all positive")) {
            try Metrics.auc(scores: [0.1, 0.9], labels: [1, 1])
        }
        #expect(throws: LearnError.undefinedMetric(metric: "auc", reason: "the labels are all negative")) {
            try Metrics.auc(scores: [0.1, 0.9], labels: [0, 0.5])
        }
        #expect(LearnError.undefinedMetric(metric: "auc", reason: "the labels are all positive").description ==
                "auc is undefined here: the labels are all positive")
    }
}

@Suite struct MetricTests {
    @Test func accuracyThresholdsScoresAtHalfInclusiveAndLabelsAboveHalf() throws {
        // Predictions (s >= 0.5): F T T F T; labels (y > 0.5): F T F T F.
        let scores = [0.2, 0.7, 0.5, 0.4, 0.99], labels = [0.0, 1, 0.5, 1, 0]
        #expect(try Metrics.accuracy(scores: scores, labels: labels) == 2.0 / 5)
        #expect(try Metrics.accuracy(scores: [0.5], labels: [1]) == 1)
        #expect(try Metrics.accuracy(scores: [0.4999], labels: [1]) == 0)
    }

    @Test func rmse() throws {
        #expect(try Metrics.rmse(scores: [1, 2, 3], labels: [1, 1, 1]) == (5.0 / 3).squareRoot())
        #expect(try Metrics.rmse(scores: [0.5, -1], labels: [0.5, -1]) == 0)
        #expect(try Metrics.rmse(scores: [4], labels: [1]) == 3)
    }

    @Test func logLoss() throws {
        let expected = -(log(0.9) + log(1 - 0.2)) / 2
        #expect(abs(try Metrics.logLoss(scores: [0.9, 0.2], labels: [1, 0]) - expected) < 1e-15)
        // Confident mistakes are clipped to [ε, 1-ε], so the loss stays finite.
        let eps = Metrics.logLossEpsilon
        let clipped = -(log(eps) + log(1 - (1 - eps))) / 2
        let loss = try Metrics.logLoss(scores: [0, 1], labels: [1, 0])
        #expect(loss.isFinite && abs(loss - clipped) < 1e-12)
        #expect(loss > 30)
        // Scores outside [0, 1] are clipped too.
        #expect(try Metrics.logLoss(scores: [-3, 7], labels: [0, 1]) < 1e-14)
    }

    @Test func precisionAndRecall() throws {
        // Predicted positive: rows 0, 1, 3; actually positive: rows 0, 2.
        let scores = [0.9, 0.6, 0.4, 0.8], labels = [1.0, 0, 1, 0]
        #expect(try Metrics.precision(scores: scores, labels: labels) == 1.0 / 3)
        #expect(try Metrics.recall(scores: scores, labels: labels) == 1.0 / 2)
    }

    @Test func precisionWithoutPredictedPositivesIsUndefined() {
        #expect(throws: LearnError.undefinedMetric(metric: "precision", reason: "no row is scored at or above 0.5")) {
            try Metrics.precision(scores: [0.1, 0.49], labels: [1, 0])
        }
    }

    @Test func recallWithoutPositiveLabelsIsUndefined() {
        #expect(throws: LearnError.undefinedMetric(metric: "recall", reason: "no row has label 1")) {
            try Metrics.recall(scores: [0.9, 0.1], labels: [0, 0.5])
        }
    }

    @Test func maeAndF1() throws {
        #expect(try Metrics.mae(scores: [1, 2, 3], labels: [1, 1, 1]) == 1)
        #expect(try Metrics.mae(scores: [0.25, -1], labels: [0.75, 1]) == 1.25)
        // Precision 1/3, recall 1/2: F1 = 2 · (1/6) / (5/6) = 0.4.
        let scores = [0.9, 0.6, 0.4, 0.8], labels = [1.0, 0, 1, 0]
        #expect(abs(try Metrics.f1(scores: scores, labels: labels) - 0.4) < 1e-15)
        #expect(throws: LearnError.undefinedMetric(metric: "f1", reason: "precision and recall are both 0")) {
            try Metrics.f1(scores: [0.9, 0.1], labels: [0, 1])
        }
    }

    static let pointwise = Metric.allCases.filter { !$0.isRanking }

    @Test(arguments: pointwise)
    func everyMetricRejectsEmptyInputAndMissingLabels(_ metric: Metric) {
        #expect(throws: LearnError.emptyData("the evaluation frame")) {
            try metric.compute(scores: [], labels: [])
        }
        // F1's errors are checked on their own below (a known issue).
        guard metric != .f1 else { return }
        #expect(throws: LearnError.undefinedMetric(metric: metric.rawValue, reason: "the label column has missing values; filter them out first")) {
            try metric.compute(scores: [0.2, 0.8], labels: [.nan, 1])
        }
        #expect(throws: LearnError.undefinedMetric(metric: metric.rawValue, reason: "the label column has missing values; filter them out first")) {
            try metric.compute(scores: [0.2, 0.8], labels: [0, .infinity])
        }
    }

    /// Metric errors name the metric asked for; F1 passes on its parts' errors, which name
    /// precision or recall ("precision is undefined here: no row is scored at or above 0.5").
    @Test func f1ErrorsNameF1() {
        #expect(throws: (any Error).self) { try Metrics.f1(scores: [0.2, 0.8], labels: [.nan, 1]) }
        #expect(throws: LearnError.undefinedMetric(metric: "f1", reason: "the label column has missing values; filter them out first")) {
            try Metrics.f1(scores: [0.2, 0.8], labels: [.nan, 1])
        }
        #expect(throws: LearnError.undefinedMetric(metric: "f1", reason: "no row is scored at or above 0.5")) {
            try Metrics.f1(scores: [0.2, 0.4], labels: [0, 1])
        }
    }

    @Test(arguments: pointwise)
    func computeDispatchesToTheNamedMetric(_ metric: Metric) throws {
        let scores = [0.9, 0.6, 0.4, 0.8, 0.1], labels = [1.0, 0, 1, 0, 0]
        let direct: Double
        switch metric {
        case .auc: direct = try Metrics.auc(scores: scores, labels: labels)
        case .accuracy: direct = try Metrics.accuracy(scores: scores, labels: labels)
        case .rmse: direct = try Metrics.rmse(scores: scores, labels: labels)
        case .mae: direct = try Metrics.mae(scores: scores, labels: labels)
        case .logloss: direct = try Metrics.logLoss(scores: scores, labels: labels)
        case .precision: direct = try Metrics.precision(scores: scores, labels: labels)
        case .recall: direct = try Metrics.recall(scores: scores, labels: labels)
        case .f1: direct = try Metrics.f1(scores: scores, labels: labels)
        default: Issue.record("\(metric) is a ranking metric"); return
        }
        #expect(try metric.compute(scores: scores, labels: labels) == direct)
        #expect(!metric.summary.isEmpty)
        #expect(metric.label(k: 10) == metric.rawValue)
    }

    @Test func metricNamesAndKinds() {
        #expect(Metric.allCases.map(\.rawValue) == ["auc", "accuracy", "rmse", "mae", "logloss", "precision", "recall", "f1",
                                                    "precision_at_k", "recall_at_k", "ndcg", "map", "mrr", "hit_rate",
                                                    "coverage", "popularity"])
        #expect(Metric.allCases.filter(\.isRanking) == [.precisionAtK, .recallAtK, .ndcg, .map, .mrr, .hitRate, .coverage, .popularity])
        #expect(Metric.allCases.filter { !$0.higherIsBetter } == [.rmse, .mae, .logloss, .popularity])
        #expect([Metric.precisionAtK, .recallAtK, .ndcg, .map, .mrr, .hitRate, .coverage].map { $0.label(k: 5) } ==
                ["precision@5", "recall@5", "ndcg@5", "map@5", "mrr@5", "hit_rate@5", "coverage"])
        #expect(Metrics.threshold == 0.5)
        #expect(Metrics.logLossEpsilon == 1e-15)
    }

    /// Which metrics apply to which scores: probabilities take every metric, ratings the
    /// errors and rankings, ranking scores only AUC and the ranking metrics.
    @Test(arguments: Metric.allCases)
    func unsuitability(_ metric: Metric) {
        let needsProbability: Set<Metric> = [.accuracy, .logloss, .precision, .recall, .f1]
        let needsValues: Set<Metric> = [.rmse, .mae]
        #expect(metric.unsuitability(for: .probability) == nil)
        #expect((metric.unsuitability(for: .rating) != nil) == needsProbability.contains(metric))
        #expect((metric.unsuitability(for: .ranking) != nil) == (needsProbability.contains(metric) || needsValues.contains(metric)))
        if needsProbability.contains(metric) {
            #expect(metric.unsuitability(for: .ranking) == "it needs probabilities, and the model's scores are a ranking score (only the order of scores means something)")
        }
    }
}
