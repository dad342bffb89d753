// The options every classifier kind shares: the target, the features and how they are encoded.
// `fit` and `tune` read them into a Learn `FeatureSpec`; `features=auto` is resolved here, with
// the frame's schema, and the fit shows each feature's encoding and the reason for it.
//
//   features=[user_age, context_type]           encodings chosen by each column's type and values
//   features=[onehot(user_age), target(genre_id)]   an encoding asked for by name
//   features=[pair(user_id, artist_id)]         a category per combination (target-encoded)
//   features=auto                               every column but the target, label and rating,
//                                               plus pair(user, item) when the schema names both

import Frame
import Learn
import RecScript

/// Reading the shared classifier options.
enum FeatureOptions {
    static let options: [ParameterSpec] = [
        .optional("target", .column, "the 0/1 column to predict", default: "the schema's label"),
        .required("features", .columns, "the columns to learn from: [col, onehot(col), target(col), frequency(col), numeric(col), pair(a, b)] or auto").shown(as: "[columns]|auto"),
        .optional("scale", .choice(FeatureScaling.allCases.map(\.rawValue)), "how numeric features are scaled: standard (z-score), robust (median and IQR) or none", default: "the kind's"),
        .optional("smoothing", .number(min: 0, max: 1e9), "m of the target encoding: the prior counts as m rows", default: "20"),
        .optional("encode_folds", .integer(min: 2, max: 50), "folds of the out-of-fold target encoding of training rows", default: "5"),
        .optional("max_levels", .integer(min: 2, max: 1000), "inputs at most per one-hot feature: the most frequent levels, then other", default: "16"),
    ]

    /// The options of kinds that take side features besides users and items (neural).
    static let sideOptions: [ParameterSpec] = [
        .optional("features", .columns, "side feature columns added to every example: [col, onehot(col), target(col), frequency(col), numeric(col), pair(a, b)]", default: "none").shown(as: "[columns]"),
    ] + options.filter { ["smoothing", "encode_folds", "max_levels"].contains($0.name) }
        + [.optional("scale", .choice(FeatureScaling.allCases.map(\.rawValue)), "how numeric side features are scaled: standard (z-score), robust (median and IQR) or none", default: "standard")]

    static let details = [
        "Features: a list of columns, each encoded as its type suggests unless wrapped: numeric(col) is scaled by scale=; onehot(col) gives one 0/1 input per level (the max_levels - 1 most frequent, then other; a level unseen in training is all 0); target(col) is the level's mean target, smoothed towards the overall mean p as (Σ y + m p) / (n + m), computed out of fold for training rows so no row sees its own label (an unseen level gets p); frequency(col) is the level's share of training rows (unseen: 0); pair(a, b) is a category per combination of a and b, target-encoded unless wrapped as frequency(a, b). By type: real numbers are numeric; integer columns named *_id are ids (target); codes named *_type, *_name, *_family, *_gender with at most 64 values are one-hot; other integers are quantities (numeric); text is one-hot up to 64 values, else target. features=auto takes every column except the target, label and rating, plus pair(user, item) when the schema declares both, and prints what it chose and why.",
        "A feature with a missing value, NaN or infinity is refused with its count: filter or fill those rows first. The fitted model keeps its preprocessing, so predict and evaluate take any frame with the same columns.",
    ]

    /// The target column and its 0/1 values.
    static func target(_ inv: Invocation, frame: DataFrame, at argument: String) throws(RuntimeError) -> (String, [Float]) {
        let name: String
        if let given = try inv.column("target", in: frame) { name = given } else if let label = frame.schema[.label] { name = label } else {
            throw RuntimeError("\(inv.spec.name) \(inv.variant?.name ?? "") needs a 0/1 target: target=<column>, or the schema's label", at: inv.range(of: argument),
                               notes: ["declare it once, before splitting: schema <frame> label=is_listened"])
        }
        do throws(LearnError) {
            return (name, try BinaryTarget.read(frame, name))
        } catch {
            throw RuntimeError(error.description, at: inv.range(of: inv.has("target") ? "target" : argument))
        }
    }

    /// The feature spec of the options, for a kind whose default scaling is `scaling`.
    static func spec(_ inv: Invocation, frame: DataFrame, target: String, scaling: FeatureScaling, seed: Int,
                     allowAuto: Bool = true) throws(RuntimeError) -> FeatureSpec {
        guard let e = inv.expression("features") else {
            throw RuntimeError("'\(inv.spec.name)' needs features=[columns] (or features=auto)", at: inv.range)
        }
        var requests: [FeatureRequest] = []
        if case .identifier("auto") = e.kind, frame.index(of: "auto") == nil {
            guard allowAuto else {
                throw RuntimeError("features=auto chooses a classifier's features; \(inv.variant?.name ?? inv.spec.name) already learns from the user and item, so name its side features: features=[user_age, context_type]", at: e.range)
            }
            var excluded: Set<String> = [target]
            if let l = frame.schema[.label] { excluded.insert(l) }
            if let r = frame.schema[.rating] { excluded.insert(r) }
            requests = FeatureSpec.auto(frame, excluding: excluded)
            if let u = frame.schema[.user], let i = frame.schema[.item], u != i { requests.append(FeatureRequest([u, i])) }
        } else {
            let items: [Expr]
            if case .list(let list) = e.kind { items = list } else { items = [e] }
            guard !items.isEmpty else { throw RuntimeError("features= needs at least one column", at: e.range) }
            for item in items { requests.append(try request(item, inv, frame: frame)) }
        }
        var spec = FeatureSpec(requests, scaling: try inv.choice("scale").map { FeatureScaling(rawValue: $0)! } ?? scaling)
        spec.smoothing = try inv.number("smoothing", default: spec.smoothing)
        spec.encodingFolds = Int(try inv.integer("encode_folds", default: Int64(spec.encodingFolds)))
        spec.maxLevels = Int(try inv.integer("max_levels", default: Int64(spec.maxLevels)))
        spec.seed = seed
        return spec
    }

    /// One element of features=: a column, an encoding call or a pair.
    private static func request(_ e: Expr, _ inv: Invocation, frame: DataFrame) throws(RuntimeError) -> FeatureRequest {
        switch e.kind {
        case .identifier(let name), .string(let name), .member(_, let name):
            guard frame.index(of: name) != nil else { throw Interpreter.unknownColumn(name, in: frame, at: e.range) }
            return FeatureRequest([name])
        case .call(let function, let arguments):
            let encodings = FeatureEncoding.allCases.map(\.rawValue)
            guard function == "pair" || encodings.contains(function) else {
                throw RuntimeError("unknown feature form '\(function)(...)'\(Suggestions.didYouMean(function, in: encodings + ["pair"]))", at: e.range,
                                   notes: ["a feature is a column, \(encodings.map { "\($0)(col)" }.joined(separator: ", ")), or pair(a, b)"])
            }
            var columns: [String] = []
            for a in arguments {
                if case .call = a.kind, function != "pair", arguments.count == 1 {
                    // target(pair(a, b)): the pair with this encoding.
                    var inner = try request(a, inv, frame: frame)
                    inner.encoding = FeatureEncoding(rawValue: function)
                    return inner
                }
                switch a.kind {
                case .identifier(let name), .string(let name), .member(_, let name):
                    guard frame.index(of: name) != nil else { throw Interpreter.unknownColumn(name, in: frame, at: a.range) }
                    columns.append(name)
                default:
                    throw RuntimeError("expected a column name in \(function)(...), found '\(inv.interpreter.sourceText(a.range))'", at: a.range)
                }
            }
            let expected = function == "pair" ? 2 : 1
            guard columns.count == expected || (function == "target" || function == "frequency") && columns.count == 2 else {
                throw RuntimeError("\(function)(...) takes \(expected == 2 ? "two columns" : "one column")\(function == "target" || function == "frequency" ? " (or two, for a pair)" : ""), not \(columns.count)", at: e.range)
            }
            return FeatureRequest(columns, encoding: function == "pair" ? nil : FeatureEncoding(rawValue: function))
        default:
            throw RuntimeError("expected a column, an encoding such as onehot(col), or pair(a, b) in features=, found '\(inv.interpreter.sourceText(e.range))'", at: e.range)
        }
    }

    /// The table of features a fit used: encoding, inputs and why.
    static func table(_ pipeline: FeaturePipeline) -> Table {
        Table(title: "features", columns: [TableColumn("feature", alignment: .left), TableColumn("encoding", alignment: .left),
                                           TableColumn("inputs"), TableColumn("why", alignment: .left), TableColumn("learned", alignment: .left)],
              rows: pipeline.encoders.map { e in
                  [.string(e.feature.request.name), .string(e.feature.encoding.rawValue), .int(Int64(e.width)),
                   .string(e.feature.reason), .string(e.detail)]
              })
    }
}
