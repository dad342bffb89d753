// ROC curve: endpoints, monotonicity, ties as diagonal segments, and the trapezoid area held
// equal to the exact AUC on tied random data.

import Testing
import Learn

@Suite struct ROCTests {
    @Test(arguments: [(UInt64(1), 2), (2, 3), (3, 10), (4, 57), (5, 200), (6, 1001)])
    func trapezoidAreaEqualsAUC(seed: UInt64, n: Int) throws {
        var rng = TestRandom(seed: seed)
        let levels = [0.0, 0.1, 0.25, 0.5, 0.75, 1.0]
        let scores = (0..<n).map { _ in levels[rng.int(levels.count)] }
        var labels = (0..<n).map { _ in Double(rng.int(2)) }
        labels[0] = 1
        labels[n - 1] = 0
        let curve = try Metrics.roc(scores: scores, labels: labels)
        #expect(abs(curve.area - (try Metrics.auc(scores: scores, labels: labels))) < 1e-12)
    }

    @Test func startsAtOriginEndsAtOneAndNeverFalls() throws {
        var rng = TestRandom(seed: 9)
        let scores = (0..<300).map { _ in Double(rng.int(1000)) / 1000 }
        let labels = (0..<300).map { _ in Double(rng.int(2)) }
        let c = try Metrics.roc(scores: scores, labels: labels)
        #expect(c.falsePositiveRates.first == 0 && c.truePositiveRates.first == 0)
        #expect(c.falsePositiveRates.last == 1 && c.truePositiveRates.last == 1)
        #expect(c.thresholds.first == .infinity)
        for i in 1..<c.thresholds.count {
            #expect(c.falsePositiveRates[i] >= c.falsePositiveRates[i - 1])
            #expect(c.truePositiveRates[i] >= c.truePositiveRates[i - 1])
            #expect(c.thresholds[i] < c.thresholds[i - 1])
        }
    }

    @Test func knownCurveWithATie() throws {
        // Scores 0.9 (pos), 0.5 (pos), 0.5 (neg), 0.1 (neg): the tie is one diagonal step.
        let c = try Metrics.roc(scores: [0.5, 0.9, 0.1, 0.5], labels: [1, 1, 0, 0])
        #expect(c.falsePositiveRates == [0, 0, 0.5, 1])
        #expect(c.truePositiveRates == [0, 0.5, 1, 1])
        #expect(c.thresholds == [.infinity, 0.9, 0.5, 0.1])
        #expect(c.area == 0.875)
    }

    @Test func allOneClassIsUndefined() {
        #expect(throws: LearnError.undefinedMetric(metric: "roc", reason: "the labels are all positive")) {
            try Metrics.roc(scores: [0.1, 0.2], labels: [1, 1])
        }
    }
}
