// Commands of descriptive statistics beyond describe: hist, corr, vif.

import Frame

/// hist, corr, vif.
enum StatsCommands {
    static let all: [CommandSpec] = [hist, corr, vif]

    /// |r| above this flags a pair of columns as strongly correlated.
    static let strongCorrelation = 0.8
    /// Decimals shown of a correlation coefficient.
    static let coefficientDecimals = 3
    /// A VIF above this flags a column as collinear with the others (the usual rule of thumb).
    static let highVIF = 10.0

    static let hist = CommandSpec(
        name: "hist", category: .explore,
        summary: "a histogram of a numeric column: counts in equal-width bins, drawn as a bar chart",
        positionals: [.required("column", .any, "the column, as frame.column")],
        options: [.optional("bins", .integer(min: 1, max: 10_000), "number of equal-width bins", default: "20")],
        details: [
            "Bins cover [min, max]; each holds its left edge, the last also its right edge (numpy's convention). Missing values are left out and counted. plot hist draws the same chart; hist also returns the counts.",
        ],
        examples: ["hist listens.user_age bins=13", "h = hist listens.media_duration bins=50"],
        returns: "a frame of from, to, count"
    ) { inv throws(RuntimeError) in
        let value = try inv.value("column") ?? .none
        guard case .column(let column) = value else {
            throw RuntimeError("hist needs a column such as listens.user_age, not \(value.typeName)", at: inv.range(of: "column"))
        }
        let bins = Int(try inv.integer("bins", default: 20))
        let (chart, table) = try StatsCharts.histogram(column, bins: bins, inv, at: "column")
        inv.interpreter.lastChart = chart
        return CommandResult(.frame(table), display: Presentation([.chart(chart)]))
    }

    static let corr = CommandSpec(
        name: "corr", category: .explore,
        summary: "the correlation matrix of the numeric columns, with strongly correlated pairs flagged",
        positionals: [.required("frame", .frame, "the frame")],
        options: [
            .optional("method", .choice(CorrelationMethod.allCases.map(\.rawValue)), "pearson (linear) or spearman (ranks)", default: "pearson"),
            .optional("columns", .columns, "the columns to correlate", default: "every numeric column"),
        ],
        details: [
            "Each pair uses the rows where both columns have a value. A constant column has no correlation (shown as NaN). Pairs with |r| above \(NumberFormat.general(strongCorrelation)) are listed under the matrix.",
        ],
        examples: ["corr listens", "c = corr listens method=spearman columns=[user_age, media_duration, is_listened]"],
        returns: "a frame: one row per column, one column per column"
    ) { inv throws(RuntimeError) in
        let f = try inv.frame("frame")
        let method = CorrelationMethod(rawValue: try inv.choice("method") ?? "pearson")!
        let (matrix, _) = try StatsCharts.correlation(f, columns: try inv.columns("columns", in: f), method: method, inv)
        let out = try ExploreCommands.frame([.strings("column", matrix.names)]
            + matrix.names.indices.map { j in .doubles(matrix.names[j], matrix.values.map { $0[j] }) }, inv)
        var table = Presenter.frameTable(out, title: "\(method.rawValue) correlation", allRows: true)
        table.columns[0].alignment = .left
        for i in 1..<table.columns.count { table.columns[i].style = .decimals(coefficientDecimals) }
        var strong: [String] = []
        for i in matrix.names.indices {
            for j in (i + 1)..<matrix.names.count where abs(matrix.values[i][j]) > strongCorrelation {
                strong.append("\(matrix.names[i]) ~ \(matrix.names[j]): \(NumberFormat.fixed(matrix.values[i][j], decimals: 3))")
            }
        }
        table.notes = strong.isEmpty
            ? ["no pair has |r| above \(NumberFormat.general(strongCorrelation))"]
            : ["strongly correlated (|r| > \(NumberFormat.general(strongCorrelation))): " + strong.joined(separator: "; ")]
        return CommandResult(.frame(out), display: .table(table))
    }

    static let vif = CommandSpec(
        name: "vif", category: .explore,
        summary: "variance inflation factor of each numeric column: the multicollinearity check",
        positionals: [.required("frame", .frame, "the frame")],
        options: [.optional("columns", .columns, "the columns to check together", default: "every numeric column that is not constant")],
        details: [
            "VIF_j = 1 / (1 - R²_j), R²_j from regressing column j on the others with an intercept; computed as the diagonal of the inverse correlation matrix over the rows where every column has a value. 1 means no collinearity; above \(NumberFormat.general(highVIF)) is usually too much; infinite means a column is an exact combination of others.",
        ],
        examples: ["vif listens", "vif listens columns=[user_age, media_duration, release_date]"],
        returns: "a frame of column, vif"
    ) { inv throws(RuntimeError) in
        let f = try inv.frame("frame")
        var names = try inv.columns("columns", in: f)
        var constant: [String] = []
        if names == nil {
            // Constant columns have no variance to inflate; leave them out by default and say so.
            let numeric = f.columns.filter { $0.type.isNumeric }
            let summaries = numeric.map { $0.summary() }
            names = zip(numeric, summaries).filter { $1.min != $1.max }.map { $0.0.name }
            constant = zip(numeric, summaries).filter { $1.min == $1.max }.map { $0.0.name }
        }
        guard let chosen = names, chosen.count >= 2 else {
            throw RuntimeError("vif needs at least two numeric columns that vary", at: inv.range(of: "frame"))
        }
        let result = try inv.frameOperation(at: "columns") { () throws(FrameError) in try f.varianceInflation(columns: chosen) }
        let out = try ExploreCommands.frame([.strings("column", result.map(\.column)), .doubles("vif", result.map(\.vif))], inv)
        var table = Presenter.frameTable(out, title: "variance inflation factors", allRows: true)
        table.columns[0].alignment = .left
        let high = result.filter { $0.vif > highVIF }.map(\.column)
        table.notes = [high.isEmpty ? "no column above \(NumberFormat.general(highVIF))"
                                    : "above \(NumberFormat.general(highVIF)): \(high.joined(separator: ", "))"]
        if !constant.isEmpty { table.notes.append("constant, left out: \(constant.joined(separator: ", "))") }
        return CommandResult(.frame(out), display: .table(table))
    }
}
