// FeaturePipeline: each encoding against numbers worked by hand or by a plain reference loop
// (the out-of-fold target encoding), unseen levels, the inputs a frame scored later gets, and
// the refusals: a missing value, the target among the features, a label that is not 0/1.

import Testing
import Frame
import Learn

/// A frame of 8 rows: a quantity, a code, an id, a text column and a 0/1 label.
private func sampleFrame() throws -> DataFrame {
    try DataFrame([
        .doubles("x", [1, 2, 3, 4, 5, 6, 7, 8]),
        .integers("code_type", [1, 1, 2, 2, 2, 3, 1, 2]),
        .integers("user_id", [10, 10, 10, 20, 20, 30, 30, 30]),
        .strings("city", ["a", "b", "a", "a", "c", "b", "a", "a"]),
        .integers("y", [1, 0, 1, 1, 0, 0, 1, 1]),
    ])
}

private func fit(_ frame: DataFrame, _ requests: [FeatureRequest], scaling: FeatureScaling = .standard,
                 configure: (inout FeatureSpec) -> Void = { _ in }) throws -> (FeaturePipeline, FeatureMatrix) {
    var spec = FeatureSpec(requests, scaling: scaling)
    configure(&spec)
    return try FeaturePipeline.fit(frame, spec: spec, target: "y", labels: try BinaryTarget.read(frame, "y"))
}

@Suite struct FeaturePipelineTests {
    @Test func standardScalingUsesThePopulationDeviation() throws {
        let (p, x) = try fit(try sampleFrame(), [FeatureRequest(["x"])])
        // mean 4.5, population variance 5.25
        let sd = 5.25.squareRoot()
        #expect(x.names == ["x"])
        for r in 0..<8 { #expect(abs(Double(x[r, 0]) - (Double(r + 1) - 4.5) / sd) < 1e-6) }
        #expect(p.encoders[0].feature.encoding == .numeric)
    }

    @Test func robustScalingUsesMedianAndIQR() throws {
        let (_, x) = try fit(try sampleFrame(), [FeatureRequest(["x"], encoding: .numeric)], scaling: .robust)
        // median 4.5, quartiles 2.75 and 6.25 (linear interpolation): IQR 3.5
        #expect(abs(Double(x[0, 0]) - (1 - 4.5) / 3.5) < 1e-6)
        #expect(abs(Double(x[7, 0]) - (8 - 4.5) / 3.5) < 1e-6)
    }

    @Test func aConstantColumnBecomesZero() throws {
        let frame = try DataFrame([.doubles("c", [3, 3, 3]), .integers("y", [0, 1, 1])])
        let (_, x) = try fit(frame, [FeatureRequest(["c"])])
        #expect(x.values == [0, 0, 0])
    }

    @Test func oneHotKeepsTheFrequentLevelsAndPoolsTheRest() throws {
        let frame = try sampleFrame()
        let (p, x) = try fit(frame, [FeatureRequest(["code_type"])]) { $0.maxLevels = 2 }
        // Levels by count: 2 (4 rows), 1 (3 rows), 3 (1 row); one kept, then other.
        #expect(x.names == ["code_type=2", "code_type=other"])
        #expect(x.column(0) == [0, 0, 1, 1, 1, 0, 0, 1])
        #expect(x.column(1) == [1, 1, 0, 0, 0, 1, 1, 0])
        // A level never seen in training is all zeros.
        let later = try DataFrame([.integers("code_type", [2, 9])])
        let y = try p.transform(later)
        #expect(y.values == [1, 0, 0, 0])
    }

    @Test func oneHotOfText() throws {
        let (p, x) = try fit(try sampleFrame(), [FeatureRequest(["city"])])
        #expect(x.names == ["city=a", "city=b", "city=c"])
        #expect(x.column(2) == [0, 0, 0, 0, 1, 0, 0, 0])
        let y = try p.transform(try DataFrame([.strings("city", ["c", "zz"])]))
        #expect(y.values == [0, 0, 1, 0, 0, 0])
    }

    /// The out-of-fold encoding against a loop over every pair of rows.
    @Test(arguments: [2, 3, 5])
    func targetEncodingIsOutOfFold(_ folds: Int) throws {
        let frame = try sampleFrame()
        let labels = try BinaryTarget.read(frame, "y").map(Double.init)
        let users = frame["user_id"]!.int64Values()!
        let (p, x) = try fit(frame, [FeatureRequest(["user_id"])]) {
            $0.encodingFolds = folds
            $0.smoothing = 2
            $0.seed = 9
        }
        #expect(p.encoders[0].feature.encoding == .target)
        let prior = labels.reduce(0, +) / 8
        for r in 0..<8 {
            let f = FeaturePipeline.encodingFold(row: r, seed: 9, folds: folds)
            var n = 0.0, s = 0.0
            for q in 0..<8 where users[q] == users[r] && FeaturePipeline.encodingFold(row: q, seed: 9, folds: folds) != f {
                n += 1
                s += labels[q]
            }
            #expect(abs(Double(x[r, 0]) - (s + 2 * prior) / (n + 2)) < 1e-6)
        }
        // Scored later: every training row of the level; an unseen user gets the prior.
        let y = try p.transform(try DataFrame([.integers("user_id", [10, 99])]))
        #expect(abs(Double(y[0, 0]) - (2 + 2 * prior) / (3 + 2)) < 1e-6)
        #expect(abs(Double(y[1, 0]) - prior) < 1e-6)
    }

    @Test func pairsAreACategoryPerCombination() throws {
        let frame = try sampleFrame()
        let (p, x) = try fit(frame, [FeatureRequest(["user_id", "city"], encoding: .frequency)])
        #expect(x.names == ["freq(user_id*city)"])
        // (10, a) appears twice in 8 rows; (30, a) twice; (20, c) once.
        #expect(x[0, 0] == 0.25)
        #expect(x[4, 0] == 0.125)
        let y = try p.transform(try DataFrame([.integers("user_id", [30, 10, 77]), .strings("city", ["a", "c", "a"])]))
        #expect(y.values == [0.25, 0, 0])
    }

    @Test func autoReadsTypesAndNames() throws {
        let frame = try sampleFrame()
        let picked = try FeatureSpec.auto(frame, excluding: ["y"]).map { try FeatureSpec.resolve($0, in: frame) }
        #expect(picked.map(\.encoding) == [.numeric, .onehot, .target, .onehot])
        #expect(picked[2].reason == "an id with 3 values")
    }

    @Test func refusals() throws {
        let frame = try sampleFrame()
        #expect(throws: LearnError.invalidParameter(name: "features", reason: "includes the target 'y': a model would learn the answer")) {
            _ = try fit(frame, [FeatureRequest(["y"])])
        }
        let gaps = try DataFrame([.doubles("x", [1, .nan, 3]), .integers("y", [0, 1, 1])])
        #expect(throws: LearnError.missingValues(column: "x", role: nil, count: 1)) { _ = try fit(gaps, [FeatureRequest(["x"])]) }
        let text = try DataFrame([.strings("x", ["a", "b"]), .integers("y", [0, 1])])
        #expect(throws: LearnError.nonNumeric(column: "x", role: nil, type: "string")) {
            _ = try fit(text, [FeatureRequest(["x"], encoding: .numeric)])
        }
        let three = try DataFrame([.doubles("x", [1, 2]), .integers("y", [0, 2])])
        #expect(throws: LearnError.self) { _ = try BinaryTarget.read(three, "y") }
        #expect(throws: LearnError.self) { try BinaryTarget.requireBothClasses([1, 1, 1], "y") }
        // A frame scored later without a feature's column.
        let (p, _) = try fit(frame, [FeatureRequest(["x"])])
        #expect(throws: LearnError.self) { _ = try p.transform(try DataFrame([.doubles("z", [1])])) }
    }
}
