import Foundation
import Testing
import Frame
import Interpreter
import Learn

/// The recommender commands as a user meets them: forms of fit checked before running, metrics
/// refused with reasons, comparisons, segments, pivots, recommendations of every kind.
@Suite struct RecommenderCommandTests {
    func session() throws -> Session {
        let s = Session()
        s.set("listens", try listens())
        #expect(s.run("schema listens user=user_id item=media_id label=is_listened time=hour") == .ok)
        return s
    }

    // MARK: - Forms of fit

    @Test func anOptionOfAnotherKindIsAScriptErrorNamingTheKindsOptions() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens k=5") == .scriptError)
        #expect(s.diagnostics == ["1:24: 'k' is not an option of 'fit als'"])
        let als = try #require(ModelCatalogue.spec(named: "als"))
        #expect(s.notes == [["it belongs to fit svd, fit itemknn, fit knn",
                             "options of fit als: preference, weight, " + als.hyperparameters.map(\.name).joined(separator: ", ")]])
    }

    @Test func aMisspeltOptionIsSuggested() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factor=5") == .scriptError)
        #expect(s.diagnostics == ["1:24: unknown option 'factor' for 'fit als'; did you mean 'factors'?"])
    }

    @Test func rangesAreCheckedBeforeRunningAndOpenBoundsWhileRunning() throws {
        let s = try session()
        let before = s.output.count
        #expect(s.run("print \"first\"\nm = fit als on listens factors=0") == .scriptError)
        #expect(s.diagnostics == ["2:32: factors must be at least 1, not 0"])
        #expect(s.output.count == before, "nothing ran")
        let t = try session()
        #expect(t.run("m = fit als on listens reg=0") == .runtimeError)
        #expect(t.diagnostics == ["1:24: reg must be greater than 0, not 0"])
    }

    @Test func aKindThatLearnsRowsNeedsATarget() throws {
        let s = Session()
        s.set("raw", try listens())
        #expect(s.run("schema raw user=user_id item=media_id\nm = fit mf on raw") == .runtimeError)
        #expect(s.diagnostics == ["2:12: fit mf learns each row's target, but raw has no label or rating column declared"])
        // A kind that counts plays does without.
        #expect(s.run("p = fit popular on raw") == .ok)
    }

    @Test func svdRefusesMoreFactorsThanTheMatrixHas() throws {
        let s = try session()
        #expect(s.run("m = fit svd on listens k=12") == .runtimeError)
        #expect(s.diagnostics == ["1:24: k must be below the smaller side of the 14 x 12 matrix (at most 11), not 12"])
    }

    @Test func helpExplainsEachFormAndTheIndexListsThem() throws {
        let s = Session()
        #expect(s.run("help fit als") == .ok)
        let spec = try #require(CommandRegistry.standard["fit"])
        let als = try #require(spec.variant("als"))
        #expect(s.output == [HelpText.text(spec, variant: als)])
        #expect(s.output[0].hasPrefix("usage: fit als on <frame> [preference=listens|count|label|share|weight] [weight=column] [factors=n] [reg=x] [alpha=x]"))
        #expect(s.output[0].contains("\n  factors=n "))
        #expect(s.output[0].contains("(default: 64)"))
        let t = Session()
        #expect(t.run("help fit") == .ok)
        for kind in ModelCatalogue.names { #expect(t.output[0].contains("\n  \(kind) ")) }
        let u = Session()
        #expect(u.run("help fit alss") == .runtimeError)
        #expect(u.diagnostics == ["1:10: 'fit' has no form 'alss'; did you mean 'als'?"])
        let v = Session()
        #expect(v.run("help metrics") == .ok)
        #expect(v.output == [HelpText.metrics + "\n"])
    }

    @Test func completionOffersTheChosenKindsOptions() throws {
        let s = try session()
        let completer = Completer(interpreter: s.interpreter)
        let kinds = completer.complete(line: "m = fit ", cursor: 8).candidates
        for kind in ModelCatalogue.names { #expect(kinds.contains(kind)) }
        let options = completer.complete(line: "m = fit als on listens ", cursor: 23).candidates
        #expect(options.contains("factors=") && options.contains("alpha=") && !options.contains("k="))
        let svd = completer.complete(line: "m = fit svd on listens ", cursor: 23).candidates
        #expect(svd.contains("k=") && !svd.contains("factors="))
        #expect(completer.complete(line: "m = fit als on listens solver=", cursor: 30).candidates == ["cg", "cholesky"])
        #expect(completer.complete(line: "help fit ", cursor: 9).candidates == ModelCatalogue.names.sorted())
    }

    @Test func theFitSummaryListsEveryHyperparameterAndWhatTheScoresMean() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factors=4 iterations=3") == .ok)
        let summary = try #require(s.lastValues)
        let als = try #require(ModelCatalogue.spec(named: "als"))
        #expect(Array(summary.map(\.0)[1...als.hyperparameters.count]) == als.hyperparameters.map(\.name))
        #expect(summary.first { $0.0 == "factors" }?.1 == .int(4))
        #expect(summary.last?.0 == "scores" && summary.last?.1 == .string("ranking"))
    }

    // MARK: - Evaluation

    @Test func aMetricThatNeedsProbabilitiesIsRefusedForRankingScores() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factors=4\nevaluate m on listens metrics=[auc, logloss]") == .runtimeError)
        #expect(s.diagnostics == ["2:23: logloss does not apply to the als model: it needs probabilities, and the model's scores are a ranking score (only the order of scores means something)"])
    }

    @Test func evaluateBySegmentGivesOneRowPerValue() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens\nr = evaluate m on listens by hour metrics=[auc, ndcg]") == .ok)
        let r = try #require(s["r"]?.frame)
        let hours = Set(try listens().doubles("hour"))
        #expect(r.rowCount == hours.count)
        #expect(r.columnNames == ["hour", "rows", "users", "auc", "ndcg@10"])
        #expect(r.doubles("rows").reduce(0, +) == Double(try listens().rowCount))
        #expect(s.run("pairs = derive listens pair = user_id * 1000 + media_id\nevaluate m on pairs by pair") == .runtimeError)
        #expect(s.diagnostics.last == "2:24: 'pair' has more than 50 distinct values; evaluate by a column with fewer, or by activity")
    }

    @Test func compareRanksModelsByTheFirstMetric() throws {
        let s = try session()
        #expect(s.run("""
            train, test = split listens by user ratio=0.75 seed=3
            pop = fit popular on train
            b = fit baseline on train
            mf = fit mf on train factors=4 epochs=5
            r = compare [pop, b, mf] on test metrics=[auc, ndcg]
            compare [pop, b, mf] on test metrics=[auc, ndcg]
            """) == .ok)
        let r = try #require(s["r"]?.frame)
        #expect(r.columnNames == ["model", "kind", "auc", "ndcg@10", "fit time", "predict time"])
        let auc = r.doubles("auc")
        #expect(auc == auc.sorted(by: >))
        #expect(Set(r.cells("model")) == Set(["pop", "b", "mf"].map(Cell.string)))
        let table = try #require(s.lastTable)
        #expect(table.columns.last?.style == .seconds)
        #expect(table.title == "3 models on test, best auc first")
        // Each row equals what evaluate reports for that model.
        for (name, value) in zip(r.cells("model"), auc) {
            guard case .string(let n) = name else { continue }
            #expect(s.run("e = evaluate \(n) on test metrics=[auc]") == .ok)
            #expect(s["e"]?.frame?.doubles("value") == [value])
        }
        #expect(s.run("compare [b] on test metrics=[auc]") == .ok)
        #expect(s.lastTable?.title == "1 model on test, best auc first")
    }

    @Test func predictAddsTheScoresEvaluateJudges() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens\np = predict m on listens as=\"b\"\ne = evaluate m on listens metrics=[rmse]") == .ok)
        let p = try #require(s["p"]?.frame)
        let rows = try listens().rowCount
        #expect(p.columnNames.last == "b" && p.rowCount == rows)
        let labels = p.doubles("is_listened"), scores = p.doubles("b")
        let rmse = (zip(scores, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(labels.count)).squareRoot()
        #expect(abs((s["e"]?.frame?.doubles("value").first ?? 0) - rmse) < 1e-12)
        #expect(s.run("q = predict m on listens as=\"user_id\"") == .ok, "replacing a column is allowed")
    }

    // MARK: - Splits

    @Test func splitsByUserAndByTimeReportWhatLeaks() throws {
        let s = try session()
        #expect(s.run("a, b = split listens by user ratio=0.75") == .ok)
        #expect(s.output.last?.hasPrefix("train: ") == true)
        #expect(s.output.last?.contains("test rows whose user has no training row: 0 (0.0%)") == true)
        #expect(s.run("c, d = split listens by time ratio=0.5") == .ok)
        #expect(s.output.last?.contains("training rows later than the first test row (time ") == true)
        let t = Session()
        t.set("raw", try listens())
        #expect(t.run("schema raw user=user_id item=media_id\na, b = split raw by time") == .runtimeError)
        #expect(t.diagnostics == ["2:18: split by time needs a time column"])
    }

    // MARK: - Pivot

    @Test func pivotStoresTheNonzeroPairsAndRefusesAnImpossibleDenseOne() throws {
        let s = try session()
        #expect(s.run("p = pivot listens agg=sum") == .ok)
        guard case .matrix(let p)? = s["p"] else { Issue.record("no matrix"); return }
        let all = try listens()
        let positives = Set(zip(zip(all.doubles("user_id"), all.doubles("media_id")), all.doubles("is_listened"))
            .filter { $0.1 > 0 }.map { "\($0.0.0)-\($0.0.1)" })
        #expect(p.matrix.nonZeros == positives.count)
        #expect(p.matrix.rows == 14 && p.matrix.columns == 12)
        #expect(s.run("d = pivot listens agg=count dense=true") == .ok)
        #expect(s["d"]?.frame?.columnCount == 13)
        let t = Session()
        let ids = (0..<5_000).map { Int64($0) }
        t.set("wide", try DataFrame([.integers("u", ids), .integers("i", ids), .integers("y", ids.map { _ in 1 })]))
        #expect(t.run("schema wide user=u item=i label=y\np = pivot wide dense=true") == .runtimeError)
        #expect(t.diagnostics.first?.hasPrefix("2:16: a dense pivot of 5,000 users × 5,000 items would hold 25,000,000 cells") == true)
    }

    // MARK: - Recommending

    @Test func everyUsersListGoesToAFile() throws {
        let s = try session()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("recs-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(s.run("m = fit als on listens factors=4\nr = recommend m users=all top=3 to \"\(path)\"") == .ok)
        let r = try #require(s["r"]?.frame)
        #expect(r.columnNames == ["user_id", "rank", "media_id", "score"])
        #expect(r.rowCount == 14 * 3)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("user_id,rank,media_id,score\n"))
        #expect(text.split(separator: "\n").count == 14 * 3 + 1)
        // The first user's list is what recommend gives for that user alone.
        #expect(s.run("one = recommend m user=10 top=3") == .ok)
        #expect(s["one"]?.frame?.doubles("media_id") == Array(r.doubles("media_id").prefix(3)))
    }

    @Test func aNewUserIsFoldedInAndTheirHistoryLeftOut() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factors=4\nr = recommend m history=[101, 102] top=5") == .ok)
        let items = try #require(s["r"]?.frame).doubles("media_id")
        #expect(items.count == 5 && !items.contains(101) && !items.contains(102))
        #expect(s.run("b = fit baseline on listens\nrecommend b history=[101]") == .runtimeError)
        #expect(s.diagnostics.last == "2:13: a baseline model cannot take a new user's history; fold-in works with svd, mf, als and itemknn")
        #expect(s.run("recommend m history=[101, 99999]") == .runtimeError)
        #expect(s.diagnostics.last == "1:13: item 99999 is not in the training data")
    }

    @Test func anUnknownUserCanFallBackToThePopularItems() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factors=4\nr = recommend m user=999 top=3 fallback=popular") == .ok)
        let r = try #require(s["r"]?.frame)
        let all = try listens()
        var plays: [Int64: Int] = [:]
        for i in all.doubles("media_id") { plays[Int64(i), default: 0] += 1 }
        let expected = plays.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(3).map { Double($0.key) }
        #expect(r.doubles("media_id") == expected)
    }

    @Test func similarAndExplainSayWhichKindsCan() throws {
        let s = try session()
        #expect(s.run("m = fit als on listens factors=4\nr = similar m item=101 top=4") == .ok)
        let r = try #require(s["r"]?.frame)
        #expect(r.rowCount == 4 && !r.doubles("media_id").contains(101))
        let sims = r.doubles("similarity")
        #expect(sims == sims.sorted(by: >) && sims.allSatisfy { $0 <= 1 + 1e-6 })
        #expect(s.run("e = explain m user=10 item=103 top=100") == .ok)
        let e = try #require(s["e"]?.frame)
        let shares = e.doubles("share")
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        #expect(s.run("b = fit baseline on listens\nsimilar b item=101") == .runtimeError)
        #expect(s.diagnostics.last == "2:9: a baseline model has no notion of similar items; use svd, mf, als or itemknn")
        #expect(s.run("explain b user=10 item=101") == .runtimeError)
        #expect(s.diagnostics.last == "1:9: a baseline model cannot explain its scores; explain works with als and itemknn")
    }
}
