// LogisticRegression: the loss pass against finite differences and its plain reference, the two
// solvers at one optimum, coefficients against scikit-learn's, l1's exact zeros, every
// hyperparameter's effect, and degenerate data.

import Foundation
import Testing
import Learn

/// 40 rows, 3 features (normal draws rounded to 2 decimals), labels from
/// 1.5 x0 - x1 + 0.3 + logistic noise > 0, so x2 is useless. Made with numpy
/// (default_rng(7)); see `sklearnReference` for the fits.
let logregRows: [([Float], Float)] = [
    ([0.00, 0.30, -0.27], 1), ([-0.89, -0.45, -0.99], 1), ([0.06, 1.34, -0.49], 0), ([-0.62, 0.49, 0.36], 0),
    ([0.11, -0.93, -0.03], 1), ([0.70, -1.34, -0.46], 1), ([-1.90, -1.29, -1.84], 0), ([-0.24, -1.27, 0.27], 0),
    ([0.16, -0.19, -2.52], 1), ([-0.54, -0.05, 0.11], 1), ([-1.53, -0.48, -0.98], 0), ([-0.81, 1.06, -0.81], 0),
    ([-0.03, 0.88, -0.58], 0), ([-0.11, 0.11, 0.06], 1), ([-1.23, 0.08, 1.36], 0), ([-1.55, 0.86, 0.12], 1),
    ([-0.64, 2.00, 0.76], 0), ([-1.20, 0.07, 0.58], 0), ([-0.19, 0.68, -0.07], 1), ([0.67, 1.44, -0.68], 1),
    ([0.20, -0.46, 0.13], 1), ([-1.19, -0.58, -0.20], 0), ([0.90, 1.15, -1.32], 1), ([-0.79, 0.65, -1.99], 0),
    ([-0.46, -0.10, 1.26], 1), ([0.69, -0.33, -0.37], 0), ([-0.25, 1.52, -0.43], 0), ([-0.30, 0.35, -0.12], 0),
    ([-0.20, -1.11, -0.01], 1), ([-0.44, 1.17, 0.65], 0), ([-0.02, 0.67, -0.34], 1), ([1.05, -0.01, 0.58], 1),
    ([-1.29, 0.35, -1.69], 0), ([-2.04, -0.30, -0.90], 0), ([0.16, 2.24, -0.83], 1), ([-0.62, 0.21, 0.49], 0),
    ([-0.18, -0.21, 0.70], 0), ([0.52, -1.03, -0.08], 1), ([0.04, -1.05, 0.26], 0), ([-0.86, 0.97, 0.19], 0),
]

func logregFixture(extra: ((Int) -> Float)? = nil) -> (FeatureMatrix, [Float]) {
    var names = ["x0", "x1", "x2"]
    var values: [Float] = []
    for (i, (row, _)) in logregRows.enumerated() {
        values += row
        if let extra { values.append(extra(i)) }
    }
    if extra != nil { names.append("extra") }
    return (FeatureMatrix(rows: logregRows.count, columns: names.count, values: values, names: names), logregRows.map(\.1))
}

func logregParameters(penalty: LogisticRegression.Penalty = .l2, c: Double = 1, solver: LogisticRegression.Solver = .lbfgs,
                      maxIterations: Int = 1000, tolerance: Double = 1e-10) -> LogisticRegression.Parameters {
    var p = LogisticRegression.Parameters()
    p.penalty = penalty
    p.c = c
    p.solver = solver
    p.maxIterations = maxIterations
    p.tolerance = tolerance
    return p
}

/// A FeatureMatrix of `rows` x `columns` deterministic values in [-2, 2] and labels that
/// depend on them, from a seeded generator.
func randomClassification(rows: Int, columns: Int, seed: UInt64) -> (FeatureMatrix, [Float]) {
    var state = seed
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1.0p-53
    }
    var values = [Float](repeating: 0, count: rows * columns), labels = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
        var z = 0.0
        for c in 0..<columns {
            let v = 4 * next() - 2
            values[r * columns + c] = Float(v)
            z += v * Double(c % 3 == 0 ? 1 : -0.5)
        }
        labels[r] = next() < 1 / (1 + exp(-z)) ? 1 : 0
    }
    return (FeatureMatrix(rows: rows, columns: columns, values: values, names: (0..<columns).map { "c\($0)" }), labels)
}

@Suite struct LogisticRegressionTests {
    /// ∂(Σℓ)/∂w_j against the central difference (Σℓ(w + h e_j) - Σℓ(w - h e_j)) / 2h, and
    /// the Hessian against the same difference of the gradient.
    @Test func gradientAndHessianMatchFiniteDifferences() {
        let (x, y) = logregFixture()
        let w = [0.7, -0.4, 0.2, 0.1]
        let sums = LogisticLoss.sums(x, labels: y, w: w, hessian: true)
        let h = 1e-5
        for j in 0..<4 {
            var up = w, down = w
            up[j] += h
            down[j] -= h
            let plus = LogisticLoss.sums(x, labels: y, w: up, hessian: false)
            let minus = LogisticLoss.sums(x, labels: y, w: down, hessian: false)
            #expect(abs((plus.loss - minus.loss) / (2 * h) - sums.gradient[j]) < 1e-6)
            for k in 0..<4 {
                // The Hessian is a Float GEMM: about 7 significant digits.
                #expect(abs((plus.gradient[k] - minus.gradient[k]) / (2 * h) - sums.hessian[k * 4 + j]) < 1e-4)
            }
        }
    }

    /// The blocked parallel pass equals the row-by-row reference on more rows than one block.
    @Test func blockedSumsEqualTheReference() {
        let (x, y) = randomClassification(rows: 2 * LogisticLoss.blockRows + 123, columns: 5, seed: 3)
        let w = [0.3, -0.2, 0.1, 0.05, -0.6, 0.25]
        let fast = LogisticLoss.sums(x, labels: y, w: w, hessian: true)
        let slow = LogisticLoss.referenceSums(x, labels: y, w: w, hessian: true)
        #expect(abs(fast.loss - slow.loss) <= 1e-9 * abs(slow.loss))
        for j in 0..<6 { #expect(abs(fast.gradient[j] - slow.gradient[j]) <= 1e-9 * Swift.max(1, abs(slow.gradient[j]))) }
        for i in 0..<36 { #expect(abs(fast.hessian[i] - slow.hessian[i]) <= 1e-5 * Swift.max(1, abs(slow.hessian[i]))) }
    }

    /// Huge scores give a finite loss: log1p(exp(-|z|)) never overflows.
    @Test func lossIsStableForLargeScores() {
        #expect(LogisticLoss.loss(800, 1) == 0)
        #expect(LogisticLoss.loss(-800, 0) == 0)
        #expect(LogisticLoss.loss(800, 0) == 800)
        #expect(abs(LogisticLoss.loss(0, 1) - log(2)) < 1e-15)
        #expect(LogisticLoss.sigmoid(-800) == 0 && LogisticLoss.sigmoid(800) == 1)
    }

    @Test(arguments: [LogisticRegression.Penalty.l2, .none])
    func lbfgsAndNewtonReachTheSameOptimum(_ penalty: LogisticRegression.Penalty) throws {
        let (x, y) = logregFixture()
        let a = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: penalty, solver: .lbfgs), context: FitContext())
        let b = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: penalty, solver: .newton), context: FitContext())
        #expect(a.converged && b.converged)
        #expect(a.method == "L-BFGS" && b.method == "Newton (Cholesky)")
        for j in 0..<3 { #expect(abs(a.coefficients[j] - b.coefficients[j]) < 1e-7) }
        #expect(abs(a.intercept - b.intercept) < 1e-7)
        #expect(b.iterations < a.iterations)
    }

    /// Expected numbers: scikit-learn 1.9.1, LogisticRegression(C=C, tol=1e-12,
    /// max_iter=100000) (lbfgs) on the fixture as float32 values widened to float64; penalty
    /// none as C=1e12; l1 as LogisticRegression(C=C, l1_ratio=1.0, solver='saga', tol=1e-15,
    /// max_iter=3000000), whose KKT conditions we checked (|C ∂ℓ/∂w_j| = 1 where w_j != 0,
    /// <= 1 where w_j = 0, C ∂ℓ/∂b = 4e-15).
    static let sklearnReference: [(LogisticRegression.Penalty, Double, [Double], Double)] = [
        (.l2, 1, [1.310859372564256, -0.23792890844942996, -0.17367988501643017], 0.24595046976095292),
        (.l2, 0.3, [0.8783287034230647, -0.16957095108635103, -0.11452557146509806], 0.10858817656475432),
        (.l2, 0.1, [0.47593746775707724, -0.09687497429478452, -0.058899897025715194], -0.02687401161259991),
        (.none, 1, [1.7696414155541091, -0.29843624994959433, -0.23048647257496918], 0.38485065952852876),
        (.l1, 1, [1.4013541621439307, -0.11383378763521179, -0.005362024852671791], 0.2818590487003717),
        (.l1, 0.3, [0.7711653393945783, 0.0, 0.0], 0.06693077494207496),
    ]

    @Test(arguments: 0..<6)
    func coefficientsMatchScikitLearn(_ k: Int) throws {
        let (penalty, c, coefficients, intercept) = Self.sklearnReference[k]
        let (x, y) = logregFixture()
        for solver in LogisticRegression.Solver.allCases {
            let m = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: penalty, c: c, solver: solver),
                                               context: FitContext())
            #expect(m.converged)
            for j in 0..<3 { #expect(abs(m.coefficients[j] - coefficients[j]) < 1e-6, "\(penalty) C=\(c) \(solver) w\(j)") }
            #expect(abs(m.intercept - intercept) < 1e-6)
            if penalty == .l1 { #expect(m.method == "OWL-QN") }
        }
    }

    /// l1 makes the useless feature x2 exactly zero at C=0.3 (with x1); at C=0.1 every
    /// coefficient is zero and the intercept is the log-odds of the 18 positives in 40 rows.
    @Test func l1GivesExactZeros() throws {
        let (x, y) = logregFixture()
        let m = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: .l1, c: 0.3), context: FitContext())
        #expect(m.coefficients[1] == 0 && m.coefficients[2] == 0 && m.coefficients[0] > 0.77)
        let empty = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: .l1, c: 0.1), context: FitContext())
        #expect(empty.coefficients == [0, 0, 0])
        #expect(abs(empty.intercept - log(18.0 / 22.0)) < 1e-6)
    }

    /// A constant column changes nothing: with l2 its coefficient is zero (the intercept
    /// absorbs it); unpenalised, the Hessian is singular and the damped Newton step and
    /// L-BFGS still give the same probabilities as without it.
    @Test func constantColumnIsHarmless() throws {
        let (x, y) = logregFixture()
        let (xc, _) = logregFixture(extra: { _ in 2 })
        for solver in LogisticRegression.Solver.allCases {
            let plain = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(solver: solver), context: FitContext())
            let with = try LogisticRegression.fit(xc, labels: y, parameters: logregParameters(solver: solver), context: FitContext())
            #expect(abs(with.coefficients[3]) < 1e-6)
            for j in 0..<3 { #expect(abs(with.coefficients[j] - plain.coefficients[j]) < 1e-7) }
            let free = try LogisticRegression.fit(xc, labels: y, parameters: logregParameters(penalty: .none, solver: solver), context: FitContext())
            let freePlain = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(penalty: .none, solver: solver), context: FitContext())
            let p = try free.probabilities(xc, context: FitContext()), q = try freePlain.probabilities(x, context: FitContext())
            for r in 0..<p.count { #expect(abs(p[r] - q[r]) < 1e-6) }
        }
    }

    /// Moving any one hyperparameter away from the fixture's settings changes the model.
    @Test func everyHyperparameterChangesTheResult() throws {
        let (x, y) = logregFixture()
        let base = logregParameters(maxIterations: 100, tolerance: 1e-4)
        let reference = try LogisticRegression.fit(x, labels: y, parameters: base, context: FitContext())
        var changed: [String: LogisticRegression] = [:]
        for h in LogisticRegression.hyperparameters {
            var p = base
            switch h.name {
            case "penalty": p.penalty = .l1
            case "C": p.c = 0.2
            case "solver": p.solver = .newton
            case "max_iter": p.maxIterations = 2
            case "tol": p.tolerance = 1e-12
            default: Issue.record("untested hyperparameter \(h.name)")
            }
            changed[h.name] = try LogisticRegression.fit(x, labels: y, parameters: p, context: FitContext())
        }
        for (name, m) in changed {
            let differs = m.coefficients != reference.coefficients || m.iterations != reference.iterations || m.method != reference.method
            #expect(differs, "\(name) made no difference")
        }
        #expect(changed["max_iter"]!.converged == false && changed["max_iter"]!.iterations == 2)
    }

    @Test func factsAndWeights() throws {
        let (x, y) = logregFixture()
        let m = try LogisticRegression.fit(x, labels: y, parameters: logregParameters(), context: FitContext())
        #expect(m.featureWeights == FeatureWeights(title: "coefficient", values: m.coefficients, intercept: m.intercept))
        let p = try m.probabilities(x, context: FitContext())
        var logLoss = 0.0
        for (prob, label) in zip(p, y) { logLoss -= (label == 1 ? log(prob) : log(1 - prob)) / 40 }
        #expect(abs(m.trainingLogLoss - logLoss) < 1e-12)
        #expect(m.facts.map(\.0) == ["method", "iterations", "converged", "training log loss"])
        #expect(LogisticRegression.hyperparameters.map(\.name) == ["penalty", "C", "solver", "max_iter", "tol"])
    }

    @Test func degenerateDataIsAClearError() {
        let (x, _) = logregFixture()
        #expect(throws: LearnError.self) {
            try LogisticRegression.fit(x, labels: [Float](repeating: 1, count: 40), parameters: logregParameters(), context: FitContext())
        }
        let oneClass = #expect(throws: LearnError.self) {
            try LogisticRegression.fit(x, labels: [Float](repeating: 0, count: 40), parameters: logregParameters(), context: FitContext())
        }
        #expect(oneClass?.description.hasPrefix("logreg needs both classes in the training labels, but every one of the 40 rows has label 0") == true)
        let empty = FeatureMatrix(rows: 0, names: ["a"])
        #expect(throws: LearnError.emptyData("the training data of logreg")) {
            try LogisticRegression.fit(empty, labels: [], parameters: logregParameters(), context: FitContext())
        }
        var nan = x
        nan[5, 1] = .nan
        #expect(throws: LearnError.missingValues(column: "x1", role: nil, count: 1)) {
            try LogisticRegression.fit(nan, labels: logregRows.map(\.1), parameters: logregParameters(), context: FitContext())
        }
        #expect(throws: LearnError.self) {
            try LogisticRegression.fit(x, labels: [Float](repeating: 2, count: 40), parameters: logregParameters(), context: FitContext())
        }
    }
}
