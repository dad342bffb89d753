// Batch normalisation's behaviour: training output standardised per column, the moving
// statistics' update m · old + (1 - m) · batch (biased variance), inference on the moving
// statistics (and converging to the training output after many identical batches), and the
// degenerate batches: one row (finite, zero input gradient) and none (statistics unchanged).

import Foundation
import Testing
import Frame
import Neural

/// Per-column mean and biased variance of a tensor, in Doubles.
private func columnMoments(_ t: Tensor) -> (mean: [Double], variance: [Double]) {
    var mean = [Double](repeating: 0, count: t.columns), variance = mean
    for r in 0..<t.rows { for j in 0..<t.columns { mean[j] += Double(t[r, j]) } }
    mean = mean.map { $0 / Double(t.rows) }
    for r in 0..<t.rows { for j in 0..<t.columns { let d = Double(t[r, j]) - mean[j]; variance[j] += d * d } }
    return (mean, variance.map { $0 / Double(t.rows) })
}

/// 64 rows, columns with means 3, -1, 0 and spreads 2, 0.5, 5.
private func skewedBatch(seed: UInt64) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    let shift: [Float] = [3, -1, 0], spread: [Float] = [2, 0.5, 5]
    var values: [Float] = []
    for _ in 0..<64 { for j in 0..<3 { values.append(shift[j] + spread[j] * Float(rng.gaussian())) } }
    return Tensor(rows: 64, columns: 3, values: values)
}

@Suite struct BatchNormTests {
    /// With γ = 1, β = 0 each output column has mean 0 and variance σ² / (σ² + ε), ≈ 1.
    @Test func trainingOutputIsStandardised() {
        let x = skewedBatch(seed: 41)
        let (_, inputVariance) = columnMoments(x)
        let bn = BatchNorm(width: 3)
        let (mean, variance) = columnMoments(bn.forward(x))
        for j in 0..<3 {
            #expect(abs(mean[j]) < 1e-5, "column \(j) mean \(mean[j])")
            let expected = inputVariance[j] / (inputVariance[j] + 1e-3)
            #expect(abs(variance[j] - expected) < 1e-5, "column \(j) variance \(variance[j]) vs \(expected)")
            #expect(abs(variance[j] - 1) < 1e-2)
        }
    }

    /// Two batches with momentum 0.99, then one with 0.9: each moving statistic is
    /// m · old + (1 - m) · the batch's, starting from mean 0 and variance 1.
    @Test(arguments: [0.99, 0.9] as [Float])
    func movingStatisticsFollowTheMomentum(_ m: Float) {
        let bn = BatchNorm(width: 3, momentum: m)
        #expect(bn.movingMean.values == [0, 0, 0] && bn.movingVariance.values == [1, 1, 1])
        var expectedMean = [Double](repeating: 0, count: 3), expectedVariance = [Double](repeating: 1, count: 3)
        for seed in [42, 43] as [UInt64] {
            let x = skewedBatch(seed: seed)
            let (mean, variance) = columnMoments(x)
            _ = bn.forward(x)
            for j in 0..<3 {
                expectedMean[j] = Double(m) * expectedMean[j] + (1 - Double(m)) * mean[j]
                expectedVariance[j] = Double(m) * expectedVariance[j] + (1 - Double(m)) * variance[j]
                #expect(abs(Double(bn.movingMean.value[j]) - expectedMean[j]) < 1e-5)
                #expect(abs(Double(bn.movingVariance.value[j]) - expectedVariance[j]) < 1e-5 * max(1, expectedVariance[j]))
            }
        }
        #expect(bn.state.map(\.name) == ["batchnorm.moving_mean", "batchnorm.moving_variance"])
        #expect(bn.parameters.map(\.name) == ["batchnorm.gamma", "batchnorm.beta"])
    }

    /// Inference is γ (x - moving μ) / sqrt(moving σ² + ε) + β: after one batch it differs from
    /// the training output on that batch; after 2000 identical batches (0.99^2000 ≈ 2e-9) the
    /// moving statistics are the batch's and the two agree.
    @Test func inferenceUsesTheMovingStatistics() {
        let x = skewedBatch(seed: 44)
        let bn = BatchNorm(width: 3)
        bn.scale.values = [1.5, 0.5, 2]
        bn.offset.values = [0.1, -0.2, 0.3]
        let training = bn.forward(x).values
        let inferred = Tensor(rows: 0, columns: 3)
        bn.infer(x, into: inferred)
        let mm = bn.movingMean.values, mv = bn.movingVariance.values
        for r in 0..<64 {
            for j in 0..<3 {
                let expected = Double(bn.scale.value[j]) * (Double(x[r, j]) - Double(mm[j])) / (Double(mv[j]) + 1e-3).squareRoot()
                    + Double(bn.offset.value[j])
                #expect(abs(Double(inferred[r, j]) - expected) < 1e-4 * max(1, abs(expected)), "[\(r), \(j)]")
            }
        }
        let gap = zip(training, inferred.values).map { abs($0 - $1) }.max() ?? 0
        #expect(gap > 1, "one batch barely moves the moving statistics")
        for _ in 0..<2000 { _ = bn.forward(x) }
        bn.infer(x, into: inferred)
        let after = zip(bn.forward(x).values, inferred.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(after < 1e-3, "inference vs training after convergence: \(after)")
    }

    /// One row has no variance: the output is β, finite; γ's gradient and the input's are 0,
    /// β's is the row's gradient.
    @Test func aOneRowBatchIsFinite() throws {
        let bn = BatchNorm(width: 3)
        bn.offset.values = [0.5, -1, 2]
        let y = bn.forward(Tensor(rows: 1, columns: 3, values: [10, -3, 1e6]))
        #expect(y.values == [0.5, -1, 2])
        let dx = try #require(bn.backward(Tensor(rows: 1, columns: 3, values: [1, 2, 3]))).values
        #expect(dx == [0, 0, 0])
        #expect(bn.scale.gradients == [0, 0, 0] && bn.offset.gradients == [1, 2, 3])
        #expect((bn.movingMean.values + bn.movingVariance.values).allSatisfy { $0.isFinite })
    }

    /// An empty batch has no statistics: it must not pull the moving ones towards 0.
    @Test func anEmptyBatchLeavesTheMovingStatisticsAlone() {
        let bn = BatchNorm(width: 3)
        _ = bn.forward(skewedBatch(seed: 45))
        let mean = bn.movingMean.values, variance = bn.movingVariance.values
        let y = bn.forward(Tensor(rows: 0, columns: 3))
        #expect(y.rows == 0)
        #expect(bn.movingMean.values == mean && bn.movingVariance.values == variance)
    }
}
