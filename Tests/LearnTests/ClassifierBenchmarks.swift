// Timings of knn and mlp on a real feature matrix, for comparison with scikit-learn on the same
// data. They run only when RECSCRIPT_CLASSIFIER_DATA names a directory holding xtrain.f32,
// ytrain.f32, xtest.f32, ytest.f32 (float32, row-major, written by numpy's tofile) and shape.txt
// ("train rows, test rows, columns"); otherwise they are skipped. Run them in a release build:
//   swift build -c release --scratch-path .build-rel --build-tests
//   RECSCRIPT_CLASSIFIER_DATA=/tmp/nnmlp .build-rel/release/RecScriptPackageTests.xctest --testing-library swift-testing --filter ClassifierBenchmarks
// Row counts: KNN_TRAIN (100000), KNN_TEST (20000), MLP_TRAIN (1000000), MLP_EPOCHS (10),
// MLP_TEST (all).

import Foundation
import Testing
import Learn

private let benchDirectory = ProcessInfo.processInfo.environment["RECSCRIPT_CLASSIFIER_DATA"]

private func setting(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}

/// The first `rows` rows of a float32 file of `columns` columns.
private func readFloats(_ path: String, rows: Int, columns: Int) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let count = Swift.min(rows * columns, data.count / 4)
    return data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self).prefix(count)) }
}

private struct BenchData {
    let train: FeatureMatrix, trainLabels: [Float], test: FeatureMatrix, testLabels: [Float]

    init(trainRows: Int, testRows: Int) throws {
        let dir = benchDirectory!
        let shape = try String(contentsOfFile: dir + "/shape.txt", encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).map { Int($0)! }
        let d = shape[2], ntr = Swift.min(trainRows, shape[0]), nte = Swift.min(testRows, shape[1])
        let names = (0..<d).map { "f\($0)" }
        train = FeatureMatrix(rows: ntr, columns: d, values: try readFloats(dir + "/xtrain.f32", rows: ntr, columns: d), names: names)
        trainLabels = try readFloats(dir + "/ytrain.f32", rows: ntr, columns: 1)
        test = FeatureMatrix(rows: nte, columns: d, values: try readFloats(dir + "/xtest.f32", rows: nte, columns: d), names: names)
        testLabels = try readFloats(dir + "/ytest.f32", rows: nte, columns: 1)
    }
}

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

@Suite(.enabled(if: benchDirectory != nil, "set RECSCRIPT_CLASSIFIER_DATA to a directory of float32 matrices"))
struct ClassifierBenchmarks {
    @Test func knn() throws {
        let data = try BenchData(trainRows: setting("KNN_TRAIN", 100_000), testRows: setting("KNN_TEST", 20_000))
        for weights in KNNClassifier.Weights.allCases {
            var p = KNNClassifier.Parameters()
            p.k = setting("KNN_K", 5)
            p.weights = weights
            var model: KNNClassifier?
            let fit = try seconds { model = try KNNClassifier.fit(data.train, labels: data.trainLabels, parameters: p, context: FitContext()) }
            var scores: [Double] = []
            let predict = try seconds { scores = try model!.probabilities(data.test, context: FitContext()) }
            let auc = try Metrics.auc(scores: scores, labels: data.testLabels.map(Double.init))
            let estimate = KNNClassifier.estimatedSeconds(queries: data.test.rows, training: data.train.rows, columns: data.train.columns)
            print("knn weights=\(weights) train=\(data.train.rows) test=\(data.test.rows): fit \(fit)s predict \(predict)s auc \(auc) (estimated \(estimate)s)")
        }
    }

    @Test func mlp() throws {
        let data = try BenchData(trainRows: setting("MLP_TRAIN", 1_000_000), testRows: setting("MLP_TEST", 10_000_000))
        var p = MLPClassifier.Parameters()
        p.epochs = setting("MLP_EPOCHS", 10)
        var model: MLPClassifier?
        let fit = try seconds { model = try MLPClassifier.fit(data.train, labels: data.trainLabels, parameters: p, context: FitContext()) }
        var scores: [Double] = []
        let predict = try seconds { scores = try model!.probabilities(data.test, context: FitContext()) }
        let auc = try Metrics.auc(scores: scores, labels: data.testLabels.map(Double.init))
        print("mlp train=\(data.train.rows) test=\(data.test.rows) epochs=\(model!.epochsRun): fit \(fit)s predict \(predict)s auc \(auc) loss \(model!.trainingLoss)")
    }
}
