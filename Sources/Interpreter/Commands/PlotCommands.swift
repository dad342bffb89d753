// Commands that draw: plot (hist, bar, line, scatter, corr, roc, history) and the plot half of
// `save`.
//
// A plot command builds a Chart and shows it; every renderer draws it (braille and blocks in
// a terminal, SVG in reports, its numbers in JSON and CSV), and it becomes the session's last
// plot, which `save plot "file.svg"` writes.
//
// Statistics come from the Frame kernels through StatsCharts (histogram with numpy's bins,
// value counts, pairwise-complete Pearson or Spearman correlation), shared with hist and corr;
// the ROC curve is Learn's `Metrics.roc` on the model's scores, thinned for drawing.

import Foundation
import Frame
import Learn
import RecScript

/// plot; save plot.
enum PlotCommands {
    static let all: [CommandSpec] = [plot]

    /// Kinds of plot.
    static let kinds = ["hist", "bar", "line", "scatter", "corr", "roc", "history"]
    /// Series a plot draws at most (`by` a column with more values keeps the first ones).
    static let maxSeries = 8
    /// Points a line series keeps at most; longer series keep every k-th point.
    static let maxLinePoints = 5_000
    /// Points a scatter plot samples by default.
    static let defaultSample = 2_000
    /// ROC points closer than this (in both rates) to the last one kept are left out of the
    /// drawing: invisible at any size a report uses, and they keep SVG files small.
    static let rocResolution = 1.0 / 500

    static let plot = CommandSpec(
        name: "plot", category: .explore,
        summary: "draw a histogram, bar chart, line chart, scatter plot, correlation heatmap, ROC curve or training history",
        positionals: [
            .required("kind", .choice(kinds), "hist, bar, line, scatter, corr, roc or history"),
            .required("data", .any, "hist and bar: a column (f.col); bar, line, scatter, corr: a frame; roc: a model or a list of models; history: a neural model"),
            .optional("x", .column, "line, scatter: the x column; bar of a frame: the label column"),
            .optional("y", .column, "line, scatter: the y column; bar of a frame: the value column"),
        ],
        clauses: [
            .optional("on", .frame, "roc: the test frame, with the same roles as the training frame"),
            .optional("by", .column, "line, scatter: one series per value of this column"),
        ],
        details: [
            "The plot becomes the session's last plot: save plot \"file.svg\" writes it as SVG.",
        ],
        examples: [
            "plot hist listens.user_age bins=30",
            "plot bar listens.genre_id top=15",
            "plot line daily day plays by platform_name",
            "plot scatter listens user_age media_duration sample=1000",
            "plot corr listens method=spearman",
            "plot roc m on test",
            "plot history m",
        ],
        results: 0, returns: "nothing; shows the plot and keeps it as the last plot",
        variants: [
            CommandVariant(name: "hist", summary: "a histogram of a column",
                           options: [.optional("bins", .integer(min: 1, max: 1_000), "number of equal-width bins", default: "20")],
                           details: ["Counts in equal-width bins over [min, max]; each bin holds its left edge, the last also its right edge (numpy's convention). Missing values are left out and counted in a note."],
                           examples: ["plot hist listens.user_age bins=30"]),
            CommandVariant(name: "bar", summary: "a bar chart of a column's most frequent values, or of a frame's label and value columns",
                           options: [.optional("top", .integer(min: 1, max: 1_000), "how many bars", default: "20")],
                           details: ["With a column, the most frequent values and their counts; with a frame and two columns, one bar per row: label and value."],
                           examples: ["plot bar listens.genre_id top=15", "plot bar by_age user_age mean_is_listened"]),
            CommandVariant(name: "line", summary: "a line chart of y against x, one line per value of by",
                           details: ["y against x, sorted by x; with by, one line per value of that column."],
                           examples: ["plot line daily day plays by platform_name"]),
            CommandVariant(name: "scatter", summary: "a scatter plot of a random sample of rows",
                           options: [
                               .optional("sample", .integer(min: 1, max: 1_000_000), "rows drawn at random, at most", default: "2000"),
                               .optional("seed", .integer(min: 0, max: nil), "seed of the sample", default: "1"),
                           ],
                           details: ["A random sample of the rows; the same seed gives the same sample."],
                           examples: ["plot scatter listens user_age media_duration sample=1000"]),
            CommandVariant(name: "corr", summary: "a heatmap of the correlations of numeric columns",
                           options: [
                               .optional("method", .choice(["pearson", "spearman"]), "correlation coefficient", default: "pearson"),
                               .optional("columns", .columns, "the columns to correlate", default: "every numeric column"),
                           ],
                           details: ["Pearson or Spearman (average ranks) correlation of every pair of numeric columns, over the rows where both have a value."],
                           examples: ["plot corr listens method=spearman"]),
            CommandVariant(name: "roc", summary: "the ROC curves of one or more models' scores on a labelled frame",
                           details: ["The true positive rate against the false positive rate of a model's scores on a labelled frame, with the chance diagonal; the title gives the AUC. A list of models draws one curve each on the same axes, each named with its AUC."],
                           examples: ["plot roc m on test", "plot roc [logreg, gbt] on test"]),
            CommandVariant(name: "history", summary: "a model's loss and metrics per training epoch",
                           options: [.optional("metrics", .any, "the quantities to draw on one chart, e.g. [auc, val_auc]", default: "two charts: the losses, then every other metric").shown(as: "[names]")],
                           details: ["The measurements a neural fit recorded after each epoch (m.history): first the training and validation loss, then AUC, accuracy, precision and recall on the training rows and, as val_ series, on the held-out rows. The note names the best epoch. metrics= draws the named quantities on one chart."],
                           examples: ["plot history m", "plot history m metrics=[auc, val_auc]"]),
        ]
    ) { inv throws(RuntimeError) in
        let kind = try inv.choice("kind") ?? "hist"
        if kind == "history" {
            let charts = try history(inv)
            inv.interpreter.lastChart = charts.last
            return CommandResult([], display: Presentation(charts.map { .chart($0) }))
        }
        let chart: Chart
        switch kind {
        case "hist": chart = try histogram(inv)
        case "bar": chart = try bars(inv)
        case "line", "scatter": chart = try xy(inv, connect: kind == "line")
        case "corr": chart = try correlation(inv)
        default: chart = try roc(inv)
        }
        inv.interpreter.lastChart = chart
        return CommandResult([], display: Presentation([.chart(chart)]))
    }

    /// The word `save` takes in place of a frame to write the last plot: `save plot "f.svg"`.
    static let saveKeyword = "plot"

    /// `save plot "file.svg"`: writes the session's last plot. Called by `save`.
    static func savePlot(_ inv: Invocation) throws(RuntimeError) -> CommandResult {
        guard let path = try inv.string("path") else { throw RuntimeError("save plot needs a path", at: inv.range) }
        guard let chart = inv.interpreter.lastChart else {
            throw RuntimeError("there is no plot to save yet", at: inv.range(of: "frame"),
                               notes: ["draw one first, e.g. plot hist listens.user_age"])
        }
        guard path.lowercased().hasSuffix(".svg") else {
            throw RuntimeError("save plot writes SVG; name the file with .svg, not '\(path)'", at: inv.range(of: "path"))
        }
        let svg = SVGChart().render(chart)
        do throws(ReportError) { try AtomicWrite.write(svg, to: path) } catch {
            throw RuntimeError(.io, error.message, at: inv.range(of: "path"))
        }
        return CommandResult([], display: .text("saved \(path): \(chart.title ?? "plot"), \(ExploreCommands.formatBytes(svg.utf8.count))"))
    }

    // MARK: - Kinds

    private static func histogram(_ inv: Invocation) throws(RuntimeError) -> Chart {
        let column = try columnArgument(inv, for: "hist")
        let bins = Int(try inv.integer("bins", default: 20))
        return try StatsCharts.histogram(column, bins: bins, inv, at: "data").0
    }

    private static func bars(_ inv: Invocation) throws(RuntimeError) -> Chart {
        let top = Int(try inv.integer("top", default: 20))
        let value = try inv.value("data") ?? .none
        if case .frame(let frame) = value {
            guard let label = try inv.column("x", in: frame), let valueName = try inv.column("y", in: frame) else {
                throw RuntimeError("plot bar of a frame needs its label and value columns: plot bar f label value",
                                   at: inv.range(of: "data"), notes: ["or count a column's values: plot bar f.column"])
            }
            guard let numbers = frame[valueName]!.doubleValues() else {
                throw RuntimeError("the value column '\(valueName)' must be numeric", at: inv.range(of: "y"))
            }
            let labels = frame[label]!
            let n = min(top, frame.rowCount)
            var notes: [String] = []
            if frame.rowCount > n { notes.append("first \(n) of \(NumberFormat.count(frame.rowCount, "row"))") }
            return Chart(title: "\(valueName) by \(label)", xLabel: label, yLabel: valueName,
                         mark: .bars(labels: (0..<n).map { cellLabel(labels[$0]) }, values: Array(numbers.prefix(n))), notes: notes)
        }
        let column = try columnArgument(inv, for: "bar")
        return try StatsCharts.valueBars(column, top: top, inv)
    }

    private static func xy(_ inv: Invocation, connect: Bool) throws(RuntimeError) -> Chart {
        let kind = connect ? "line" : "scatter"
        let frame = try frameArgument(inv, for: kind)
        guard let xName = try inv.column("x", in: frame), let yName = try inv.column("y", in: frame) else {
            throw RuntimeError("plot \(kind) needs an x and a y column: plot \(kind) f x y", at: inv.range)
        }
        let xs = try numbers(frame, xName, inv, "x"), ys = try numbers(frame, yName, inv, "y")
        var notes: [String] = []
        var rows = Array(0..<frame.rowCount).filter { xs[$0].isFinite && ys[$0].isFinite }
        if rows.count < frame.rowCount { notes.append("\(NumberFormat.count(frame.rowCount - rows.count, "row")) with a missing value left out") }
        if !connect {
            let sample = Int(try inv.integer("sample", default: Int64(defaultSample)))
            if rows.count > sample {
                var rng = Xoshiro256(seed: UInt64(try inv.integer("seed", default: 1)))
                // Partial Fisher-Yates: the first `sample` places get a uniform sample.
                for i in 0..<sample { rows.swapAt(i, i + rng.below(rows.count - i)) }
                notes.append("a random sample of \(NumberFormat.grouped(sample)) of \(NumberFormat.count(rows.count, "row"))")
                rows = Array(rows.prefix(sample)).sorted()
            }
        }
        var groups: [(String, [Int])] = [("\(yName)", rows)]
        if let by = try inv.column("by", in: frame) {
            let column = frame[by]!
            var byValue: [Cell: [Int]] = [:]
            for r in rows { byValue[column[r], default: []].append(r) }
            let keys = byValue.keys.sorted(by: cellOrder)
            if keys.count > maxSeries { notes.append("first \(maxSeries) of \(keys.count) values of \(by) shown") }
            groups = keys.prefix(maxSeries).map { ("\(by) = \(cellLabel($0))", byValue[$0]!) }
        }
        var series: [Series] = []
        for (name, var members) in groups {
            if connect {
                members.sort { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 < $1) }
                if members.count > maxLinePoints {
                    let stride = (members.count + maxLinePoints - 1) / maxLinePoints
                    members = members.enumerated().filter { $0.offset % stride == 0 || $0.offset == members.count - 1 }.map(\.element)
                    notes.append("\(name): every \(stride)th point drawn")
                }
            }
            series.append(Series(name: name, xs: members.map { xs[$0] }, ys: members.map { ys[$0] }))
        }
        let title = connect ? "\(yName) by \(xName)" : "\(yName) against \(xName)"
        return Chart(title: title, xLabel: xName, yLabel: yName, mark: connect ? .lines(series) : .points(series), notes: notes)
    }

    private static func correlation(_ inv: Invocation) throws(RuntimeError) -> Chart {
        let frame = try frameArgument(inv, for: "corr")
        let method = CorrelationMethod(rawValue: try inv.choice("method") ?? "pearson")!
        return try StatsCharts.correlation(frame, columns: try inv.columns("columns", in: frame), method: method, inv).1
    }

    private static func roc(_ inv: Invocation) throws(RuntimeError) -> Chart {
        guard let data = inv.expression("data") else { throw RuntimeError("plot roc needs a model: plot roc m on test", at: inv.range) }
        // One model, or a list of models whose curves share the axes.
        let items: [Expr]
        if case .list(let list) = data.kind { items = list } else { items = [data] }
        guard !items.isEmpty else { throw RuntimeError("plot roc needs at least one model: plot roc [m1, m2] on test", at: data.range) }
        var models: [(String, ModelValue)] = []
        for item in items {
            let value = try inv.interpreter.evaluate(item)
            guard case .model(let m) = value else {
                throw RuntimeError("plot roc needs fitted models, but '\(inv.interpreter.sourceText(item.range))' is \(value.typeName)",
                                   at: item.range, notes: ["usage: plot roc m on test, or plot roc [m1, m2] on test"])
            }
            models.append((inv.interpreter.sourceText(item.range), m))
        }
        guard inv.has("on") else {
            throw RuntimeError("plot roc needs the frame to score: plot roc m on test", at: inv.range)
        }
        let given = try inv.frame("on")
        let on = inv.interpreter.sourceText(inv.expression("on")!.range)
        var series: [Series] = []
        var notes: [String] = []
        var areas: [Double] = []
        for (name, m) in models {
            let frame = Evaluation.withRoles(given, from: m)
            try ModelCommands.requireScoringRoles(frame, for: m, inv, "on")
            try ModelCommands.requireRoles(frame, [.label], inv, "on")
            let scores: [Double], labels: [Double]
            do throws(LearnError) {
                scores = try m.model.predict(frame)
                guard let l = frame[frame.schema[.label]!]?.doubleValues() else {
                    throw .nonNumeric(column: frame.schema[.label]!, role: .label, type: "text")
                }
                labels = l
            } catch {
                throw RuntimeError(error.description, at: inv.range(of: "on"))
            }
            let curve: ROCCurve
            do throws(LearnError) { curve = try Metrics.roc(scores: scores, labels: labels) } catch {
                throw RuntimeError(error.description, at: inv.range(of: "on"))
            }
            let (fpr, tpr) = thin(curve)
            let label = models.count == 1 ? "\(m.model.kind) on \(on)" : "\(name) (\(m.model.kind), AUC \(NumberFormat.fixed(curve.area, decimals: 4)))"
            series.append(Series(name: label, xs: fpr, ys: tpr))
            areas.append(curve.area)
            if models.count == 1 || notes.isEmpty {
                notes.append("\(NumberFormat.count(scores.count, "row"))\(models.count == 1 ? ", \(NumberFormat.count(curve.thresholds.count - 1, "distinct score"))" : "")")
            }
        }
        let title = models.count == 1
            ? "ROC of \(models[0].1.model.kind) model on \(on) (AUC \(NumberFormat.fixed(areas[0], decimals: 4)))"
            : "ROC of \(models.count) models on \(on)"
        return Chart(title: title, xLabel: "false positive rate", yLabel: "true positive rate",
                     mark: .lines(series), diagonal: true, notes: notes)
    }

    /// `plot history m [metrics=[...]]`.
    private static func history(_ inv: Invocation) throws(RuntimeError) -> [Chart] {
        let value = try inv.value("data") ?? .none
        let name = inv.interpreter.sourceText(inv.range(of: "data"))
        guard case .model(let m) = value else {
            throw RuntimeError("plot history needs a model, but '\(name)' is \(value.typeName)", at: inv.range(of: "data"))
        }
        guard let h = m.model.history else {
            throw RuntimeError("the \(m.model.kind) model '\(name)' keeps no per-epoch history; neural models do", at: inv.range(of: "data"))
        }
        var metrics: [String]?
        if let e = inv.expression("metrics") {
            let items: [Expr]
            if case .list(let list) = e.kind { items = list } else { items = [e] }
            var names: [String] = []
            for item in items {
                guard case .identifier(let n) = item.kind else {
                    throw RuntimeError("metrics= lists names such as [auc, val_auc]", at: item.range)
                }
                guard h.names.contains(n) else {
                    throw RuntimeError("'\(n)' is not in the history of '\(name)'\(Suggestions.didYouMean(n, in: h.names))", at: item.range,
                                       notes: ["recorded: \(h.names.joined(separator: ", "))"])
                }
                names.append(n)
            }
            guard !names.isEmpty else { throw RuntimeError("metrics= needs at least one name", at: e.range) }
            metrics = names
        }
        return HistoryDisplay.charts(h, model: name, metrics: metrics)
    }

    /// The curve's points with those closer than `rocResolution` to the last kept left out;
    /// the first and last points always stay.
    static func thin(_ c: ROCCurve) -> ([Double], [Double]) {
        var fpr = [c.falsePositiveRates[0]], tpr = [c.truePositiveRates[0]]
        let last = c.falsePositiveRates.count - 1
        for i in 1...last {
            let far = c.falsePositiveRates[i] - fpr.last! >= rocResolution || c.truePositiveRates[i] - tpr.last! >= rocResolution
            if far || i == last {
                fpr.append(c.falsePositiveRates[i])
                tpr.append(c.truePositiveRates[i])
            }
        }
        return (fpr, tpr)
    }

    // MARK: - Arguments

    /// The `data` argument as a column: `f.col`, or a column value.
    private static func columnArgument(_ inv: Invocation, for kind: String) throws(RuntimeError) -> Column {
        let value = try inv.value("data") ?? .none
        if case .column(let c) = value { return c }
        throw RuntimeError("plot \(kind) needs a column such as listens.user_age, but '\(inv.interpreter.sourceText(inv.range(of: "data")))' is \(value.typeName)",
                           at: inv.range(of: "data"))
    }

    private static func frameArgument(_ inv: Invocation, for kind: String) throws(RuntimeError) -> DataFrame {
        let value = try inv.value("data") ?? .none
        if case .frame(let f) = value { return f }
        throw RuntimeError("plot \(kind) needs a frame, but '\(inv.interpreter.sourceText(inv.range(of: "data")))' is \(value.typeName)",
                           at: inv.range(of: "data"))
    }

    private static func numbers(_ frame: DataFrame, _ name: String, _ inv: Invocation, _ argument: String) throws(RuntimeError) -> [Double] {
        guard let values = frame[name]?.doubleValues() else {
            throw RuntimeError("column '\(name)' holds text; plot needs numbers here", at: inv.range(of: argument))
        }
        return values
    }

    /// A value as a bar or series label.
    static func cellLabel(_ c: Cell) -> String {
        switch c {
        case .null: "null"
        case .int(let v): String(v)
        case .double(let v): NumberFormat.general(v)
        case .bool(let b): String(b)
        case .string(let s): s
        }
    }

    /// A total order on cells: null first, then numbers, booleans, strings.
    static func cellOrder(_ a: Cell, _ b: Cell) -> Bool {
        func rank(_ c: Cell) -> Int {
            switch c { case .null: 0; case .int, .double: 1; case .bool: 2; case .string: 3 }
        }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y
        case (.bool(let x), .bool(let y)): return !x && y
        default: return (a.doubleValue ?? 0) < (b.doubleValue ?? 0)
        }
    }
}
