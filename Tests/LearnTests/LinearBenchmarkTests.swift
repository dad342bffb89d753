// Timings of the linear classifiers on a large feature matrix, for comparison with
// scikit-learn on the same numbers. Runs only when RECSCRIPT_LINEAR_BENCH names a directory
// holding xtrain.f32, ytrain.f32, xtest.f32, ytest.f32 (row-major float32, numpy's tofile) and
// columns.txt (the column count); otherwise skipped. Prints one line per fit; never asserts on
// time. Run it from a release build:
//   swift build -c release --scratch-path .build-rel --build-tests
//   RECSCRIPT_LINEAR_BENCH=/tmp/linbench .build-rel/release/RecScriptPackageTests.xctest --testing-library swift-testing --filter LinearBenchmark

import Foundation
import Testing
import Learn
import Frame

private let benchDirectory = ProcessInfo.processInfo.environment["RECSCRIPT_LINEAR_BENCH"]
private let benchFilter = ProcessInfo.processInfo.environment["RECSCRIPT_LINEAR_BENCH_ONLY"] ?? ""

private func loadFloats(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

private func loadSet(_ name: String, limit: Int?) throws -> (FeatureMatrix, [Float]) {
    let dir = benchDirectory!
    let columns = Int(try String(contentsOfFile: dir + "/columns.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
    var x = try loadFloats(dir + "/x\(name).f32")
    var y = try loadFloats(dir + "/y\(name).f32")
    if let limit, limit < y.count {
        y = Array(y[0..<limit])
        x = Array(x[0..<(limit * columns)])
    }
    return (FeatureMatrix(rows: y.count, columns: columns, values: x, names: (0..<columns).map { "c\($0)" }), y)
}

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

private func wanted(_ name: String) -> Bool { benchFilter.isEmpty || benchFilter.split(separator: ",").contains { name.hasPrefix($0) } }

/// The loss pass through two OpenBLAS sgemv calls (z = Xw, g = Xᵀr) and a parallel loop
/// between them: the alternative to LogisticLoss's fused single pass, timed against it.
private func sgemvSums(_ x: FeatureMatrix, _ y: [Float], _ w: [Double]) -> (Double, [Double]) {
    let n = x.rows, d = x.columns
    let wf = w[0..<d].map(Float.init)
    var z = [Float](repeating: 0, count: n)
    x.values.withUnsafeBufferPointer { a in
        wf.withUnsafeBufferPointer { v in
            z.withUnsafeMutableBufferPointer { out in
                BLAS.sgemv(m: n, n: d, a: a.baseAddress!, lda: d, x: v.baseAddress!, y: out.baseAddress!)
            }
        }
    }
    let b = w[d]
    let chunks = Parallel.chunks(n)
    var residual = [Float](repeating: 0, count: n)
    let partial: [(Double, Double)] = residual.withUnsafeMutableBufferPointer { rp in
        let r = SharedPointer(rp.baseAddress!)
        return Parallel.map(chunks.count) { c in
            var loss = 0.0, sum = 0.0
            for i in chunks[c] {
                let zi = Double(z[i]) + b, yi = Double(y[i])
                loss += LogisticLoss.loss(zi, yi)
                let res = LogisticLoss.sigmoid(zi) - yi
                r[i] = Float(res)
                sum += res
            }
            return (loss, sum)
        }
    }
    var g = [Float](repeating: 0, count: d)
    x.values.withUnsafeBufferPointer { a in
        residual.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { out in
                BLAS.sgemv(transpose: true, m: n, n: d, a: a.baseAddress!, lda: d, x: v.baseAddress!, y: out.baseAddress!)
            }
        }
    }
    return (partial.map(\.0).reduce(0, +), g.map(Double.init) + [partial.map(\.1).reduce(0, +)])
}

@Suite(.enabled(if: benchDirectory != nil, "set RECSCRIPT_LINEAR_BENCH to a directory of float32 matrices"))
struct LinearBenchmarkTests {
    @Test func logisticRegression() throws {
        let (train, ytrain) = try loadSet("train", limit: nil)
        let (test, ytest) = try loadSet("test", limit: nil)
        let labels = ytest.map(Double.init)
        print("BENCH data train=\(train.rows)x\(train.columns) test=\(test.rows) threads=\(Parallel.threadCount)")
        if wanted("kernel") {
            let w = (0...train.columns).map { 0.05 * Double($0 % 5) - 0.1 }
            var fused = LogisticLoss.sums(train, labels: ytrain, w: w, hessian: false)
            var blas = (0.0, [Double]())
            let tf = seconds { for _ in 0..<5 { fused = LogisticLoss.sums(train, labels: ytrain, w: w, hessian: false) } } / 5
            let tb = seconds { for _ in 0..<5 { blas = sgemvSums(train, ytrain, w) } } / 5
            let th = seconds { for _ in 0..<3 { _ = LogisticLoss.sums(train, labels: ytrain, w: w, hessian: true) } } / 3
            let gap = zip(fused.gradient, blas.1).map { abs($0 - $1) }.max()!
            print("BENCH kernel fused_ms=\(Int(tf * 1000)) sgemv_ms=\(Int(tb * 1000)) fused_with_hessian_ms=\(Int(th * 1000)) loss_gap=\(abs(fused.loss - blas.0)) gradient_gap=\(gap)")
        }
        for (name, penalty, solver) in [("lbfgs", LogisticRegression.Penalty.l2, LogisticRegression.Solver.lbfgs),
                                        ("newton", .l2, .newton), ("l1", .l1, .lbfgs)] where wanted("logreg-" + name) {
            var p = LogisticRegression.Parameters()
            p.penalty = penalty
            p.solver = solver
            var model: LogisticRegression?
            let t = try seconds { model = try LogisticRegression.fit(train, labels: ytrain, parameters: p, context: FitContext()) }
            let m = model!
            let auc = try Metrics.auc(scores: try m.probabilities(test, context: FitContext()), labels: labels)
            print("BENCH logreg-\(name) fit_s=\(String(format: "%.3f", t)) iterations=\(m.iterations) converged=\(m.converged) auc=\(String(format: "%.6f", auc)) train_logloss=\(m.trainingLogLoss) coef=\(m.coefficients.map { String(format: "%.5f", $0) }.joined(separator: ",")) intercept=\(m.intercept)")
        }
    }

    /// svc on the first `rows` training rows (RECSCRIPT_LINEAR_BENCH_SVC_ROWS, default 1M;
    /// RECSCRIPT_LINEAR_BENCH_RBF_ROWS, default 200k, for kernel=rbf), AUC on the first 300k
    /// test rows.
    @Test func linearSVC() throws {
        let env = ProcessInfo.processInfo.environment
        let linearRows = Int(env["RECSCRIPT_LINEAR_BENCH_SVC_ROWS"] ?? "") ?? 1_000_000
        let rbfRows = Int(env["RECSCRIPT_LINEAR_BENCH_RBF_ROWS"] ?? "") ?? 200_000
        let (test, ytest) = try loadSet("test", limit: 300_000)
        let labels = ytest.map(Double.init)
        for (name, kernel, loss, rows) in [("svc-linear", LinearSVC.Kernel.linear, LinearSVC.Loss.squaredHinge, linearRows),
                                           ("svc-hinge", .linear, .hinge, linearRows),
                                           ("svc-rbf", .rbf, .squaredHinge, rbfRows),
                                           ("svc-rbf20k", .rbf, .squaredHinge, 20_000)] where wanted(name) {
            let (train, ytrain) = try loadSet("train", limit: rows)
            var p = LinearSVC.Parameters()
            p.kernel = kernel
            p.loss = loss
            var model: LinearSVC?
            let t = try seconds { model = try LinearSVC.fit(train, labels: ytrain, parameters: p, context: FitContext()) }
            let m = model!
            var scores: [Double] = []
            let tp = try seconds { scores = try m.probabilities(test, context: FitContext()) }
            let auc = try Metrics.auc(scores: scores, labels: labels)
            print("BENCH \(name) rows=\(train.rows) fit_s=\(String(format: "%.3f", t)) predict_s=\(String(format: "%.3f", tp)) epochs=\(m.epochs) converged=\(m.converged) auc=\(String(format: "%.6f", auc)) platt=\(m.platt.a),\(m.platt.b) w=\(m.weights.prefix(22).map { String(format: "%.4f", $0) }.joined(separator: ",")) b=\(m.intercept)")
        }
    }
}
