// The ROC curve of scores against 0/1 labels: the true positive rate against the false
// positive rate as the decision threshold falls from +inf to -inf.
//
// Rows are sorted by score, highest first; each run of tied scores is one threshold and adds
// one point, so a tie between a positive and a negative is a diagonal segment, never a
// staircase that depends on row order. With P positives and N negatives, after the rows scored
// >= t: TPR(t) = TP(t) / P, FPR(t) = FP(t) / N. The curve starts at (0, 0) and ends at (1, 1),
// and its trapezoid area equals `Metrics.auc` (ties counted half). O(n log n).

/// Points of an ROC curve, from (0, 0) to (1, 1).
package struct ROCCurve: Sendable, Equatable {
    /// False positive rates, non-decreasing.
    package var falsePositiveRates: [Double]
    /// True positive rates, non-decreasing.
    package var truePositiveRates: [Double]
    /// The score threshold of each point (a row is predicted positive when its score is at or
    /// above it); `+inf` for the first point, where nothing is predicted positive.
    package var thresholds: [Double]

    /// The area under the curve by the trapezoid rule.
    package var area: Double {
        var total = 0.0
        for i in 1..<falsePositiveRates.count {
            let dx = falsePositiveRates[i] - falsePositiveRates[i - 1]
            total += dx * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
        }
        return total
    }
}

extension Metrics {
    /// The ROC curve of `scores` against `labels` (a label above 0.5 is positive), one point per
    /// distinct score. Throws when the labels are missing or all of one class.
    package static func roc(scores: [Double], labels: [Double]) throws(LearnError) -> ROCCurve {
        guard !scores.isEmpty else { throw .emptyData("the evaluation frame") }
        precondition(scores.count == labels.count, "scores and labels differ in length")
        if labels.contains(where: { !$0.isFinite }) {
            throw .undefinedMetric(metric: "roc", reason: "the label column has missing values; filter them out first")
        }
        let positives = labels.reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0 && negatives > 0 else {
            throw .undefinedMetric(metric: "roc", reason: "the labels are all \(positives > 0 ? "positive" : "negative")")
        }
        var order = Array(0..<scores.count)
        order.sort { scores[$0] > scores[$1] }
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        var tp = 0, fp = 0
        var i = 0
        while i < order.count {
            let t = scores[order[i]]
            // Every row tied at this score crosses the threshold together.
            while i < order.count && scores[order[i]] == t {
                if labels[order[i]] > threshold { tp += 1 } else { fp += 1 }
                i += 1
            }
            fpr.append(Double(fp) / Double(negatives))
            tpr.append(Double(tp) / Double(positives))
            thresholds.append(t)
        }
        return ROCCurve(falsePositiveRates: fpr, truePositiveRates: tpr, thresholds: thresholds)
    }
}
