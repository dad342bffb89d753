// What some recommenders can do beyond scoring: list an item's nearest items, score items for
// a history that was not in training (a new user, folded in without retraining), and explain
// a score by the items the user heard. The interpreter asks for these with `as?` and says
// which kinds can when a model cannot.

/// An item and a number: a neighbour and its similarity, a heard item and its contribution.
package struct ItemScore: Sendable, Equatable {
    package var item: Int
    package var score: Double
    package init(item: Int, score: Double) {
        self.item = item
        self.score = score
    }
}

/// A recommender that knows which items resemble an item.
package protocol ItemSimilarity: Recommender {
    /// What the similarity is, for display: "cosine of item factors".
    var similarityName: String { get }
    /// The `top` items most similar to item `i` (dense), best first, `i` itself left out.
    func similarItems(to i: Int, top: Int) -> [ItemScore]
}

/// A recommender that scores items for a history it was not trained on.
package protocol FoldIn: Recommender {
    /// The score of every item for a user whose training rows would be `history` (dense item
    /// indices with their preference values).
    func scores(forHistory history: [ItemScore]) -> [Float]
}

/// A recommender whose score of an item splits into the contributions of the user's items.
package protocol Explaining: Recommender {
    /// How the contributions add up, for the note under the table.
    var explanationNote: String { get }
    /// Each training item of user `u` with its share of the score of item `i`, largest first.
    func explain(user u: Int, item i: Int) -> [ItemScore]
}
