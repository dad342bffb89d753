// The losses: binary cross-entropy from logits against the textbook formula at moderate
// logits, and its value at logits where σ rounds to 0 or 1 in Float (finite, ≈ |z| for the
// wrong label, ≈ 0 for the right one); the gradients (σ(z) - y) / n and 2 (z - y) / n; the mean
// squared error.

import Foundation
import Testing
import Frame
import Neural

/// The mean loss and its gradient for outputs `z` against targets `y`.
private func evaluate(_ loss: Loss, _ z: [Float], _ y: [Float]) -> (Double, [Float]) {
    let out = Tensor(rows: z.count, columns: 1, values: z)
    let gradient = Tensor(rows: 0, columns: 1)
    let value = y.withUnsafeBufferPointer { loss.evaluate(out, targets: $0.baseAddress!, gradient: gradient) }
    #expect(gradient.rows == z.count)
    return (value, gradient.values)
}

@Suite struct LossTests {
    @Test func crossEntropyFromLogitsIsTheTextbookFormula() {
        for z in [-6.0, -2.5, -0.3, 0, 0.7, 3, 8] as [Double] {
            for y in [0.0, 1.0] {
                let p = sigmoid(z)
                let expected = -y * log(p) - (1 - y) * log(1 - p)
                let got = Loss.binaryCrossEntropy.value(Float(z), Float(y))
                #expect(abs(got - expected) < 1e-6 * max(1, expected), "z \(z) y \(y): \(got) vs \(expected)")
            }
        }
    }

    /// Where σ(z) is 0 or 1 in Float the loss of the wrong label is |z| (to Float precision)
    /// and of the right one about e^-|z| (0 at these sizes), never infinite or NaN.
    @Test(arguments: [1e4, 88, 1e30] as [Float])
    func crossEntropyIsFiniteAtExtremeLogits(_ size: Float) {
        for z in [size, -size] {
            let right: Float = z > 0 ? 1 : 0
            let wrongLoss = Loss.binaryCrossEntropy.value(z, 1 - right)
            let rightLoss = Loss.binaryCrossEntropy.value(z, right)
            #expect(wrongLoss.isFinite && rightLoss.isFinite, "z \(z)")
            #expect(abs(wrongLoss - Double(size)) <= 1e-6 * Double(size), "z \(z), wrong label: \(wrongLoss)")
            #expect(rightLoss >= 0 && rightLoss < 1e-30, "z \(z), right label: \(rightLoss)")
            let (mean, g) = evaluate(.binaryCrossEntropy, [z, z], [1 - right, right])
            #expect(abs(mean - (wrongLoss + rightLoss) / 2) <= 1e-9 * mean)
            // σ(-88) is a subnormal 6e-39 in Float: the right label's gradient is that, halved.
            #expect(g[0] == (z > 0 ? 0.5 : -0.5) && abs(g[1]) < 1e-30, "z \(z): \(g)")
        }
    }

    /// The mean over n rows and its gradient (σ(z) - y) / n, at moderate and large logits.
    @Test func crossEntropyMeanAndGradient() {
        let z: [Float] = [-3, -0.5, 0, 0.5, 2, 40, -40]
        let y: [Float] = [0, 1, 1, 0, 1, 0, 1]
        let (mean, g) = evaluate(.binaryCrossEntropy, z, y)
        let n = Double(z.count)
        var expected = 0.0
        for k in z.indices {
            let zk = Double(z[k]), yk = Double(y[k])
            expected += max(zk, 0) - yk * zk + log1p(exp(-abs(zk)))
            let dz = (sigmoid(zk) - yk) / n
            #expect(abs(Double(g[k]) - dz) < 1e-7, "row \(k): \(g[k]) vs \(dz)")
        }
        #expect(abs(mean - expected / n) < 1e-6)
        // The gradient is the derivative of the mean: central differences in Double of the
        // textbook loss.
        for k in z.indices {
            let zk = Double(z[k]), yk = Double(y[k]), h = 1e-5
            func f(_ v: Double) -> Double { max(v, 0) - yk * v + log1p(exp(-abs(v))) }
            let numeric = (f(zk + h) - f(zk - h)) / (2 * h) / n
            #expect(abs(Double(g[k]) - numeric) < 1e-6, "row \(k)")
        }
    }

    @Test func meanSquaredErrorAndGradient() {
        let z: [Float] = [0.5, -1, 3, 2.25]
        let y: [Float] = [1, -1, 0, 4]
        let (mean, g) = evaluate(.meanSquaredError, z, y)
        #expect(abs(mean - (0.25 + 0 + 9 + 3.0625) / 4) < 1e-9)
        #expect(g == [-0.25, 0, 1.5, -0.875] as [Float], "2 (z - y) / 4")
        #expect(Loss.meanSquaredError.value(3, 1) == 4)
        #expect(Loss(rawValue: "bce") == .binaryCrossEntropy && Loss(rawValue: "mse") == .meanSquaredError)
    }

    /// Without a gradient tensor only the value is computed; an empty batch has loss 0.
    @Test func valueOnlyAndEmptyBatch() {
        let out = Tensor(rows: 2, columns: 1, values: [1, -1])
        let t: [Float] = [1, 0]
        let v = t.withUnsafeBufferPointer { Loss.binaryCrossEntropy.evaluate(out, targets: $0.baseAddress!) }
        #expect(abs(v - log1p(exp(-1))) < 1e-6)
        let empty = Tensor(rows: 0, columns: 1)
        let e = t.withUnsafeBufferPointer { Loss.meanSquaredError.evaluate(empty, targets: $0.baseAddress!) }
        #expect(e == 0)
    }
}
