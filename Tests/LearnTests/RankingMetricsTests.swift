// Ranking metrics: one user's list against hand-computed precision, recall, hit rate, NDCG,
// MAP and MRR (|T_u| above and below k, a list shorter than k, no hit), and `evaluate` on a
// tiny log with a popularity model, whose ranking is known, giving exact values: users
// without relevant rows and unknown users counted and left out, coverage and popularity by
// their definitions, segments restricting T_u.

import Foundation
import Testing
import Frame
import Learn

func metricsMatch(_ actual: [Metric: Double], _ expected: [Metric: Double], _ note: String = "") -> Bool {
    Set(actual.keys) == Set(expected.keys) && expected.allSatisfy { abs(actual[$0.key]! - $0.value) < 1e-12 }
}

@Suite struct UserRankingMetricsTests {
    static let d2 = 1 / log2(3.0), d3 = 0.5, d4 = 1 / log2(5.0), d5 = 1 / log2(6.0)   // discounts of ranks 2...5

    @Test func twoHitsWithFewerRelevantThanK() {
        // Hits at ranks 2 and 5 of 5; |T| = 3.
        let m = RankingMetrics.userMetrics(top: [1, 2, 3, 4, 5], truth: [2, 5, 9], k: 5)
        let expected: [Metric: Double] = [
            .precisionAtK: 2.0 / 5, .recallAtK: 2.0 / 3, .hitRate: 1,
            .ndcg: (Self.d2 + Self.d5) / (1 + Self.d2 + Self.d3),
            .map: (1.0 / 2 + 2.0 / 5) / 3, .mrr: 1.0 / 2,
        ]
        #expect(metricsMatch(m, expected), "\(m)")
    }

    @Test func moreRelevantThanK() {
        // Hits at ranks 1 and 3 of 3; |T| = 5, so IDCG and MAP use min(k, |T|) = 3.
        let m = RankingMetrics.userMetrics(top: [7, 8, 9], truth: [7, 9, 1, 2, 3], k: 3)
        let expected: [Metric: Double] = [
            .precisionAtK: 2.0 / 3, .recallAtK: 2.0 / 5, .hitRate: 1,
            .ndcg: (1 + Self.d3) / (1 + Self.d2 + Self.d3),
            .map: (1.0 + 2.0 / 3) / 3, .mrr: 1,
        ]
        #expect(metricsMatch(m, expected), "\(m)")
    }

    @Test func noHit() {
        let m = RankingMetrics.userMetrics(top: [1, 2], truth: [3], k: 2)
        #expect(metricsMatch(m, [.precisionAtK: 0, .recallAtK: 0, .hitRate: 0, .ndcg: 0, .map: 0, .mrr: 0]), "\(m)")
    }

    /// Fewer candidates than k: precision still divides by k.
    @Test func aListShorterThanK() {
        let m = RankingMetrics.userMetrics(top: [4], truth: [4], k: 3)
        #expect(metricsMatch(m, [.precisionAtK: 1.0 / 3, .recallAtK: 1, .hitRate: 1, .ndcg: 1, .map: 1, .mrr: 1]), "\(m)")
    }

    /// A late single hit: rank 4 of 4, |T| = 2.
    @Test func aLateHit() {
        let m = RankingMetrics.userMetrics(top: [1, 2, 3, 4], truth: [4, 8], k: 4)
        let expected: [Metric: Double] = [
            .precisionAtK: 1.0 / 4, .recallAtK: 1.0 / 2, .hitRate: 1,
            .ndcg: Self.d4 / (1 + Self.d2), .map: (1.0 / 4) / 2, .mrr: 1.0 / 4,
        ]
        #expect(metricsMatch(m, expected), "\(m)")
    }
}

/// Training listens: item 10 three times, 20 and 30 twice (tied; 20 ranks first by raw id),
/// 40 once, 50 only skipped (popularity 0). Seen: user 1 {10, 20, 50}, user 2 {10, 20, 30},
/// user 3 {10, 30, 40}. Training rows per item: 10: 3, 20: 2, 30: 2, 40: 1, 50: 1.
let rankingTrain: [(Int64, Int64, Double)] = [
    (1, 10, 1), (2, 10, 1), (3, 10, 1), (1, 20, 1), (2, 20, 1), (2, 30, 1), (3, 30, 1), (3, 40, 1), (1, 50, 0),
]

struct EvaluationFixture {
    let model: PopularityModel
    let test: ScoringData
    let rawUsers: [Int64]
    let rawItems: [Int64]
    let relevant: [Bool]

    init(_ rows: [(Int64, Int64, Double)]) throws {
        model = try PopularityModel.fit(try interactions(rankingTrain))
        let frame = try interactions(rows)
        test = try ScoringData(frame, users: model.index.users, items: model.index.items)
        rawUsers = rows.map(\.0)
        rawItems = rows.map(\.1)
        relevant = rows.map { $0.2 > 0.5 }
    }

    func evaluate(k: Int, excludeSeen: Bool = true, segments: [Int32]? = nil, count: Int = 1) throws -> [RankingSummary] {
        try RankingMetrics.evaluate(model, test: test, rawUsers: rawUsers, rawItems: rawItems, relevant: relevant, k: k, excludeSeen: excludeSeen,
                                    segments: segments, segmentCount: count)
    }
}

@Suite struct RankingEvaluationTests {
    /// User 1: relevant 30 and 60 (an item the model never saw, which still counts in T);
    /// user 2: relevant 50 and 40; user 3: nothing relevant; user 4 (unknown): relevant;
    /// user 5 (unknown): nothing relevant.
    static let testRows: [(Int64, Int64, Double)] = [
        (1, 30, 1), (1, 60, 1), (1, 40, 0), (2, 50, 1), (2, 40, 1), (2, 50, 1), (3, 40, 0), (4, 10, 1), (5, 10, 0),
    ]

    @Test func popularityRankingGivesExactMetrics() throws {
        let fixture = try EvaluationFixture(Self.testRows)
        // R_1 = [30, 40] (20 seen), R_2 = [40, 50].
        #expect(try RankingMetrics.topItems(fixture.model, users: [0, 1], k: 2, excludeSeen: true) == [[2, 3], [3, 4]])
        let summaries = try fixture.evaluate(k: 2)
        #expect(summaries.count == 1)
        let s = summaries[0]
        #expect(s.users == 2 && s.unknownUsers == 1 && s.usersWithoutRelevant == 2)
        // User 1: a hit at rank 1, |T| = 2. User 2: hits at ranks 1 and 2, |T| = 2.
        let ndcg1 = 1 / (1 + 1 / log2(3.0))
        let expected: [Metric: Double] = [
            .precisionAtK: (0.5 + 1) / 2, .recallAtK: (0.5 + 1) / 2, .hitRate: 1, .ndcg: (ndcg1 + 1) / 2,
            .map: (0.5 + 1) / 2, .mrr: 1,
            .coverage: 3.0 / 5,                      // {30, 40, 50} of 5 items
            .popularity: (2.0 + 1 + 1 + 1) / 4,      // training rows of 30, 40, 40, 50
        ]
        #expect(metricsMatch(s.values, expected), "\(s.values)")
    }

    @Test func includingSeenItems() throws {
        let s = try EvaluationFixture(Self.testRows).evaluate(k: 2, excludeSeen: false)[0]
        // Both lists are [10, 20]: no hit.
        let expected: [Metric: Double] = [
            .precisionAtK: 0, .recallAtK: 0, .hitRate: 0, .ndcg: 0, .map: 0, .mrr: 0,
            .coverage: 2.0 / 5, .popularity: (3.0 + 2 + 3 + 2) / 4,
        ]
        #expect(metricsMatch(s.values, expected), "\(s.values)")
        #expect(s.users == 2)
    }

    @Test func kBeyondTheCandidates() throws {
        let s = try EvaluationFixture(Self.testRows).evaluate(k: 10)[0]
        // R_1 = [30, 40], R_2 = [40, 50]: every unseen item; precision divides by k = 10.
        let precision: Double = (0.1 + 0.2) / 2, map: Double = (0.5 + 1) / 2
        #expect(close(s.values[.precisionAtK]!, precision, 1e-12))
        #expect(close(s.values[.recallAtK]!, 0.75, 1e-12))
        #expect(close(s.values[.map]!, map, 1e-12))
    }

    /// Segment 0 holds (1, 30) and (2, 50); segment 1 holds (1, 60), (2, 40) and the unknown
    /// user 4. Each user's list is the same in both; T_u is the segment's part.
    @Test func segmentsRestrictTheRelevantItems() throws {
        let segments: [Int32] = [0, 1, 0, 0, 1, 0, 1, 1, 0]
        let summaries = try EvaluationFixture(Self.testRows).evaluate(k: 2, segments: segments, count: 3)
        #expect(summaries.count == 3)
        // Segment 0: user 1 T = {30} (rank 1); user 2 T = {50} (rank 2).
        let zero: [Metric: Double] = [
            .precisionAtK: (0.5 + 0.5) / 2, .recallAtK: 1, .hitRate: 1, .ndcg: (1 + 1 / log2(3.0)) / 2,
            .map: (1 + 0.5) / 2, .mrr: (1 + 0.5) / 2, .coverage: 3.0 / 5, .popularity: 5.0 / 4,
        ]
        #expect(metricsMatch(summaries[0].values, zero), "\(summaries[0].values)")
        #expect(summaries[0].users == 2 && summaries[0].unknownUsers == 0)
        // Segment 1: user 1 T = {60} (never recommendable); user 2 T = {40} (rank 1).
        let one: [Metric: Double] = [
            .precisionAtK: (0 + 0.5) / 2, .recallAtK: (0 + 1) / 2, .hitRate: 0.5, .ndcg: 0.5,
            .map: 0.5, .mrr: 0.5, .coverage: 3.0 / 5, .popularity: 5.0 / 4,
        ]
        #expect(metricsMatch(summaries[1].values, one), "\(summaries[1].values)")
        #expect(summaries[1].users == 2 && summaries[1].unknownUsers == 1)
        // Segment 2 has no rows: no users, no values.
        #expect(summaries[2].users == 0 && summaries[2].values.isEmpty)
    }

    @Test func noRelevantRowsGiveNoValues() throws {
        let s = try EvaluationFixture([(1, 30, 0), (9, 10, 0)]).evaluate(k: 3)[0]
        #expect(s.users == 0 && s.values.isEmpty && s.usersWithoutRelevant == 2 && s.unknownUsers == 0)
    }

    /// T_u is the distinct items of u's relevant rows: an item the model never saw, relevant
    /// twice, is one item. User 1's relevant items are 30 and 60 whatever the repeats, so
    /// recall@2 is 1/2, as it is without the repeated row.
    @Test func anUnknownRelevantItemRepeatedIsOneItem() throws {
        let once = try EvaluationFixture([(1, 30, 1), (1, 60, 1)]).evaluate(k: 2)[0]
        #expect(abs(once.values[.recallAtK]! - 0.5) < 1e-12)
        let twice = try EvaluationFixture([(1, 30, 1), (1, 60, 1), (1, 60, 1)]).evaluate(k: 2)[0]
        #expect(abs(twice.values[.recallAtK]! - 0.5) < 1e-12, "recall \(twice.values[.recallAtK]!)")
        #expect(abs(twice.values[.ndcg]! - once.values[.ndcg]!) < 1e-12)
    }
}
