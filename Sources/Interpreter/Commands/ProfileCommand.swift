// profile: the implicit-feedback profile of a listening log — who listens, to how much, how
// concentrated popularity is, how often listens repeat, and how the label rate varies.
//
// Gini of item popularity, with item counts x sorted ascending (i = 1..n):
//   G = 2 Σ i·x_i / (n Σ x_i) − (n + 1)/n,   0 = every item equally popular, → 1 = one item has all.
// Shares of the top 1% and 20% of items: their rows over all rows, items ranked by rows.
// Repeat share: rows whose (user, item) pair occurred earlier, over all rows.

import Frame
import Learn
import RecScript

/// profile.
enum ProfileCommand {
    /// Columns whose label rate `profile` breaks down when the frame has them (DSG17's).
    static let defaultBreakdowns = ["listen_type", "context_type"]
    /// Rows of each breakdown shown (most frequent values first).
    static let breakdownRows = 10

    static let spec = CommandSpec(
        name: "profile", category: .explore,
        summary: "the implicit-feedback profile: users, items, density, activity, popularity, repeats, label rates",
        positionals: [.required("frame", .frame, "a frame whose schema declares user and item (and label)")],
        options: [.optional("by", .columns, "columns to break the label rate down by",
                            default: defaultBreakdowns.joined(separator: ", ") + " when present")],
        details: [
            "Interactions per user and per item are given as quantiles. Gini of item popularity is 0 when every item is equally popular and near 1 when a few items take all listens. The repeat share is the share of rows whose (user, item) pair occurred before.",
        ],
        examples: ["profile listens", "profile listens by=[user_age, platform_name]"],
        returns: "a frame of metric, value"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        try ModelCommands.requireRoles(frame, [.user, .item], inv, "frame")
        guard frame.rowCount > 0 else { throw RuntimeError("the frame has no rows to profile", at: inv.range(of: "frame")) }
        let user = frame.schema[.user]!, item = frame.schema[.item]!
        let label = frame.schema[.label]
        let breakdowns = try inv.columns("by", in: frame) ?? defaultBreakdowns.filter { frame.index(of: $0) != nil }

        let (userCounts, itemCounts, pairs) = try inv.frameOperation { () throws(FrameError) -> ([Int64], [Int64], Int) in
            let u = try frame.valueCounts(user)["count"]!.int64Values() ?? []
            let i = try frame.valueCounts(item)["count"]!.int64Values() ?? []
            let p = try frame.deduplicated(on: [user, item]).rowCount
            return (u, i, p)
        }
        let rows = frame.rowCount
        let users = userCounts.count, items = itemCounts.count
        let ascending = itemCounts.sorted()
        let descending = Array(ascending.reversed())
        func topShare(_ fraction: Double) -> Double {
            let k = max(1, Int((Double(items) * fraction).rounded(.up)))
            return Double(descending.prefix(k).reduce(0, +)) / Double(rows)
        }
        var weighted = 0.0
        for (i, x) in ascending.enumerated() { weighted += Double(i + 1) * Double(x) }
        let n = Double(items)
        let gini = items > 0 ? 2 * weighted / (n * Double(rows)) - (n + 1) / n : 0
        let repeatShare = 1 - Double(pairs) / Double(rows)
        let density = Double(pairs) / (Double(users) * Double(items))

        var metrics: [(String, Cell)] = [
            ("interactions", .int(Int64(rows))), ("users", .int(Int64(users))), ("items", .int(Int64(items))),
            ("distinct user-item pairs", .int(Int64(pairs))), ("density of the user × item matrix", .double(density)),
            ("share of rows: top 1% of items", .double(topShare(0.01))),
            ("share of rows: top 20% of items", .double(topShare(0.20))),
            ("gini of item popularity", .double(gini)), ("repeat-listen share", .double(repeatShare)),
        ]
        var blocks: [Block] = []
        var rateTables: [Table] = []
        if let label {
            let labels = frame[label]!.doubleValues() ?? []
            let present = labels.filter { $0.isFinite }
            let rate = present.isEmpty ? Double.nan : present.reduce(0, +) / Double(present.count)
            metrics.append(("\(label) rate", .double(rate)))
            for column in breakdowns where column != label {
                let table = try inv.frameOperation(at: "by") { () throws(FrameError) -> DataFrame in
                    let g = try frame.grouped(by: [column], aggregates: [Aggregation(.count), Aggregation(.mean, label)])
                    return try g.sorted(by: [SortKey("count", descending: true)])
                }
                let shown = table.head(breakdownRows)
                var t = Presenter.frameTable(shown, title: "\(label) rate by \(column)", allRows: true)
                t.columns[1].style = .count
                t.notes = table.rowCount > breakdownRows
                    ? ["the \(breakdownRows) most frequent of \(NumberFormat.count(table.rowCount, "value"))"] : []
                rateTables.append(t)
            }
        }
        blocks.append(.keyValues(title: "profile: \(NumberFormat.shape(rows: rows, columns: frame.columnCount))", metrics))
        blocks.append(.table(quantileTable(users: userCounts, items: itemCounts)))
        blocks += rateTables.map { .table($0) }

        let out = try ExploreCommands.frame([
            .strings("metric", metrics.map(\.0)),
            .doubles("value", metrics.map { $0.1.doubleValue ?? .nan }),
        ], inv)
        return CommandResult(.frame(out), display: Presentation(blocks), showWhenAssigned: true)
    }

    /// Interactions per user and per item at a few quantiles (linear interpolation).
    private static func quantileTable(users: [Int64], items: [Int64]) -> Table {
        let levels: [(String, Double)] = [("min", 0), ("25%", 0.25), ("50%", 0.5), ("75%", 0.75), ("90%", 0.9),
                                          ("99%", 0.99), ("max", 1)]
        func quantiles(_ counts: [Int64]) -> [Cell] {
            let sorted = counts.sorted()
            guard !sorted.isEmpty else { return levels.map { _ in .null } }
            let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
            return [.double(mean)] + levels.map { _, p in
                let h = Double(sorted.count - 1) * p
                let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
                return .double(Double(sorted[lo]) + (h - Double(lo)) * Double(sorted[hi] - sorted[lo]))
            }
        }
        let columns = [TableColumn("interactions per", alignment: .left), TableColumn("mean")]
            + levels.map { TableColumn($0.0, style: .trimmed) }
        return Table(columns: columns, rows: [[.string("user")] + quantiles(users), [.string("item")] + quantiles(items)])
    }
}
