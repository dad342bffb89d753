import Foundation
import Testing
import Frame
import Interpreter

/// 14 users × 12 items, about two thirds of the pairs, with a 0/1 label that depends on both
/// the user and the item, so biases carry signal and the AUC is well above one half.
func listens() throws -> DataFrame {
    var users: [Int64] = [], items: [Int64] = [], labels: [Double] = [], hours: [Int64] = []
    for u in Int64(1)...14 {
        for i in Int64(101)...112 where (u * 7 + i) % 3 != 0 {
            users.append(u * 10)
            items.append(i)
            labels.append((u % 4) + (i % 5) + (u * i) % 2 >= 4 ? 1 : 0)
            hours.append((u + i) % 24)
        }
    }
    return try DataFrame([.integers("user_id", users), .integers("media_id", items),
                          .integers("is_listened", labels.map { Int64($0) }), .integers("hour", hours)])
}

/// The baseline written out plainly from its definition (μ + b_u + b_i by alternating exact
/// updates), to check the numbers `fit`, `evaluate` and `recommend` report.
struct Oracle {
    var mu = 0.0
    var user: [Int64: Double] = [:]
    var item: [Int64: Double] = [:]

    init(users: [Int64], items: [Int64], labels: [Double], regUser: Double = 15, regItem: Double = 10, epochs: Int = 10) {
        mu = labels.reduce(0, +) / Double(labels.count)
        for u in users { user[u] = 0 }
        for i in items { item[i] = 0 }
        for _ in 0..<epochs {
            var sum: [Int64: Double] = [:], count: [Int64: Double] = [:]
            for k in labels.indices {
                sum[items[k], default: 0] += labels[k] - mu - user[users[k]]!
                count[items[k], default: 0] += 1
            }
            for i in item.keys { item[i] = sum[i]! / (regItem + count[i]!) }
            sum = [:]
            count = [:]
            for k in labels.indices {
                sum[users[k], default: 0] += labels[k] - mu - item[items[k]]!
                count[users[k], default: 0] += 1
            }
            for u in user.keys { user[u] = sum[u]! / (regUser + count[u]!) }
        }
    }

    init(_ frame: DataFrame) {
        self.init(users: frame.doubles("user_id").map { Int64($0) }, items: frame.doubles("media_id").map { Int64($0) },
                  labels: frame.doubles("is_listened"))
    }

    func score(_ u: Int64, _ i: Int64) -> Double { mu + (user[u] ?? 0) + (item[i] ?? 0) }
}

/// AUC by its definition: the share of (positive, negative) pairs ranked right, ties half.
func pairAUC(_ scores: [Double], _ labels: [Double]) -> Double {
    var pairs = 0.0, wins = 0.0
    for p in scores.indices where labels[p] > 0.5 {
        for n in scores.indices where labels[n] <= 0.5 {
            pairs += 1
            wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0
        }
    }
    return wins / pairs
}

@Suite struct ModelCommandTests {
    func session() throws -> Session {
        let s = Session()
        s.set("listens", try listens())
        #expect(s.run("schema listens user=user_id item=media_id label=is_listened") == .ok)
        return s
    }

    @Test func splitDividesTheRowsAndKeepsTheSchema() throws {
        let s = try session()
        #expect(s.run("train, test = split listens ratio=0.75 seed=7") == .ok)
        let train = try #require(s["train"]?.frame), test = try #require(s["test"]?.frame)
        let all = try listens()
        #expect(train.rowCount + test.rowCount == all.rowCount)
        #expect(train.rowCount == Int((0.75 * Double(all.rowCount)).rounded()))
        #expect(train.schema == s["listens"]?.frame?.schema)
        #expect(test.schema == train.schema)
        #expect(s.output.last == """
            train: \(train.rowCount) rows, test: \(test.rowCount) rows (by row, ratio 0.75, seed 7)
            test rows whose user has no training row: 0 (0.0%); whose item has none: 0 (0.0%)

            """)
        // Rows are kept whole: every (user, item) pair of the frame appears exactly once.
        func pairs(_ f: DataFrame) -> [String] {
            zip(f.doubles("user_id"), f.doubles("media_id")).map { "\($0)-\($1)" }
        }
        #expect((pairs(train) + pairs(test)).sorted() == pairs(all).sorted())
    }

    @Test func theSameSeedGivesTheSameSplit() throws {
        let s = try session()
        s.run("a, b = split listens seed=3\nc, d = split listens seed=3\ne, g = split listens seed=4")
        #expect(s["a"]?.frame?.doubles("user_id") == s["c"]?.frame?.doubles("user_id"))
        #expect(s["a"]?.frame?.doubles("media_id") == s["c"]?.frame?.doubles("media_id"))
        #expect(s["a"]?.frame?.doubles("media_id") != s["e"]?.frame?.doubles("media_id"))
        // The default ratio is 0.8.
        #expect(s["a"]?.frame?.rowCount == Int((0.8 * Double(try listens().rowCount)).rounded()))
    }

    @Test func splitErrors() throws {
        let s = try session()
        #expect(s.run("a, b = split listens ratio=1") == .runtimeError)
        #expect(s.diagnostics == ["1:22: ratio must be between 0 and 1 (exclusive), e.g. 0.8"])
        let t = Session()
        t.set("one", try DataFrame([.integers("x", [1])]))
        #expect(t.run("a, b = split one") == .runtimeError)
        #expect(t.diagnostics == ["1:14: frame has 1 row; a split needs at least 2"])
    }

    @Test func fitEvaluateMatchTheDefinitions() throws {
        let s = try session()
        #expect(s.run("""
            train, test = split listens ratio=0.75 seed=7
            m = fit baseline on train
            r = evaluate m on test
            evaluate m on test
            """) == .ok)
        let train = try #require(s["train"]?.frame), test = try #require(s["test"]?.frame)
        let oracle = Oracle(train)
        let scores = zip(test.doubles("user_id"), test.doubles("media_id")).map { oracle.score(Int64($0), Int64($1)) }
        let labels = test.doubles("is_listened")
        let r = try #require(s["r"]?.frame)
        // A probability model that ranks items: the pointwise metrics, then ranking at k = 10.
        #expect(r.cells("metric") == ["auc", "accuracy", "rmse", "logloss", "precision@10", "recall@10", "ndcg@10", "map@10",
                                      "mrr@10", "hit_rate@10", "coverage", "popularity"].map(Cell.string))
        let values = r.doubles("value")
        let auc = pairAUC(scores, labels)
        #expect(auc > 0.6)
        #expect(abs(values[0] - auc) < 1e-12)
        let accuracy = Double(zip(scores, labels).filter { ($0 >= 0.5) == ($1 > 0.5) }.count) / Double(labels.count)
        #expect(abs(values[1] - accuracy) < 1e-12)
        let rmse = (zip(scores, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(labels.count)).squareRoot()
        #expect(abs(values[2] - rmse) < 1e-12)
        let logloss = -zip(scores, labels).reduce(0) { total, pair in
            let p = min(max(pair.0, 1e-15), 1 - 1e-15)
            return total + pair.1 * log(p) + (1 - pair.1) * log(1 - p)
        } / Double(labels.count)
        #expect(abs(values[3] - logloss) < 1e-12)
        let table = try #require(s.lastTable)
        #expect(table.title == "baseline model on test: \(test.rowCount) rows")
    }

    @Test func fitShowsItsSummaryAndHyperparametersMatter() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens reg_user=2 reg_item=3 epochs=4") == .ok)
        let summary = try #require(s.lastValues)
        let values = Dictionary(uniqueKeysWithValues: summary)
        #expect(values["reg_user"] == .double(2) && values["reg_item"] == .double(3) && values["epochs"] == .int(4))
        #expect(values["training rows"] == .int(Int64(try listens().rowCount)))
        #expect(values["users"] == .int(14) && values["items"] == .int(12))
        let all = try listens()
        let oracle = Oracle(users: all.doubles("user_id").map { Int64($0) }, items: all.doubles("media_id").map { Int64($0) },
                            labels: all.doubles("is_listened"), regUser: 2, regItem: 3, epochs: 4)
        guard case .double(let mu)? = values["global mean"] else { Issue.record("no mean"); return }
        #expect(abs(mu - oracle.mu) < 1e-12)
        guard case .model(let m)? = s["m"] else { Issue.record("no model"); return }
        #expect(m.trainedOn == "listens")
        #expect(m.schema == s["listens"]?.frame?.schema)
    }

    @Test func evaluateNotesUnseenUsersAndItems() throws {
        let s = try session()
        var other = try DataFrame([.integers("user_id", [10, 999, 20]), .integers("media_id", [101, 102, 555]),
                                   .integers("is_listened", [1, 0, 1])])
        // No schema of its own: it borrows the training frame's roles.
        other.schema = Schema()
        s.set("other", other)
        #expect(s.run("m = fit baseline on listens\nevaluate m on other metrics=[rmse]") == .ok)
        let t = try #require(s.lastTable)
        #expect(t.rows.map { $0[0] } == [.string("rmse")])
        #expect(t.notes == ["1 row has a user and 1 an item not seen in training; they are scored with what the model knows"])
    }

    @Test func recommendRanksUnseenItemsByScore() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens\nr = recommend m user=30 top=3\nrecommend m user=30 top=3") == .ok)
        let all = try listens()
        let oracle = Oracle(all)
        let seen = Set(zip(all.doubles("user_id"), all.doubles("media_id")).filter { $0.0 == 30 }.map { Int64($0.1) })
        let expected = (Int64(101)...112).filter { !seen.contains($0) }
            .sorted { (oracle.score(30, $0), -$0) > (oracle.score(30, $1), -$1) }.prefix(3)
        let r = try #require(s["r"]?.frame)
        #expect(r.cells("rank") == [1, 2, 3].map { Cell.int($0) })
        #expect(r.doubles("media_id").map { Int64($0) } == Array(expected))
        for (got, item) in zip(r.doubles("score"), expected) { #expect(abs(got - oracle.score(30, item)) < 1e-12) }
        let table = try #require(s.lastTable)
        #expect(table.title == "top 3 for user 30 by baseline model, unseen items only")
        #expect(table.columns.map(\.name) == ["rank", "media_id", "score"])
        #expect(table.notes == ["user 30 has \(seen.count) distinct items in the training data"])
    }

    @Test func recommendCanIncludeSeenItems() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens\nr = recommend m user=30 top=100 exclude_seen=false") == .ok)
        let r = try #require(s["r"]?.frame)
        #expect(r.rowCount == 12)
        #expect(r.columnNames == ["rank", "media_id", "score", "seen"])
        let scores = r.doubles("score")
        #expect(scores == scores.sorted(by: >))
        #expect(r.cells("seen").filter { $0 == .bool(true) }.count == 8)
    }

    @Test func recommendForAnUnknownUser() throws {
        let s = try session()
        #expect(s.run("m = fit baseline on listens\nprint \"before\"\nrecommend m user=999 top=5\nprint \"after\"") == .runtimeError)
        #expect(s.output.last == "before\n")
        #expect(s.diagnostics == ["3:13: user 999 is not in the training data, so the model has nothing to go on; pick a user who appears in the training frame, or add fallback=popular"])
        #expect(s.notes == [["the model knows 14 users, ids 10 to 140"]])
    }

    @Test func fitNeedsTheRoles() throws {
        let s = Session()
        s.set("raw", try listens())
        #expect(s.run("m = fit baseline on raw") == .runtimeError)
        #expect(s.diagnostics == ["1:18: raw has no user column declared"])
        #expect(s.notes == [["declare the roles once, before splitting: schema <frame> user=user_id item=media_id label=is_listened"]])
    }

    @Test func modelArgumentsMustBeModels() throws {
        let s = try session()
        #expect(s.run("evaluate listens on listens") == .runtimeError)
        #expect(s.diagnostics == ["1:10: expected a model for 'model', but 'listens' is a frame"])
    }
}
