// Evaluation metrics for a score per row against a 0/1 (or real) label.
//
// AUC is exact and tie-aware: the Mann-Whitney statistic with average ranks for tied scores,
//   AUC = (Σ rank(positives) - P(P+1)/2) / (P·N),
// which equals P(score(pos) > score(neg)) + ½ P(score(pos) = score(neg)). O(n log n) by sorting.
// A label above 0.5 counts as positive. Log loss clips probabilities to [ε, 1-ε].

/// A metric that `evaluate` can report: pointwise ones compare each row's score with its
/// label; ranking ones judge each user's top k (`RankingMetrics`).
package enum Metric: String, Sendable, CaseIterable {
    case auc, accuracy, rmse, mae, logloss, precision, recall, f1
    case precisionAtK = "precision_at_k", recallAtK = "recall_at_k", ndcg, map, mrr
    case hitRate = "hit_rate", coverage, popularity

    /// Whether the metric ranks items per user rather than scoring rows.
    package var isRanking: Bool {
        switch self {
        case .auc, .accuracy, .rmse, .mae, .logloss, .precision, .recall, .f1: false
        default: true
        }
    }

    /// Whether a larger value is better (for sorting comparisons).
    package var higherIsBetter: Bool {
        switch self {
        case .rmse, .mae, .logloss, .popularity: false
        default: true
        }
    }

    /// The name in tables: `ndcg@10`.
    package func label(k: Int) -> String {
        switch self {
        case .precisionAtK: "precision@\(k)"
        case .recallAtK: "recall@\(k)"
        case .ndcg, .map, .hitRate: "\(rawValue)@\(k)"
        case .mrr: "mrr@\(k)"
        default: rawValue
        }
    }

    /// The reason the metric does not apply to scores of `kind`, or nil when it does.
    package func unsuitability(for kind: ScoreKind) -> String? {
        switch (self, kind) {
        case (.accuracy, .probability), (.logloss, .probability), (.precision, .probability), (.recall, .probability),
             (.f1, .probability), (.rmse, .probability), (.mae, .probability), (.rmse, .rating), (.mae, .rating):
            return nil
        case (.accuracy, _), (.logloss, _), (.precision, _), (.recall, _), (.f1, _):
            return "it needs probabilities, and the model's scores are \(kind.phrase)"
        case (.rmse, .ranking), (.mae, .ranking):
            return "it compares scores with the label, and the model's scores are \(kind.phrase)"
        default:
            return nil
        }
    }

    /// Computes a pointwise metric; `threshold` is the score from which a row counts as
    /// predicted positive (accuracy, precision, recall, f1).
    package func compute(scores: [Double], labels: [Double], threshold: Double = Metrics.threshold) throws(LearnError) -> Double {
        switch self {
        case .auc: try Metrics.auc(scores: scores, labels: labels)
        case .accuracy: try Metrics.accuracy(scores: scores, labels: labels, threshold: threshold)
        case .rmse: try Metrics.rmse(scores: scores, labels: labels)
        case .mae: try Metrics.mae(scores: scores, labels: labels)
        case .logloss: try Metrics.logLoss(scores: scores, labels: labels)
        case .precision: try Metrics.precision(scores: scores, labels: labels, threshold: threshold)
        case .recall: try Metrics.recall(scores: scores, labels: labels, threshold: threshold)
        case .f1: try Metrics.f1(scores: scores, labels: labels, threshold: threshold)
        default: preconditionFailure("\(rawValue) is a ranking metric")
        }
    }

    /// What the metric measures, for help and reports.
    package var summary: String {
        switch self {
        case .auc: "area under the ROC curve, exact, ties counted half"
        case .accuracy: "share of rows where (score >= threshold) equals the label"
        case .rmse: "root mean squared error of the score against the label"
        case .mae: "mean absolute error of the score against the label"
        case .logloss: "binary cross-entropy, scores clipped to [1e-15, 1 - 1e-15]"
        case .precision: "share of rows scored >= threshold (0.5 unless threshold= says) whose label is 1"
        case .recall: "share of rows labelled 1 that are scored >= threshold"
        case .f1: "harmonic mean of precision and recall at the threshold"
        case .precisionAtK: "|R_u ∩ T_u| / k"
        case .recallAtK: "|R_u ∩ T_u| / |T_u|"
        case .ndcg: "DCG / IDCG with binary gains: DCG = Σ_{i<=k} rel_i / log2(i + 1), IDCG over min(k, |T_u|) relevant items"
        case .map: "(1 / min(k, |T_u|)) Σ_{i<=k} precision@i · rel_i"
        case .mrr: "1 / rank of the first relevant item in the top k (0 if none)"
        case .hitRate: "1 when the top k holds a relevant item"
        case .coverage: "distinct items recommended to the evaluated users / items in training"
        case .popularity: "mean training rows of the recommended items"
        }
    }
}

/// Metric implementations.
package enum Metrics {
    /// Probabilities are clipped to [ε, 1-ε] in log loss so one confident mistake is finite.
    package static let logLossEpsilon = 1e-15
    /// Scores at or above this threshold predict the positive class.
    package static let threshold = 0.5

    private static func check(_ scores: [Double], _ labels: [Double], _ metric: String) throws(LearnError) {
        guard !scores.isEmpty else { throw .emptyData("the evaluation frame") }
        precondition(scores.count == labels.count, "scores and labels differ in length")
        if labels.contains(where: { !$0.isFinite }) {
            throw .undefinedMetric(metric: metric, reason: "the label column has missing values; filter them out first")
        }
    }

    /// Exact, tie-aware ROC AUC.
    package static func auc(scores: [Double], labels: [Double]) throws(LearnError) -> Double {
        try check(scores, labels, "auc")
        let n = scores.count
        var order = Array(0..<n)
        order.sort { scores[$0] < scores[$1] }
        var positives = 0.0
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j + 2) / 2 // ranks are 1-based
            for k in i...j where labels[order[k]] > threshold {
                positives += 1
                rankSum += averageRank
            }
            i = j + 1
        }
        let negatives = Double(n) - positives
        guard positives > 0 && negatives > 0 else {
            throw .undefinedMetric(metric: "auc", reason: "the labels are all \(positives > 0 ? "positive" : "negative")")
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Share of rows where the thresholded score equals the label.
    package static func accuracy(scores: [Double], labels: [Double], threshold cut: Double = threshold) throws(LearnError) -> Double {
        try check(scores, labels, "accuracy")
        var right = 0
        for (s, y) in zip(scores, labels) where (s >= cut) == (y > threshold) { right += 1 }
        return Double(right) / Double(scores.count)
    }

    package static func rmse(scores: [Double], labels: [Double]) throws(LearnError) -> Double {
        try check(scores, labels, "rmse")
        var se = 0.0
        for (s, y) in zip(scores, labels) { se += (s - y) * (s - y) }
        return (se / Double(scores.count)).squareRoot()
    }

    package static func logLoss(scores: [Double], labels: [Double]) throws(LearnError) -> Double {
        try check(scores, labels, "logloss")
        var total = 0.0
        for (s, y) in zip(scores, labels) {
            let p = min(max(s, logLossEpsilon), 1 - logLossEpsilon)
            total -= y * log(p) + (1 - y) * log(1 - p)
        }
        return total / Double(scores.count)
    }

    package static func mae(scores: [Double], labels: [Double]) throws(LearnError) -> Double {
        try check(scores, labels, "mae")
        var total = 0.0
        for (s, y) in zip(scores, labels) { total += abs(s - y) }
        return total / Double(scores.count)
    }

    package static func f1(scores: [Double], labels: [Double], threshold cut: Double = threshold) throws(LearnError) -> Double {
        let p: Double, r: Double
        do throws(LearnError) {
            p = try precision(scores: scores, labels: labels, threshold: cut)
            r = try recall(scores: scores, labels: labels, threshold: cut)
        } catch {
            // Name f1, not the part that failed.
            if case .undefinedMetric(_, let reason) = error { throw .undefinedMetric(metric: "f1", reason: reason) }
            throw error
        }
        guard p + r > 0 else { throw .undefinedMetric(metric: "f1", reason: "precision and recall are both 0") }
        return 2 * p * r / (p + r)
    }

    package static func precision(scores: [Double], labels: [Double], threshold cut: Double = threshold) throws(LearnError) -> Double {
        try check(scores, labels, "precision")
        var tp = 0, predicted = 0
        for (s, y) in zip(scores, labels) where s >= cut {
            predicted += 1
            if y > threshold { tp += 1 }
        }
        guard predicted > 0 else {
            throw .undefinedMetric(metric: "precision", reason: "no row is scored at or above \(cut)")
        }
        return Double(tp) / Double(predicted)
    }

    package static func recall(scores: [Double], labels: [Double], threshold cut: Double = threshold) throws(LearnError) -> Double {
        try check(scores, labels, "recall")
        var tp = 0, actual = 0
        for (s, y) in zip(scores, labels) where y > threshold {
            actual += 1
            if s >= cut { tp += 1 }
        }
        guard actual > 0 else { throw .undefinedMetric(metric: "recall", reason: "no row has label 1") }
        return Double(tp) / Double(actual)
    }

    /// Counts of (truth, prediction) at `threshold`: the confusion matrix.
    package static func confusion(scores: [Double], labels: [Double], threshold cut: Double = threshold) -> ConfusionMatrix {
        var m = ConfusionMatrix()
        for (s, y) in zip(scores, labels) {
            switch (y > threshold, s >= cut) {
            case (true, true): m.truePositives += 1
            case (true, false): m.falseNegatives += 1
            case (false, true): m.falsePositives += 1
            case (false, false): m.trueNegatives += 1
            }
        }
        return m
    }
}

/// Rows by truth and by prediction at a threshold.
package struct ConfusionMatrix: Sendable, Equatable {
    package var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0
    package init() {}
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
