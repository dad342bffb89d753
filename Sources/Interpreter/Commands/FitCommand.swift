// `fit KIND on frame ...`: one form per model kind of Learn's catalogue. Each form's options
// are the kind's hyperparameters (name, range, default and meaning come from the kind's own
// declaration) plus, for kinds that work on the user x item matrix, how rows become
// preferences; the binder checks them before anything runs, and `help fit als` prints them.

import Dispatch
import Frame
import Learn
import RecScript

/// fit.
enum FitCommand {
    /// How the rows of a training frame become one number per user-item pair.
    static let preferenceOptions: [ParameterSpec] = [
        .optional("preference", .choice(Preference.allCases.map(\.rawValue)),
                  "how a user-item pair's rows become one number (see below)", default: Preference.listens.rawValue),
        .optional("weight", .column, "with preference=weight: the numeric column summed over a pair's rows (a play count)"),
    ]

    static let spec = CommandSpec(
        name: "fit", category: .model,
        summary: "train a model: a recommender on a frame's user and item columns, or a classifier on feature columns",
        positionals: [.required("model", .choice(ModelCatalogue.names), "which kind of model")],
        clauses: [.required("on", .frame, "the training frame")],
        details: [
            "Recommenders (baseline, popular, svd, mf, als, itemknn) need the schema's user and item columns. Classifiers (logreg, forest, gbt, svc, knn, mlp) learn a 0/1 target from features=[...] and keep their preprocessing; see help fit logreg. Raw user and item ids are numbered once; the numbering travels with the model, so any frame with the same columns can be scored. Kinds that learn from rows (baseline, mf) use every row's target: the rating when the schema declares one, else the label. Kinds that learn from the user x item matrix (popular, svd, als, itemknn) first turn each pair's rows into one number, as preference= says: " + Preference.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ") + ". A pair whose number is 0 is not stored.",
        ],
        examples: ModelCatalogue.all.map { $0.examples[0] },
        returns: "a model",
        variants: ModelCatalogue.all.map(variant),
        run: run)

    /// The form of `fit` for one model kind.
    static func variant(_ model: ModelSpec) -> CommandVariant {
        var details = model.details
        switch model.input {
        case .rows: details.append("Learns from: every training row's target (rating, else label).")
        case .preferences: details.append("Learns from: the user x item matrix of preference= (default listens: the pair's rows with label 1).")
        case .features:
            details.append("Learns from: the feature columns of features=, preprocessed (numeric features scaled by default with scale=\(model.defaultScaling?.rawValue ?? "standard")), and the 0/1 target (the schema's label unless target= names another column). Scores are probabilities.")
            details += FeatureOptions.details
        }
        let shared: [ParameterSpec]
        switch model.input {
        case .rows where model.acceptsSideFeatures:
            shared = FeatureOptions.sideOptions
            details.append("Side features: features=[...] adds columns to every example, encoded as the classifiers' features are (help fit logreg lists the forms; features=auto is not offered here).")
        case .rows: shared = []
        case .preferences: shared = preferenceOptions
        case .features: shared = FeatureOptions.options
        }
        return CommandVariant(name: model.name, summary: model.summary,
                              options: shared + model.hyperparameters.map(parameter),
                              details: details, examples: model.examples)
    }

    /// A hyperparameter as a command option.
    static func parameter(_ h: HyperparameterInfo) -> ParameterSpec {
        let kind: ParameterKind
        switch h.domain {
        case .integer(let r): kind = .integer(min: Int64(r.lowerBound), max: Int64(r.upperBound))
        case .number(let lo, let hi, _, _): kind = .number(min: lo, max: hi.isFinite ? hi : nil)
        case .bool: kind = .bool
        case .choice(let words): kind = .choice(words)
        case .integers: return ParameterSpec.optional(h.name, .any, h.summary, default: h.defaultValue.description).shown(as: "[n, ...]")
        }
        var summary = h.summary
        if case .number(let lo, _, true, _) = h.domain { summary += " (> \(HyperValue.format(lo)))" }
        return .optional(h.name, kind, summary, default: h.defaultValue.description)
    }

    static func run(_ inv: Invocation) throws(RuntimeError) -> CommandResult {
        let kind = try inv.choice("model") ?? ""
        guard let model = ModelCatalogue.spec(named: kind) else {
            throw RuntimeError(.script, "unknown model '\(kind)'", at: inv.range(of: "model"))
        }
        let frame = try inv.frame("on")
        let trainedOn = inv.interpreter.sourceText(inv.expression("on")!.range)
        if model.input == .features { return try fitClassifier(model, inv, frame: frame, trainedOn: trainedOn) }
        try ModelCommands.requireRoles(frame, [.user, .item], inv, "on")
        if model.input == .rows && frame.schema[.label] == nil && frame.schema[.rating] == nil {
            throw RuntimeError("fit \(kind) learns each row's target, but \(trainedOn) has no label or rating column declared",
                               at: inv.range(of: "on"),
                               notes: ["declare it once, before splitting: schema <frame> label=is_listened (or rating=<column>)"])
        }
        var preference = PreferenceSpec()
        if let word = try inv.choice("preference") { preference.preference = Preference(rawValue: word)! }
        if let weight = try inv.column("weight", in: frame) {
            guard inv.has("preference") == false || preference.preference == .weight else {
                throw RuntimeError("weight= applies with preference=weight, not preference=\(preference.preference.rawValue)",
                                   at: inv.range(of: "weight"))
            }
            preference = PreferenceSpec(.weight, weightColumn: weight)
        } else if preference.preference == .weight {
            throw RuntimeError("preference=weight needs the column to sum: weight=<column>", at: inv.range(of: "preference"))
        }
        let settings = try hyperSettings(model, inv)
        var featureSpec: FeatureSpec?
        if model.acceptsSideFeatures && inv.has("features") {
            var seed = 1
            if case .int(let n)? = settings["seed"] { seed = n }
            featureSpec = try FeatureOptions.spec(inv, frame: frame, target: frame.schema[.rating] ?? frame.schema[.label] ?? "",
                                                  scaling: .standard, seed: seed, allowAuto: false)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let fitted: any Model
        let relay = ProgressRelay(sink: inv.interpreter.sink, label: "fit \(kind)")
        defer { relay.finish() }
        var data: TrainingData
        do throws(LearnError) { data = try TrainingData(frame, preference: preference) } catch {
            throw locate(error, inv, command: "fit", argument: "on")
        }
        if let featureSpec, let target = data.target {
            relay.status(0, "preparing features")
            do throws(LearnError) {
                let (pipeline, x) = try FeaturePipeline.fit(frame, spec: featureSpec, target: target.name, labels: target.values.map(Float.init))
                data.sideFeatures = SideFeatures(pipeline: pipeline, matrix: x)
            } catch {
                throw locate(error, inv, command: "fit", argument: "features")
            }
        }
        do throws(LearnError) {
            fitted = try model.fit(data, settings: settings, context: relay.context(cancellation: inv.cancellation))
        } catch {
            throw locate(error, inv, command: "fit", argument: "on")
        }
        // Ctrl-C ended training early and the fit kept its best epoch: the model is the result.
        if fitted.history?.interrupted == true { inv.cancellation.reset() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let value = ModelValue(model: fitted, trainedOn: trainedOn, schema: frame.schema, training: frame, fitSeconds: seconds)
        var blocks: [Block] = [.keyValues(title: "\(kind) model trained on \(trainedOn)", value.summaryRows)]
        if let pipeline = (fitted as? NeuralRecommender)?.sideFeatures { blocks.append(.table(FeatureOptions.table(pipeline))) }
        if let history = fitted.history { blocks.append(.table(HistoryDisplay.table(history))) }
        return CommandResult(.model(value), display: Presentation(blocks), showWhenAssigned: true)
    }

    /// `fit KIND on frame features=...` for a classifier kind: the pipeline fitted to the
    /// frame, then the classifier to its matrix.
    static func fitClassifier(_ model: ModelSpec, _ inv: Invocation, frame: DataFrame, trainedOn: String) throws(RuntimeError) -> CommandResult {
        let settings = try hyperSettings(model, inv)
        let (target, labels) = try FeatureOptions.target(inv, frame: frame, at: "on")
        var seed = 1
        if case .int(let n)? = settings["seed"] { seed = n }
        let spec = try FeatureOptions.spec(inv, frame: frame, target: target, scaling: model.defaultScaling ?? .standard, seed: seed)
        do throws(LearnError) { try BinaryTarget.requireBothClasses(labels, target, in: trainedOn) } catch {
            throw RuntimeError(error.description, at: inv.range(of: inv.has("target") ? "target" : "on"))
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let fitted: any FeatureModel
        do throws(LearnError) {
            let relay = ProgressRelay(sink: inv.interpreter.sink, label: "fit \(model.name)")
            defer { relay.finish() }
            relay.status(0, "preparing features")
            let (pipeline, x) = try FeaturePipeline.fit(frame, spec: spec, target: target, labels: labels)
            fitted = try model.fit(x, labels: labels, pipeline: pipeline, settings: settings,
                                   context: relay.context(cancellation: inv.cancellation))
        } catch {
            throw locate(error, inv, command: "fit", argument: inv.has("features") ? "features" : "on")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var schema = frame.schema
        schema[.label] = target
        let value = ModelValue(model: fitted, trainedOn: trainedOn, schema: schema, training: frame, fitSeconds: seconds)
        return CommandResult(.model(value),
                             display: Presentation([.keyValues(title: "\(model.name) model trained on \(trainedOn)", value.summaryRows),
                                                   .table(FeatureOptions.table(fitted.pipeline))]),
                             showWhenAssigned: true)
    }

    /// The hyperparameters given as options, in their types.
    static func hyperSettings(_ model: ModelSpec, _ inv: Invocation) throws(RuntimeError) -> [String: HyperValue] {
        var settings: [String: HyperValue] = [:]
        for h in model.hyperparameters where inv.has(h.name) {
            settings[h.name] = try hyperValue(inv, h)
        }
        return settings
    }

    /// The value of hyperparameter option `h`, in its type.
    static func hyperValue(_ inv: Invocation, _ h: HyperparameterInfo) throws(RuntimeError) -> HyperValue {
        switch h.domain {
        case .integer: return .int(Int(try inv.integer(h.name)))
        case .number: return .number(try inv.number(h.name))
        case .bool: return .bool(try inv.bool(h.name, default: false))
        case .choice: return .choice(try inv.choice(h.name) ?? "")
        case .integers: return .ints(try inv.integerList(h.name))
        }
    }

    /// A LearnError as a RuntimeError located at the option it names, or at `argument`.
    static func locate(_ error: LearnError, _ inv: Invocation, command: String, argument: String) -> RuntimeError {
        switch error {
        case .cancelled:
            return RuntimeError(.cancelled, "\(command) interrupted", at: inv.range)
        case .invalidParameter(let name, _) where inv.has(name):
            return RuntimeError(error.description, at: inv.range(of: name))
        case .nonNumeric(let column, nil, _) where inv.has("weight"), .missingValues(let column, nil, _) where inv.has("weight"):
            _ = column
            return RuntimeError(error.description, at: inv.range(of: "weight"))
        default:
            return RuntimeError(error.description, at: inv.range(of: argument))
        }
    }
}
