// Classifier: a binary classifier on a feature matrix, the learner behind logreg, forest, gbt,
// svc, knn and mlp. It never sees a frame: the fitted preprocessing (FeaturePipeline) turns
// frames into FeatureMatrix rows, and `ClassifierModel` pairs the two into a `Model` that
// scores any frame with the training columns. A kind declares itself as a recommender kind
// does (name, summary, details, examples, `Parameters` and its hyperparameters as key
// paths), so `help fit gbt`, completion, validation and `tune` spaces read the same list.

import Frame

/// How numeric features are scaled before a classifier sees them.
package enum FeatureScaling: String, Sendable, CaseIterable {
    /// (x - mean) / standard deviation.
    case standard
    /// (x - median) / interquartile range: a few extreme values do not squash the rest.
    case robust
    /// As they are (trees split on order, so scale does not matter to them).
    case none
}

/// What a classifier shows of what it learned, one value per feature column.
package struct FeatureWeights: Sendable, Equatable {
    /// What the values are: "coefficient", "importance (gain)".
    package var title: String
    /// One per feature column, in the matrix's order.
    package var values: [Double]
    /// The intercept, for linear models.
    package var intercept: Double?

    package init(title: String, values: [Double], intercept: Double? = nil) {
        self.title = title
        self.values = values
        self.intercept = intercept
    }
}

/// A binary classifier kind: how it is declared and fitted, and what a fitted one does.
package protocol Classifier: Sendable {
    associatedtype Parameters: Sendable & Equatable
    /// The name `fit` takes: `gbt`.
    static var kindName: String { get }
    /// One line: what it is.
    static var summary: String { get }
    /// Paragraphs for `help fit KIND`: the method, its scores, the choices made.
    static var details: [String] { get }
    static var examples: [String] { get }
    static var defaults: Parameters { get }
    static var hyperparameters: [Hyperparameter<Parameters>] { get }
    /// The scaling of numeric features unless `scale=` says otherwise: `.standard` for models
    /// that depend on scale (linear, distances, networks), `.none` for trees.
    static var defaultScaling: FeatureScaling { get }
    /// The integer hyperparameter that measures the work of a fit (trees, epochs), which
    /// successive halving grows; nil when training rows are the budget.
    static var budgetParameter: String? { get }

    /// The hyperparameters it was fitted with.
    var parameters: Parameters { get }

    /// Fits to `x` (preprocessed features) and `labels` (0 or 1, one per row).
    static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                    context: FitContext) throws(LearnError) -> Self

    /// P(label = 1) for each row of `x` (same columns as in training). Throws when the work
    /// would be unreasonable (k-NN against millions of rows) or the user cancels.
    func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double]

    /// Training facts for display (iterations, trees built, training loss).
    var facts: [(String, SummaryValue)] { get }

    /// Coefficients or importances per feature column, for `show m`; nil when the model has
    /// neither (k-NN).
    var featureWeights: FeatureWeights? { get }
}

extension Classifier {
    package static var budgetParameter: String? { nil }
    package var featureWeights: FeatureWeights? { nil }
}
