import Foundation
import Testing
import Frame
import Interpreter
import Learn

/// A labelled frame of 600 rows whose label depends on a number, a code and the user:
/// x (real), code_type (0-3), user_id (30 users), city (text), y (0/1).
func classifierFrame(rows: Int = 600) throws -> DataFrame {
    var x: [Double] = [], codes: [Int64] = [], users: [Int64] = [], cities: [String?] = [], ys: [Int64] = []
    var state: UInt64 = 12345
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    for r in 0..<rows {
        let xi = next() * 4 - 2, code = Int64(r % 4), user = Int64(r % 30)
        let z = 1.5 * xi + (code == 2 ? 1 : -0.3) + (user % 3 == 0 ? 0.8 : 0)
        x.append(xi)
        codes.append(code)
        users.append(user)
        cities.append(["north", "south", "east"][r % 3])
        ys.append(next() < 1 / (1 + exp(-z)) ? 1 : 0)
    }
    return try DataFrame([.doubles("x", x), .integers("code_type", codes), .integers("user_id", users),
                          .strings("city", cities), .integers("y", ys)])
}

/// fit, predict, evaluate, compare, plot and tune with classifier kinds, and their refusals.
@Suite struct ClassifierCommandTests {
    func session() throws -> Session {
        let s = Session()
        s.set("data", try classifierFrame())
        #expect(s.run("schema data label=y\ntrain, test = split data ratio=0.75 seed=3") == .ok)
        return s
    }

    @Test func fitShowsTheFeaturesItChoseAndWhy() throws {
        let s = try session()
        #expect(s.run("m = fit logreg on train features=auto") == .ok)
        let text = s.output.last!
        #expect(text.contains("logreg model trained on train"))
        #expect(text.contains("x          numeric  "))
        #expect(text.contains("code_type  onehot"))
        #expect(text.contains("an id with 30 values"))
        #expect(text.contains("city       onehot"))
        #expect(text.contains("scores             probability"))
    }

    @Test func predictAndEvaluateTakeAnyFrameWithTheColumns() throws {
        let s = try session()
        #expect(s.run("m = fit gbt on train features=[x, code_type, target(user_id)] trees=20\np = predict m on test as=\"q\"") == .ok)
        let p = try #require(s["p"]?.frame)
        let q = try #require(p["q"]?.doubleValues())
        #expect(q.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(s.run("evaluate m on test") == .ok)
        let blocks = s.results.last!.blocks
        #expect(blocks.count == 2, "metrics and the confusion matrix")
        guard case .table(let confusion) = blocks[1] else { Issue.record("no confusion table"); return }
        #expect(confusion.title == "confusion matrix at threshold 0.5")
        // Everything predicted 1 at threshold 0: no row in the first column.
        #expect(s.run("evaluate m on test threshold=0") == .ok)
        guard case .table(let all) = s.results.last!.blocks[1] else { Issue.record("no confusion table"); return }
        #expect(all.rows.map { $0[1] } == [.int(0), .int(0)])
    }

    @Test func compareAndRocOverlayTakeSeveralClassifiers() throws {
        let s = try session()
        #expect(s.run("a = fit logreg on train features=[x, code_type]\nb = fit forest on train features=[x, code_type] trees=10\ncompare [a, b] on test") == .ok)
        #expect(s.lastTable?.columns.map(\.name) == ["model", "kind", "auc", "logloss", "accuracy", "f1", "fit time", "predict time"])
        #expect(s.run("plot roc [a, b] on test") == .ok)
        guard case .chart(let chart) = s.results.last!.blocks[0], case .lines(let series) = chart.mark else {
            Issue.record("no line chart"); return
        }
        #expect(series.count == 2)
        #expect(series[0].name.hasPrefix("a (logreg, AUC "))
    }

    @Test func refusalsAreLocated() throws {
        let s = try session()
        #expect(s.run("m = fit logreg on train") == .scriptError)
        #expect(s.diagnostics.last == "1:5: 'fit' needs 'features'")
        #expect(s.run("m = fit logreg on train features=[x, nothing]") == .runtimeError)
        #expect(s.diagnostics.last?.hasPrefix("1:38: column 'nothing' not found") == true)
        #expect(s.run("m = fit logreg on train features=[numeric(city)]") == .runtimeError)
        #expect(s.diagnostics.last == "1:25: the column 'city' must be numeric, but it is string")
        #expect(s.run("m = fit logreg on train features=[y]") == .runtimeError)
        #expect(s.diagnostics.last == "1:25: features includes the target 'y': a model would learn the answer")
        #expect(s.run("m = fit logreg on train features=[x] target=code_type") == .runtimeError)
        #expect(s.diagnostics.last?.contains("must hold 0 or 1 in every row") == true)
        #expect(s.run("ones = filter train where y == 1\nm = fit logreg on ones features=[x]") == .runtimeError)
        #expect(s.diagnostics.last == "2:16: target 'y' is 1 in every row of ones; a classifier needs both classes")
    }

    @Test func aMissingValueInAFeatureIsCounted() throws {
        let s = Session()
        s.set("f", try DataFrame([.doubles("x", [1, .nan, 3, 4]), .integers("y", [0, 1, 0, 1])]))
        #expect(s.run("m = fit logreg on f features=[x] target=y") == .runtimeError)
        #expect(s.diagnostics.last == "1:21: the column 'x' has 1 missing or infinite value; filter those rows out first")
    }

    @Test func tuneRanksAGridAndReturnsTheBestRefitted() throws {
        let s = try session()
        #expect(s.run("m = tune logreg on train features=[x, code_type] space={C: [0.001, 1], penalty: [l1, l2]} folds=3 seed=5") == .ok)
        let table = try #require(s.results.last?.blocks.first.flatMap { if case .table(let t) = $0 { t } else { nil } })
        #expect(table.rows.count == 4)
        #expect(table.columns.map(\.name) == ["rank", "trial", "C", "penalty", "auc mean", "std", "time, all folds"])
        #expect(s.run("t = m.trials") == .ok)
        let trials = try #require(s["t"]?.frame)
        #expect(trials.rowCount == 4)
        let means = try #require(trials["mean"]?.doubleValues())
        #expect(means == means.sorted(by: >), "ranked best first")
        // The same seed gives the same trials.
        #expect(s.run("n = tune logreg on train features=[x, code_type] space={C: [0.001, 1], penalty: [l1, l2]} folds=3 seed=5\nu = n.trials") == .ok)
        #expect(s["u"]?.frame?["mean"]?.doubleValues() == means)
    }

    @Test func halvingGrowsTheKindsBudget() throws {
        let s = try session()
        #expect(s.run("m = tune gbt on train features=[x, code_type] space={lr: [0.05, 0.1, 0.2], leaves: [4, 8, 16]} search=halving budget=[5, 45] folds=3") == .ok)
        let trials = try #require(s.run("t = m.trials") == .ok ? s["t"]?.frame : nil)
        let budgets = try #require(trials["budget"]?.int64Values())
        #expect(budgets.first == 45, "the best comes from the last round")
        #expect(Set(budgets) == [5, 15, 45])
        #expect(s.run("m.trees") == .ok)
        #expect(s.output.last == "45\n")
    }

    /// Hyperband over training rows (logreg has no budget hyperparameter), written to a
    /// journal; running the same tune again replays every trial, a journal cut short replays
    /// what it holds, and another metric is refused at journal=.
    @Test func hyperbandWithAJournalThatResumes() throws {
        let s = try session()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tune-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = "m = tune logreg on train features=[x, code_type] space={C: log(0.001, 10)} search=hyperband budget=[30, 270] folds=3 journal=\"\(path)\""
        func trials() throws -> DataFrame { try #require(s.run("t = m.trials") == .ok ? s["t"]?.frame : nil) }
        func table() throws -> Table { try #require(s.results.last?.blocks.first.flatMap { if case .table(let t) = $0 { t } else { nil } }) }
        #expect(s.run(command) == .ok)
        #expect(try table().columns.map(\.name) == ["rank", "trial", "C", "budget", "bracket", "auc mean", "std", "time, all folds"])
        let first = try trials()
        // Brackets s = 2, 1, 0 over 30..270: 9 + 3 + 1, 5 + 1, 3 evaluations; the best reached 270 rows.
        #expect(first.rowCount == 22)
        #expect(try #require(first["bracket"]?.int64Values()).reduce(into: [Int64: Int]()) { $0[$1, default: 0] += 1 } == [2: 13, 1: 6, 0: 3])
        #expect(first["budget"]?.int64Values()?.first == 270)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 23 && lines[0].contains(#"["command","tune logreg"]"#) && lines[0].contains(#""strategy":"hyperband""#))

        #expect(s.run(command) == .ok)
        #expect(try table().notes.contains("22 trials replayed from the journal \(path)"))
        let again = try trials()
        #expect(again["C"]?.doubleValues() == first["C"]?.doubleValues() && again["mean"]?.doubleValues() == first["mean"]?.doubleValues())
        #expect(again["seconds"]?.doubleValues() == first["seconds"]?.doubleValues(), "replayed trials keep their recorded times")

        // As if killed after trial 10: the rest is evaluated again, to the same ranking.
        try (lines.prefix(11).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(s.run(command) == .ok)
        #expect(try table().notes.contains("10 trials replayed from the journal \(path)"))
        let resumed = try trials()
        #expect(resumed["trial"]?.int64Values() == first["trial"]?.int64Values() && resumed["mean"]?.doubleValues() == first["mean"]?.doubleValues())

        let other = command.replacingOccurrences(of: "folds=3", with: "folds=3 metric=logloss")
        #expect(s.run(other) == .runtimeError)
        let column = other.distance(from: other.startIndex, to: other.range(of: "journal=")!.lowerBound) + 1
        #expect(s.diagnostics.last == "1:\(column): journal \(path) records another search: metric is auc there, logloss here; give another journal path, or delete the file to start afresh")
    }

    @Test func tuneRefusals() throws {
        let s = try session()
        #expect(s.run("m = tune logreg on train features=[x] space={C: [1, 2]} C=3") == .runtimeError)
        #expect(s.diagnostics.last == "1:57: C is both searched (in space=) and fixed (C=); keep one")
        #expect(s.run("m = tune logreg on train features=[x] space={depth: [1, 2]}") == .runtimeError)
        #expect(s.diagnostics.last?.hasPrefix("1:46: depth is not a hyperparameter of this model") == true)
        #expect(s.run("m = tune gbt on train features=[x] space={trees: [5, 10]} search=halving") == .runtimeError)
        #expect(s.diagnostics.last?.contains("trees is the budget that halving grows") == true)
        #expect(s.run("m = tune logreg on train features=[x] space={C: log(0.1, 1)} search=grid") == .runtimeError)
        #expect(s.run("m = tune gbt on train features=[x] space={trees: [5, 10]} search=hyperband") == .runtimeError)
        #expect(s.diagnostics.last?.contains("trees is the budget that hyperband grows") == true)
        #expect(s.run("m = tune logreg on train features=[x] space={C: [1, 2]} budget=[1, 9]") == .runtimeError)
        #expect(s.diagnostics.last == "1:57: budget= applies to search=halving and search=hyperband")
        #expect(s.run("m = tune logreg on train features=[x] space={C: [1]} folds=100 groups=user_id") == .runtimeError)
    }
}
