// The baseline μ + b_u + b_i: the alternating updates converge to the exact minimiser (solved
// directly in Fixtures.swift), one epoch is one item pass then one user pass, the closed forms
// without regularisation, prediction for unknown ids, and recommendation by item bias.

import Testing
import Frame
import Learn

/// Ratings of 4 users on 5 items, uneven so every bias differs; user 4 replays item 10.
let ratings: [(Int64, Int64, Double)] = [
    (1, 10, 5), (1, 20, 3), (1, 30, 4),
    (2, 10, 4), (2, 40, 1), (2, 50, 2), (2, 30, 5),
    (3, 20, 2), (3, 50, 1),
    (4, 10, 5), (4, 10, 4), (4, 40, 3),
]

extension BaselineModel {
    func userBias(_ id: Int64) -> Double { userBias[users.index(of: RawID(id))!.int] }
    func itemBias(_ id: Int64) -> Double { itemBias[items.index(of: RawID(id))!.int] }
}

func baselineParameters(regUser: Double = 15, regItem: Double = 10, epochs: Int = 10) -> BaselineModel.Parameters {
    var p = BaselineModel.Parameters()
    p.regUser = regUser
    p.regItem = regItem
    p.epochs = epochs
    return p
}

@Suite struct BaselineFitTests {
    @Test func defaults() {
        let p = BaselineModel.Parameters()
        #expect(p.regUser == 15 && p.regItem == 10 && p.epochs == 10)
        #expect(BaselineModel.kindName == "baseline" && BaselineModel.input == .rows)
    }

    @Test(arguments: [(15.0, 10.0), (1.0, 1.0), (0.5, 3.0), (25.0, 0.1)])
    func convergesToTheExactMinimiser(regUser: Double, regItem: Double) throws {
        let model = try BaselineModel.fit(try interactions(ratings), parameters: baselineParameters(regUser: regUser, regItem: regItem, epochs: 500))
        let exact = exactBaseline(ratings, regUser: regUser, regItem: regItem)
        #expect(abs(model.globalMean - exact.mu) < 1e-12)
        for (id, b) in exact.user { #expect(abs(model.userBias(id) - b) < 1e-9, "user \(id)") }
        for (id, b) in exact.item { #expect(abs(model.itemBias(id) - b) < 1e-9, "item \(id)") }
    }

    @Test func aRatingColumnIsTheTargetAndTheScoresAreRatings() throws {
        let model = try BaselineModel.fit(try ratingFrame(ratings), parameters: baselineParameters(epochs: 500))
        let exact = exactBaseline(ratings, regUser: 15, regItem: 10)
        #expect(model.scoreKind == .rating && model.target == "r")
        for (id, b) in exact.user { #expect(abs(model.userBias(id) - b) < 1e-9, "user \(id)") }
        let labelled = try BaselineModel.fit(try interactions(ratings))
        #expect(labelled.scoreKind == .probability && labelled.target == "y")
    }

    @Test func theFittedBiasesSatisfyTheAlternatingUpdates() throws {
        let (regUser, regItem) = (15.0, 10.0)
        let model = try BaselineModel.fit(try interactions(ratings), parameters: baselineParameters(epochs: 500))
        let mu = model.globalMean
        #expect(mu == ratings.map(\.2).reduce(0, +) / Double(ratings.count))
        // b_i = Σ_{u ∈ R(i)} (r - μ - b_u) / (λ_i + n_i)
        for item in Set(ratings.map(\.1)) {
            let rows = ratings.filter { $0.1 == item }
            let b = rows.reduce(0) { $0 + $1.2 - mu - model.userBias($1.0) } / (regItem + Double(rows.count))
            #expect(abs(model.itemBias(item) - b) < 1e-9, "item \(item)")
        }
        // b_u = Σ_{i ∈ R(u)} (r - μ - b_i) / (λ_u + n_u)
        for user in Set(ratings.map(\.0)) {
            let rows = ratings.filter { $0.0 == user }
            let b = rows.reduce(0) { $0 + $1.2 - mu - model.itemBias($1.1) } / (regUser + Double(rows.count))
            #expect(abs(model.userBias(user) - b) < 1e-9, "user \(user)")
        }
    }

    @Test func oneEpochIsOneItemUpdateThenOneUserUpdate() throws {
        let (regUser, regItem) = (2.0, 3.0)
        let model = try BaselineModel.fit(try interactions(ratings), parameters: baselineParameters(regUser: regUser, regItem: regItem, epochs: 1))
        let mu = model.globalMean
        var bi: [Int64: Double] = [:]
        for item in Set(ratings.map(\.1)) {
            let rows = ratings.filter { $0.1 == item }
            bi[item] = rows.reduce(0) { $0 + $1.2 - mu } / (regItem + Double(rows.count))
            #expect(abs(model.itemBias(item) - bi[item]!) < 1e-12)
        }
        for user in Set(ratings.map(\.0)) {
            let rows = ratings.filter { $0.0 == user }
            let b = rows.reduce(0) { $0 + $1.2 - mu - bi[$1.1]! } / (regUser + Double(rows.count))
            #expect(abs(model.userBias(user) - b) < 1e-12)
        }
    }

    @Test func withoutRegularisationOneUserGetsEachItemsMean() throws {
        let rows: [(Int64, Int64, Double)] = [(1, 10, 5), (1, 10, 3), (1, 20, 1), (1, 30, 2), (1, 30, 2), (1, 30, 5)]
        let model = try BaselineModel.fit(try interactions(rows), parameters: baselineParameters(regUser: 0, regItem: 0))
        let test = try interactions(users: [1, 1, 1], items: [10, 20, 30], labels: [0, 0, 0])
        let predicted = try model.predict(test)
        for (p, mean) in zip(predicted, [4.0, 1, 3]) { #expect(abs(p - mean) < 1e-12) }
        #expect(abs(model.userBias(1)) < 1e-12)
    }

    @Test func withoutRegularisationOneItemGetsEachUsersMean() throws {
        let rows: [(Int64, Int64, Double)] = [(1, 10, 5), (1, 10, 4), (2, 10, 1), (3, 10, 2), (3, 10, 4)]
        let model = try BaselineModel.fit(try interactions(rows), parameters: baselineParameters(regUser: 0, regItem: 0))
        let test = try interactions(users: [1, 2, 3], items: [10, 10, 10], labels: [0, 0, 0])
        let predicted = try model.predict(test)
        for (p, mean) in zip(predicted, [4.5, 1, 3]) { #expect(abs(p - mean) < 1e-12) }
        #expect(abs(model.itemBias(10)) < 1e-12)
    }

    @Test func strongerRegularisationShrinksTheBiases() throws {
        let frame = try interactions(ratings)
        let base = try BaselineModel.fit(frame)
        let strong = try BaselineModel.fit(frame, parameters: baselineParameters(regUser: 1000, regItem: 1000))
        #expect(strong.userBias.map(abs).max()! < base.userBias.map(abs).max()!)
        #expect(strong.itemBias.map(abs).max()! < base.itemBias.map(abs).max()!)
    }

    @Test func trainingFacts() throws {
        let frame = try interactions(ratings)
        let model = try BaselineModel.fit(frame)
        #expect(model.kind == "baseline")
        #expect(model.index.rowCount == 12)
        #expect(model.users.raw == [1, 2, 3, 4] && model.items.raw == [10, 20, 30, 40, 50])
        let predicted = try model.predict(frame)
        let se = zip(predicted, ratings).reduce(0.0) { $0 + ($1.0 - $1.1.2) * ($1.0 - $1.1.2) }
        #expect(abs(model.trainingRMSE - (se / 12).squareRoot()) < 1e-12)
        #expect(model.parameters == BaselineModel.Parameters())
        let facts = Dictionary(uniqueKeysWithValues: model.facts)
        #expect(facts["training rows"] == .int(12) && facts["users"] == .int(4) && facts["items"] == .int(5))
        #expect(facts["target"] == .text("y") && facts["global mean"] == .number(model.globalMean))
    }

    @Test func aCancelledFitStops() throws {
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: LearnError.cancelled) {
            try BaselineModel.fit(try interactions(ratings), context: FitContext(cancellation: flag))
        }
    }
}

@Suite struct BaselinePredictTests {
    @Test func knownAndUnknownUsersAndItems() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        let mu = model.globalMean
        let test = try interactions(users: [2, 2, 99, 99], items: [40, 77, 40, 77], labels: [0, 0, 0, 0])
        let predicted = try model.predict(test)
        #expect(predicted[0] == mu + model.userBias(2) + model.itemBias(40))
        #expect(predicted[1] == mu + model.userBias(2))
        #expect(predicted[2] == mu + model.itemBias(40))
        #expect(predicted[3] == mu)
    }

    @Test func predictionNeedsNoLabel() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        var frame = try DataFrame([.integers("user", [3]), .integers("track", [20])])
        frame.schema = Schema([.user: "user", .item: "track"])
        let predicted = try model.predict(frame)
        #expect(predicted == [model.globalMean + model.userBias(3) + model.itemBias(20)])
    }

    @Test func scoreItemsIsEveryItemForOneUser() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        let u = model.users.index(of: RawID(3))!
        var scores = [Float](repeating: .nan, count: 5)
        scores.withUnsafeMutableBufferPointer { model.scoreItems(user: u.int, into: $0) }
        for (i, s) in scores.enumerated() {
            #expect(s == Float(model.score(user: Int32(u.int), item: Int32(i))))
        }
        #expect(model.score(user: -1, item: -1) == model.globalMean)
    }
}

@Suite struct BaselineRecommendTests {
    @Test func excludesSeenItemsAndRanksByScore() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        // User 3 has items 20 and 50.
        let list = try model.recommend(user: RawID(3), top: 10, excludeSeen: true)
        #expect(Set(list.map(\.item.value)) == [10, 30, 40])
        #expect(list.allSatisfy { !$0.seen })
        #expect(list.map(\.score) == list.map(\.score).sorted(by: >))
        // The ranking of one user's items is the ranking of the item biases.
        let byBias = [Int64(10), 30, 40].sorted { model.itemBias($0) > model.itemBias($1) }
        #expect(list.map(\.item.value) == byBias)
        for r in list {
            #expect(abs(r.score - (model.globalMean + model.userBias(3) + model.itemBias(r.item.value))) < 1e-6)
        }
    }

    @Test func includingSeenItemsMarksThem() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        let list = try model.recommend(user: RawID(3), top: 10, excludeSeen: false)
        #expect(list.count == 5)
        #expect(Set(list.filter(\.seen).map(\.item.value)) == [20, 50])
        #expect(list.map(\.score) == list.map(\.score).sorted(by: >))
    }

    @Test func topLimitsTheListToTheBest() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        let all = try model.recommend(user: RawID(1), top: 10, excludeSeen: false)
        let two = try model.recommend(user: RawID(1), top: 2, excludeSeen: false)
        #expect(two == Array(all.prefix(2)))
    }

    @Test func equalScoresAreOrderedByItemID() throws {
        // Items 30, 20 and 10 are rated identically by the same users, so their biases tie.
        let rows: [(Int64, Int64, Double)] = [(1, 30, 4), (1, 20, 4), (1, 10, 4), (2, 40, 1), (2, 30, 4), (2, 20, 4), (2, 10, 4)]
        let model = try BaselineModel.fit(try interactions(rows))
        #expect(model.itemBias(10) == model.itemBias(30))
        let list = try model.recommend(user: RawID(2), top: 4, excludeSeen: false)
        #expect(list.map(\.item.value) == [10, 20, 30, 40])
    }

    @Test func unknownUserAndBadTop() throws {
        let model = try BaselineModel.fit(try interactions(ratings))
        #expect(throws: LearnError.unknownUser(77)) { try model.recommend(user: RawID(77), top: 5, excludeSeen: true) }
        #expect(LearnError.unknownUser(77).description ==
                "user 77 is not in the training data, so the model has nothing to go on; pick a user who appears in the training frame, or add fallback=popular")
        #expect(throws: LearnError.invalidParameter(name: "top", reason: "must be at least 1")) {
            try model.recommend(user: RawID(1), top: 0, excludeSeen: true)
        }
    }
}
