// ClassifierModel: a classifier with the preprocessing it was trained through, as one `Model`:
// `predict` transforms a frame with the fitted pipeline and asks the classifier for
// probabilities. `FeatureModel` is what the interpreter and the search see of any of them,
// whatever the kind.

import Frame

/// A model that scores frames through a fitted feature pipeline.
package protocol FeatureModel: Model {
    var pipeline: FeaturePipeline { get }
    /// Training rows.
    var trainingRows: Int { get }
    /// P(label = 1) for rows already transformed by `pipeline`.
    func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double]
    /// Coefficients or importances per model input, when the kind has them.
    var featureWeights: FeatureWeights? { get }
}

/// A fitted classifier of kind `C` and its pipeline.
package struct ClassifierModel<C: Classifier>: FeatureModel {
    package let pipeline: FeaturePipeline
    package let classifier: C
    package let trainingRows: Int
    /// Share of label 1 in training.
    package let positiveShare: Double

    package init(pipeline: FeaturePipeline, classifier: C, trainingRows: Int, positiveShare: Double) {
        self.pipeline = pipeline
        self.classifier = classifier
        self.trainingRows = trainingRows
        self.positiveShare = positiveShare
    }

    package var kind: String { C.kindName }
    package var scoreKind: ScoreKind { .probability }
    package var parameters: C.Parameters { classifier.parameters }
    package var featureWeights: FeatureWeights? { classifier.featureWeights }

    package var facts: [(String, SummaryValue)] {
        [("target", .text(pipeline.target)), ("training rows", .int(trainingRows)),
         ("positive share", .number(positiveShare)),
         ("features", .int(pipeline.encoders.count)),
         ("inputs", .int(pipeline.inputNames.count))] + classifier.facts
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        try classifier.probabilities(x, context: context)
    }

    package func predict(_ frame: DataFrame) throws(LearnError) -> [Double] {
        try classifier.probabilities(try pipeline.transform(frame), context: FitContext())
    }
}
