// BatchNorm: batch normalisation (Ioffe and Szegedy, 2015) of each column, with Keras's
// defaults (momentum 0.99, epsilon 0.001).
//   training:   μ, σ² = the batch's mean and (biased) variance per column,
//               x̂ = (x - μ) / sqrt(σ² + ε),  y = γ x̂ + β,
//               moving_μ ← m moving_μ + (1 - m) μ, likewise moving_σ² with σ²
//   inference:  y = γ (x - moving_μ) / sqrt(moving_σ² + ε) + β
// Backward (per column, n rows, g = ∂y):
//   ∂γ = Σ g x̂,  ∂β = Σ g,  ∂x = γ / (n sqrt(σ² + ε)) · (n g - Σ g - x̂ Σ g x̂)
// A batch of one row has no variance: x̂ = 0 and ∂x = 0 (as in every library).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Batch normalisation of each column.
package final class BatchNorm: Layer {
    package let inputWidth: Int
    package var outputWidth: Int { inputWidth }
    package let momentum: Float
    package let epsilon: Float
    package let scale: Parameter
    package let offset: Parameter
    package let movingMean: Parameter
    package let movingVariance: Parameter
    package var needsInputGradient = true
    private let output: Tensor
    private let normalized: Tensor
    private let inputGradient: Tensor
    /// 1 / sqrt(σ² + ε) of the last training batch, per column.
    private var inverseStd: [Float]

    package init(width: Int, momentum: Float = 0.99, epsilon: Float = 1e-3, name: String = "batchnorm") {
        inputWidth = width
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Parameter(name: "\(name).gamma", rows: 1, columns: width, decays: false)
        offset = Parameter(name: "\(name).beta", rows: 1, columns: width, decays: false)
        movingMean = Parameter(name: "\(name).moving_mean", rows: 1, columns: width, decays: false)
        movingVariance = Parameter(name: "\(name).moving_variance", rows: 1, columns: width, decays: false)
        scale.value.update(repeating: 1, count: width)
        movingVariance.value.update(repeating: 1, count: width)
        output = Tensor(rows: 0, columns: width)
        normalized = Tensor(rows: 0, columns: width)
        inputGradient = Tensor(rows: 0, columns: width)
        inverseStd = [Float](repeating: 0, count: width)
    }

    package var description: String { "batchnorm" }
    package var parameters: [Parameter] { [scale, offset] }
    package var state: [Parameter] { [movingMean, movingVariance] }

    package func forward(_ x: Tensor) -> Tensor {
        let n = x.rows, w = inputWidth
        output.resize(rows: n)
        normalized.resize(rows: n)
        // No rows, no statistics: the moving ones must not be pulled towards 0.
        guard n > 0 else { return output }
        // Per-column mean and variance in Double (a batch of thousands of Floats loses digits).
        var mean = [Double](repeating: 0, count: w), sq = [Double](repeating: 0, count: w)
        for r in 0..<n {
            let row = x.row(r)
            for j in 0..<w { mean[j] += Double(row[j]) }
        }
        for j in 0..<w { mean[j] /= Double(max(n, 1)) }
        for r in 0..<n {
            let row = x.row(r)
            for j in 0..<w { let d = Double(row[j]) - mean[j]; sq[j] += d * d }
        }
        for j in 0..<w {
            let variance = sq[j] / Double(max(n, 1))
            inverseStd[j] = Float(1 / (variance + Double(epsilon)).squareRoot())
            movingMean.value[j] = momentum * movingMean.value[j] + (1 - momentum) * Float(mean[j])
            movingVariance.value[j] = momentum * movingVariance.value[j] + (1 - momentum) * Float(variance)
        }
        let g = scale.value, b = offset.value
        for r in 0..<n {
            let row = x.row(r), h = normalized.row(r), y = output.row(r)
            for j in 0..<w {
                h[j] = (row[j] - Float(mean[j])) * inverseStd[j]
                y[j] = g[j] * h[j] + b[j]
            }
        }
        return output
    }

    package func infer(_ x: Tensor, into y: Tensor) {
        let n = x.rows, w = inputWidth
        y.resize(rows: n)
        var a = [Float](repeating: 0, count: w), c = [Float](repeating: 0, count: w)
        for j in 0..<w {
            a[j] = scale.value[j] / (movingVariance.value[j] + epsilon).squareRoot()
            c[j] = offset.value[j] - a[j] * movingMean.value[j]
        }
        for r in 0..<n {
            let row = x.row(r), out = y.row(r)
            for j in 0..<w { out[j] = a[j] * row[j] + c[j] }
        }
    }

    package func backward(_ g: Tensor) -> Tensor? {
        let n = g.rows, w = inputWidth
        var sumG = [Float](repeating: 0, count: w), sumGH = [Float](repeating: 0, count: w)
        for r in 0..<n {
            let gr = g.row(r), h = normalized.row(r)
            for j in 0..<w { sumG[j] += gr[j]; sumGH[j] += gr[j] * h[j] }
        }
        for j in 0..<w {
            scale.gradient[j] = sumGH[j]
            offset.gradient[j] = sumG[j]
        }
        guard needsInputGradient else { return nil }
        inputGradient.resize(rows: n)
        let nf = Float(n)
        var k = [Float](repeating: 0, count: w)
        for j in 0..<w { k[j] = n > 1 ? scale.value[j] * inverseStd[j] / nf : 0 }
        for r in 0..<n {
            let gr = g.row(r), h = normalized.row(r), d = inputGradient.row(r)
            for j in 0..<w { d[j] = k[j] * (nf * gr[j] - sumG[j] - h[j] * sumGH[j]) }
        }
        return inputGradient
    }
}
