// Loss: the mean loss of a batch and its gradient with respect to the network's outputs.
//   binaryCrossEntropy (from logits z, labels y in {0, 1}):
//       ℓ = max(z, 0) - y z + log(1 + e^-|z|),   ∂ℓ/∂z = σ(z) - y
//     the same value as -y log σ(z) - (1 - y) log(1 - σ(z)), but finite for any z: a
//     network passing probabilities to this formula (as the original Keras script did, to a
//     loss that expected them) would take log 0 when σ rounds to 0 or 1.
//   meanSquaredError:  ℓ = (z - y)²,   ∂ℓ/∂z = 2 (z - y)
// The batch loss is the mean over rows; the gradient is divided by the rows accordingly.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loss on one output per row.
package enum Loss: String, Sendable, CaseIterable {
    case binaryCrossEntropy = "bce"
    case meanSquaredError = "mse"

    /// The loss of one row.
    @inline(__always)
    package func value(_ z: Float, _ y: Float) -> Double {
        switch self {
        case .binaryCrossEntropy: Double(max(z, 0) - y * z) + Double(log1pf(expf(-abs(z))))
        case .meanSquaredError: Double((z - y) * (z - y))
        }
    }

    /// The mean loss of the rows of `outputs` (n x 1) against `targets`; writes the gradient
    /// of the mean into `gradient` when given.
    package func evaluate(_ outputs: Tensor, targets: UnsafePointer<Float>, gradient: Tensor? = nil) -> Double {
        let n = outputs.rows
        precondition(outputs.columns == 1, "losses take one output per row")
        gradient?.resize(rows: n)
        var total = 0.0
        let inv = 1 / Float(max(n, 1))
        for i in 0..<n {
            let z = outputs.data[i], y = targets[i]
            total += value(z, y)
            if let g = gradient {
                switch self {
                case .binaryCrossEntropy: g.data[i] = (ActivationKind.sigmoid(z) - y) * inv
                case .meanSquaredError: g.data[i] = 2 * (z - y) * inv
                }
            }
        }
        return total / Double(max(n, 1))
    }
}
