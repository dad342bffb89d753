// L-BFGS (Nocedal 1980; Liu and Nocedal 1989) and its orthant-wise extension OWL-QN (Andrew
// and Gao 2007), for minimising
//
//   F(x) = f(x) + λ Σ_{j ∈ P} |x_j|
//
// where f is smooth and convex with gradient ∇f, λ >= 0 and P the penalised coordinates (all but
// an intercept). With λ = 0 it is plain L-BFGS.
//
// Pseudo-gradient ◇F (the steepest-descent direction's negative; ∇F where F is differentiable):
//   j ∉ P or x_j > 0: ∇f_j + λ[j ∈ P];   x_j < 0: ∇f_j - λ;
//   x_j = 0: ∇f_j + λ when that is < 0, ∇f_j - λ when that is > 0, else 0.
// Direction: d = -H ◇F, H the two-loop L-BFGS inverse Hessian from the last m pairs
// s = x_{k+1} - x_k, y = ∇f_{k+1} - ∇f_k (the smooth part only), scaled by sᵀy / yᵀy; then
// every d_j whose sign disagrees with -◇F_j is zeroed, so d is a descent direction of F.
// Step: x(α) = π(x + α d; ξ), where ξ_j = sign(x_j), or sign(-◇F_j) at x_j = 0, and π zeroes
// the penalised coordinates that leave the orthant ξ (this is how l1 makes exact zeros).
// Backtracking from α = 1 (1 / ‖◇F‖ on the first step) by halves until the Armijo condition
// F(x(α)) <= F(x) + 10⁻⁴ ◇Fᵀ(x(α) - x). A pair with sᵀy <= 10⁻¹⁰ yᵀy is not stored (f convex
// makes sᵀy >= 0; this keeps H positive definite).
//
// Stops, converged, when max_j |◇F_j| <= tolerance (scikit-learn's lbfgs stops on the max norm
// of the projected gradient, scipy's pgtol), or when an iteration lowers F by less than
// 64 ε max(|F|, 1) (scipy's ftol, as scikit-learn sets it); stops, not converged, after
// `maxIterations` iterations or when the line search cannot lower F.

/// L-BFGS, or OWL-QN when an l1 penalty is given: minimises f(x) + λ Σ_{penalised j} |x_j|.
package enum LBFGS {
    /// Correction pairs kept (scipy's maxcor default).
    package static let defaultMemory = 10
    /// Halvings of the step before the line search gives up (α < 2⁻⁶⁰).
    static let maxBacktracks = 60
    /// The Armijo sufficient-decrease constant.
    static let armijo = 1e-4
    /// The relative decrease below which the iteration has stalled (scipy's factr = 64).
    static let relativeDecreaseTolerance = 64 * Double.ulpOfOne

    /// How to minimise.
    package struct Options: Sendable {
        package var maxIterations: Int
        /// Converged when the largest |pseudo-gradient| component is at most this.
        package var tolerance: Double
        /// λ of the l1 term; 0 for plain L-BFGS.
        package var l1: Double = 0
        /// Which coordinates the l1 term covers (nil: all).
        package var penalised: [Bool]? = nil
        package var memory: Int = LBFGS.defaultMemory

        package init(maxIterations: Int, tolerance: Double, l1: Double = 0, penalised: [Bool]? = nil) {
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.l1 = l1
            self.penalised = penalised
        }
    }

    /// Where the minimisation ended.
    package struct Result: Sendable {
        package var x: [Double]
        /// F(x), the l1 term included.
        package var value: Double
        package var iterations: Int
        package var evaluations: Int
        package var converged: Bool
        /// max_j |◇F_j| at `x`.
        package var gradientNorm: Double
    }

    /// Minimises from `start`; `objective(x, &gradient)` returns f(x) and writes ∇f(x).
    /// `afterIteration(k)` runs after iteration k (cancellation, progress).
    package static func minimize(
        start: [Double], options: Options,
        objective: (_ x: [Double], _ gradient: inout [Double]) throws(LearnError) -> Double,
        afterIteration: (Int) throws(LearnError) -> Void = { _ throws(LearnError) in }
    ) throws(LearnError) -> Result {
        let n = start.count
        let lambda = options.l1
        let penalised = options.penalised ?? [Bool](repeating: true, count: n)
        precondition(penalised.count == n, "one penalised flag per coordinate")
        func l1Term(_ x: [Double]) -> Double {
            guard lambda > 0 else { return 0 }
            var s = 0.0
            for j in 0..<n where penalised[j] { s += abs(x[j]) }
            return lambda * s
        }
        func pseudoGradient(_ x: [Double], _ g: [Double]) -> [Double] {
            guard lambda > 0 else { return g }
            var pg = g
            for j in 0..<n where penalised[j] {
                if x[j] > 0 { pg[j] = g[j] + lambda }
                else if x[j] < 0 { pg[j] = g[j] - lambda }
                else if g[j] + lambda < 0 { pg[j] = g[j] + lambda }
                else if g[j] - lambda > 0 { pg[j] = g[j] - lambda }
                else { pg[j] = 0 }
            }
            return pg
        }

        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = try objective(x, &g) + l1Term(x)
        var evaluations = 1
        var pg = pseudoGradient(x, g)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var iterations = 0
        var converged = false
        while true {
            let norm = pg.reduce(0) { Swift.max($0, abs($1)) }
            if norm <= options.tolerance { converged = true; break }
            if iterations >= options.maxIterations { break }
            guard f.isFinite, norm.isFinite else { break }

            // Two-loop recursion: d = -H pg.
            var q = pg
            var alphas = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alphas[i] = rho[i] * dot(s[i], q)
                axpy(-alphas[i], y[i], &q)
            }
            if let sl = s.last, let yl = y.last {
                let scale = dot(sl, yl) / dot(yl, yl)
                for j in 0..<n { q[j] *= scale }
            }
            for i in 0..<s.count {
                let beta = rho[i] * dot(y[i], q)
                axpy(alphas[i] - beta, s[i], &q)
            }
            var d = q.map { -$0 }
            if lambda > 0 {
                for j in 0..<n where d[j] * pg[j] >= 0 { d[j] = 0 }
            }
            var slope = dot(pg, d)
            if !(slope < 0) {
                // Not a descent direction (numerical loss of curvature): restart from -pg.
                s.removeAll(); y.removeAll(); rho.removeAll()
                d = pg.map { -$0 }
                slope = dot(pg, d)
            }
            let orthant: [Double] = lambda > 0
                ? (0..<n).map { j in x[j] != 0 ? (x[j] > 0 ? 1 : -1) : (pg[j] < 0 ? 1 : (pg[j] > 0 ? -1 : 0)) }
                : []

            // Backtracking line search along the projected path.
            var step = s.isEmpty ? Swift.min(1, 1 / Swift.max(dot(d, d).squareRoot(), 1e-300)) : 1.0
            var accepted = false
            var newX = x, newG = g, newF = f
            for _ in 0..<maxBacktracks {
                for j in 0..<n { newX[j] = x[j] + step * d[j] }
                if lambda > 0 {
                    for j in 0..<n where penalised[j] && newX[j] * orthant[j] <= 0 { newX[j] = 0 }
                }
                newF = try objective(newX, &newG) + l1Term(newX)
                evaluations += 1
                var decrease = 0.0
                for j in 0..<n { decrease += pg[j] * (newX[j] - x[j]) }
                if newF.isFinite && newF <= f + armijo * decrease { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { break }
            iterations += 1

            var sk = [Double](repeating: 0, count: n), yk = [Double](repeating: 0, count: n)
            for j in 0..<n { sk[j] = newX[j] - x[j]; yk[j] = newG[j] - g[j] }
            let sy = dot(sk, yk), yy = dot(yk, yk)
            if sy > 1e-10 * yy && yy > 0 {
                if s.count == options.memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
                s.append(sk); y.append(yk); rho.append(1 / sy)
            }
            let previous = f
            x = newX; g = newG; f = newF
            pg = pseudoGradient(x, g)
            try afterIteration(iterations)
            if previous - f <= relativeDecreaseTolerance * Swift.max(abs(previous), abs(f), 1) {
                converged = true
                break
            }
        }
        return Result(x: x, value: f, iterations: iterations, evaluations: evaluations, converged: converged,
                      gradientNorm: pg.reduce(0) { Swift.max($0, abs($1)) })
    }

    @inline(__always)
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for j in 0..<a.count { s += a[j] * b[j] }
        return s
    }

    @inline(__always)
    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for j in 0..<x.count { y[j] += alpha * x[j] }
    }
}
