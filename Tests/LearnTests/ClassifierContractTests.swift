// The contract every classifier kind of the catalogue keeps, on one small learnable matrix:
// it fits through the catalogue, gives probabilities in (0, 1) that rank the rows better than
// chance, gives the same probabilities for the same seed, refuses one class and a cancelled
// fit, keeps its settings, and scores through its pipeline as it scores the matrix.

import Testing
import Frame
import Learn

/// The classifier kinds.
let classifierKinds = ModelCatalogue.all.filter { $0.input == .features }.map(\.name)

/// 400 rows of 3 features, label 1 mostly when x0 + x1² is large: learnable by every kind.
private func learnable() -> (FeatureMatrix, [Float]) {
    var values: [Float] = [], labels: [Float] = []
    var state: UInt64 = 99
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
    for _ in 0..<400 {
        let a = next(), b = next(), c = next()
        values += [a, b, c]
        labels.append(a + b * b + 0.3 * next() > 0.3 ? 1 : 0)
    }
    return (FeatureMatrix(rows: 400, columns: 3, values: values, names: ["a", "b", "c"]), labels)
}

/// A pipeline over a frame with the matrix's columns as numbers, unscaled.
private func pipeline(_ x: FeatureMatrix, _ labels: [Float]) throws -> (FeaturePipeline, DataFrame) {
    let frame = try DataFrame((0..<x.columns).map { c in Column.doubles(x.names[c], x.column(c).map(Double.init)) }
                              + [.doubles("y", labels.map(Double.init))])
    let spec = FeatureSpec(x.names.map { FeatureRequest([$0], encoding: .numeric) }, scaling: .none)
    return (try FeaturePipeline.fit(frame, spec: spec, target: "y", labels: labels).0, frame)
}

@Suite struct ClassifierContractTests {
    @Test func theClassifierKinds() {
        #expect(classifierKinds == ["logreg", "forest", "gbt", "svc", "knn", "mlp"])
        for name in classifierKinds { #expect(ModelCatalogue.spec(named: name)?.defaultScaling != nil, "\(name)") }
    }

    @Test(arguments: classifierKinds)
    func fitsAndRanksBetterThanChance(_ name: String) throws {
        let (x, y) = learnable()
        let (p, frame) = try pipeline(x, y)
        let model = try spec(name).fit(x, labels: y, pipeline: p)
        #expect(model.kind == name && model.scoreKind == .probability)
        let scores = try model.probabilities(x, context: FitContext())
        #expect(scores.count == 400)
        #expect(scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(name)")
        let auc = try Metrics.auc(scores: scores, labels: y.map(Double.init))
        #expect(auc > 0.75, "\(name): training AUC \(auc)")
        // Through the pipeline, from the frame: the same scores.
        #expect(try model.predict(frame) == scores)
        #expect(!model.facts.isEmpty)
    }

    @Test(arguments: classifierKinds)
    func theSameSettingsGiveTheSameModel(_ name: String) throws {
        let (x, y) = learnable()
        let (p, _) = try pipeline(x, y)
        let a = try spec(name).fit(x, labels: y, pipeline: p).probabilities(x, context: FitContext())
        let b = try spec(name).fit(x, labels: y, pipeline: p).probabilities(x, context: FitContext())
        #expect(a == b)
    }

    @Test(arguments: classifierKinds)
    func settingsAreKeptInDeclarationOrder(_ name: String) throws {
        let s = try spec(name)
        let (x, y) = learnable()
        let (p, _) = try pipeline(x, y)
        let model = try s.fit(x, labels: y, pipeline: p)
        #expect(s.settings(of: model).map(\.0) == s.hyperparameters.map(\.name))
        #expect(s.settings(of: model).map(\.1) == s.hyperparameters.map(\.defaultValue))
    }

    @Test(arguments: classifierKinds)
    func oneClassIsRefused(_ name: String) throws {
        let (x, _) = learnable()
        let ones = [Float](repeating: 1, count: 400)
        let (p, _) = try pipeline(x, ones.enumerated().map { $0.offset == 0 ? 0 : 1 })
        #expect(throws: LearnError.self) { _ = try spec(name).fit(x, labels: ones, pipeline: p) }
    }

    @Test(arguments: classifierKinds.filter { $0 != "knn" })
    func aCancelledFitStops(_ name: String) throws {
        let (x, y) = learnable()
        let (p, _) = try pipeline(x, y)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: LearnError.cancelled) {
            _ = try spec(name).fit(x, labels: y, pipeline: p, context: FitContext(cancellation: flag))
        }
    }

    @Test(arguments: classifierKinds)
    func recommenderDataIsRefusedWithTheWayToFitIt(_ name: String) throws {
        let data = try TrainingData(try interactions([(1, 10, 1), (2, 20, 0)]))
        #expect(throws: LearnError.unsupported("\(name) learns from feature columns: fit \(name) on <frame> features=[...]")) {
            _ = try spec(name).fit(data)
        }
    }
}
