// `tune KIND on frame space={...}`: a hyperparameter search over repeated k-fold
// cross-validation of a classifier kind, with Learn's search engine (grid, random, successive
// halving, Hyperband, Bayesian). Each fold fits the feature pipeline to its own training rows
// (so target encodings never see the fold's validation labels) once, and every trial reuses it.
// Finished trials appear as a live table on a terminal; the result is a table ranked by the
// mean fold score, and the best setting refitted on every row is the returned model. Ctrl-C
// stops the search and keeps the finished trials; with journal=, a later run of the same tune
// replays them from the file and goes on.

import Dispatch
import Frame
import Learn
import RecScript

/// tune.
enum TuneCommand {
    /// Metrics a search can optimise: pointwise ones on the validation fold.
    static let metrics: [Metric] = [.auc, .logloss, .accuracy, .f1, .precision, .recall, .rmse]

    static let searchOptions: [ParameterSpec] = [
        .required("space", .any, "the hyperparameters to search: {name: [values] | int(lo, hi[, step=s]) | uniform(lo, hi) | log(lo, hi), ...}").shown(as: "{name: values, ...}"),
        .optional("search", .choice(SearchStrategy.allCases.map(\.rawValue)), "how settings are chosen: every combination, random draws, successive halving of a budget, Hyperband (brackets of halving from different budgets), or Bayesian optimisation", default: "grid when every dimension is a list, else random"),
        .optional("trials", .integer(min: 1, max: 10_000), "settings to try (random, bayes), first-round candidates (halving), or the most evaluations (hyperband)", default: "20; halving: max / min budget; hyperband: one pass of its brackets"),
        .optional("folds", .integer(min: 2, max: 100), "folds of the cross-validation", default: "5"),
        .optional("repeats", .integer(min: 1, max: 100), "times the k-fold is repeated with new shuffles", default: "1"),
        .optional("metric", .choice(metrics.map(\.rawValue)), "what a trial is judged by: its mean over the validation folds", default: "auc"),
        .optional("groups", .column, "keep each value's rows in one fold (grouped k-fold, still stratified by the target), e.g. groups=user_id"),
        .optional("budget", .any, "the budget range [min, max] of halving and hyperband: of the kind's budget hyperparameter (trees, epochs), or else of training rows", default: "max: the kind's setting; min: max / 9").shown(as: "[min, max]"),
        .optional("seed", .integer(min: 0, max: Int64(Int32.max)), "seed of the folds, the search and the model", default: "1"),
        .optional("journal", .path, "append every finished trial to this JSON Lines file; rerunning the same tune resumes from it"),
    ]

    static let spec = CommandSpec(
        name: "tune", category: .model,
        summary: "search a classifier's hyperparameters by repeated k-fold cross-validation, or the neural recommender's on held-out rows; returns the best setting refitted",
        positionals: [.required("model", .choice(tunableKinds), "which kind of model: a classifier, or neural")],
        clauses: [.required("on", .frame, "the training frame")],
        details: [
            "Each setting of the space is scored on every validation fold (folds= stratified by the target; with groups=, grouped and stratified; repeats= new shuffles) and ranked by the mean of its fold scores, with their standard deviation. Hyperparameters not in the space keep the value given as an option, or their default. The best setting is refitted on every row of the frame and returned; its trials are the model's attribute m.trials.",
            "search=grid tries every combination of the lists (ranges need random or bayes); random draws trials= settings; halving (successive halving) starts trials= candidates at the smallest budget and keeps the best third at three times the budget until the largest, the budget being the kind's budget hyperparameter (gbt and forest: trees, mlp: epochs) or else training rows; hyperband (Li et al., 2017) runs halving in brackets, from many candidates at the smallest budget to a few at the largest alone, so a setting that needs a large budget to shine is not always cut early (with budget=[1, 81]: 81 candidates from 1, 34 from 3, 15 from 9, 8 from 27 and 5 at 81; trials= caps the evaluations, whole brackets only); bayes fits a Gaussian process (Matérn 5/2) to the scores so far and tries the setting of highest expected improvement. The same seed gives the same trials.",
            "Each fold fits the feature pipeline to its training rows once (target encodings never see the fold's validation labels), and every trial reuses it. On a terminal each finished trial is printed as it ends, under a progress bar; Ctrl-C stops the search and shows the finished trials (the result is then that table, not a model).",
            "tune neural trains each trial on the rows left after holding out validation= and judges it by the best value of objective= (val_loss by default) over its epochs, with epochs as the budget of halving and hyperband; retrain=best_epoch refits the best setting for its best epoch (help tune neural).",
            "journal=\"tune.jsonl\" appends each finished trial to a JSON Lines file (first a line naming the search, then one line per trial, flushed to disk as it ends), so a stopped or killed search loses at most the trial it was running. Running the same tune again replays the recorded trials without fitting them, goes on from the last one, and ends with the same ranking as a search never stopped; with more trials= it extends a finished search. A journal written by another search (other kind, data, space, metric, folds, features, fixed hyperparameters or seed) is refused: give another path, or delete the file to start afresh.",
        ],
        examples: ["m = tune logreg on train features=auto space={C: [0.1, 1, 10], penalty: [l1, l2]}",
                   "m = tune gbt on train features=auto space={lr: log(0.02, 0.3), leaves: int(8, 128)} search=bayes trials=20 folds=3",
                   "m = tune gbt on train features=auto space={lr: [0.05, 0.1], leaves: [15, 31, 63]} search=halving budget=[20, 180]",
                   "m = tune mlp on train features=auto space={lr: log(0.0003, 0.03), alpha: log(0.00001, 0.01)} search=hyperband budget=[3, 81] journal=\"mlp-tune.jsonl\"",
                   "m = tune forest on train features=[user_age, context_type] space={depth: [6, 10, 0]} groups=user_id metric=logloss",
                   "m = tune neural on train space={hidden1: int(32, 512, step=32), lr: log(0.0001, 0.1), embed: [10, 50]} search=bayes trials=5 objective=val_loss early_stop=5 journal=\"tune.jsonl\""],
        returns: "the best model, refitted on every row (its trials as m.trials)",
        variants: ModelCatalogue.all.filter { $0.input == .features }.map(variant) + [neuralVariant],
        run: run)

    /// The form of `tune` for one classifier kind: its hyperparameters as fixed settings.
    static func variant(_ model: ModelSpec) -> CommandVariant {
        CommandVariant(name: model.name, summary: "search the hyperparameters of \(model.name): \(model.summary)",
                       options: FeatureOptions.options + searchOptions + model.hyperparameters.filter { $0.name != "seed" }.map(FitCommand.parameter),
                       details: ["Searchable hyperparameters: " + model.hyperparameters.map { "\($0.name) (\($0.domain.text))" }.joined(separator: ", ") + "."
                                 + (model.budgetParameter.map { " The budget of halving and hyperband: \($0)." } ?? " The budget of halving and hyperband: training rows.")],
                       examples: [])
    }

    /// The data of one fold: the pipeline fitted to its training rows and both sides' inputs.
    struct FoldData {
        var pipeline: FeaturePipeline
        var train: FeatureMatrix
        var trainLabels: [Float]
        var validation: FeatureMatrix
        var validationLabels: [Double]
    }

    /// The kinds `tune` searches: the classifiers, and the neural recommender.
    static let tunableKinds = ModelCatalogue.all.filter { $0.input == .features }.map(\.name) + [NeuralRecommender.kindName]

    static func run(_ inv: Invocation) throws(RuntimeError) -> CommandResult {
        let kind = try inv.choice("model") ?? ""
        if kind == NeuralRecommender.kindName, let model = ModelCatalogue.spec(named: kind) { return try runNeural(inv, model) }
        guard let model = ModelCatalogue.spec(named: kind), model.input == .features else {
            throw RuntimeError(.script, "tune searches classifier kinds, not '\(kind)'", at: inv.range(of: "model"))
        }
        let frame = try inv.frame("on")
        let trainedOn = inv.interpreter.sourceText(inv.expression("on")!.range)
        let seed = Int(try inv.integer("seed", default: 1))
        let (target, labels) = try FeatureOptions.target(inv, frame: frame, at: "on")
        let featureSpec = try FeatureOptions.spec(inv, frame: frame, target: target, scaling: model.defaultScaling ?? .standard, seed: seed)
        let (space, given) = try spaceAndFixed(inv, model)
        var fixed = given
        if model.hyperparameter("seed") != nil, !space.names.contains("seed") { fixed["seed"] = .int(seed) }
        let strategy = try inv.choice("search").map { SearchStrategy(rawValue: $0)! } ?? (space.isDiscrete ? .grid : .random)
        let metric = Metric(rawValue: try inv.choice("metric") ?? "auc")!
        let foldCount = Int(try inv.integer("folds", default: 5)), repeats = Int(try inv.integer("repeats", default: 1))
        let trials = inv.has("trials") ? Int(try inv.integer("trials")) : nil

        // Folds: stratified by the target, grouped when asked.
        let folds: [KFold.Fold]
        let groupColumn = try inv.column("groups", in: frame)
        do throws(LearnError) {
            try BinaryTarget.requireBothClasses(labels, target, in: trainedOn)
            if let g = groupColumn {
                guard let groups = frame[g]!.int64Values(), frame[g]!.nullCount == 0 else {
                    throw .invalidParameter(name: "groups", reason: "must name an integer column without missing values, such as user_id")
                }
                folds = try KFold.grouped(groups: groups, labels: labels, folds: foldCount, repeats: repeats, seed: UInt64(seed))
            } else {
                folds = try KFold.stratified(labels: labels, folds: foldCount, repeats: repeats, seed: UInt64(seed))
            }
        } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "on")
        }

        // The budget of halving and hyperband: the kind's budget hyperparameter, or training rows.
        var budget: ClosedRange<Int>?
        let budgetName = model.budgetParameter
        if strategy == .halving || strategy == .hyperband {
            if let b = budgetName, space.names.contains(b) {
                throw RuntimeError("\(b) is the budget that \(strategy.rawValue) grows; leave it out of space= and give budget=[min, max]", at: inv.range(of: "space"))
            }
            let smallestFold = folds.map { $0.rowCount - $0.validation.count }.min() ?? 0
            var top = smallestFold
            if let b = budgetName {
                if case .int(let n)? = fixed[b] { top = n } else if case .int(let n)? = model.hyperparameter(b)?.defaultValue { top = n }
            }
            var range = max(1, top / 9)...max(1, top)
            if inv.has("budget") {
                let given = try inv.integerList("budget")
                guard given.count == 2, given[0] >= 1, given[0] < given[1] else {
                    throw RuntimeError("budget= takes [min, max] with 1 <= min < max, such as [20, 180]", at: inv.range(of: "budget"))
                }
                if budgetName == nil && given[1] > smallestFold {
                    throw RuntimeError("budget= counts training rows here (\(kind) has no budget hyperparameter), and a fold has only \(NumberFormat.grouped(smallestFold))", at: inv.range(of: "budget"))
                }
                range = given[0]...given[1]
            }
            budget = range
        } else if inv.has("budget") {
            throw RuntimeError("budget= applies to search=halving and search=hyperband", at: inv.range(of: "budget"))
        }
        let journal = try inv.string("journal").map { path in
            TrialJournal(path: path, identity: journalIdentity(kind: kind, metric: metric, folds: foldCount, repeats: repeats,
                                                              groups: groupColumn, fixed: fixed, features: featureSpec,
                                                              rows: frame.rowCount, target: target, labels: labels))
        }

        let relay = ProgressRelay(sink: inv.interpreter.sink, label: "")
        defer { relay.finish() }
        var cache: [Int: FoldData] = [:]
        func foldData(_ i: Int) throws(LearnError) -> FoldData {
            if let d = cache[i] { return d }
            let fold = folds[i]
            let trainRows = fold.train
            let trainFrame = frame.gather(trainRows), validationFrame = frame.gather(fold.validation)
            let trainLabels = trainRows.map { labels[$0] }
            let (pipeline, x) = try FeaturePipeline.fit(trainFrame, spec: featureSpec, target: target, labels: trainLabels)
            let d = FoldData(pipeline: pipeline, train: x, trainLabels: trainLabels, validation: try pipeline.transform(validationFrame),
                             validationLabels: fold.validation.map { Double(labels[$0]) })
            cache[i] = d
            return d
        }
        let context = FitContext(cancellation: inv.cancellation)
        let searched = space.names
        let header = trialHeader(searched, metric: metric, halving: budget != nil)
        relay.lines(header)
        let result: SearchResult
        do throws(LearnError) {
            result = try Search.run(space: space, strategy: strategy, trials: trials, seed: UInt64(seed),
                                    higherIsBetter: metric.higherIsBetter, budget: budget, context: context, journal: journal,
                                    evaluate: { settings, b throws(LearnError) in
                var scores: [Double] = []
                for i in folds.indices {
                    try context.checkCancelled()
                    relay.status(Double(i) / Double(folds.count), "\(folds[i].name(repeats: repeats))")
                    let d = try foldData(i)
                    var s = fixed.merging(settings) { _, new in new }
                    var x = d.train, y = d.trainLabels
                    if let b {
                        if let name = budgetName { s[name] = .int(b) } else if b < x.rows {
                            // b of the fold's training rows, drawn as `sample` draws them.
                            let picked = DataFrame.sampleRows(n: b, of: x.rows, seed: UInt64(seed) &+ UInt64(i))
                            x = x.selecting(rows: picked)
                            y = picked.map { y[$0] }
                        }
                    }
                    let m = try model.fit(x, labels: y, pipeline: d.pipeline, settings: s, context: context)
                    let p = try m.probabilities(d.validation, context: context)
                    scores.append(try metric.compute(scores: p, labels: d.validationLabels))
                }
                return scores
            }, onTrial: { t in
                relay.lines([trialLine(t, searched, halving: budget != nil)])
            })
        } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "space")
        }
        relay.finish()
        let table = resultsTable(result, searched, metric: metric, strategy: strategy, folds: folds.count, halving: budget != nil)
        let trialsFrame = try ExploreCommands.frame(trialColumns(result, searched), inv)
        if result.interrupted {
            // Ctrl-C stopped the search, not the session: the finished trials are the result.
            inv.cancellation.reset()
        }
        if result.interrupted || result.best == nil {
            var t = table
            t.notes.append(result.best == nil ? "no trial finished" : "no model was refitted; fit \(kind) with the best setting above to get one")
            if result.interrupted, let journal { t.notes.append("run the same tune again to resume from the journal \(journal.path)") }
            return CommandResult(.frame(trialsFrame), display: .table(t), showWhenAssigned: true)
        }
        // The best setting, refitted on every row.
        var best = fixed.merging(result.best!.settings) { _, new in new }
        if let name = budgetName, let b = budget { best[name] = .int(b.upperBound) }
        let started = DispatchTime.now().uptimeNanoseconds
        let fitted: any FeatureModel
        do throws(LearnError) {
            let (pipeline, x) = try FeaturePipeline.fit(frame, spec: featureSpec, target: target, labels: labels)
            relay.status(1, "refitting the best setting on every row")
            fitted = try model.fit(x, labels: labels, pipeline: pipeline, settings: best,
                                   context: relay.context(cancellation: inv.cancellation))
        } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "on")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var schema = frame.schema
        schema[.label] = target
        var value = ModelValue(model: fitted, trainedOn: trainedOn, schema: schema, training: frame, fitSeconds: seconds)
        value.trials = trialsFrame
        return CommandResult(.model(value),
                             display: Presentation([.table(table),
                                                    .keyValues(title: "best \(kind) model, refitted on \(trainedOn)", value.summaryRows)]),
                             showWhenAssigned: true)
    }

    /// What makes two tunes the same search, for the journal's header (Search adds the space,
    /// the strategy, the seed and the budget range): the kind, the metric, the folds, the fixed
    /// hyperparameters, the features and the data (its rows, target and positives).
    static func journalIdentity(kind: String, metric: Metric, folds: Int, repeats: Int, groups: String?,
                                fixed: [String: HyperValue], features: FeatureSpec, rows: Int, target: String,
                                labels: [Float]) -> [(name: String, value: String)] {
        let featureText = features.features.map { f in
            let inner = f.columns.joined(separator: ", ")
            return f.encoding.map { "\($0.rawValue)(\(inner))" } ?? (f.columns.count > 1 ? "pair(\(inner))" : inner)
        }.joined(separator: ", ")
        return [
            ("command", "tune \(kind)"),
            ("metric", metric.rawValue),
            ("folds", "\(folds) × \(repeats)" + (groups.map { " grouped by \($0)" } ?? "")),
            ("fixed", fixed.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
            ("features", "[\(featureText)] scale=\(features.scaling.rawValue) smoothing=\(HyperValue.format(features.smoothing)) encode_folds=\(features.encodingFolds) max_levels=\(features.maxLevels)"),
            ("data", "\(rows) rows, target \(target) with \(labels.count(where: { $0 == 1 })) positives"),
        ]
    }

    /// The space of `space=` in each hyperparameter's type, and the hyperparameters fixed as
    /// options (none of them also searched).
    static func spaceAndFixed(_ inv: Invocation, _ model: ModelSpec) throws(RuntimeError) -> (SearchSpace, [String: HyperValue]) {
        let space: SearchSpace
        let written = try SearchSpace(syntax: inv.expression("space")!)
        do throws(LearnError) { space = try written.checked(against: model.hyperparameters) } catch {
            // At the key of the map it names, when it names one.
            var at = inv.range(of: "space")
            if case .invalidParameter(let name, _) = error, case .map(let entries)? = inv.expression("space")?.kind,
               let entry = entries.first(where: { $0.key == name }) {
                at = entry.keyRange
            }
            throw RuntimeError(error.description, at: at)
        }
        let fixed = try FitCommand.hyperSettings(model, inv)
        for name in space.names where fixed[name] != nil {
            throw RuntimeError("\(name) is both searched (in space=) and fixed (\(name)=); keep one", at: inv.range(of: name))
        }
        return (space, fixed)
    }

    // MARK: - Tables

    /// A trial's settings as text, in the space's order.
    static func settingText(_ t: SearchTrial, _ names: [String]) -> [String] {
        names.map { name in
            switch t.settings[name] {
            case .number(let x)?: NumberFormat.general(x)
            case let v?: v.description
            case nil: "—"
            }
        }
    }

    /// A trial's settings as table cells, in the space's order.
    static func settingCells(_ t: SearchTrial, _ names: [String]) -> [Cell] {
        names.map { name in
            switch t.settings[name] {
            case .int(let n)?: .int(Int64(n))
            case .number(let x)?: .double(x)
            case let v?: .string(v.description)
            case nil: .null
            }
        }
    }

    static func trialHeader(_ names: [String], metric: Metric, halving: Bool) -> [String] {
        ["trial  setting" + (halving ? ", budget" : "") + ": \(metric.rawValue) mean ± std over the folds, time"]
    }

    /// One finished trial as a line of the live table.
    static func trialLine(_ t: SearchTrial, _ names: [String], halving: Bool) -> String {
        let settings = zip(names, settingText(t, names)).map { "\($0)=\($1)" }.joined(separator: "  ")
        let score = t.status == .completed
            ? "\(NumberFormat.fixed(t.mean, decimals: 4)) ± \(NumberFormat.fixed(t.std, decimals: 4))"
            : "failed: \(t.message ?? "")"
        return String(format: "%5d  ", t.number) + settings + (halving ? "  budget=\(t.budget ?? 0)" : "") + "  " + score
            + String(format: "  %.2f s", t.seconds) + (t.replayed ? "  (replayed from the journal)" : "")
    }

    /// Every trial, ranked: the frame m.trials holds.
    static func trialColumns(_ r: SearchResult, _ names: [String]) -> [Column] {
        var columns: [Column] = [.integers("rank", r.trials.indices.map { Int64($0 + 1) }), .integers("trial", r.trials.map { Int64($0.number) })]
        for name in names {
            let values = r.trials.map { $0.settings[name] }
            if values.allSatisfy({ if case .int? = $0 { true } else { false } }) {
                columns.append(.integers(name, values.map { if case .int(let n)? = $0 { Int64(n) } else { 0 } }))
            } else if values.allSatisfy({ if case .number? = $0 { true } else { false } }) {
                columns.append(.doubles(name, values.map { if case .number(let x)? = $0 { x } else { .nan } }))
            } else {
                columns.append(.strings(name, values.map { $0?.description }))
            }
        }
        if r.trials.contains(where: { $0.budget != nil }) {
            columns.append(.integers("budget", r.trials.map { Int64($0.budget ?? 0) }))
        }
        if r.trials.contains(where: { $0.bracket != nil }) {
            columns.append(.integers("bracket", r.trials.map { Int64($0.bracket ?? 0) }))
        }
        columns.append(.doubles("mean", r.trials.map { $0.status == .completed ? $0.mean : .nan }))
        columns.append(.doubles("std", r.trials.map { $0.status == .completed ? $0.std : .nan }))
        columns.append(.doubles("seconds", r.trials.map(\.seconds)))
        return columns
    }

    /// The ranked table shown at the end.
    static func resultsTable(_ r: SearchResult, _ names: [String], metric: Metric, strategy: SearchStrategy, folds: Int, halving: Bool) -> Table {
        var columns = [TableColumn("rank"), TableColumn("trial")] + names.map { TableColumn($0) }
        if halving { columns.append(TableColumn("budget")) }
        let brackets = strategy == .hyperband
        if brackets { columns.append(TableColumn("bracket")) }
        columns += [TableColumn("\(metric.rawValue) mean", style: .decimals(4)), TableColumn("std", style: .decimals(4)),
                    TableColumn("time, all folds", style: .seconds)]
        let shown = r.trials.prefix(20)
        let rows: [[Cell]] = shown.enumerated().map { i, t in
            var row: [Cell] = [.int(Int64(i + 1)), .int(Int64(t.number))] + settingCells(t, names)
            if halving { row.append(.int(Int64(t.budget ?? 0))) }
            if brackets { row.append(t.bracket.map { .int(Int64($0)) } ?? .null) }
            row += t.status == .completed ? [.double(t.mean), .double(t.std)] : [.string("failed"), .string("—")]
            row.append(.double(t.seconds))
            return row
        }
        var notes = r.notes
        if r.trials.count > shown.count { notes.append("\(r.trials.count - shown.count) more trials in m.trials") }
        for t in r.trials where t.status == .failed { notes.append("trial \(t.number) failed: \(t.message ?? "")") }
        notes.append("\(strategy.rawValue) search, \(r.trials.count) trial\(r.trials.count == 1 ? "" : "s") × \(folds) validation folds (times in the table); \(metric.rawValue): \(metric.higherIsBetter ? "higher" : "lower") is better")
        return Table(title: "\(r.interrupted ? "interrupted " : "")search ranked by mean \(metric.rawValue) over the folds", columns: columns,
                     rows: rows, notes: notes)
    }
}
