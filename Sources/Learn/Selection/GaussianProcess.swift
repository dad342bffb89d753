// GaussianProcess: regression with a Matérn 5/2 kernel over points of the unit cube, the
// surrogate of Bayesian search (Rasmussen and Williams, Gaussian Processes for Machine
// Learning, 2006, algorithm 2.1).
//
//   y standardised: z = (y - mean y) / sd y   (sd 1 when all y are equal)
//   k(a, b) = (1 + √5 r / ℓ + 5 r² / (3 ℓ²)) exp(-√5 r / ℓ),  r = |a - b|  (unit signal variance)
//   K = [k(x_i, x_j)] + σ_n² I = L Lᵀ,   α = K⁻¹ z
//   posterior at x*:  μ = k*ᵀ α,   σ² = k(x*, x*) - |L⁻¹ k*|²   (then back to y's units)
//   log marginal likelihood = -½ zᵀ α - Σ ln L_ii - (n / 2) ln 2π
// The length scale ℓ (one for every coordinate) and the noise σ_n² are those of `lengthScales`
// (times √d, the cube's diagonal) and `noises` with the largest marginal likelihood: a grid
// is deterministic and, at a few dozen points, as good as a gradient search here.
//
// Expected improvement over the best standardised value f* with margin ξ (Jones et al. 1998):
//   EI = (μ - f* - ξ) Φ(u) + σ φ(u),  u = (μ - f* - ξ) / σ;  max(μ - f* - ξ, 0) when σ = 0.

import Foundation

/// A Gaussian process fitted to values at points of the unit cube.
package struct GaussianProcess: Sendable {
    /// Length scales tried, in units of √d (the unit cube's diagonal is √d).
    package static let lengthScales: [Double] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2]
    /// Noise variances tried, relative to the unit signal variance: from exact to noisy scores.
    package static let noises: [Double] = [1e-6, 1e-3, 1e-2, 1e-1]
    /// Added to the diagonal so that coincident points keep K positive definite.
    package static let jitter = 1e-9

    /// The points fitted, each in the unit cube.
    package let points: [[Double]]
    /// ℓ, in the cube's units.
    package let lengthScale: Double
    /// σ_n², relative to the standardised values' unit variance.
    package let noise: Double
    /// ln p(z | X, ℓ, σ_n²) of the standardised values.
    package let logMarginalLikelihood: Double
    private let yMean: Double
    private let yScale: Double
    private let alpha: [Double]
    private let factor: Cholesky

    /// The Matérn 5/2 covariance at distance `r` with length scale `l`.
    package static func matern52(_ r: Double, _ l: Double) -> Double {
        let s = 5.0.squareRoot() * r / l
        return (1 + s + s * s / 3) * exp(-s)
    }

    /// Euclidean distance.
    package static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return s.squareRoot()
    }

    /// The process with the most likely length scale and noise of the grids; needs one point.
    package static func fit(points: [[Double]], values: [Double]) -> GaussianProcess {
        precondition(!points.isEmpty && points.count == values.count, "a Gaussian process needs as many values as points")
        let n = points.count
        var distances = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<i {
                let d = distance(points[i], points[j])
                distances[i * n + j] = d
                distances[j * n + i] = d
            }
        }
        let scale = Double(max(1, points[0].count)).squareRoot()
        var best: GaussianProcess?
        for l in lengthScales {
            for noise in noises {
                guard let gp = GaussianProcess(points: points, values: values, distances: distances,
                                               lengthScale: l * scale, noise: noise) else { continue }
                if best == nil || gp.logMarginalLikelihood > best!.logMarginalLikelihood { best = gp }
            }
        }
        // The noisiest setting is always positive definite; this is a guard, not a path.
        return best ?? GaussianProcess(points: points, values: values, distances: distances,
                                       lengthScale: scale, noise: 1)!
    }

    /// The process with a given length scale and noise; nil when K is not positive definite.
    /// `distances` is the n x n row-major matrix of distances between the points.
    package init?(points: [[Double]], values: [Double], distances: [Double], lengthScale: Double, noise: Double) {
        let n = points.count
        let mean = values.reduce(0, +) / Double(n)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
        let scale = sd > 0 ? sd : 1
        let z = values.map { ($0 - mean) / scale }
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { k[i * n + j] = Self.matern52(distances[i * n + j], lengthScale) }
            k[i * n + i] += noise + Self.jitter
        }
        guard let factor = Cholesky(k, n: n) else { return nil }
        let alpha = factor.solve(z)
        var fit = 0.0, logDet = 0.0
        for i in 0..<n {
            fit += z[i] * alpha[i]
            logDet += log(factor.lower[i * n + i])
        }
        self.points = points
        self.lengthScale = lengthScale
        self.noise = noise
        self.logMarginalLikelihood = -0.5 * fit - logDet - 0.5 * Double(n) * log(2 * Double.pi)
        self.yMean = mean
        self.yScale = scale
        self.alpha = alpha
        self.factor = factor
    }

    /// Posterior mean and standard deviation at `x`, standardised (the units of `improvement`).
    package func standardisedPosterior(_ x: [Double]) -> (mean: Double, sd: Double) {
        let n = points.count
        var ks = [Double](repeating: 0, count: n)
        var mean = 0.0
        for i in 0..<n {
            ks[i] = Self.matern52(Self.distance(x, points[i]), lengthScale)
            mean += ks[i] * alpha[i]
        }
        // v = L⁻¹ k*, by forward substitution.
        var reduced = 0.0
        for i in 0..<n {
            var s = ks[i]
            for j in 0..<i { s -= factor.lower[i * n + j] * ks[j] }
            ks[i] = s / factor.lower[i * n + i]
            reduced += ks[i] * ks[i]
        }
        return (mean, max(0, 1 - reduced).squareRoot())
    }

    /// Posterior mean and standard deviation at `x`, in the values' units.
    package func posterior(_ x: [Double]) -> (mean: Double, sd: Double) {
        let (m, s) = standardisedPosterior(x)
        return (yMean + yScale * m, yScale * s)
    }

    /// `value` in standardised units.
    package func standardise(_ value: Double) -> Double { (value - yMean) / yScale }

    /// Expected improvement of a point with standardised posterior (`mean`, `sd`) over `best`.
    package static func expectedImprovement(mean: Double, sd: Double, best: Double, margin: Double) -> Double {
        let gain = mean - best - margin
        guard sd > 1e-12 else { return max(gain, 0) }
        let u = gain / sd
        let cdf = 0.5 * erfc(-u / 2.0.squareRoot())
        let pdf = exp(-0.5 * u * u) / (2 * Double.pi).squareRoot()
        return gain * cdf + sd * pdf
    }
}
