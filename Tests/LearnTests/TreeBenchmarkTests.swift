// The tree learners timed on a large feature matrix written by bench/peers/trees.py (features
// mode), for comparison with LightGBM and scikit-learn on the same rows; skipped unless
// RECSCRIPT_TREE_BENCH names the matrix's directory. Run it in a release build:
//   swift build -c release --scratch-path .build-rel --build-tests
//   RECSCRIPT_TREE_BENCH=DIR RECSCRIPT_TREE_BENCH_KIND=gbt|forest RECSCRIPT_TREE_BENCH_ARGS="trees=200" \
//     [RECSCRIPT_TREE_BENCH_ROWS=1000000] .build-rel/release/RecScriptPackageTests.xctest --testing-library swift-testing \
//     --filter treeBenchmark
// It prints one JSON line: fit and predict seconds, test AUC, the model's facts.

import Foundation
import Testing
import Frame
import Learn

private let benchDirectory = ProcessInfo.processInfo.environment["RECSCRIPT_TREE_BENCH"]

@Suite struct TreeBenchmarkTests {
    @Test(.enabled(if: benchDirectory != nil)) func treeBenchmark() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = benchDirectory!
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/meta.json"))) as! [String: Any]
        let columns = meta["columns"] as! Int, names = meta["names"] as! [String]
        func floats(_ file: String) throws -> [Float] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(file)"))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        var trainX = try floats("train_x.f32"), trainY = try floats("train_y.f32")
        if let limit = env["RECSCRIPT_TREE_BENCH_ROWS"].flatMap(Int.init), limit < trainY.count {
            trainX = Array(trainX[..<(limit * columns)])
            trainY = Array(trainY[..<limit])
        }
        let testX = try floats("test_x.f32"), testY = try floats("test_y.f32")
        let train = FeatureMatrix(rows: trainY.count, columns: columns, values: trainX, names: names)
        let test = FeatureMatrix(rows: testY.count, columns: columns, values: testX, names: names)
        let settings = (env["RECSCRIPT_TREE_BENCH_ARGS"] ?? "").split(separator: " ").map { $0.split(separator: "=").map(String.init) }
        let kind = env["RECSCRIPT_TREE_BENCH_KIND"] ?? "gbt"
        let clock = ContinuousClock()
        var fitSeconds = 0.0, predictSeconds = 0.0
        var probabilities = [Double](), facts = [(String, SummaryValue)]()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        if kind == "gbt" {
            var p = GradientBoosting.defaults
            for s in settings { apply(s, GradientBoosting.hyperparameters, &p) }
            var model: GradientBoosting?
            fitSeconds = seconds(try clock.measure { model = try GradientBoosting.fit(train, labels: trainY, parameters: p, context: FitContext()) })
            predictSeconds = seconds(try clock.measure { probabilities = try model!.probabilities(test, context: FitContext()) })
            facts = model!.facts
        } else {
            var p = RandomForest.defaults
            for s in settings { apply(s, RandomForest.hyperparameters, &p) }
            var model: RandomForest?
            fitSeconds = seconds(try clock.measure { model = try RandomForest.fit(train, labels: trainY, parameters: p, context: FitContext()) })
            predictSeconds = seconds(try clock.measure { probabilities = try model!.probabilities(test, context: FitContext()) })
            facts = model!.facts
        }
        let auc = try Metrics.auc(scores: probabilities, labels: testY.map(Double.init))
        let factText = facts.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ")
        print("{\"recscript\": \"\(kind)\", \"train_rows\": \(train.rows), \"fit_seconds\": \(String(format: "%.2f", fitSeconds)), \"predict_seconds\": \(String(format: "%.2f", predictSeconds)), \"test_auc\": \(String(format: "%.5f", auc)), \(factText)}")
    }
}

/// Sets `name=value` on `p` through the kind's declared hyperparameters.
private func apply<P>(_ setting: [String], _ declared: [Hyperparameter<P>], _ p: inout P) {
    guard setting.count == 2, let h = declared.first(where: { $0.name == setting[0] }) else { return }
    let text = setting[1]
    let value: HyperValue = switch h.domain {
    case .integer: .int(Int(text)!)
    case .number: .number(Double(text)!)
    case .bool: .bool(text == "true")
    default: .choice(text)
    }
    h.set(&p, value)
}
