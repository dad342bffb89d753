// Logistic regression with scikit-learn's objective (LogisticRegression), so the same C gives
// the same coefficients:
//
//   minimise  C Σ_i ℓ(x_iᵀw + b, y_i) + R(w),   ℓ(z, y) = log(1 + e^z) - y z
//   R(w) = ½‖w‖² (penalty=l2),  ‖w‖₁ (l1),  0 (none);  the intercept b is not penalised.
//
// The solvers minimise the same objective divided by C n, as scikit-learn does, so `tol` means
// the same thing there and here: F(w, b) = (1/n) Σ ℓ_i + R(w) / (C n), and the fit stops when
// the largest component of F's (projected or pseudo-) gradient is at most tol.
//   solver=lbfgs: L-BFGS (Optimization/LBFGS.swift), one pass over the rows per evaluation.
//   solver=newton: Newton's method with the exact Hessian XᵀDX / n + I / (C n), D = p(1 - p),
//     solved by Cholesky (Optimization/Newton.swift); a few iterations, each a pass that also
//     forms the (d + 1)² Hessian.
//   penalty=l1: always OWL-QN (L-BFGS restricted to an orthant at each step), whatever `solver`
//     says, because ‖w‖₁ has no Hessian; it sets coefficients exactly to zero.
// The loss pass (LogisticLoss.swift) runs on every core in fixed row blocks, so the fitted
// coefficients do not depend on the number of cores. Start: w = 0, b = 0.
// Scores: P(y = 1 | x) = σ(xᵀw + b).

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression with an l2, l1 or no penalty (scikit-learn's objective).
package struct LogisticRegression: Classifier {
    /// The penalty R(w) on the coefficients.
    package enum Penalty: String, Sendable, CaseIterable { case l2, l1, none }
    /// How the l2 or unpenalised objective is minimised.
    package enum Solver: String, Sendable, CaseIterable { case lbfgs, newton }

    /// The hyperparameters of logistic regression.
    package struct Parameters: Sendable, Equatable {
        package var penalty: Penalty = .l2
        /// Inverse regularisation strength: the weight of the summed loss against R(w).
        package var c: Double = 1
        package var solver: Solver = .lbfgs
        package var maxIterations: Int = 100
        package var tolerance: Double = 1e-4
        package init() {}
    }

    package static let kindName = "logreg"
    package static let summary = "logistic regression with an l2, l1 or no penalty, P(label = 1) = σ(xᵀw + b)"
    package static let details = [
        "Minimises C Σ log-loss + penalty(w) with the intercept unpenalised: the objective of scikit-learn's LogisticRegression, so the same C gives the same coefficients. penalty=l2 is ½‖w‖², l1 is ‖w‖₁ (which sets coefficients of useless features to exactly zero), none fits the unpenalised likelihood.",
        "solver=lbfgs uses L-BFGS; solver=newton uses Newton's method with the exact Hessian XᵀDX solved by Cholesky, best when there are few feature columns. penalty=l1 always uses OWL-QN (orthant-wise L-BFGS), whatever solver says. The fit stops when the largest component of the gradient of the objective divided by C·n is at most tol (scikit-learn's criterion), or after max_iter iterations; `converged` says which.",
        "Each pass over the rows runs on every core in fixed blocks, so the coefficients do not depend on the machine. Numeric features are standardised unless scale= says otherwise; the coefficients are per standardised unit.",
    ]
    package static let examples = ["m = fit logreg on train", "m = fit logreg on train penalty=l1 C=0.1",
                                   "m = fit logreg on train solver=newton"]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .choice("penalty", \.penalty, "the penalty on the coefficients: l2 (½‖w‖²), l1 (‖w‖₁) or none"),
        .number("C", \.c, min: 0, max: 1e12, openMin: true, logScale: true,
                "inverse regularisation strength: the weight of the summed log-loss against the penalty"),
        .choice("solver", \.solver, "lbfgs (quasi-Newton) or newton (exact Hessian, Cholesky); l1 always uses OWL-QN"),
        .integer("max_iter", \.maxIterations, 1...1_000_000, "most iterations of the solver"),
        .number("tol", \.tolerance, min: 0, max: 1, openMin: true, logScale: true,
                "stop when the largest gradient component of the objective / (C·n) is at most this"),
    ]
    package static let defaultScaling = FeatureScaling.standard

    package let parameters: Parameters
    /// One coefficient per feature column.
    package let coefficients: [Double]
    package let intercept: Double
    /// The iterations the solver took.
    package let iterations: Int
    package let converged: Bool
    /// Mean log-loss on the training rows at the fitted coefficients.
    package let trainingLogLoss: Double
    /// The method that ran: "L-BFGS", "Newton (Cholesky)" or "OWL-QN".
    package let method: String

    package init(parameters: Parameters, coefficients: [Double], intercept: Double, iterations: Int,
                 converged: Bool, trainingLogLoss: Double, method: String) {
        self.parameters = parameters
        self.coefficients = coefficients
        self.intercept = intercept
        self.iterations = iterations
        self.converged = converged
        self.trainingLogLoss = trainingLogLoss
        self.method = method
    }

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                            context: FitContext) throws(LearnError) -> LogisticRegression {
        _ = try BinaryLabels.check(x, labels, kind: kindName)
        let d = x.columns, p = d + 1
        let n = Double(x.rows)
        let ridge = parameters.penalty == .l2 ? 1 / (parameters.c * n) : 0
        /// R(w) / (C n) for the l2 part (the l1 part is the optimiser's).
        func l2Term(_ w: [Double]) -> Double {
            guard ridge > 0 else { return 0 }
            var s = 0.0
            for j in 0..<d { s += w[j] * w[j] }
            return 0.5 * ridge * s
        }
        let progress: (Int) throws(LearnError) -> Void = { k throws(LearnError) in
            try context.checkCancelled()
            context.report(Double(k) / Double(parameters.maxIterations), "iteration \(k)")
        }
        let start = [Double](repeating: 0, count: p)
        let result: LBFGS.Result
        let method: String
        if parameters.penalty != .l1 && parameters.solver == .newton {
            method = "Newton (Cholesky)"
            result = try Newton.minimize(start: start, maxIterations: parameters.maxIterations,
                                         tolerance: parameters.tolerance, objective: { w, g, h throws(LearnError) in
                try context.checkCancelled()
                let sums = LogisticLoss.sums(x, labels: labels, w: w, hessian: true)
                for j in 0..<p { g[j] = sums.gradient[j] / n + (j < d ? ridge * w[j] : 0) }
                for i in 0..<(p * p) { h[i] = sums.hessian[i] / n }
                for j in 0..<d { h[j * p + j] += ridge }
                return sums.loss / n + l2Term(w)
            }, afterIteration: progress)
        } else {
            let l1 = parameters.penalty == .l1 ? 1 / (parameters.c * n) : 0
            method = l1 > 0 ? "OWL-QN" : "L-BFGS"
            var options = LBFGS.Options(maxIterations: parameters.maxIterations, tolerance: parameters.tolerance,
                                        l1: l1, penalised: (0..<p).map { $0 < d })
            options.memory = LBFGS.defaultMemory
            result = try LBFGS.minimize(start: start, options: options, objective: { w, g throws(LearnError) in
                try context.checkCancelled()
                let sums = LogisticLoss.sums(x, labels: labels, w: w, hessian: false)
                for j in 0..<p { g[j] = sums.gradient[j] / n + (j < d ? ridge * w[j] : 0) }
                return sums.loss / n + l2Term(w)
            }, afterIteration: progress)
        }
        let w = result.x
        guard w.allSatisfy(\.isFinite) else {
            throw .numerical("logreg diverged (a coefficient became infinite); use penalty=l2 or a smaller C")
        }
        var penalty = l2Term(w)
        if parameters.penalty == .l1 { penalty = (0..<d).reduce(0.0) { $0 + abs(w[$1]) } / (parameters.c * n) }
        context.report(1, "done")
        return LogisticRegression(parameters: parameters, coefficients: Array(w[0..<d]), intercept: w[d],
                                  iterations: result.iterations, converged: result.converged,
                                  trainingLogLoss: result.value - penalty, method: method)
    }

    /// xᵀw + b for each row.
    package func decisionValues(_ x: FeatureMatrix) -> [Double] {
        let d = x.columns
        precondition(d == coefficients.count, "logreg was fitted on \(coefficients.count) columns, not \(d)")
        return x.values.withUnsafeBufferPointer { v in
            coefficients.withUnsafeBufferPointer { w in
                Parallel.array(x.rows) { r in
                    var z = intercept
                    let row = v.baseAddress! + r * d
                    for j in 0..<d { z += Double(row[j]) * w[j] }
                    return z
                }
            }
        }
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try context.checkCancelled()
        return decisionValues(x).map(LogisticLoss.sigmoid)
    }

    package var facts: [(String, SummaryValue)] {
        [("method", .text(method)), ("iterations", .int(iterations)), ("converged", .text(converged ? "yes" : "no")),
         ("training log loss", .number(trainingLogLoss))]
    }

    package var featureWeights: FeatureWeights? {
        FeatureWeights(title: "coefficient", values: coefficients, intercept: intercept)
    }
}
