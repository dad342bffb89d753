// Commands that judge models on a test frame: evaluate (one model, overall or by segment) and
// compare (several models in one table, best first, with their fit times).

import Frame
import Learn
import RecScript

/// evaluate, compare.
enum EvaluateCommands {
    static let metricNames = Metric.allCases.map(\.rawValue)

    /// Options shared by evaluate and compare.
    static let rankingOptions: [ParameterSpec] = [
        .optional("k", .integer(min: 1, max: 10_000), "length of each user's list for the ranking metrics", default: "10"),
        .optional("relevant", .number(min: nil, max: nil), "a test row is relevant when its rating is at least this (a label: when it is 1)", default: "4 for ratings"),
        .optional("exclude_seen", .bool, "leave each user's training items out of their list", default: "true"),
        .optional("threshold", .number(min: 0, max: 1), "the score from which a row counts as predicted 1 (accuracy, precision, recall, f1, confusion matrix)", default: "0.5"),
    ]

    static let metricDetails: [String] = [
        "Pointwise metrics compare each test row's score with its truth: the rating when the model learned one, else the label. " + Metric.allCases.filter { !$0.isRanking }.map { "\($0.rawValue): \($0.summary)." }.joined(separator: " "),
        "Ranking metrics: for each user known to the model with a relevant test row, R_u = the top k items by score (the user's training items left out unless exclude_seen=false; equal scores by item id, as recommend) and T_u = the user's relevant test items. " + Metric.allCases.filter(\.isRanking).map { "\($0.label(k: 10).replacingOccurrences(of: "10", with: "k")): \($0.summary)." }.joined(separator: " ") + " Each is the mean over those users; the notes say how many users that is and how many were left out (no relevant test row, or unknown to the model).",
        "Metrics that need probabilities (accuracy, log loss, precision, recall, f1) are refused for models whose scores only rank (als, svd, itemknn, popular), and rmse and mae too.",
    ]

    static let evaluate = CommandSpec(
        name: "evaluate", category: .model,
        summary: "score a model on a test frame: AUC, errors and ranking metrics at k, overall or by segment",
        positionals: [.required("model", .model, "the fitted model")],
        clauses: [
            .required("on", .frame, "the test frame, with the same roles as the training frame"),
            .optional("by", .column, "a column of the test frame (at most 50 values), or the word activity: deciles of the users' training rows"),
        ],
        options: [
            .optional("metrics", .choices(metricNames), "which metrics", default: "suited to the model's scores"),
        ] + rankingOptions,
        details: metricDetails + [
            "Rows whose user or item the model never saw are scored with what is known (for baseline, a bias of 0); the notes say how many.",
        ],
        examples: ["evaluate m on test", "evaluate m on test metrics=[auc, ndcg, recall_at_k] k=20", "evaluate m on test by user_age",
                   "evaluate m on test by activity metrics=[auc, ndcg]"],
        returns: "a frame of metric and value (with by: one row per segment)"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        let frame = Evaluation.withRoles(try inv.frame("on"), from: m)
        try ModelCommands.requireScoringRoles(frame, for: m, inv, "on")
        let metrics = try metricList(inv, for: m)
        let k = Int(try inv.integer("k", default: 10))
        let segments = try segmentation(inv, frame: frame, model: m)
        let result = try Evaluation.run(m, on: frame, metrics: metrics, k: k,
                                        relevantThreshold: inv.has("relevant") ? try inv.number("relevant") : nil,
                                        excludeSeen: try inv.bool("exclude_seen", default: true), segments: segments,
                                        threshold: try inv.number("threshold", default: Metrics.threshold), inv: inv, at: "on")
        let testName = inv.interpreter.sourceText(inv.expression("on")!.range)
        let out: DataFrame
        var table: Table
        if let segments {
            let groups = result.groups.filter { $0.rows > 0 }
            var columns: [Column] = [.strings(segments.name, groups.map(\.label)),
                                     .integers("rows", groups.map { Int64($0.rows) }), .integers("users", groups.map { Int64($0.users) })]
            for metric in metrics {
                columns.append(.doubles(metric.label(k: k), groups.map { $0.values[metric] ?? .nan }))
            }
            out = try ExploreCommands.frame(columns, inv)
            table = Presenter.frameTable(out, title: nil, allRows: true)
            table.columns[0].alignment = .left
            table.columns[1].style = .count
            table.columns[2].style = .count
        } else {
            let group = result.groups[0]
            let shown = metrics.filter { group.values[$0] != nil }
            out = try ExploreCommands.frame([.strings("metric", shown.map { $0.label(k: k) }),
                                             .doubles("value", shown.map { group.values[$0]! })], inv)
            table = Presenter.frameTable(out, title: nil, allRows: true)
            table.columns[0].alignment = .left
            for metric in metrics where group.values[metric] == nil {
                throw RuntimeError("\(metric.rawValue) is undefined here: \(group.undefined[metric] ?? "no value")", at: inv.range(of: "on"))
            }
        }
        table.title = "\(m.model.kind) model on \(testName): \(NumberFormat.grouped(frame.rowCount)) rows"
        table.notes = notes(result, metrics: metrics, k: k, overall: segments == nil)
        var blocks: [Block] = [.table(table)]
        if let confusion = result.confusion { blocks.append(.table(confusionTable(confusion, threshold: result.threshold, truth: result.truth))) }
        return CommandResult(.frame(out), display: Presentation(blocks))
    }

    static let compare = CommandSpec(
        name: "compare", category: .model,
        summary: "several models on one test frame: one table, best first, with fit and predict times",
        positionals: [.required("models", .any, "a list of models: [m1, m2, ...]")],
        clauses: [.required("on", .frame, "the test frame")],
        options: [
            .optional("metrics", .choices(metricNames), "which metrics; the first orders the table", default: "recommenders: [ndcg, precision_at_k, recall_at_k, map, hit_rate, coverage, auc]; classifiers: [auc, logloss, accuracy, f1]; else [auc]"),
        ] + rankingOptions,
        details: [
            "Every model is evaluated as evaluate does, on the same rows. A metric that does not apply to a model's scores shows — with a note. The table is ordered by the first metric, best first (lowest first for rmse, mae, log loss and popularity).",
        ] + metricDetails,
        examples: ["compare [pop, baseline, als] on test", "compare [baseline, mf] on test metrics=[auc, rmse]"],
        returns: "a frame: one row per model"
    ) { inv throws(RuntimeError) in
        let models = try modelList(inv)
        let k = Int(try inv.integer("k", default: 10))
        let given = try inv.choices("metrics")?.map { Metric(rawValue: $0)! }
        let allRank = models.allSatisfy { $0.1.model is any Recommender }
        let allProbabilities = models.allSatisfy { $0.1.model.scoreKind == .probability }
        let metrics = given ?? (allRank ? [.ndcg, .precisionAtK, .recallAtK, .map, .hitRate, .coverage, .auc]
                                        : allProbabilities ? [.auc, .logloss, .accuracy, .f1] : [.auc])
        let frame = try inv.frame("on")
        var rows: [(name: String, m: ModelValue, values: [Metric: Double], predictSeconds: Double)] = []
        var skipped: [String] = []
        for (name, m) in models {
            let test = Evaluation.withRoles(frame, from: m)
            try ModelCommands.requireScoringRoles(test, for: m, inv, "on")
            let suitable = metrics.filter { ($0.unsuitability(for: m.model.scoreKind) == nil) && (!$0.isRanking || m.model is any Recommender) }
            for metric in metrics where !suitable.contains(metric) { skipped.append("\(metric.rawValue) does not apply to \(name) (\(m.model.kind): \(m.model.scoreKind.rawValue) scores)") }
            let result = try Evaluation.run(m, on: test, metrics: suitable, k: k,
                                            relevantThreshold: inv.has("relevant") ? try inv.number("relevant") : nil,
                                            excludeSeen: try inv.bool("exclude_seen", default: true), segments: nil,
                                            threshold: try inv.number("threshold", default: Metrics.threshold), inv: inv, at: "on")
            rows.append((name, m, result.groups[0].values, result.predictSeconds))
        }
        let first = metrics[0]
        rows.sort { a, b in
            let x = a.values[first] ?? .nan, y = b.values[first] ?? .nan
            if x.isNaN != y.isNaN { return y.isNaN }
            return first.higherIsBetter ? x > y : x < y
        }
        var columns: [Column] = [.strings("model", rows.map(\.name)), .strings("kind", rows.map { $0.m.model.kind })]
        for metric in metrics { columns.append(.doubles(metric.label(k: k), rows.map { $0.values[metric] ?? .nan })) }
        columns.append(.doubles("fit time", rows.map(\.m.fitSeconds)))
        columns.append(.doubles("predict time", rows.map(\.predictSeconds)))
        let out = try ExploreCommands.frame(columns, inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        table.columns[0].alignment = .left
        table.columns[1].alignment = .left
        table.columns[table.columns.count - 1].style = .seconds
        table.columns[table.columns.count - 2].style = .seconds
        // A metric that does not apply reads as a dash, not NaN.
        for r in 0..<table.rows.count {
            for c in 2..<(table.columns.count - 2) {
                if case .double(let v) = table.rows[r][c], v.isNaN { table.rows[r][c] = .string("—") }
            }
        }
        table.title = "\(rows.count) model\(rows.count == 1 ? "" : "s") on \(inv.interpreter.sourceText(inv.expression("on")!.range)), best \(first.label(k: k)) first"
        table.notes = skipped
        return CommandResult(.frame(out), display: .table(table))
    }

    /// Rows by truth and by prediction at the threshold.
    static func confusionTable(_ c: ConfusionMatrix, threshold: Double, truth: String) -> Table {
        var table = Table(title: "confusion matrix at threshold \(NumberFormat.general(threshold))",
                          columns: [TableColumn(truth, alignment: .left), TableColumn("predicted 0", style: .count),
                                    TableColumn("predicted 1", style: .count), TableColumn("rows", style: .count)],
                          rows: [[.string("0"), .int(Int64(c.trueNegatives)), .int(Int64(c.falsePositives)), .int(Int64(c.trueNegatives + c.falsePositives))],
                                 [.string("1"), .int(Int64(c.falseNegatives)), .int(Int64(c.truePositives)), .int(Int64(c.falseNegatives + c.truePositives))]])
        table.notes = ["a row is predicted 1 when its score is at least the threshold (threshold= moves it)"]
        return table
    }

    /// The metrics named by `metrics=`, checked against the model, or its defaults.
    static func metricList(_ inv: Invocation, for m: ModelValue) throws(RuntimeError) -> [Metric] {
        guard let words = try inv.choices("metrics") else { return Evaluation.defaultMetrics(for: m.model) }
        let metrics = words.map { Metric(rawValue: $0)! }
        try Evaluation.check(metrics, for: m, at: inv.range(of: "metrics"))
        return metrics
    }

    /// The `by` clause: a column of the test frame, or the word `activity`.
    static func segmentation(_ inv: Invocation, frame: DataFrame, model m: ModelValue) throws(RuntimeError) -> Segmentation? {
        guard let e = inv.expression("by") else { return nil }
        if case .identifier("activity") = e.kind, frame.index(of: "activity") == nil {
            guard let r = m.model as? any Recommender else {
                throw RuntimeError("by activity needs a model that knows its users' training rows", at: e.range)
            }
            do throws(LearnError) {
                return Segmentation.byActivity(r, test: try ScoringData(frame, users: r.index.users, items: r.index.items))
            } catch {
                throw RuntimeError(error.description, at: inv.range(of: "on"))
            }
        }
        guard let name = try inv.column("by", in: frame) else { return nil }
        return try Segmentation.byColumn(name, of: frame, at: e.range)
    }

    /// The models of compare's list, with the names they are written as.
    static func modelList(_ inv: Invocation) throws(RuntimeError) -> [(String, ModelValue)] {
        guard let e = inv.expression("models") else { throw RuntimeError("compare needs a list of models", at: inv.range) }
        let items: [Expr]
        if case .list(let list) = e.kind { items = list } else { items = [e] }
        guard !items.isEmpty else { throw RuntimeError("compare needs at least one model: compare [m1, m2] on test", at: e.range) }
        var out: [(String, ModelValue)] = []
        for item in items {
            let v = try inv.interpreter.evaluate(item)
            guard case .model(let m) = v else {
                throw RuntimeError("expected a model, but '\(inv.interpreter.sourceText(item.range))' is \(v.typeName)", at: item.range)
            }
            out.append((inv.interpreter.sourceText(item.range), m))
        }
        return out
    }

    /// The lines under an evaluation table: unknown ids, and who the ranking metrics cover.
    static func notes(_ e: Evaluation, metrics: [Metric], k: Int, overall: Bool) -> [String] {
        var notes: [String] = []
        var unknown: [String] = []
        if e.unknownUserRows > 0 { unknown.append("\(NumberFormat.count(e.unknownUserRows, "row")) \(e.unknownUserRows == 1 ? "has" : "have") a user") }
        if e.unknownItemRows > 0 {
            unknown.append(unknown.isEmpty ? "\(NumberFormat.count(e.unknownItemRows, "row")) \(e.unknownItemRows == 1 ? "has" : "have") an item"
                                           : "\(NumberFormat.grouped(e.unknownItemRows)) an item")
        }
        if !unknown.isEmpty {
            notes.append(unknown.joined(separator: " and ") + " not seen in training; they are scored with what the model knows")
        }
        if metrics.contains(where: \.isRanking), let summary = e.groups.first?.ranking, overall {
            var line = "ranking at k=\(k) over \(NumberFormat.count(summary.users, "user")) with a relevant test row (\(e.relevance))"
            var left: [String] = []
            if summary.usersWithoutRelevant > 0 { left.append("\(NumberFormat.grouped(summary.usersWithoutRelevant)) with none") }
            if summary.unknownUsers > 0 { left.append("\(NumberFormat.grouped(summary.unknownUsers)) unknown to the model") }
            if !left.isEmpty { line += "; left out: " + left.joined(separator: ", ") }
            notes.append(line)
        } else if metrics.contains(where: \.isRanking) {
            notes.append("ranking at k=\(k); each segment averages over its users with a relevant test row (\(e.relevance)) in it")
        }
        return notes
    }
}

extension EvaluateCommands {
    static let predict = CommandSpec(
        name: "predict", category: .model,
        summary: "add a model's score for each row of a frame as a column",
        positionals: [.required("model", .model, "the fitted model")],
        clauses: [.required("on", .frame, "a frame with the model's user and item columns (named as in training)")],
        options: [.optional("as", .string, "the name of the new column", default: "\"score\"")],
        details: [
            "The score is what evaluate judges: a probability, a rating estimate or a ranking score, as the model's summary says under scores. Users and items the model never saw are scored with what it knows (for baseline, a bias of 0; for factor models, 0).",
        ],
        examples: ["scored = predict m on test", "scored = predict als on test as=\"als_score\""],
        returns: "the frame with the score column added"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        let frame = Evaluation.withRoles(try inv.frame("on"), from: m)
        try ModelCommands.requireScoringRoles(frame, for: m, inv, "on")
        let name = try inv.string("as") ?? "score"
        let scores: [Double]
        do throws(LearnError) { scores = try m.model.predict(frame) } catch {
            throw RuntimeError(error.description, at: inv.range(of: "on"))
        }
        let out = try inv.frameOperation(at: "as") { () throws(FrameError) in try frame.with(.doubles(name, scores)) }
        let line = "\(m.model.kind) scores (\(m.model.scoreKind.rawValue)) of \(NumberFormat.count(out.rowCount, "row")) in column '\(name)'"
        return CommandResult(.frame(out), display: .text(line), showWhenAssigned: true)
    }
}
