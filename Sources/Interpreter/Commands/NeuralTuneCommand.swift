// `tune neural on frame space={...}`: the hyperparameter search of the neural recommender, as
// the original KerasTuner script ran it. Each trial trains a network on the frame's rows minus
// a held-out share (validation=, drawn by the seed) and is judged by the best value of its
// objective (val_loss by default) over its epochs, with early stopping (early_stop=, patience in
// epochs). Strategies are the search engine's: random, bayes, grid, halving and hyperband, the
// last two with epochs as the budget. With journal=, every finished trial is appended to a
// JSON Lines file as it ends, and rerunning the same tune replays them and goes on where it
// stopped. retrain=best_epoch (the default, as the original) refits the best setting for the
// epochs at which its trial was best; retrain=full for its epochs=; retrain=none returns the
// trials only.

import Dispatch
import Foundation
import Frame
import Learn
import RecScript

extension TuneCommand {
    /// The options of `tune neural` besides the kind's hyperparameters.
    static let neuralOptions: [ParameterSpec] = [
        .required("space", .any, "the hyperparameters to search: {name: [values] | int(lo, hi[, step=s]) | uniform(lo, hi) | log(lo, hi), ...}").shown(as: "{name: values, ...}"),
        .optional("search", .choice(SearchStrategy.allCases.map(\.rawValue)), "how settings are chosen", default: "grid when every dimension is a list, else random"),
        .optional("trials", .integer(min: 1, max: 10_000), "settings to try (random, bayes), first-round candidates (halving), or most evaluations (hyperband)", default: "20; hyperband: one full pass"),
        .optional("objective", .choice(neuralObjectives), "what a trial is judged by: its best value over the epochs", default: "val_loss"),
        .optional("budget", .any, "halving and hyperband: the range of epochs [min, max]", default: "max: epochs=; min: max / 9").shown(as: "[min, max]"),
        .optional("journal", .path, "a JSON Lines file that records every finished trial; rerunning the same tune resumes from it"),
        .optional("retrain", .choice(["best_epoch", "full", "none"]), "refit the best setting on the frame: for its best epoch, for epochs=, or not at all", default: "best_epoch"),
        .optional("seed", .integer(min: 0, max: Int64(Int32.max)), "seed of the search and of every trial's network", default: "1"),
    ]

    /// Objectives of a neural search: the validation quantities of its history.
    static let neuralObjectives = ["val_loss", "val_auc", "val_accuracy", "val_precision", "val_recall", "val_rmse", "val_mae"]

    /// The form of `tune` for the neural recommender.
    static var neuralVariant: CommandVariant {
        let model = ModelCatalogue.spec(named: NeuralRecommender.kindName)!
        return CommandVariant(
            name: model.name, summary: "search the hyperparameters of neural: \(model.summary)",
            options: FeatureOptions.sideOptions + neuralOptions + model.hyperparameters.filter { $0.name != "seed" }.map(FitCommand.parameter),
            details: [
                "Each trial trains a network on the rows left after holding out validation= (default 0.2, drawn by the seed) and scores it by the best value of objective= over its epochs (val_loss: lower is better; the others higher), stopping early after early_stop= epochs without improvement when set. Searchable: " + model.hyperparameters.map { "\($0.name) (\($0.domain.text))" }.joined(separator: ", ") + ".",
                "search=hyperband (Li et al.) runs brackets of successive halving over epochs from budget=[min, max] (max: epochs=), trying many settings for a few epochs and the best for more; halving is one such bracket. With journal=\"file.jsonl\" each finished trial is written as it ends; running the same command again replays those trials without training and continues (a journal of another search is refused).",
                "retrain=best_epoch refits the best setting on the same rows for the epoch count at which its trial was best (as the original KerasTuner script did); the model's history shows that run. The trials are the model's attribute m.trials.",
            ],
            examples: ["m = tune neural on train space={hidden1: int(32, 512, step=32)} search=bayes trials=5 early_stop=5 seed=568",
                       "m = tune neural on train space={hidden1: int(32, 512, step=32), lr: log(1e-4, 1e-1), embed: [10, 50]} search=hyperband budget=[2, 18] journal=\"tune.jsonl\""])
    }

    static func runNeural(_ inv: Invocation, _ model: ModelSpec) throws(RuntimeError) -> CommandResult {
        let frame = try inv.frame("on")
        let trainedOn = inv.interpreter.sourceText(inv.expression("on")!.range)
        try ModelCommands.requireRoles(frame, [.user, .item], inv, "on")
        guard frame.schema[.label] != nil || frame.schema[.rating] != nil else {
            throw RuntimeError("tune neural learns each row's target, but \(trainedOn) has no label or rating column declared", at: inv.range(of: "on"),
                               notes: ["declare it once, before splitting: schema <frame> label=is_listened"])
        }
        let seed = Int(try inv.integer("seed", default: 1))
        let (space, given) = try spaceAndFixed(inv, model)
        var fixed = given
        if !space.names.contains("seed") { fixed["seed"] = .int(seed) }
        if case .number(let v)? = fixed["validation"], v == 0 {
            throw RuntimeError("tune neural judges each trial on held-out rows; validation=0 holds out none", at: inv.range(of: "validation"))
        }
        let strategy = try inv.choice("search").map { SearchStrategy(rawValue: $0)! } ?? (space.isDiscrete ? .grid : .random)
        let objective = try inv.choice("objective") ?? "val_loss"
        let higherIsBetter = !["val_loss", "val_rmse", "val_mae"].contains(objective)
        let trials = inv.has("trials") ? Int(try inv.integer("trials")) : nil
        let retrain = try inv.choice("retrain") ?? "best_epoch"

        // Epochs: the budget of halving and hyperband.
        var topEpochs = NeuralRecommender.defaults.epochs
        if case .int(let n)? = fixed["epochs"] { topEpochs = n }
        var budget: ClosedRange<Int>?
        if strategy == .halving || strategy == .hyperband {
            if space.names.contains("epochs") {
                throw RuntimeError("epochs is the budget that \(strategy.rawValue) grows; leave it out of space= and give budget=[min, max]", at: inv.range(of: "space"))
            }
            var range = max(1, topEpochs / 9)...max(1, topEpochs)
            if inv.has("budget") {
                let given = try inv.integerList("budget")
                guard given.count == 2, given[0] >= 1, given[0] < given[1] else {
                    throw RuntimeError("budget= takes [min, max] epochs with 1 <= min < max, such as [2, 18]", at: inv.range(of: "budget"))
                }
                range = given[0]...given[1]
            }
            budget = range
        } else if inv.has("budget") {
            throw RuntimeError("budget= applies to search=halving and search=hyperband", at: inv.range(of: "budget"))
        }

        // The rows, mapped once, with their side features.
        var data: TrainingData
        do throws(LearnError) { data = try TrainingData(frame) } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "on")
        }
        if inv.has("features") {
            let spec = try FeatureOptions.spec(inv, frame: frame, target: data.target?.name ?? "", scaling: .standard, seed: seed, allowAuto: false)
            do throws(LearnError) {
                let (pipeline, x) = try FeaturePipeline.fit(frame, spec: spec, target: data.target?.name ?? "",
                                                            labels: (data.target?.values ?? []).map(Float.init))
                data.sideFeatures = SideFeatures(pipeline: pipeline, matrix: x)
            } catch {
                throw FitCommand.locate(error, inv, command: "tune", argument: "features")
            }
        }

        var journal: TrialJournal?
        if let path = try inv.string("journal") {
            journal = TrialJournal(path: path, identity: [
                (name: "command", value: "tune neural"),
                (name: "objective", value: objective),
                (name: "fixed", value: fixed.keys.sorted().map { "\($0)=\(fixed[$0]!.description)" }.joined(separator: " ")),
                (name: "features", value: inv.has("features") ? inv.interpreter.sourceText(inv.range(of: "features")) : "none"),
                (name: "data", value: "\(trainedOn): \(data.rowCount) rows, \(data.users.count) users, \(data.items.count) items, target \(data.target?.name ?? "-")"),
            ])
        }

        let relay = ProgressRelay(sink: inv.interpreter.sink, label: "")
        defer { relay.finish() }
        let context = FitContext(cancellation: inv.cancellation)
        let searched = space.names
        let halving = budget != nil
        relay.lines(["trial  setting" + (halving ? ", epochs" : "") + ": best \(objective) (epoch), time"])
        let result: SearchResult
        do throws(LearnError) {
            result = try Search.run(space: space, strategy: strategy, trials: trials, seed: UInt64(seed),
                                    higherIsBetter: higherIsBetter, budget: budget, context: context, journal: journal,
                                    evaluateOutcome: { settings, b throws(LearnError) in
                var s = fixed.merging(settings) { _, new in new }
                if let b { s["epochs"] = .int(b) }
                let trialContext = FitContext(cancellation: inv.cancellation, progress: { f, note in relay.status(f, note) })
                let m = try model.fit(data, settings: s, context: trialContext)
                guard let h = m.history, let values = h.values(objective) else {
                    throw .unsupported("the trial recorded no \(objective)")
                }
                if h.interrupted { throw .cancelled }
                let finite = values.enumerated().filter { $0.element.isFinite }
                guard let best = (higherIsBetter ? finite.max { $0.element < $1.element } : finite.min { $0.element < $1.element }) else {
                    throw .numerical("\(objective) was not a finite number in any epoch")
                }
                return TrialOutcome(scores: [best.element], bestEpoch: best.offset + 1)
            }, onTrial: { t in
                relay.lines([neuralTrialLine(t, searched, objective: objective, halving: halving)])
            })
        } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "space")
        }
        relay.finish()
        let table = neuralResultsTable(result, searched, objective: objective, strategy: strategy, halving: halving)
        var columns = trialColumns(result, searched)
        columns.insert(.integers("best_epoch", result.trials.map { Int64($0.bestEpoch ?? 0) }), at: columns.count - 3)
        let trialsFrame = try ExploreCommands.frame(columns, inv)
        if result.interrupted { inv.cancellation.reset() }
        if result.interrupted || result.best == nil || retrain == "none" {
            var t = table
            if result.best == nil { t.notes.append("no trial finished") } else if retrain != "none" {
                t.notes.append("no model was refitted; fit neural with the best setting above to get one")
            }
            if result.interrupted, let journal { t.notes.append("run the same tune again to resume from the journal \(journal.path)") }
            return CommandResult(.frame(trialsFrame), display: .table(t), showWhenAssigned: true)
        }
        let winner = result.best!
        var best = fixed.merging(winner.settings) { _, new in new }
        if let b = winner.budget { best["epochs"] = .int(b) }
        if retrain == "best_epoch", let e = winner.bestEpoch {
            best["epochs"] = .int(e)
            best["early_stop"] = .int(0)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let fitted: any Model
        do throws(LearnError) {
            relay.status(1, "refitting the best setting")
            fitted = try model.fit(data, settings: best, context: relay.context(cancellation: inv.cancellation))
        } catch {
            throw FitCommand.locate(error, inv, command: "tune", argument: "on")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var value = ModelValue(model: fitted, trainedOn: trainedOn, schema: frame.schema, training: frame, fitSeconds: seconds)
        value.trials = trialsFrame
        var blocks: [Block] = [.table(table),
                               .keyValues(title: "best neural setting, refitted on \(trainedOn)" + (retrain == "best_epoch" ? " for \(best["epochs"]!.description) epochs" : ""), value.summaryRows)]
        if let h = fitted.history { blocks.append(.table(HistoryDisplay.table(h))) }
        return CommandResult(.model(value), display: Presentation(blocks), showWhenAssigned: true)
    }

    /// One finished trial as a line of the live table.
    static func neuralTrialLine(_ t: SearchTrial, _ names: [String], objective: String, halving: Bool) -> String {
        let settings = zip(names, settingText(t, names)).map { "\($0)=\($1)" }.joined(separator: "  ")
        let score = t.status == .completed
            ? "\(objective) \(NumberFormat.fixed(t.mean, decimals: 4)) (epoch \(t.bestEpoch ?? 0))"
            : "failed: \(t.message ?? "")"
        return String(format: "%5d  ", t.number) + settings + (halving ? "  epochs=\(t.budget ?? 0)" : "") + "  " + score
            + String(format: "  %.2f s", t.seconds) + (t.replayed ? "  (replayed from the journal)" : "")
    }

    /// The ranked table shown at the end.
    static func neuralResultsTable(_ r: SearchResult, _ names: [String], objective: String, strategy: SearchStrategy, halving: Bool) -> Table {
        var columns = [TableColumn("rank"), TableColumn("trial")] + names.map { TableColumn($0) }
        if halving { columns.append(TableColumn("epochs")) }
        columns += [TableColumn("best \(objective)", style: .decimals(4)), TableColumn("at epoch"), TableColumn("trial time", style: .seconds)]
        let shown = r.trials.prefix(20)
        let rows: [[Cell]] = shown.enumerated().map { i, t in
            var row: [Cell] = [.int(Int64(i + 1)), .int(Int64(t.number))] + settingCells(t, names)
            if halving { row.append(.int(Int64(t.budget ?? 0))) }
            row += t.status == .completed ? [.double(t.mean), t.bestEpoch.map { .int(Int64($0)) } ?? .null] : [.string("failed"), .string("—")]
            row.append(.double(t.seconds))
            return row
        }
        var notes = r.notes
        if r.trials.count > shown.count { notes.append("\(r.trials.count - shown.count) more trials in m.trials") }
        for t in r.trials where t.status == .failed { notes.append("trial \(t.number) failed: \(t.message ?? "")") }
        let epochs = r.trials.reduce(0) { $0 + ($1.budget ?? 0) }
        notes.append("\(strategy.rawValue) search, \(r.trials.count) trial\(r.trials.count == 1 ? "" : "s")" + (halving ? ", \(epochs) epochs in all" : "")
                     + "; \(objective): \(["val_loss", "val_rmse", "val_mae"].contains(objective) ? "lower" : "higher") is better")
        return Table(title: "\(r.interrupted ? "interrupted " : "")neural search ranked by best \(objective)", columns: columns, rows: rows, notes: notes)
    }
}
