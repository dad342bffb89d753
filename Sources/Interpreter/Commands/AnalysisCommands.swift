// Commands that summarise or reorganise a frame's rows: count, crosstab, group, sort, dedupe,
// join, sample.

import Frame
import RecScript

/// count, crosstab, group, sort, dedupe, join, sample.
enum AnalysisCommands {
    static let all: [CommandSpec] = [count, crosstab, group, sort, dedupe, join, sample, ProfileCommand.spec] + StatsCommands.all

    /// Rows of a frequency table shown before the rest are elided.
    static let frequencyRowsShown = 20

    static let count = CommandSpec(
        name: "count", category: .explore,
        summary: "how often each value (or combination of values) occurs, with percentages",
        positionals: [.required("frame", .frame, "the frame")],
        clauses: [.required("by", .columns, "the column, or a list of columns")],
        options: [.optional("top", .integer(min: 1, max: nil), "keep only the most frequent values", default: "all")],
        details: ["Most frequent first; ties in order of value. A null counts as a value of its own."],
        examples: ["count listens by context_type", "count listens by [listen_type, platform_name] top=10"],
        returns: "a frame of the values, count and share"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let keys = try inv.columns("by", in: frame) ?? []
        let top = inv.has("top") ? Int(try inv.integer("top")) : nil
        let out: DataFrame = try inv.frameOperation(at: "by") { () throws(FrameError) -> DataFrame in
            if keys.count == 1 {
                var counts = try frame.valueCounts(keys[0], top: top)
                counts = try counts.with(counts.columns[0].renamed(keys[0]))
                return try counts.selecting([keys[0], "count", "share"])
            }
            let grouped = try frame.grouped(by: keys, aggregates: [Aggregation(.count)])
            let total = Double(max(frame.rowCount, 1))
            let shares = Column.doubles("share", (grouped["count"]!.int64Values() ?? []).map { Double($0) / total })
            var sorted = try grouped.with(shares).sorted(by: [SortKey("count", descending: true)] + keys.map { SortKey($0) })
            if let top { sorted = sorted.head(top) }
            return sorted
        }
        var table = Presenter.frameTable(out, title: nil, allRows: out.rowCount <= frequencyRowsShown)
        table.columns[table.columns.count - 2].style = .count
        table.columns[table.columns.count - 1].style = .percent
        table.notes = ["\(NumberFormat.count(out.rowCount, "distinct value")) in \(NumberFormat.count(frame.rowCount, "row"))"]
        return CommandResult(.frame(out), display: .table(table))
    }

    static let crosstab = CommandSpec(
        name: "crosstab", category: .explore,
        summary: "counts of rows for every pair of values of two columns",
        positionals: [.required("frame", .frame, "the frame"),
                      .required("rows", .column, "the column whose values make the rows"),
                      .required("columns", .column, "the column whose values make the columns (the one with fewer values)")],
        examples: ["crosstab listens context_type listen_type"],
        returns: "a frame with one row per value of the first column and one count column per value of the second"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let rows = try inv.column("rows", in: frame)!
        let columns = try inv.column("columns", in: frame)!
        let out = try inv.frameOperation(at: "columns") { () throws(FrameError) in try frame.crosstab(rows, columns) }
        var table = Presenter.frameTable(out, title: "\(rows) × \(columns)", allRows: out.rowCount <= frequencyRowsShown)
        for i in 1..<table.columns.count { table.columns[i].style = .count }
        return CommandResult(.frame(out), display: .table(table))
    }

    static let group = CommandSpec(
        name: "group", category: .explore,
        summary: "one row per group of equal keys, with aggregates of other columns",
        positionals: [.required("frame", .frame, "the frame")],
        clauses: [.required("by", .columns, "the key column, or a list of them"),
                  .required("agg", .aggregates, "aggregates: " + AggregateFunction.allCases.map { "\($0.rawValue)(x)" }.joined(separator: ", ") + ", count()")],
        details: [
            "count() counts rows; count(x) counts non-null values of x; distinct(x) counts distinct values; std is the sample standard deviation. Output columns are named mean_x, count, ... Groups come in order of first appearance.",
        ],
        examples: ["per_user = group listens by user_id agg [mean(is_listened), count()]",
                   "group listens by [user_age, user_gender] agg [mean(is_listened), distinct(media_id)]"],
        returns: "a frame: the keys, then one column per aggregate"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let keys = try inv.columns("by", in: frame) ?? []
        let aggExpr = inv.expression("agg")!
        let items: [Expr]
        if case .list(let list) = aggExpr.kind { items = list } else { items = [aggExpr] }
        var aggregations: [Aggregation] = []
        for item in items {
            guard case .call(let name, let args) = item.kind else {
                throw RuntimeError("agg takes aggregates such as mean(x) or count()", at: item.range)
            }
            guard let function = AggregateFunction(rawValue: name) else {
                let names = AggregateFunction.allCases.map(\.rawValue)
                throw RuntimeError("unknown aggregate '\(name)'\(Suggestions.didYouMean(name, in: names))", at: item.range,
                                   notes: ["aggregates: \(names.joined(separator: ", "))"])
            }
            guard args.count <= 1, function == .count || args.count == 1 else {
                throw RuntimeError("\(name) takes one column, as in \(name)(is_listened)", at: item.range)
            }
            var column: String?
            if let arg = args.first {
                guard let word = arg.identifier ?? (ArgumentBinder.word(arg)) else {
                    throw RuntimeError("\(name) takes a column name", at: arg.range)
                }
                guard frame.index(of: word) != nil else { throw Interpreter.unknownColumn(word, in: frame, at: arg.range) }
                column = word
            }
            aggregations.append(Aggregation(function, column))
        }
        let out = try inv.frameOperation(at: "agg") { () throws(FrameError) in try frame.grouped(by: keys, aggregates: aggregations) }
        var table = Presenter.frameTable(out, title: nil)
        table.notes = ["\(NumberFormat.count(out.rowCount, "group")) of \(NumberFormat.count(frame.rowCount, "row"))"]
        return CommandResult(.frame(out), display: .table(table), showWhenAssigned: false)
    }

    static let sort = CommandSpec(
        name: "sort", category: .transform,
        summary: "order the rows by one or more columns",
        positionals: [.required("frame", .frame, "the frame"),
                      .optional("order", .choice(["asc", "desc"]), "the direction of every key", default: "asc")],
        clauses: [.required("by", .columns, "the column, or a list; -column sorts that one descending")],
        details: ["The sort is stable: rows with equal keys keep their order. Nulls come last."],
        examples: ["sort listens by ts_listen", "sort per_user by mean_is_listened desc",
                   "sort listens by [user_id, -ts_listen]"],
        returns: "the sorted frame"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let descending = try inv.choice("order") == "desc"
        let byExpr = inv.expression("by")!
        let items: [Expr]
        if case .list(let list) = byExpr.kind { items = list } else { items = [byExpr] }
        var keys: [SortKey] = []
        for item in items {
            var e = item
            var flip = false
            if case .unary(.negate, let inner) = item.kind { e = inner; flip = true }
            let name: String
            switch e.kind {
            case .identifier(let s), .string(let s), .member(_, let s): name = s
            default: throw RuntimeError("sort takes column names, as in: sort f by [a, -b]", at: item.range)
            }
            guard frame.index(of: name) != nil else { throw Interpreter.unknownColumn(name, in: frame, at: e.range) }
            keys.append(SortKey(name, descending: descending != flip))
        }
        let out = try inv.frameOperation(at: "by") { () throws(FrameError) in try frame.sorted(by: keys) }
        return CommandResult(.frame(out), display: .table(Presenter.frameTable(out, title: nil)))
    }

    static let dedupe = CommandSpec(
        name: "dedupe", category: .transform,
        summary: "drop repeated rows, keeping each first occurrence",
        positionals: [.required("frame", .frame, "the frame")],
        clauses: [.optional("on", .columns, "compare only these columns", default: "all columns")],
        examples: ["pairs = dedupe listens on [user_id, media_id]"],
        returns: "the frame without repeats, in the original order"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let columns = try inv.columns("on", in: frame)
        let out = try inv.frameOperation(at: "on") { () throws(FrameError) in try frame.deduplicated(on: columns) }
        let removed = frame.rowCount - out.rowCount
        let line = "kept \(NumberFormat.grouped(out.rowCount)) of \(NumberFormat.count(frame.rowCount, "row")); \(NumberFormat.count(removed, "repeat")) dropped"
        return TransformCommands.keptRows(out, line, inv)
    }

    static let join = CommandSpec(
        name: "join", category: .transform,
        summary: "combine two frames on equal key columns",
        positionals: [.required("left", .frame, "the left frame: its rows and order are kept"),
                      .required("right", .frame, "the right frame")],
        clauses: [.required("on", .columns, "the key column, or a list, present in both frames")],
        options: [.optional("kind", .choice(JoinKind.allCases.map(\.rawValue)),
                            "inner keeps matched rows; left keeps every left row, with nulls where nothing matches", default: "inner")],
        details: ["Right columns whose names clash with left ones get the suffix _right."],
        examples: ["enriched = join listens per_user on user_id", "join listens albums on album_id kind=left"],
        returns: "the joined frame"
    ) { inv throws(RuntimeError) in
        let left = try inv.frame("left"), right = try inv.frame("right")
        guard let keyExpr = inv.expression("on") else { throw RuntimeError("join needs 'on'", at: inv.range) }
        let keys: [String]
        if case .list(let items) = keyExpr.kind { keys = items.compactMap { ArgumentBinder.word($0) } } else {
            keys = ArgumentBinder.word(keyExpr).map { [$0] } ?? []
        }
        for k in keys {
            if left.index(of: k) == nil { throw Interpreter.unknownColumn(k, in: left, at: keyExpr.range) }
            if right.index(of: k) == nil { throw Interpreter.unknownColumn(k, in: right, at: keyExpr.range) }
        }
        let kind = JoinKind(rawValue: try inv.choice("kind") ?? "inner")!
        let out = try inv.frameOperation(at: "on") { () throws(FrameError) in try left.joined(with: right, on: keys, kind: kind) }
        let line = "joined: \(NumberFormat.shape(rows: out.rowCount, columns: out.columnCount))"
        if inv.targetCount > 0 { return CommandResult(.frame(out), display: .text(line), showWhenAssigned: true) }
        return CommandResult(.frame(out), display: .table(Presenter.frameTable(out, title: nil)))
    }

    static let sample = CommandSpec(
        name: "sample", category: .explore,
        summary: "a random sample of rows, without replacement, in their original order",
        positionals: [.required("frame", .frame, "the frame"),
                      .optional("n", .integer(min: 0, max: nil), "how many rows", default: "10")],
        options: [.optional("seed", .integer(min: 0, max: nil), "seed; the same seed gives the same rows", default: "1")],
        examples: ["sample listens 5", "s = sample listens 10000 seed=7"],
        returns: "a frame of the sampled rows"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let n = Int(try inv.integer("n", default: 10))
        let seed = try inv.integer("seed", default: 1)
        let out = try inv.frameOperation(at: "n") { () throws(FrameError) in try frame.sampled(n: min(n, frame.rowCount), seed: UInt64(seed)) }
        var table = Presenter.frameTable(out, title: nil, allRows: out.rowCount <= 50)
        table.notes = ["\(NumberFormat.grouped(out.rowCount)) random rows of \(NumberFormat.grouped(frame.rowCount)) (seed \(seed))"]
        return CommandResult(.frame(out), display: .table(table))
    }
}
