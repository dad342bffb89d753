// Commands that build and judge recommenders: split, fit, evaluate, recommend.

import Frame
import Learn
import RecScript

/// split, fit, evaluate, recommend.
enum ModelCommands {
    static let all: [CommandSpec] = [split, fit, evaluate, recommend]

    /// Models `fit` knows.
    static let modelNames = ["baseline"]

    static let split = CommandSpec(
        name: "split", category: .model,
        summary: "divide a frame's rows at random into a training and a test frame",
        positionals: [.required("frame", .frame, "the frame to divide")],
        options: [
            .optional("ratio", .number(min: 0, max: 1), "share of rows that go to training", default: "0.8"),
            .optional("seed", .integer(min: 0, max: nil), "seed of the shuffle; the same seed gives the same split", default: "1"),
        ],
        details: ["Each part keeps the original row order and the frame's schema."],
        examples: ["train, test = split listens ratio=0.8 seed=123"],
        results: 2, returns: "two frames: training rows, test rows"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let ratio = try inv.number("ratio", default: 0.8)
        let seed = try inv.integer("seed", default: 1)
        do throws(LearnError) {
            let (train, test) = try Split.random(frame, ratio: ratio, seed: UInt64(seed))
            let text = "train: \(NumberFormat.grouped(train.rowCount)) rows, test: \(NumberFormat.grouped(test.rowCount)) rows (ratio \(NumberFormat.general(ratio)), seed \(seed))"
            return CommandResult([.frame(train), .frame(test)], display: .text(text), showWhenAssigned: true)
        } catch {
            throw RuntimeError(error.description, at: inv.range)
        }
    }

    static let fit = CommandSpec(
        name: "fit", category: .model,
        summary: "train a model on a frame whose schema names the user, item and label columns",
        positionals: [.required("model", .choice(modelNames), "which model")],
        clauses: [.required("on", .frame, "the training frame")],
        options: [
            .optional("reg_user", .number(min: 0, max: nil), "baseline: shrinkage of user biases towards 0", default: "15"),
            .optional("reg_item", .number(min: 0, max: nil), "baseline: shrinkage of item biases towards 0", default: "10"),
            .optional("epochs", .integer(min: 1, max: 1000), "baseline: alternating passes over the data", default: "10"),
        ],
        details: [
            "baseline: global mean plus regularised user and item biases, r̂ = μ + b_u + b_i, fitted by alternating least squares (Koren 2010). Raw ids map to dense indices; the mapping travels with the model.",
        ],
        examples: ["m = fit baseline on train", "m = fit baseline on train reg_user=5 reg_item=5"],
        returns: "a model"
    ) { inv throws(RuntimeError) in
        let kind = try inv.choice("model") ?? "baseline"
        let frame = try inv.frame("on")
        let trainedOn = inv.interpreter.sourceText(inv.expression("on")!.range)
        try requireRoles(frame, [.user, .item, .label], inv, "on")
        var p = BaselineModel.Parameters()
        p.regUser = try inv.number("reg_user", default: p.regUser)
        p.regItem = try inv.number("reg_item", default: p.regItem)
        p.epochs = Int(try inv.integer("epochs", default: Int64(p.epochs)))
        let model: any Model
        do throws(LearnError) {
            switch kind {
            default: model = try BaselineModel.fit(frame, parameters: p, cancellation: inv.cancellation)
            }
        } catch {
            if error == .cancelled { throw RuntimeError(.cancelled, "fit interrupted", at: inv.range) }
            throw RuntimeError(error.description, at: inv.range(of: "on"))
        }
        let value = ModelValue(model: model, trainedOn: trainedOn, schema: frame.schema)
        let title = "\(kind) model trained on \(trainedOn)"
        return CommandResult(.model(value),
                             display: Presentation([.keyValues(title: title, model.summary.map { ($0.0, Cell($0.1)) })]),
                             showWhenAssigned: true)
    }

    static let evaluate = CommandSpec(
        name: "evaluate", category: .model,
        summary: "score a model on a test frame: AUC, accuracy, RMSE, log loss",
        positionals: [.required("model", .model, "the fitted model")],
        clauses: [.required("on", .frame, "the test frame, with the same roles as the training frame")],
        options: [
            .optional("metrics", .choices(Metric.allCases.map(\.rawValue)), "which metrics",
                      default: "[auc, accuracy, rmse, logloss]"),
        ],
        details: Metric.allCases.map { "\($0.rawValue): \($0.summary)." } + [
            "Users and items the model never saw are scored with what is known (a bias of 0); the result says how many rows that concerns.",
        ],
        examples: ["evaluate m on test", "evaluate m on test metrics=[auc]"],
        returns: "a frame of metric, value"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        var frame = try inv.frame("on")
        // A test frame without roles borrows the training frame's.
        for role in Role.allCases where frame.schema[role] == nil {
            if let c = m.schema[role], frame.index(of: c) != nil { frame.schema[role] = c }
        }
        try requireRoles(frame, [.user, .item, .label], inv, "on")
        let metrics = (try inv.choices("metrics") ?? ["auc", "accuracy", "rmse", "logloss"]).map { Metric(rawValue: $0)! }
        let scores: [Double], labels: [Double], coverage: (users: Int, items: Int)
        do {
            scores = try m.model.predict(frame)
            labels = try frame.column(frame.schema[.label]!).doubleValues() ?? []
            coverage = try unseen(frame, m)
        } catch let e as LearnError {
            throw RuntimeError(e.description, at: inv.range(of: "on"))
        } catch {
            throw RuntimeError("\(error)", at: inv.range(of: "on"))
        }
        var values: [Double] = []
        for metric in metrics {
            do throws(LearnError) { values.append(try metric.compute(scores: scores, labels: labels)) } catch {
                throw RuntimeError(error.description, at: inv.range(of: "on"))
            }
        }
        let out = try ExploreCommands.frame([.strings("metric", metrics.map(\.rawValue)), .doubles("value", values)], inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        table.title = "\(m.model.kind) model on \(inv.interpreter.sourceText(inv.expression("on")!.range)): \(NumberFormat.grouped(frame.rowCount)) rows"
        table.columns[0].alignment = .left
        table.notes = []
        if coverage.users > 0 || coverage.items > 0 {
            table.notes.append("\(NumberFormat.count(coverage.users, "row")) \(coverage.users == 1 ? "has" : "have") a user and \(NumberFormat.grouped(coverage.items)) an item not seen in training; they are scored without that bias")
        }
        return CommandResult(.frame(out), display: .table(table))
    }

    static let recommend = CommandSpec(
        name: "recommend", category: .model,
        summary: "a user's top items by the model's score",
        positionals: [.required("model", .model, "the fitted model")],
        options: [
            .required("user", .integer(min: nil, max: nil), "the user's raw id, as in the data"),
            .optional("top", .integer(min: 1, max: 100_000), "how many items", default: "10"),
            .optional("exclude_seen", .bool, "leave out items the user has in the training data", default: "true"),
        ],
        examples: ["recommend m user=30 top=10", "recommend m user=30 exclude_seen=false"],
        returns: "a frame of rank, item, score"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        let user = try inv.integer("user")
        let top = Int(try inv.integer("top", default: 10))
        let exclude = try inv.bool("exclude_seen", default: true)
        guard let recommender = m.model as? any Recommender else {
            throw RuntimeError("a \(m.model.kind) model cannot rank items for a user", at: inv.range(of: "model"))
        }
        let list: [Recommendation]
        do throws(LearnError) {
            list = try recommender.recommend(user: RawID(user), top: top, excludeSeen: exclude)
        } catch {
            var notes: [String] = []
            if case .unknownUser = error {
                let ids = recommender.users.raw
                notes.append("the model knows \(NumberFormat.grouped(ids.count)) users, ids \(ids.min() ?? 0) to \(ids.max() ?? 0)")
            }
            throw RuntimeError(error.description, at: inv.range(of: "user"), notes: notes)
        }
        var columns: [Column] = [
            .integers("rank", list.indices.map { Int64($0 + 1) }),
            .integers("item", list.map(\.item.value)),
            .doubles("score", list.map(\.score)),
        ]
        if !exclude { columns.append(.bools("seen", list.map(\.seen))) }
        let out = try ExploreCommands.frame(columns, inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        let itemName = m.schema[.item] ?? "item"
        table.columns[1].name = itemName
        table.title = "top \(list.count) for user \(user) by \(m.model.kind) model\(exclude ? ", unseen items only" : "")"
        let heard = recommender.seen.items(of: recommender.users.index(of: RawID(user))!).count
        table.notes = ["user \(user) has \(NumberFormat.count(heard, "distinct item")) in the training data"]
        if list.count < top {
            table.notes.append("only \(NumberFormat.count(list.count, "item")) to rank\(exclude ? " once those are left out" : "")")
        }
        return CommandResult(.frame(out), display: .table(table))
    }

    /// Fails with a located error naming the missing role and how to declare it.
    static func requireRoles(_ frame: DataFrame, _ roles: [Role], _ inv: Invocation, _ argument: String) throws(RuntimeError) {
        for role in roles where frame.schema[role] == nil {
            let name = inv.expression(argument).map { inv.interpreter.sourceText($0.range) } ?? "frame"
            throw RuntimeError("\(name) has no \(role.rawValue) column declared", at: inv.range(of: argument),
                               notes: ["declare the roles once, before splitting: schema <frame> user=user_id item=media_id label=is_listened"])
        }
    }

    /// Rows of `frame` whose user or item the model never saw.
    private static func unseen(_ frame: DataFrame, _ m: ModelValue) throws -> (users: Int, items: Int) {
        guard let r = m.model as? any Recommender else { return (0, 0) }
        let data = try Interactions.mapped(from: frame, users: r.users, items: r.items, labelRequired: false)
        return (data.users.filter { $0 < 0 }.count, data.items.filter { $0 < 0 }.count)
    }
}
