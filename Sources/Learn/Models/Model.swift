// The contract every model keeps: score the rows of a frame; recommenders also rank items.

import Frame

/// A fitted model that scores rows.
package protocol Model: Sendable {
    /// Short name used by `fit`, e.g. "baseline".
    var kind: String { get }
    /// Hyperparameters and training facts, for display: ("reg_user", 15), ("users", 527).
    var summary: [(String, SummaryValue)] { get }
    /// A score per row of `frame` (for a 0/1 label, an estimate of P(label = 1)).
    func predict(_ frame: DataFrame) throws(LearnError) -> [Double]
}

/// A value in a model's summary.
package enum SummaryValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case number(Double)
}

/// One recommended item.
package struct Recommendation: Sendable, Equatable {
    package var item: RawID
    package var score: Double
    /// Whether the user already has this item in the training data.
    package var seen: Bool
}

/// A model over users and items that can rank every item for a user.
package protocol Recommender: Model {
    var users: IDMap { get }
    var items: IDMap { get }
    var seen: SeenItems { get }
    /// The score of every item (by dense index) for user `u`.
    func itemScores(for u: DenseIndex) -> [Double]
}

extension Recommender {
    /// The `top` highest-scoring items for raw user `user`, best first; ties by item id.
    package func recommend(user: RawID, top: Int, excludeSeen: Bool) throws(LearnError) -> [Recommendation] {
        guard let u = users.index(of: user) else { throw .unknownUser(user.value) }
        guard top > 0 else { throw .invalidParameter(name: "top", reason: "must be at least 1") }
        let scores = itemScores(for: u)
        let seenItems = Set(seen.items(of: u))
        let ranked = TopK.select(top, from: scores.count, score: { scores[$0] },
                                 tieBreak: { items.raw[$0] },
                                 skip: excludeSeen ? { seenItems.contains(Int32($0)) } : nil)
        return ranked.map {
            Recommendation(item: items.rawID(DenseIndex($0)), score: scores[$0],
                           seen: seenItems.contains(Int32($0)))
        }
    }
}

/// Selection of the k best of n candidates in O(n log k) with a bounded min-heap.
package enum TopK {
    /// Indices of the `k` highest scores, best first; equal scores ordered by `tieBreak` ascending.
    package static func select(_ k: Int, from n: Int, score: (Int) -> Double, tieBreak: (Int) -> Int64,
                               skip: ((Int) -> Bool)? = nil) -> [Int] {
        guard k > 0 else { return [] }
        // `worse(a, b)`: a ranks below b. NaN ranks below every number and ties with NaN.
        func worse(_ a: Int, _ b: Int) -> Bool {
            let sa = score(a), sb = score(b)
            if sa != sb && !(sa.isNaN && sb.isNaN) { return sa < sb || (sa.isNaN && !sb.isNaN) }
            return tieBreak(a) > tieBreak(b)
        }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && worse(heap[l], heap[m]) { m = l }
                if r < heap.count && worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for c in 0..<n {
            if let skip, skip(c) { continue }
            if heap.count < k {
                heap.append(c)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    if worse(heap[i], heap[p]) { heap.swapAt(i, p); i = p } else { break }
                }
            } else if worse(heap[0], c) {
                heap[0] = c
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}
