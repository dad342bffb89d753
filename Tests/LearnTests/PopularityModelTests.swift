// PopularityModel: score(i) = Σ_u P[u, i], the column sums of the preference matrix, the
// same for every user.

import Testing
import Learn

@Suite struct PopularityModelTests {
    @Test(arguments: Preference.allCases)
    func scoresAreTheColumnSumsOfThePreferenceMatrix(_ preference: Preference) throws {
        let rows = randomLog(seed: 800, users: 11, items: 9, rows: 90)
        let spec = PreferenceSpec(preference, weightColumn: "w")
        let model = try PopularityModel.fit(try logFrame(rows), preference: spec)
        let data = try TrainingData(try logFrame(rows), preference: spec)
        #expect(model.preference == preference && model.scoreKind == .ranking)
        for i in 0..<data.items.count {
            let column = (0..<data.users.count).reduce(0.0) { $0 + Double(data.matrix.value($1, i)) }
            #expect(abs(Double(model.popularity[i]) - column) < 1e-4, "\(preference) item \(i)")
            for u in [-1, 0, 5] { #expect(model.score(user: Int32(u), item: Int32(i)) == Double(model.popularity[i])) }
        }
        #expect(model.score(user: 0, item: -1) == 0)
    }

    /// With listens, an item's score is its number of rows labelled 1, counted from the rows.
    @Test func listensCountTheRowsLabelledOne() throws {
        let rows = randomLog(seed: 801, users: 7, items: 6, rows: 50)
        let model = try PopularityModel.fit(try logFrame(rows))
        for (i, raw) in model.index.items.raw.enumerated() {
            #expect(model.popularity[i] == Float(rows.filter { $0.item == raw && $0.label > 0.5 }.count))
        }
    }

    @Test func everyUserGetsTheSameRankingWithoutTheirSeenItems() throws {
        // Listens: 10 three times, 20 and 30 twice (a tie, broken by raw id), 40 once, 50 never.
        let model = try PopularityModel.fit(try interactions([
            (1, 10, 1), (2, 10, 1), (3, 10, 1), (1, 30, 1), (2, 30, 1), (2, 20, 1), (3, 20, 1), (3, 40, 1), (1, 50, 0),
        ]))
        #expect(model.popularity == [3, 2, 2, 1, 0])
        #expect(try model.recommend(user: RawID(1), top: 5, excludeSeen: false).map(\.item.value) == [10, 20, 30, 40, 50])
        #expect(try model.recommend(user: RawID(1), top: 5, excludeSeen: true).map(\.item.value) == [20, 40])
        #expect(try model.recommend(user: RawID(3), top: 2, excludeSeen: true).map(\.item.value) == [30, 50])
        #expect(PopularityModel.hyperparameters.isEmpty)
    }
}
