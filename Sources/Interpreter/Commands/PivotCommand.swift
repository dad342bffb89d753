// `pivot`: the user x item matrix of a frame, sparse (compressed rows), as the original study
// built it densely. A dense pivot is a frame with a column per item, made only when it fits.

import Foundation
import Frame
import Learn
import RecScript

/// pivot.
enum PivotCommand {
    /// Cells a dense pivot may have: 20 million 8-byte numbers, 160 MB.
    static let maxDenseCells = 20_000_000
    /// Columns a dense pivot may have (one per item).
    static let maxDenseColumns = 10_000

    static let spec = CommandSpec(
        name: "pivot", category: .model,
        summary: "the user x item matrix of a frame: one number per user-item pair, sparse (or dense when it fits)",
        positionals: [.required("frame", .frame, "a frame whose schema names the user and item columns")],
        options: [
            .optional("agg", .choice(["sum", "mean", "max", "count", "any"]), "how a pair's rows combine: sum, mean or max of the value column, count of rows, any (1 when a value is positive)", default: "sum"),
            .optional("value", .column, "the column aggregated", default: "the label"),
            .optional("dense", .bool, "a frame with one row per user and one column per item, zeros where a pair has no row", default: "false"),
        ],
        details: [
            "The sparse pivot stores only the pairs whose value is not 0, in compressed rows: on the DSG17 log about 3.4 million of 8.9 billion cells for the sum of listens. The original analysis built the dense matrix; dense=true does so when it has at most \(maxDenseCells / 1_000_000) million cells and \(maxDenseColumns) items, and otherwise says how much memory it would need.",
        ],
        examples: ["p = pivot listens agg=sum", "p = pivot small dense=true"],
        returns: "a sparse matrix, or with dense=true a frame"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        try ModelCommands.requireRoles(frame, [.user, .item], inv, "frame")
        let agg = try inv.choice("agg") ?? "sum"
        guard let valueName = try inv.column("value", in: frame) ?? frame.schema[.label] ?? (agg == "count" ? frame.schema[.item] : nil) else {
            throw RuntimeError("pivot needs a value column: value=<column>, or a label declared in the schema", at: inv.range(of: "frame"))
        }
        let user = frame.schema[.user]!, item = frame.schema[.item]!
        let function: AggregateFunction = agg == "mean" ? .mean : agg == "max" || agg == "any" ? .max : agg == "count" ? .count : .sum
        let long: DataFrame
        do throws(FrameError) {
            long = try frame.grouped(by: [user, item], aggregates: [Aggregation(function, valueName, as: "value")])
        } catch {
            throw RuntimeError(error.description, at: inv.range(of: "value"))
        }
        guard let users = long[user]!.denseCodes(), let items = long[item]!.denseCodes(),
              var values = long["value"]!.doubleValues() else {
            throw RuntimeError("the user and item columns must hold integer ids without missing values", at: inv.range(of: "frame"))
        }
        if agg == "any" { values = values.map { $0 > 0 ? 1 : 0 } }
        let rows = users.values.count, columns = items.values.count
        let cells = Double(rows) * Double(columns)
        if try inv.bool("dense", default: false) {
            guard cells <= Double(maxDenseCells) && columns <= maxDenseColumns else {
                throw RuntimeError("a dense pivot of \(NumberFormat.grouped(rows)) users × \(NumberFormat.grouped(columns)) items would hold \(NumberFormat.grouped(Int(min(cells, 9e18)))) cells (\(ExploreCommands.formatBytes(Int(min(cells * 8, 9e18))))); the sparse pivot stores only the pairs that occur (\(NumberFormat.grouped(long.rowCount)))",
                                   at: inv.range(of: "dense"),
                                   notes: ["drop dense=true, or filter to fewer users and items first (dense pivots go up to \(NumberFormat.grouped(maxDenseCells)) cells and \(NumberFormat.grouped(maxDenseColumns)) items)"])
            }
            var grid = [[Double]](repeating: [Double](repeating: 0, count: rows), count: columns)
            for r in 0..<long.rowCount { grid[Int(items.codes[r])][Int(users.codes[r])] = values[r] }
            var out: [Column] = [.integers(user, users.values)]
            for c in 0..<columns { out.append(.doubles(String(items.values[c]), grid[c])) }
            let dense = try ExploreCommands.frame(out, inv)
            return CommandResult(.frame(dense), display: .table(Presenter.frameTable(dense, title: "dense pivot: \(agg) of \(valueName)")))
        }
        // Compressed rows of the nonzero pairs: a counting sort by user.
        var offsets = [Int](repeating: 0, count: rows + 1)
        for r in 0..<long.rowCount where values[r] != 0 { offsets[Int(users.codes[r]) + 1] += 1 }
        for u in 0..<rows { offsets[u + 1] += offsets[u] }
        var fill = offsets
        let nonzero = offsets[rows]
        var indices = [Int32](repeating: 0, count: nonzero), stored = [Float](repeating: 0, count: nonzero)
        for r in 0..<long.rowCount where values[r] != 0 {
            let u = Int(users.codes[r])
            indices[fill[u]] = items.codes[r]
            stored[fill[u]] = Float(values[r])
            fill[u] += 1
        }
        // Items ascending within each row.
        for u in 0..<rows {
            let range = offsets[u]..<offsets[u + 1]
            let sorted = range.map { (indices[$0], stored[$0]) }.sorted { $0.0 < $1.0 }
            for (k, p) in range.enumerated() { (indices[p], stored[p]) = sorted[k] }
        }
        let matrix = PivotMatrix(rowName: user, columnName: item, valueName: "\(agg) of \(valueName)",
                                 rowIDs: users.values, columnIDs: items.values,
                                 matrix: CSRMatrix(rows: rows, columns: columns, offsets: offsets, indices: indices, values: stored))
        return CommandResult(.matrix(matrix), display: Presenter.present(.matrix(matrix), name: nil), showWhenAssigned: true)
    }
}

/// A sparse user x item matrix with the raw ids of its rows and columns.
package struct PivotMatrix: Sendable {
    package var rowName: String
    package var columnName: String
    /// What each stored number is: `sum of is_listened`.
    package var valueName: String
    package var rowIDs: [Int64]
    package var columnIDs: [Int64]
    package var matrix: CSRMatrix
}
