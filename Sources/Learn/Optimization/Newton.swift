// Newton's method with a backtracking line search, for a smooth convex f of a few hundred
// variables at most, whose exact Hessian is cheap to form next to the gradient (logistic
// regression: ∇²f = XᵀDX / n + penalty).
//
//   solve ∇²f(x) d = -∇f(x) by Cholesky;  x ← x + α d, α = 1, ½, ¼, ... until
//   f(x + α d) <= f(x) + 10⁻⁴ α ∇f(x)ᵀd  (Armijo).
//
// When ∇²f is singular to working precision (an unpenalised model on separable data), the
// solve uses ∇²f + μI with μ = 10⁻¹⁰ max_j (∇²f)_jj, ten times larger until Cholesky succeeds
// (Levenberg's damping; the step stays a descent direction).
// Stops, converged, when max_j |∇f_j| <= tolerance (scikit-learn's newton-cholesky criterion)
// or when a step lowers f by less than 64 ε max(|f|, 1); not converged after `maxIterations`
// steps or when the line search cannot lower f.

/// Damped Newton's method with exact Hessians solved by Cholesky.
package enum Newton {
    /// Halvings of the step before the line search gives up.
    static let maxBacktracks = 40
    /// The first ridge tried when the Hessian is not numerically positive definite, relative
    /// to its largest diagonal entry.
    static let initialDamping = 1e-10

    /// Minimises from `start`; `objective(x, &gradient, &hessian)` returns f(x), writes ∇f(x)
    /// and the n x n row-major ∇²f(x).
    package static func minimize(
        start: [Double], maxIterations: Int, tolerance: Double,
        objective: (_ x: [Double], _ gradient: inout [Double], _ hessian: inout [Double]) throws(LearnError) -> Double,
        afterIteration: (Int) throws(LearnError) -> Void = { _ throws(LearnError) in }
    ) throws(LearnError) -> LBFGS.Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: n * n)
        var f = try objective(x, &g, &h)
        var evaluations = 1
        var iterations = 0
        var converged = false
        while true {
            let norm = g.reduce(0) { Swift.max($0, abs($1)) }
            if norm <= tolerance { converged = true; break }
            if iterations >= maxIterations { break }
            guard f.isFinite, norm.isFinite else { break }
            let d = direction(hessian: h, gradient: g, n: n)
            let slope = LBFGS.dot(g, d)
            guard slope < 0 else { break }
            var step = 1.0
            var accepted = false
            var newX = x, newG = g, newH = h, newF = f
            for _ in 0..<maxBacktracks {
                for j in 0..<n { newX[j] = x[j] + step * d[j] }
                newF = try objective(newX, &newG, &newH)
                evaluations += 1
                if newF.isFinite && newF <= f + LBFGS.armijo * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { break }
            iterations += 1
            let previous = f
            x = newX; g = newG; h = newH; f = newF
            try afterIteration(iterations)
            if previous - f <= LBFGS.relativeDecreaseTolerance * Swift.max(abs(previous), abs(f), 1) {
                converged = true
                break
            }
        }
        return LBFGS.Result(x: x, value: f, iterations: iterations, evaluations: evaluations, converged: converged,
                            gradientNorm: g.reduce(0) { Swift.max($0, abs($1)) })
    }

    /// -H⁻¹g, damping H until Cholesky succeeds.
    static func direction(hessian h: [Double], gradient g: [Double], n: Int) -> [Double] {
        let negative = g.map { -$0 }
        if let factor = Cholesky(h, n: n) { return factor.solve(negative) }
        let largest = (0..<n).reduce(0.0) { Swift.max($0, abs(h[$1 * n + $1])) }
        var mu = Swift.max(largest, 1e-300) * initialDamping
        while mu.isFinite {
            var damped = h
            for j in 0..<n { damped[j * n + j] += mu }
            if let factor = Cholesky(damped, n: n) { return factor.solve(negative) }
            mu *= 10
        }
        return negative
    }
}
