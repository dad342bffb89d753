// Fixtures of the Neural tests: seeded random tensors, a fixed linear read-out that turns any
// layer's output into a scalar loss (so ∂loss/∂output is known exactly), and the central
// finite difference of a Float parameter with the perturbation actually applied.

import Foundation
import Frame
import Neural

/// `rows x columns` values uniform on ±scale.
func randomValues(_ rng: inout Xoshiro256, _ count: Int, scale: Double = 1) -> [Float] {
    (0..<count).map { _ in Float((2 * rng.uniform() - 1) * scale) }
}

/// A tensor of values uniform on ±scale.
func randomTensor(_ rng: inout Xoshiro256, rows: Int, columns: Int, scale: Double = 1) -> Tensor {
    Tensor(rows: rows, columns: columns, values: randomValues(&rng, rows * columns, scale: scale))
}

/// The scalar Σ c_k y_k, in Double, of a tensor's values: a loss whose gradient with respect to
/// y is exactly c, so a layer's backward pass can be fed c and checked against differences of
/// this sum.
func readout(_ y: Tensor, _ c: [Float]) -> Double {
    precondition(c.count == y.count, "one coefficient per value")
    var total = 0.0
    for k in 0..<y.count { total += Double(c[k]) * Double(y.data[k]) }
    return total
}

/// The central difference (f(w + h) - f(w - h)) / (w₊ - w₋) at the Float `value[index]`, the
/// denominator being the perturbation Float rounding actually produced; the value is restored.
func centralDifference(_ value: UnsafeMutablePointer<Float>, _ index: Int, h: Float, _ f: () -> Double) -> Double {
    let original = value[index]
    let up = original + h, down = original - h
    value[index] = up
    let fUp = f()
    value[index] = down
    let fDown = f()
    value[index] = original
    return (fUp - fDown) / (Double(up) - Double(down))
}

/// Whether an analytic gradient agrees with a finite difference to within a relative tolerance
/// suited to Float arithmetic, with an absolute floor `atol` for gradients near zero (where a
/// difference of Float sums is rounding noise).
func agrees(_ analytic: Float, _ numeric: Double, rtol: Double = 1e-2, atol: Double = 1e-3) -> Bool {
    let a = Double(analytic)
    return abs(a - numeric) <= atol + rtol * max(abs(a), abs(numeric))
}

/// σ(z) in Double.
func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

/// Training-mode (or inference-mode) outputs of an embedding network on user and item
/// indices and, when the network takes them, `dense` feature rows.
func run(_ network: EmbeddingNetwork, users: [Int32], items: [Int32], dense: [Float] = [], training: Bool = true) -> Tensor {
    precondition(users.count == items.count, "one item per user")
    let rows = users.count
    return users.withUnsafeBufferPointer { u in
        items.withUnsafeBufferPointer { i in
            dense.withUnsafeBufferPointer { d in
                let x = network.denseWidth > 0 ? d.baseAddress : nil
                return training ? network.forward(ids: [u, i], dense: x, rows: rows)
                                : network.infer(ids: [u, i], dense: x, rows: rows)
            }
        }
    }
}

/// One training step: forward, the mean loss and its gradient, backward, the optimiser's step.
/// Returns the batch's loss.
@discardableResult
func trainStep(_ network: EmbeddingNetwork, _ optimizer: Optimizer, loss: Loss, users: [Int32], items: [Int32],
               targets: [Float], dense: [Float] = []) -> Double {
    let out = run(network, users: users, items: items, dense: dense)
    let gradient = Tensor(rows: 0, columns: 1)
    let value = targets.withUnsafeBufferPointer { loss.evaluate(out, targets: $0.baseAddress!, gradient: gradient) }
    network.backward(gradient)
    optimizer.step(network.parameters)
    return value
}

/// Every parameter's and state's values as bit patterns, for exact comparisons.
func bits(_ network: EmbeddingNetwork) -> [[UInt32]] {
    (network.parameters + network.state).map { $0.values.map(\.bitPattern) }
}
