// The model's tables and helpers hold the figures of dsg17.md they were built from.

import Testing
import Frame
@testable import Synth

@Suite struct ModelTests {
    @Test func genreSharesPutTheMedianAtThreeAndTheQuartileAt27() {
        let genres = GenreTable()
        #expect(abs(genres.shares.reduce(0, +) - 1) < 1e-12)
        #expect(genres.ids.first == 0 && genres.shares.first == 0.40)
        #expect(genres.ids.last == DSG17.maxGenreID)
        func below(_ id: Int) -> Double { zip(genres.ids, genres.shares).filter { $0.0 < id }.reduce(0) { $0 + $1.1 } }
        #expect(below(3) < 0.5 && below(4) > 0.5)
        #expect(below(27) < 0.75 && below(28) > 0.75)
    }

    @Test func contextTableHasItsCountsAndFlowShare() {
        let contexts = ContextTable()
        #expect(contexts.shares.count == 74)
        #expect(abs(contexts.shares.reduce(0, +) - 1) < 1e-12)
        #expect(abs(contexts.shares[0] - 3_198_365 / 7_558_834.0) < 1e-12)
        #expect(contexts.shares[6] < contexts.shares[5])
        #expect(contexts.shares.allSatisfy { $0 > 0 })
        let flow = zip(contexts.shares, contexts.flowProbability).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(flow - 0.307) < 1e-9)
        #expect(contexts.flowProbability.allSatisfy { $0 < 0.02 || $0 > 0.98 })
        let effectMean = zip(contexts.shares, contexts.effect).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(effectMean) < 1e-12)
    }

    @Test func platformJointHasThePublishedMeans() {
        let joint = PlatformTable.joint
        #expect(abs(joint.reduce(0) { $0 + $1.probability } - 1) < 1e-12)
        #expect(abs(joint.reduce(0) { $0 + Double($1.name) * $1.probability } - 0.473) < 1e-9)
        #expect(abs(joint.reduce(0) { $0 + Double($1.family) * $1.probability } - 0.256) < 1e-9)
    }

    @Test func hourRatesAverageToTheListenRate() {
        let activity = ListenClock.activityByHour
        let weighted = zip(activity, ListenModel.hourRates).reduce(0) { $0 + $1.0 * $1.1 } / activity.reduce(0, +)
        #expect(abs(weighted - 0.684) < 0.003)
        #expect(ListenModel.hourRates.firstIndex(of: ListenModel.hourRates.min()!) == 22)
        #expect(ListenModel.hourRates.firstIndex(of: ListenModel.hourRates.max()!) == 3)
    }

    @Test func logisticNormalInvertsItsMean() {
        let narrow = LogisticNormal(baseVariance: 1e-12, dotScale: 0, degrees: 8)
        #expect(abs(narrow.offset(forRate: 0.684) - ListenModel.logit(0.684)) < 1e-6)
        let wide = LogisticNormal(baseVariance: 2, dotScale: 0.3, degrees: 8)
        let d = wide.offset(forRate: 0.7)
        #expect(abs(wide.meanRate(offset: d) - 0.7) < 1e-9)
        #expect(d > ListenModel.logit(0.7))  // averaging pulls towards 0.5, so d must go further
        #expect(abs(LogisticNormal.chiSquaredCDF(LogisticNormal.chiSquaredQuantile(0.3, degrees: 8), degrees: 8) - 0.3) < 1e-9)
    }

    @Test(arguments: [(0, 19_700_101), (17_106, 20_161_101), (-25_567, 19_000_101), (10_957, 20_000_101),
                      (11_016, 20_000_229), (376_200, 30_000_101)])
    func calendarDatesAreExact(days: Int, date: Int) {
        #expect(ListenClock.yyyymmdd(fromDays: days) == date)
    }

    @Test func sessionStartsStayInTheWindow() {
        var g = Xoshiro256(seed: 1)
        for _ in 0..<10_000 { #expect(DSG17.listenWindow.contains(ListenClock.sessionStart(&g))) }
    }

    @Test(arguments: [1, 2, 10, 5_000])
    func sparseIdsIncreaseAndSpanTheRange(count: Int) {
        var g = Xoshiro256(seed: 2)
        let ids = SparseIDs.make(count: count, in: DSG17.mediaIDs, &g)
        #expect(ids.count == count)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Int(ids.first!) == DSG17.mediaIDs.lowerBound)
        if count > 1 { #expect(Int(ids.last!) == DSG17.mediaIDs.upperBound) }
    }

    @Test func sparseIdsFillATightRange() {
        var g = Xoshiro256(seed: 2)
        #expect(SparseIDs.make(count: 5, in: 10...14, &g) == [10, 11, 12, 13, 14])
    }

    @Test func apportionmentIsExactAndProportional() {
        let shares = Apportionment.largestRemainder(100, weights: [1, 1, 1])
        #expect(shares == [34, 33, 33])
        var g = Xoshiro256(seed: 3)
        let weights = (0..<500).map { _ in g.lognormal(mu: 0, sigma: 1.5) }
        let split = Apportionment.largestRemainder(123_457, weights: weights)
        #expect(split.reduce(0, +) == 123_457)
        let total = weights.reduce(0, +)
        for (s, w) in zip(split, weights) { #expect(abs(Double(s) - 123_457 * w / total) < 1) }
    }

    @Test func rowBudgetFillsItsShareWithSmallEntities() {
        var g = Xoshiro256(seed: 4)
        let expected = (0..<2_000).map { _ in g.uniform() * 5 }
        var taken = [Bool](repeating: false, count: expected.count)
        let picked = RowBudget.pick(share: 0.001, rows: 100_000, expected: expected, taken: &taken, &g)
        let filled = picked.reduce(0) { $0 + expected[$1] }
        #expect(abs(filled - 100) < 1)
        #expect(picked.allSatisfy { taken[$0] })
    }

    @Test func populationHasSingleRowUsersAndAnActiveUser30() {
        let model = ListenModel(contexts: ContextTable())
        let population = Population(rows: 200_000, seed: 1, model: model)
        #expect(population.count == 527)
        #expect(population.rowCount.reduce(0, +) == 200_000)
        let singles = Double(population.rowCount.filter { $0 == 1 }.count) / 527
        #expect(abs(singles - 0.075) < 0.01)
        #expect(population.rowCount[30] >= 100)
        #expect(population.firstRow[1] == population.rowCount[0])
    }

    @Test func outliersScaleWithTheLog() {
        #expect(ListenLog.outlierCounts(rows: DSG17.fullRows) == (249, 379))
        #expect(ListenLog.outlierCounts(rows: 200_000) == (7, 10))
        #expect(ListenLog.outlierCounts(rows: 1_000) == (1, 1))
        #expect(ListenLog.outlierCounts(rows: 100) == (0, 0))
    }
}
