// Commands that use a recommender: recommend (one user, a new history, or every user to a
// file), similar (an item's neighbours) and explain (the heard items behind a score).
//
// Items are shown with the training frame's other id columns (artist, album, genre), read
// from each item's first training row, so a list of media ids reads as music.

import Foundation
import Frame
import Learn
import RecScript

/// recommend, similar, explain.
enum RecommendCommands {
    static let recommend = CommandSpec(
        name: "recommend", category: .model,
        summary: "a user's top items by the model's score; a new user's from their history; or every user's, to a file",
        positionals: [.required("model", .model, "the fitted model")],
        clauses: [.optional("to", .path, "with users: write the lists as CSV (user, rank, item, score) to this file")],
        options: [
            .optional("user", .integer(min: nil, max: nil), "the user's raw id, as in the data"),
            .optional("users", .valueOrWords(["all"]), "all, or a list of raw user ids: one list each"),
            .optional("history", .any, "true: show what the user heard beside the list; a list of item ids: recommend for a new user with that history (svd, mf, als, itemknn)", default: "false"),
            .optional("top", .integer(min: 1, max: 100_000), "how many items", default: "10"),
            .optional("exclude_seen", .bool, "leave out items the user has in the training data", default: "true"),
            .optional("fallback", .choice(["none", "popular"]), "for a user the model does not know: an error, or the most popular items", default: "none"),
            .optional("columns", .columns, "item columns of the training frame to show beside each item", default: "its other *_id columns"),
        ],
        details: [
            "Ties in score are broken by item id, as in evaluation, so the two agree. Item columns are read from each item's first training row.",
            "history=[id, ...] folds a new user in without retraining: ALS solves their factors exactly, MF runs its SGD on the history with the item factors fixed, SVD projects the centred row onto the item vectors, item k-NN sums the neighbours of the history.",
            "users=all scores every training user (factor models: one matrix product per block of users, on every core) and returns a frame of user, rank, item, score; with to \"file.csv\" the frame is also written.",
        ],
        examples: ["recommend m user=30 top=10", "recommend m user=30 history=true", "recommend m user=30 exclude_seen=false",
                   "recommend m history=[137260128, 3135561] top=5", "recommend m users=all top=10 to \"recs.csv\"",
                   "recommend m user=123456 fallback=popular"],
        returns: "a frame of rank, item, score (users: user, rank, item, score)"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        guard let r = m.model as? any Recommender else {
            throw RuntimeError("a \(m.model.kind) model cannot rank items for a user", at: inv.range(of: "model"))
        }
        let top = Int(try inv.integer("top", default: 10))
        let exclude = try inv.bool("exclude_seen", default: true)
        let given = ["user", "users"].filter(inv.has) + (historyList(inv) != nil ? ["history"] : [])
        guard given.count == 1 else {
            throw RuntimeError(given.isEmpty ? "recommend needs user=<id>, users=all or history=[ids]"
                                   : "recommend takes one of user=, users= and history=[...], not \(given.joined(separator: " and "))",
                               at: inv.range, notes: ["usage: \(inv.spec.usage)"])
        }
        if inv.has("to") && !inv.has("users") {
            throw RuntimeError("to \"file\" writes the lists of users=...; for one user, save the result: recs = recommend ...; save recs \"file.csv\"",
                               at: inv.range(of: "to"))
        }
        let attributes = try ItemAttributes(m, names: try inv.words("columns"), inv: inv)
        if inv.has("users") { return try manyUsers(inv, m, r, top: top, exclude: exclude) }
        if let ids = historyList(inv) { return try newUser(inv, m, r, ids: try ids(), top: top, attributes: attributes) }
        return try oneUser(inv, m, r, top: top, exclude: exclude, attributes: attributes)
    }

    /// The `history=[...]` list, when history is a list (true/false only shows history).
    private static func historyList(_ inv: Invocation) -> (() throws(RuntimeError) -> [Int64])? {
        guard let e = inv.expression("history"), case .list = e.kind else { return nil }
        return { () throws(RuntimeError) -> [Int64] in
            guard case .list(let values) = try inv.interpreter.evaluate(e) else { return [] }
            var ids: [Int64] = []
            for v in values {
                guard let id = v.integerID else {
                    throw RuntimeError("history lists item ids (integers), not \(v.typeName)", at: e.range)
                }
                ids.append(id)
            }
            return ids
        }
    }

    private static func oneUser(_ inv: Invocation, _ m: ModelValue, _ r: any Recommender, top: Int, exclude: Bool,
                                attributes: ItemAttributes) throws(RuntimeError) -> CommandResult {
        let user = try inv.integer("user")
        let list: [Recommendation]
        var notes: [String] = []
        var title = "top \(top) for user \(user) by \(m.model.kind) model\(exclude ? ", unseen items only" : "")"
        do throws(LearnError) {
            list = try r.recommend(user: RawID(user), top: top, excludeSeen: exclude)
        } catch {
            guard case .unknownUser = error else { throw RuntimeError(error.description, at: inv.range(of: "user")) }
            if try inv.choice("fallback") == "popular" {
                let popularity = r.index.itemRows.map { Float($0) }
                list = r.ranked(popularity, user: -1, top: top, excludeSeen: false)
                title = "top \(top) for user \(user): the most played items (the \(m.model.kind) model does not know this user)"
                notes.append("user \(user) is not in the training data; fallback=popular ranks items by their training rows")
                return try table(inv, m, list, title: title, notes: notes, showSeen: false, attributes: attributes)
            }
            let ids = r.index.users.raw
            throw RuntimeError(error.description, at: inv.range(of: "user"),
                               notes: ["the model knows \(NumberFormat.grouped(ids.count)) users, ids \(ids.min() ?? 0) to \(ids.max() ?? 0)"])
        }
        let u = r.index.users.index(of: RawID(user))!.int
        notes.append("user \(user) has \(NumberFormat.count(r.index.seen(u).count, "distinct item")) in the training data")
        if list.count < top {
            notes.append("only \(NumberFormat.count(list.count, "item")) to rank\(exclude ? " once those are left out" : "")")
        }
        var result = try table(inv, m, list, title: title, notes: notes, showSeen: !exclude, attributes: attributes)
        if case .bool(true)? = try inv.value("history") {
            result.display?.blocks.append(.table(try heard(inv, m, r, user: u, rawUser: user, top: top, attributes: attributes)))
        }
        return result
    }

    /// What user `u` heard in training, most listened first.
    private static func heard(_ inv: Invocation, _ m: ModelValue, _ r: any Recommender, user u: Int, rawUser: Int64, top: Int,
                              attributes: ItemAttributes) throws(RuntimeError) -> Table {
        guard let training = m.training, let itemName = m.schema[.item], let userName = m.schema[.user] else {
            throw RuntimeError("the model does not keep its training frame", at: inv.range(of: "history"))
        }
        // Rows and listens of each of the user's items, from the training frame.
        let users = training[userName]!, items = training[itemName]!
        let label = m.schema[.label].flatMap { training[$0] }
        var rows: [Int64: (rows: Int, listens: Int)] = [:]
        for row in 0..<training.rowCount {
            guard case .int(rawUser) = users[row], case .int(let item) = items[row] else { continue }
            var entry = rows[item] ?? (0, 0)
            entry.rows += 1
            if (label?.double(at: row) ?? 1) > 0.5 { entry.listens += 1 }
            rows[item] = entry
        }
        let ordered = rows.sorted { $0.value.listens > $1.value.listens || ($0.value.listens == $1.value.listens && $0.key < $1.key) }
        let shown = ordered.prefix(top)
        var columns: [Column] = [.integers(itemName, shown.map(\.key)),
                                 .integers("listens", shown.map { Int64($0.value.listens) }),
                                 .integers("rows", shown.map { Int64($0.value.rows) })]
        columns += attributes.columns(for: shown.map { r.index.items.index(of: RawID($0.key))?.int ?? -1 })
        let frame = try ExploreCommands.frame(columns, inv)
        var table = Presenter.frameTable(frame, title: "what user \(rawUser) heard in training, most listened first", allRows: true)
        table.notes = ordered.count > top ? ["\(NumberFormat.count(ordered.count, "item")) in all; the first \(top) shown"] : []
        return table
    }

    private static func newUser(_ inv: Invocation, _ m: ModelValue, _ r: any Recommender, ids: [Int64], top: Int,
                                attributes: ItemAttributes) throws(RuntimeError) -> CommandResult {
        guard let foldIn = r as? any FoldIn else {
            throw RuntimeError("a \(m.model.kind) model cannot take a new user's history; fold-in works with svd, mf, als and itemknn",
                               at: inv.range(of: "history"))
        }
        guard !ids.isEmpty else { throw RuntimeError("history is empty; list the items the new user heard", at: inv.range(of: "history")) }
        var history: [ItemScore] = []
        var unknown: [Int64] = []
        for id in ids {
            if let i = r.index.items.index(of: RawID(id)) {
                if let k = history.firstIndex(where: { $0.item == i.int }) { history[k].score += 1 } else { history.append(ItemScore(item: i.int, score: 1)) }
            } else {
                unknown.append(id)
            }
        }
        guard unknown.isEmpty else {
            throw RuntimeError("\(unknown.count == 1 ? "item" : "items") \(unknown.map(String.init).joined(separator: ", ")) \(unknown.count == 1 ? "is" : "are") not in the training data",
                               at: inv.range(of: "history"), notes: ["a new user's history can only use items the model knows"])
        }
        let scores = foldIn.scores(forHistory: history)
        // The history's own items are left out, as a user's training items are.
        var masked = scores
        for h in history { masked[h.item] = -.infinity }
        let list = r.ranked(masked, user: -1, top: top, excludeSeen: false).filter { $0.score > -.infinity }
        return try table(inv, m, list, title: "top \(top) for a new user with \(NumberFormat.count(history.count, "item")) of history, by \(m.model.kind) model",
                         notes: ["the history's items are left out; the model was not retrained"], showSeen: false, attributes: attributes)
    }

    private static func manyUsers(_ inv: Invocation, _ m: ModelValue, _ r: any Recommender, top: Int,
                                  exclude: Bool) throws(RuntimeError) -> CommandResult {
        let dense: [Int]
        /// `all`, bare (unless a variable of that name exists) or quoted.
        func isAll(_ e: Expr) -> Bool {
            switch e.kind {
            case .identifier("all"): inv.interpreter.variables["all"] == nil
            case .string("all"): true
            default: false
            }
        }
        let value: Value = isAll(inv.expression("users")!) ? .none : try inv.value("users") ?? .none
        switch value {
        case _ where isAll(inv.expression("users")!): dense = Array(0..<r.index.users.count)
        case .list(let items):
            var out: [Int] = []
            for item in items {
                guard let id = item.integerID else {
                    throw RuntimeError("users lists raw user ids (integers), not \(item.typeName)", at: inv.range(of: "users"))
                }
                guard let u = r.index.users.index(of: RawID(id)) else {
                    throw RuntimeError(LearnError.unknownUser(id).description, at: inv.range(of: "users"))
                }
                out.append(u.int)
            }
            dense = out
        default:
            throw RuntimeError("users takes all or a list of user ids, such as users=[30, 31]", at: inv.range(of: "users"))
        }
        let lists: [[ItemScore]]
        do throws(LearnError) {
            lists = try RankingMetrics.topLists(r, users: dense, k: top, excludeSeen: exclude,
                                                context: FitContext(cancellation: inv.cancellation))
        } catch {
            throw FitCommand.locate(error, inv, command: "recommend", argument: "users")
        }
        var userColumn: [Int64] = [], rank: [Int64] = [], item: [Int64] = [], score: [Double] = []
        let total = lists.reduce(0) { $0 + $1.count }
        userColumn.reserveCapacity(total); rank.reserveCapacity(total); item.reserveCapacity(total); score.reserveCapacity(total)
        for (position, list) in lists.enumerated() {
            let raw = r.index.users.raw[dense[position]]
            for (k, entry) in list.enumerated() {
                userColumn.append(raw)
                rank.append(Int64(k + 1))
                item.append(r.index.items.raw[entry.item])
                score.append(entry.score)
            }
        }
        let out = try ExploreCommands.frame([.integers(m.schema[.user] ?? "user", userColumn), .integers("rank", rank),
                                             .integers(m.schema[.item] ?? "item", item), .doubles("score", score)], inv)
        var lines = ["top \(top) for \(NumberFormat.count(dense.count, "user")) by \(m.model.kind) model: \(NumberFormat.count(total, "row"))"]
        if let path = try inv.string("to") {
            do throws(CSVError) {
                try CSVWriter.write(out, to: path)
            } catch {
                throw RuntimeError(.io, error.description, at: inv.range(of: "to"))
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            lines.append("wrote \(path): \(NumberFormat.count(total, "row")), \(ExploreCommands.formatBytes(bytes))")
        }
        var table = Presenter.frameTable(out, title: lines[0], allRows: false)
        table.notes = Array(lines.dropFirst()) + table.notes
        return CommandResult(.frame(out), display: .table(table))
    }

    /// A ranked list as a frame and its table.
    private static func table(_ inv: Invocation, _ m: ModelValue, _ list: [Recommendation], title: String, notes: [String],
                              showSeen: Bool, attributes: ItemAttributes) throws(RuntimeError) -> CommandResult {
        guard let r = m.model as? any Recommender else { throw RuntimeError("not a recommender", at: inv.range) }
        var columns: [Column] = [
            .integers("rank", list.indices.map { Int64($0 + 1) }),
            .integers(m.schema[.item] ?? "item", list.map(\.item.value)),
            .doubles("score", list.map(\.score)),
        ]
        columns += attributes.columns(for: list.map { r.index.items.index(of: $0.item)!.int })
        if showSeen { columns.append(.bools("seen", list.map(\.seen))) }
        let out = try ExploreCommands.frame(columns, inv)
        var table = Presenter.frameTable(out, title: title, allRows: true)
        table.notes = notes
        return CommandResult(.frame(out), display: .table(table))
    }

    static let similar = CommandSpec(
        name: "similar", category: .model,
        summary: "the items most like an item, by a model's item factors or neighbours",
        positionals: [.required("model", .model, "a fitted svd, mf, als or itemknn model")],
        options: [
            .required("item", .integer(min: nil, max: nil), "the item's raw id, as in the data"),
            .optional("top", .integer(min: 1, max: 100_000), "how many items", default: "10"),
            .optional("columns", .columns, "item columns of the training frame to show", default: "its other *_id columns"),
        ],
        details: ["Factor models rank items by the cosine of their factor vectors; item k-NN by the similarities it kept. Ties by item id."],
        examples: ["similar m item=137260128 top=10"],
        returns: "a frame of rank, item, similarity"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        guard let s = m.model as? any ItemSimilarity else {
            throw RuntimeError("a \(m.model.kind) model has no notion of similar items; use svd, mf, als or itemknn", at: inv.range(of: "model"))
        }
        let id = try inv.integer("item")
        guard let i = s.index.items.index(of: RawID(id)) else {
            throw RuntimeError(LearnError.unknownItem(id).description, at: inv.range(of: "item"),
                               notes: ["the model knows \(NumberFormat.count(s.index.items.count, "item"))"])
        }
        let top = Int(try inv.integer("top", default: 10))
        let list = s.similarItems(to: i.int, top: top)
        let attributes = try ItemAttributes(m, names: try inv.words("columns"), inv: inv)
        var columns: [Column] = [.integers("rank", list.indices.map { Int64($0 + 1) }),
                                 .integers(m.schema[.item] ?? "item", list.map { s.index.items.raw[$0.item] }),
                                 .doubles("similarity", list.map(\.score))]
        columns += attributes.columns(for: list.map(\.item))
        let out = try ExploreCommands.frame(columns, inv)
        var table = Presenter.frameTable(out, title: "items most like \(id) by \(m.model.kind) model (\(s.similarityName))", allRows: true)
        table.notes = attributes.describe(item: i.int).map { ["item \(id): \($0)"] } ?? []
        return CommandResult(.frame(out), display: .table(table))
    }

    static let explain = CommandSpec(
        name: "explain", category: .model,
        summary: "which of a user's heard items drove the score of an item (als, itemknn)",
        positionals: [.required("model", .model, "a fitted als or itemknn model")],
        options: [
            .required("user", .integer(min: nil, max: nil), "the user's raw id"),
            .required("item", .integer(min: nil, max: nil), "the item's raw id"),
            .optional("top", .integer(min: 1, max: 100_000), "how many contributions", default: "10"),
        ],
        details: [
            "ALS: the contributions c_uj · y_iᵀ W_u y_j with W_u = (YᵀC_uY + λI)⁻¹ (Hu, Koren and Volinsky's explanation, as implicit's explain); they add up to the score of an exact least-squares solve for the user. Item k-NN: r_uj · s(j, i), which add up to the score.",
        ],
        examples: ["explain m user=30 item=137260128"],
        returns: "a frame of the heard items and their contributions"
    ) { inv throws(RuntimeError) in
        let m = try inv.model("model")
        guard let e = m.model as? any Explaining else {
            throw RuntimeError("a \(m.model.kind) model cannot explain its scores; explain works with als and itemknn", at: inv.range(of: "model"))
        }
        let user = try inv.integer("user"), item = try inv.integer("item")
        guard let u = e.index.users.index(of: RawID(user)) else {
            throw RuntimeError(LearnError.unknownUser(user).description, at: inv.range(of: "user"))
        }
        guard let i = e.index.items.index(of: RawID(item)) else {
            throw RuntimeError(LearnError.unknownItem(item).description, at: inv.range(of: "item"))
        }
        let top = Int(try inv.integer("top", default: 10))
        let all = e.explain(user: u.int, item: i.int)
        let total = all.reduce(0) { $0 + $1.score }
        let shown = Array(all.prefix(top))
        let out = try ExploreCommands.frame([
            .integers(m.schema[.item] ?? "item", shown.map { e.index.items.raw[$0.item] }),
            .doubles("contribution", shown.map(\.score)),
            .doubles("share", shown.map { total != 0 ? $0.score / total : .nan }),
        ], inv)
        var table = Presenter.frameTable(out, title: "why the \(m.model.kind) model scores item \(item) for user \(user)", allRows: true)
        table.columns[2].style = .percent
        table.notes = [
            "\(NumberFormat.count(all.count, "heard item")) contribute \(NumberFormat.general(total)) in all; the model's score is \(NumberFormat.general(e.score(user: u.value, item: i.value)))",
            e.explanationNote,
        ]
        return CommandResult(.frame(out), display: .table(table))
    }
}

/// Columns of a model's training frame read at each item's first training row.
struct ItemAttributes {
    let frame: DataFrame?
    let names: [String]
    let firstRows: [Int32]

    /// The named columns, or by default the training frame's other `*_id` columns.
    init(_ m: ModelValue, names given: [String]?, inv: Invocation) throws(RuntimeError) {
        guard let training = m.training, let r = m.model as? any Recommender else {
            frame = nil
            names = []
            firstRows = []
            return
        }
        let roles = Set(Role.allCases.compactMap { m.schema[$0] })
        if let given {
            for name in given where training.index(of: name) == nil {
                throw Interpreter.unknownColumn(name, in: training, at: inv.range(of: "columns"))
            }
            names = given
        } else {
            names = training.columnNames.filter { $0.hasSuffix("_id") && !roles.contains($0) }
        }
        frame = training
        firstRows = r.index.itemFirstRows
    }

    /// One column per attribute for the dense `items` (-1: an item the model does not know).
    func columns(for items: [Int]) -> [Column] {
        guard let frame else { return [] }
        return names.map { name in
            let column = frame[name]!
            return Column.cells(name, items.map { $0 >= 0 ? column[Int(firstRows[$0])] : .null })
        }
    }

    /// `artist_id 12, genre_id 3` for one item.
    func describe(item: Int) -> String? {
        guard let frame, !names.isEmpty else { return nil }
        return names.map { "\($0) \(NumberFormat.column([frame[$0]![Int(firstRows[item])]], style: .auto)[0])" }.joined(separator: ", ")
    }
}
