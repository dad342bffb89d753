// Bad input through every kind's own `fit(frame)` and `predict`: each failure is the right
// LearnError case, whichever model meets it.

import Testing
import Frame
import Learn

/// Each kind's typed fit on a frame, with default parameters.
let typedFits: [String: @Sendable (DataFrame) throws -> any Recommender] = [
    "baseline": { try BaselineModel.fit($0) },
    "popular": { try PopularityModel.fit($0) },
    "svd": { frame in
        var p = TruncatedSVD.Parameters()
        p.k = 1
        return try TruncatedSVD.fit(frame, parameters: p)
    },
    "mf": { try BiasedMF.fit($0) },
    "als": { try ImplicitALS.fit($0) },
    "itemknn": { try ItemKNN.fit($0) },
    "neural": { frame in
        // The default batch of 128 is more than these small frames' rows.
        var p = NeuralRecommender.Parameters()
        p.hidden = [8]
        p.epochs = 2
        p.batch = 8
        return try NeuralRecommender.fit(frame, parameters: p)
    },
]

@Suite struct BadInputTests {
    @Test func everyKindHasATypedFit() { #expect(Set(typedFits.keys) == Set(recommenderKinds)) }

    @Test(arguments: recommenderKinds)
    func anEmptyTrainingFrame(_ name: String) throws {
        #expect(throws: LearnError.emptyData("the training frame")) { try typedFits[name]!(try interactions(users: [], items: [], labels: [])) }
    }

    @Test(arguments: recommenderKinds)
    func aUserColumnOfStrings(_ name: String) throws {
        var frame = try DataFrame([.strings("u", ["a", "b", "c"]), .integers("i", [1, 2, 3]), .doubles("y", [1, 0, 1])])
        frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "u", role: .user, type: "string")) { try typedFits[name]!(frame) }
    }

    @Test(arguments: recommenderKinds)
    func aLabelWithNaN(_ name: String) throws {
        let frame = try interactions(users: [1, 2, 3, 1], items: [1, 2, 3, 3], labels: [1, .nan, 0, .nan])
        #expect(throws: LearnError.missingValues(column: "y", role: .label, count: 2)) { try typedFits[name]!(frame) }
    }

    @Test(arguments: recommenderKinds, [Role.user, .item, .label])
    func aMissingRole(_ name: String, _ role: Role) throws {
        var frame = try logFrame(randomLog(seed: 900, users: 4, items: 5, rows: 30))
        frame.schema[role] = nil
        if role == .label && !rowKinds.contains(name) {
            // The preference kinds count every row as a listen without a label.
            #expect(throws: Never.self) { try typedFits[name]!(frame) }
        } else {
            #expect(throws: LearnError.missingRole(role)) { try typedFits[name]!(frame) }
        }
    }

    @Test(arguments: recommenderKinds)
    func aScoringFrameWithBadIDs(_ name: String) throws {
        let model = try typedFits[name]!(try logFrame(randomLog(seed: 901, users: 4, items: 5, rows: 30)))
        var strings = try DataFrame([.strings("u", ["a"]), .integers("i", [1])])
        strings.schema = Schema([.user: "u", .item: "i"])
        #expect(throws: LearnError.nonNumeric(column: "u", role: .user, type: "string")) { try model.predict(strings) }
        var noItem = try DataFrame([.integers("u", [1])])
        noItem.schema = Schema([.user: "u"])
        #expect(throws: LearnError.missingRole(.item)) { try model.predict(noItem) }
    }
}
