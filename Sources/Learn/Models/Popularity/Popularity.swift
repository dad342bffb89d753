// Popularity: every user gets the same ranking, items by the sum of their preference column,
//   score(i) = Σ_u P[u, i]
// (with the default preference, the item's listens). The floor every personalised model must
// clear, and the fallback for users a model does not know.

import Frame

/// Items ranked by their total preference.
package struct PopularityModel: Recommender, FittableModel {
    /// The model has no hyperparameters; the preference rule decides what is counted.
    package struct Parameters: Sendable, Equatable {
        package init() {}
    }

    package static let kindName = "popular"
    package static let summary = "the same ranking for every user: items by their total preference"
    package static let details = [
        "score(i) = Σ_u P[u, i]: with the default preference=listens, the item's listens; with preference=label, the number of users who listened to it. Scores are ranking scores: only their order means something, so log loss and accuracy do not apply.",
    ]
    package static let examples = ["pop = fit popular on train", "pop = fit popular on train preference=label"]
    package static let input = ModelInput.preferences
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = []

    package let parameters: Parameters
    package let index: InteractionIndex
    /// Each item's total preference.
    package let popularity: [Float]
    package let preference: Preference
    package var scoreKind: ScoreKind { .ranking }

    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> PopularityModel {
        var totals = [Double](repeating: 0, count: data.items.count)
        for k in 0..<data.matrix.nonZeros { totals[Int(data.matrix.indices[k])] += Double(data.matrix.values[k]) }
        return PopularityModel(parameters: parameters, index: InteractionIndex(data),
                               popularity: totals.map { Float($0) }, preference: data.preference.preference)
    }

    package func score(user u: Int32, item i: Int32) -> Double { i >= 0 ? Double(popularity[Int(i)]) : 0 }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<popularity.count { scores[i] = popularity[i] }
    }

    package var facts: [(String, SummaryValue)] {
        [("preference", .text(preference.rawValue)), ("training rows", .int(index.rowCount)),
         ("users", .int(index.users.count)), ("items", .int(index.items.count))]
    }
}
