// The contract every fitted model keeps: score the rows of a frame and say what its scores
// mean. Recommenders also score every item for a user; some can fold in a new user's history,
// list an item's neighbours or explain a score (see Capabilities.swift).

import Frame

/// What a model's scores mean, which decides the metrics that apply.
package enum ScoreKind: String, Sendable {
    /// An estimate of P(label = 1): every metric applies.
    case probability
    /// An estimate of an explicit rating: RMSE and MAE apply, as do ranking metrics.
    case rating
    /// Only the order means something (ALS, item k-NN, popularity): AUC and ranking metrics.
    case ranking

    /// A phrase for messages: "a probability", "a ranking score".
    package var phrase: String {
        switch self {
        case .probability: "a probability"
        case .rating: "a rating estimate"
        case .ranking: "a ranking score (only the order of scores means something)"
        }
    }
}

/// A fitted model that scores rows.
package protocol Model: Sendable {
    /// Short name used by `fit`, e.g. "baseline".
    var kind: String { get }
    /// What the scores mean.
    var scoreKind: ScoreKind { get }
    /// Training facts for display (rows, users, training error), after the hyperparameters.
    var facts: [(String, SummaryValue)] { get }
    /// A score per row of `frame`.
    func predict(_ frame: DataFrame) throws(LearnError) -> [Double]
    /// Arrays the model exposes by name (`singular_values`), for `m.name` in the language.
    var arrays: [(String, [Double])] { get }
    /// Per-epoch measurements of an iterative fit (the neural recommender), else nil.
    var history: TrainingHistory? { get }
}

extension Model {
    package var arrays: [(String, [Double])] { [] }
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

/// What every recommender keeps of its training data: the id maps, each user's seen items
/// and each item's popularity.
package struct InteractionIndex: Sendable {
    package let users: IDMap
    package let items: IDMap
    /// Items of user u, ascending: seenItems[seenOffsets[u]..<seenOffsets[u + 1]] (the
    /// training pairs, computed on first use).
    package var seenOffsets: [Int] { pairs.value.offsets }
    package var seenItems: [Int32] { pairs.value.items }
    private let pairs: Lazy<UserItemPairs>
    /// Training rows of each item.
    package let itemRows: [Int32]
    /// The first training row of each item.
    package let itemFirstRows: [Int32]
    /// Training rows of each user.
    package let userRows: [Int32]
    /// Training rows.
    package let rowCount: Int

    package init(_ data: TrainingData) {
        users = data.users
        items = data.items
        pairs = data.lazyPairs
        itemRows = data.itemRows
        itemFirstRows = data.itemFirstRows
        var userRows = [Int32](repeating: 0, count: data.users.count)
        data.rowUsers.withUnsafeBufferPointer { us in
            userRows.withUnsafeMutableBufferPointer { counts in for u in us { counts[Int(u)] &+= 1 } }
        }
        self.userRows = userRows
        rowCount = data.rowCount
    }

    /// The items user `u` has in training, ascending.
    package func seen(_ u: Int) -> ArraySlice<Int32> { pairs.value.items(of: u) }

    /// Whether user `u` has item `i` in training.
    package func hasSeen(user u: Int, item i: Int32) -> Bool { pairs.value.contains(user: u, item: i) }
}

/// A model over users and items that can score every item for a user.
package protocol Recommender: Model {
    var index: InteractionIndex { get }
    /// The score of item `i` for user `u` (dense indices; -1 for one the model never saw).
    func score(user u: Int32, item i: Int32) -> Double
    /// Writes the score of every item for user `u` into `scores` (one slot per item).
    func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>)
    /// Writes the scores of every item for each of `users`, row after row, into `scores`
    /// (users.count x items). Factor models do this as one matrix product.
    func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>)
    /// Whether `scoreItems(users:)` is a batched product that already uses every core (call it
    /// from one thread); otherwise users are scored one by one on every core.
    var batchScoring: Bool { get }
    /// The scores of the items `items` (a range of dense indices) for each of `users`, row
    /// after row (users.count x items.count): a tile of `scoreItems(users:into:)`.
    func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>)
}

extension Recommender {
    package var users: IDMap { index.users }
    package var batchScoring: Bool { false }

    package func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = index.items.count, w = items.count
        var row = [Float](repeating: 0, count: n)
        for (r, u) in users.enumerated() {
            row.withUnsafeMutableBufferPointer { scoreItems(user: u, into: $0) }
            for j in 0..<w { scores[r * w + j] = row[items.lowerBound + j] }
        }
    }
    package var items: IDMap { index.items }

    package func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>) {
        let n = index.items.count
        for (row, u) in users.enumerated() {
            scoreItems(user: u, into: UnsafeMutableBufferPointer(rebasing: scores[(row * n)..<((row + 1) * n)]))
        }
    }

    /// Scores of rows already mapped through the model's id maps.
    package func predict(_ data: ScoringData) -> [Double] {
        data.users.withUnsafeBufferPointer { u in
            data.items.withUnsafeBufferPointer { i in
                Parallel.array(data.count) { score(user: u[$0], item: i[$0]) }
            }
        }
    }

    package func predict(_ frame: DataFrame) throws(LearnError) -> [Double] {
        predict(try ScoringData(frame, users: index.users, items: index.items))
    }

    /// The `top` highest-scoring items for raw user `user`, best first; ties by raw item id.
    package func recommend(user: RawID, top: Int, excludeSeen: Bool) throws(LearnError) -> [Recommendation] {
        guard let u = index.users.index(of: user) else { throw .unknownUser(user.value) }
        guard top > 0 else { throw .invalidParameter(name: "top", reason: "must be at least 1") }
        var scores = [Float](repeating: 0, count: index.items.count)
        scores.withUnsafeMutableBufferPointer { scoreItems(user: u.int, into: $0) }
        return ranked(scores, user: u.int, top: top, excludeSeen: excludeSeen)
    }

    /// The best `top` items of a score vector for user `u` (or for nobody, u = -1).
    package func ranked(_ scores: [Float], user u: Int, top: Int, excludeSeen: Bool) -> [Recommendation] {
        let seen = u >= 0 ? index.seen(u) : []
        let picked = scores.withUnsafeBufferPointer { s in
            index.items.raw.withUnsafeBufferPointer { ids in
                TopK.select(top, scores: s, rawIDs: ids, excluding: excludeSeen ? seen : [])
            }
        }
        // Ranked in Float; each shown score is the model's own, as `predict` gives it.
        return picked.map { i in
            Recommendation(item: index.items.rawID(DenseIndex(i)),
                           score: u >= 0 ? score(user: Int32(u), item: Int32(i)) : Double(scores[i]),
                           seen: u >= 0 && index.hasSeen(user: u, item: Int32(i)))
        }
    }
}
