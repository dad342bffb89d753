// ModelSpec: one declaration per model kind. A kind is a `FittableModel` type: its name, a
// one-line summary, paragraphs for `help fit KIND`, what it learns from, its `Parameters`
// struct and the hyperparameters as key paths into it, and how it fits. `ModelSpec` erases the
// type so the interpreter can list kinds, check options, fit, and show settings without
// knowing any model; adding a kind is its own files plus one line in `ModelCatalogue`.

import Frame

/// What a model kind learns from.
package enum ModelInput: Sendable, Equatable {
    /// Each row's target (the rating when declared, else the label): every row counts, so a
    /// replayed track weighs more.
    case rows
    /// The user x item preference matrix (`preference=`): one number per user-item pair.
    case preferences
    /// Feature columns, preprocessed (`features=`), and a 0/1 target: the classifiers.
    case features
}

/// A model kind: a fitted model type that declares how it is fitted.
package protocol FittableModel: Model {
    associatedtype Parameters: Sendable & Equatable
    /// The name `fit` takes: `als`.
    static var kindName: String { get }
    /// One line: what it is.
    static var summary: String { get }
    /// Paragraphs for `help fit KIND`: the method, what the scores mean, the choices made.
    static var details: [String] { get }
    static var examples: [String] { get }
    static var input: ModelInput { get }
    static var defaults: Parameters { get }
    static var hyperparameters: [Hyperparameter<Parameters>] { get }
    /// The hyperparameters the model was fitted with.
    var parameters: Parameters { get }
    static func fit(_ data: TrainingData, parameters: Parameters, context: FitContext) throws(LearnError) -> Self
    /// Whether the kind also learns from side feature columns (`features=`), read from
    /// `TrainingData.sideFeatures`.
    static var acceptsSideFeatures: Bool { get }
    /// The integer hyperparameter that measures a fit's work (epochs), for search budgets.
    static var budgetParameter: String? { get }
}

extension FittableModel {
    package var kind: String { Self.kindName }
    package static var acceptsSideFeatures: Bool { false }
    package static var budgetParameter: String? { nil }
}

/// A model kind with its type erased.
package struct ModelSpec: Sendable {
    package let name: String
    package let summary: String
    package let details: [String]
    package let examples: [String]
    package let input: ModelInput
    package let hyperparameters: [HyperparameterInfo]
    /// For classifiers: the scaling of numeric features unless `scale=` says otherwise.
    package let defaultScaling: FeatureScaling?
    /// For classifiers: the integer hyperparameter that measures a fit's work (trees, epochs).
    package let budgetParameter: String?
    /// For kinds that learn from rows: whether side features (`features=`) may be added.
    package let acceptsSideFeatures: Bool
    private let fitBody: (@Sendable (TrainingData, [String: HyperValue], FitContext) throws(LearnError) -> any Model)?
    private let classifierBody: (@Sendable (FeaturePipeline, FeatureMatrix, [Float], [String: HyperValue], FitContext) throws(LearnError) -> any FeatureModel)?
    private let settingsBody: @Sendable (any Model) -> [(String, HyperValue)]?

    package init<M: FittableModel>(_ type: M.Type) {
        name = M.kindName
        summary = M.summary
        details = M.details
        examples = M.examples
        input = M.input
        let declared = M.hyperparameters
        hyperparameters = declared.map { $0.info(defaults: M.defaults) }
        fitBody = { data, settings, context throws(LearnError) in
            var p = M.defaults
            for h in declared {
                if let v = settings[h.name] { h.set(&p, v) }
            }
            return try M.fit(data, parameters: p, context: context)
        }
        settingsBody = { model in
            guard let m = model as? M else { return nil }
            return declared.map { ($0.name, $0.get(m.parameters)) }
        }
        classifierBody = nil
        defaultScaling = nil
        budgetParameter = M.budgetParameter
        acceptsSideFeatures = M.acceptsSideFeatures
    }

    /// A classifier kind.
    package init<C: Classifier>(classifier type: C.Type) {
        name = C.kindName
        summary = C.summary
        details = C.details
        examples = C.examples
        input = .features
        defaultScaling = C.defaultScaling
        budgetParameter = C.budgetParameter
        acceptsSideFeatures = false
        let declared = C.hyperparameters
        hyperparameters = declared.map { $0.info(defaults: C.defaults) }
        fitBody = nil
        classifierBody = { pipeline, x, labels, settings, context throws(LearnError) in
            var p = C.defaults
            for h in declared {
                if let v = settings[h.name] { h.set(&p, v) }
            }
            try BinaryTarget.requireBothClasses(labels, pipeline.target)
            let classifier = try C.fit(x, labels: labels, parameters: p, context: context)
            let ones = labels.reduce(0.0) { $0 + Double($1) }
            return ClassifierModel(pipeline: pipeline, classifier: classifier, trainingRows: x.rows,
                                   positiveShare: ones / Double(max(1, x.rows)))
        }
        settingsBody = { model in
            guard let m = model as? ClassifierModel<C> else { return nil }
            return declared.map { ($0.name, $0.get(m.parameters)) }
        }
    }

    /// The hyperparameter called `name`.
    package func hyperparameter(_ name: String) -> HyperparameterInfo? { hyperparameters.first { $0.name == name } }

    /// `settings` converted to each hyperparameter's type and checked against its domain.
    package func validated(_ settings: [String: HyperValue]) throws(LearnError) -> [String: HyperValue] {
        var out: [String: HyperValue] = [:]
        for (name, value) in settings {
            guard let h = hyperparameter(name) else {
                throw .invalidParameter(name: name, reason: "is not a hyperparameter of \(self.name) (\(hyperparameters.map(\.name).joined(separator: ", ")))")
            }
            let v = h.domain.coerced(value)
            if let problem = h.domain.problem(v) { throw .invalidParameter(name: name, reason: problem) }
            out[name] = v
        }
        return out
    }

    /// Fits a model of this kind; unnamed hyperparameters keep their defaults.
    package func fit(_ data: TrainingData, settings: [String: HyperValue] = [:],
                     context: FitContext = FitContext()) throws(LearnError) -> any Model {
        guard let fitBody else { throw .unsupported("\(name) learns from feature columns: fit \(name) on <frame> features=[...]") }
        return try fitBody(data, try validated(settings), context)
    }

    /// Fits a classifier of this kind to a preprocessed training matrix and its 0/1 labels.
    package func fit(_ x: FeatureMatrix, labels: [Float], pipeline: FeaturePipeline, settings: [String: HyperValue] = [:],
                     context: FitContext = FitContext()) throws(LearnError) -> any FeatureModel {
        guard let classifierBody else { throw .unsupported("\(name) learns from users and items, not feature columns") }
        return try classifierBody(pipeline, x, labels, try validated(settings), context)
    }

    /// Every hyperparameter of `model` with its value, in declaration order.
    package func settings(of model: any Model) -> [(String, HyperValue)] { settingsBody(model) ?? [] }
}

/// Every model kind `fit` knows, in the order `help fit` lists them.
package enum ModelCatalogue {
    package static let all: [ModelSpec] = [
        ModelSpec(BaselineModel.self),
        ModelSpec(PopularityModel.self),
        ModelSpec(TruncatedSVD.self),
        ModelSpec(BiasedMF.self),
        ModelSpec(ImplicitALS.self),
        ModelSpec(ItemKNN.self),
        ModelSpec(NeuralRecommender.self),
        ModelSpec(classifier: LogisticRegression.self),
        ModelSpec(classifier: RandomForest.self),
        ModelSpec(classifier: GradientBoosting.self),
        ModelSpec(classifier: LinearSVC.self),
        ModelSpec(classifier: KNNClassifier.self),
        ModelSpec(classifier: MLPClassifier.self),
    ]

    /// The kind called `name`.
    package static func spec(named name: String) -> ModelSpec? { all.first { $0.name == name } }

    package static var names: [String] { all.map(\.name) }
}

extension FittableModel {
    /// Fits to the roles of `frame` directly: its rows mapped once, then `fit`.
    package static func fit(_ frame: DataFrame, parameters: Parameters = defaults, preference: PreferenceSpec = PreferenceSpec(),
                            context: FitContext = FitContext()) throws(LearnError) -> Self {
        try fit(try TrainingData(frame, preference: preference), parameters: parameters, context: context)
    }
}
