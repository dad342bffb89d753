// UserItemPairs: the two counting sorts and the one aggregation pass held equal to a naive
// dictionary-based aggregation of the same rows.

import Testing
import Learn

/// What the rows of one (user, item) pair say, aggregated the obvious way.
struct NaivePair: Equatable {
    var rows = 0
    var positives = 0
    var labelSum = 0.0
    var weightSum = 0.0
}

/// Pairs keyed by dense (user, item), from rows given as dense indices.
func naivePairs(users: [Int32], items: [Int32], labels: [Double]?, weights: [Double]?) -> [Int32: [Int32: NaivePair]] {
    var out: [Int32: [Int32: NaivePair]] = [:]
    for r in users.indices {
        var p = out[users[r], default: [:]][items[r], default: NaivePair()]
        p.rows += 1
        if let labels {
            p.labelSum += labels[r]
            if labels[r] > 0.5 { p.positives += 1 }
        } else {
            p.labelSum += 1
            p.positives += 1
        }
        if let weights { p.weightSum += weights[r] }
        out[users[r], default: [:]][items[r]] = p
    }
    return out
}

@Suite struct UserItemPairsTests {
    /// Random dense rows, with and without labels and weights.
    @Test(arguments: [(UInt64(1), 1, 1, 1), (2, 3, 4, 20), (3, 10, 7, 200), (4, 25, 40, 300), (5, 40, 3, 500), (6, 2, 60, 90)])
    func equalsTheNaiveAggregation(seed: UInt64, userCount: Int, itemCount: Int, n: Int) {
        var rng = TestRandom(seed: seed)
        let users = (0..<n).map { _ in Int32(rng.int(userCount)) }
        let items = (0..<n).map { _ in Int32(rng.int(itemCount)) }
        // Labels from a few values, including ones that are not 0 or 1 (0.5 is not positive).
        let labels = (0..<n).map { _ in [0.0, 1, 1, 0.5, 0.75, 0.25][rng.int(6)] }
        let weights = (0..<n).map { _ in Double(rng.int(100)) / 8 }
        for (l, w) in [(labels, weights), (nil, nil), (labels, nil), (nil, weights)] as [([Double]?, [Double]?)] {
            let pairs = UserItemPairs(users: users, items: items, userCount: userCount, itemCount: itemCount, labels: l, weights: w)
            let naive = naivePairs(users: users, items: items, labels: l, weights: w)
            #expect(pairs.userCount == userCount && pairs.itemCount == itemCount)
            #expect(pairs.offsets.count == userCount + 1 && pairs.offsets.first == 0 && pairs.offsets.last == pairs.count)
            #expect(pairs.count == naive.values.reduce(0) { $0 + $1.count })
            #expect((pairs.weightSums == nil) == (w == nil))
            for u in 0..<userCount {
                let expected = naive[Int32(u)] ?? [:]
                let itemsOfU = Array(pairs.items(of: u))
                #expect(itemsOfU == expected.keys.sorted(), "items of user \(u), ascending")
                for p in pairs.offsets[u]..<pairs.offsets[u + 1] {
                    let e = expected[pairs.items[p]]!
                    #expect(Int(pairs.rows[p]) == e.rows)
                    #expect(Int(pairs.positives[p]) == e.positives)
                    #expect(abs(Double(pairs.labelSums[p]) - e.labelSum) < 1e-5)
                    if let sums = pairs.weightSums { #expect(abs(Double(sums[p]) - e.weightSum) < 1e-4) }
                }
                for i in 0..<itemCount {
                    #expect(pairs.contains(user: u, item: Int32(i)) == (expected[Int32(i)] != nil))
                }
            }
        }
    }

    @Test func aSmallLogByHand() {
        // Rows (user, item, label): (1,2,1) (0,1,0) (1,2,0) (0,0,1) (1,2,1) (0,1,0).
        let pairs = UserItemPairs(users: [1, 0, 1, 0, 1, 0], items: [2, 1, 2, 0, 2, 1], userCount: 3, itemCount: 3,
                                  labels: [1, 0, 0, 1, 1, 0], weights: [5, 1, 2, 3, 4, 6])
        #expect(pairs.offsets == [0, 2, 3, 3])
        #expect(pairs.items == [0, 1, 2])
        #expect(pairs.rows == [1, 2, 3])
        #expect(pairs.positives == [1, 0, 2])
        #expect(pairs.labelSums == [1, 0, 2])
        #expect(pairs.weightSums == [3, 7, 11])
        #expect(pairs.items(of: 2).isEmpty)
        #expect(!pairs.contains(user: 2, item: 0))
    }

    @Test func noRows() {
        let pairs = UserItemPairs(users: [], items: [], userCount: 2, itemCount: 3, labels: nil, weights: nil)
        #expect(pairs.count == 0 && pairs.offsets == [0, 0, 0])
        #expect(pairs.matrix(.listens) == CSRMatrix(rows: 2, columns: 3, offsets: [0, 0, 0], indices: [], values: []))
    }
}
