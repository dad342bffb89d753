// Evaluation: what `evaluate` and `compare` compute for one model on one test frame. The test
// frame's ids are mapped through the model once; pointwise metrics compare each row's score
// with its truth (the model's target column: the rating it learned, else the label); ranking
// metrics rank every item for each test user with a relevant row (Learn's RankingMetrics).
// A metric that does not fit what the model's scores mean is refused with the reason.

import Dispatch
import Frame
import Learn
import RecScript

/// Metric values of a model on a test frame, overall or per segment.
struct Evaluation {
    /// One group of test rows and its metric values (nil: undefined there, with a reason).
    struct Group {
        var label: String
        var rows: Int
        var users: Int
        var values: [Metric: Double]
        var undefined: [Metric: String]
        var ranking: RankingSummary?
    }

    var groups: [Group]
    /// Test rows whose user, or item, the model never saw.
    var unknownUserRows: Int
    var unknownItemRows: Int
    /// The truth column and the relevance rule, for notes.
    var truth: String
    /// Rows by truth and prediction at `threshold`, for models whose scores are probabilities
    /// when a threshold metric was asked for (overall only).
    var confusion: ConfusionMatrix? = nil
    var threshold: Double = Metrics.threshold
    /// Seconds spent scoring the test rows.
    var predictSeconds: Double = 0
    var relevance: String

    /// Segments at most: more would not read as a table.
    static let maxSegments = 50

    /// The metrics `evaluate` reports when none are named, for a model's kind of score.
    static func defaultMetrics(for model: any Model) -> [Metric] {
        var metrics: [Metric]
        switch model.scoreKind {
        case .probability where model is any FeatureModel: metrics = [.auc, .logloss, .accuracy, .precision, .recall, .f1]
        case .probability: metrics = [.auc, .accuracy, .rmse, .logloss]
        case .rating: metrics = [.rmse, .mae, .auc]
        case .ranking: metrics = [.auc]
        }
        if let r = model as? any Recommender {
            // A neural model scores every item for a user through its network: ranking metrics
            // by default only while that stays under about a minute (ask for them by name).
            if let n = r as? NeuralRecommender, n.rankingWork > NeuralRecommender.affordableRankingWork { return metrics }
            metrics += [.precisionAtK, .recallAtK, .ndcg, .map, .mrr, .hitRate, .coverage, .popularity]
        }
        return metrics
    }

    /// Checks that every metric applies to the model; the error names the first that does not.
    static func check(_ metrics: [Metric], for m: ModelValue, at range: SourceRange) throws(RuntimeError) {
        for metric in metrics {
            if metric.isRanking && !(m.model is any Recommender) {
                throw RuntimeError("\(metric.rawValue) ranks items per user, which a \(m.model.kind) model cannot do", at: range)
            }
            if let reason = metric.unsuitability(for: m.model.scoreKind) {
                throw RuntimeError("\(metric.rawValue) does not apply to the \(m.model.kind) model: \(reason)", at: range,
                                   notes: ["metrics for it: \(Metric.allCases.filter { $0.unsuitability(for: m.model.scoreKind) == nil && (!$0.isRanking || m.model is any Recommender) }.map(\.rawValue).joined(separator: ", "))"])
            }
        }
    }

    /// The test frame with any roles it lacks borrowed from the model's training frame.
    static func withRoles(_ frame: DataFrame, from m: ModelValue) -> DataFrame {
        var out = frame
        for role in Role.allCases where out.schema[role] == nil {
            if let c = m.schema[role], out.index(of: c) != nil { out.schema[role] = c }
        }
        return out
    }

    /// Evaluates `m` on `frame` (whose roles are declared or borrowed).
    static func run(_ m: ModelValue, on frame: DataFrame, metrics: [Metric], k: Int, relevantThreshold: Double?,
                    excludeSeen: Bool, segments: Segmentation?, threshold cut: Double = Metrics.threshold,
                    inv: Invocation, at argument: String) throws(RuntimeError) -> Evaluation {
        let truthRole: Role = m.schema[.rating] != nil && frame.schema[.rating] != nil ? .rating : .label
        guard let truthName = frame.schema[truthRole] else {
            throw RuntimeError("the test frame has no \(truthRole.rawValue) column declared", at: inv.range(of: argument),
                               notes: ["declare the roles once, before splitting: schema <frame> user=user_id item=media_id label=is_listened"])
        }
        guard let truthColumn = frame[truthName] else {
            throw Interpreter.unknownColumn(truthName, in: frame, at: inv.range(of: argument))
        }
        guard let truth = truthColumn.doubleValues() else {
            throw RuntimeError("the \(truthRole.rawValue) column '\(truthName)' must be numeric", at: inv.range(of: argument))
        }
        let threshold = relevantThreshold ?? (truthRole == .rating ? 4 : 0.5)
        let relevant = truth.map { truthRole == .rating ? $0 >= threshold : $0 > threshold }
        var scores: [Double]
        var mapped: ScoringData?
        var rawUsers: [Int64] = [], rawItems: [Int64] = []
        let scoringStarted = DispatchTime.now().uptimeNanoseconds
        do throws(LearnError) {
            if let r = m.model as? any Recommender {
                let data = try ScoringData(frame, users: r.index.users, items: r.index.items)
                // The model's own frame scoring: a neural model reads its side features there
                // and scores in batches.
                scores = try r.predict(frame)
                mapped = data
                rawUsers = frame[frame.schema[.user]!]!.int64Values() ?? []
                rawItems = frame[frame.schema[.item]!]!.int64Values() ?? []
            } else {
                scores = try m.model.predict(frame)
            }
        } catch {
            throw FitCommand.locate(error, inv, command: "scoring", argument: argument)
        }
        let predictSeconds = Double(DispatchTime.now().uptimeNanoseconds - scoringStarted) / 1e9
        let rankingMetrics = metrics.filter(\.isRanking)
        var summaries: [RankingSummary]?
        if !rankingMetrics.isEmpty, let r = m.model as? any Recommender, let data = mapped {
            do throws(LearnError) {
                summaries = try RankingMetrics.evaluate(r, test: data, rawUsers: rawUsers, rawItems: rawItems, relevant: relevant, k: k,
                                                        excludeSeen: excludeSeen, segments: segments?.ids,
                                                        segmentCount: segments?.labels.count ?? 1,
                                                        context: FitContext(cancellation: inv.cancellation))
            } catch {
                throw FitCommand.locate(error, inv, command: "evaluate", argument: argument)
            }
        }
        let groupRows: [[Int]]
        if let segments {
            var rows = [[Int]](repeating: [], count: segments.labels.count)
            for (r, g) in segments.ids.enumerated() { rows[Int(g)].append(r) }
            groupRows = rows
        } else {
            groupRows = [Array(0..<frame.rowCount)]
        }
        var groups: [Group] = []
        for (g, rows) in groupRows.enumerated() {
            var values: [Metric: Double] = [:], undefined: [Metric: String] = [:]
            let s = rows.map { scores[$0] }, t = rows.map { truth[$0] }
            for metric in metrics where !metric.isRanking {
                do throws(LearnError) { values[metric] = try metric.compute(scores: s, labels: t, threshold: cut) } catch {
                    if case .undefinedMetric(_, let reason) = error { undefined[metric] = reason } else { undefined[metric] = error.description }
                }
            }
            let summary = summaries?[g]
            for metric in rankingMetrics {
                if let v = summary?.values[metric] { values[metric] = v } else { undefined[metric] = "no user here has a relevant test row the model can rank" }
            }
            var users = Set<Int64>()
            if !rawUsers.isEmpty { for r in rows { users.insert(rawUsers[r]) } }
            groups.append(Group(label: segments?.labels[g] ?? "", rows: rows.count, users: users.count,
                                values: values, undefined: undefined, ranking: summary))
        }
        var result = Evaluation(groups: groups, unknownUserRows: mapped?.unknownUsers ?? 0, unknownItemRows: mapped?.unknownItems ?? 0,
                                truth: truthName,
                                relevance: truthRole == .rating ? "\(truthName) >= \(NumberFormat.general(threshold))"
                                    : "\(truthName) = 1")
        result.threshold = cut
        result.predictSeconds = predictSeconds
        let thresholded: Set<Metric> = [.accuracy, .precision, .recall, .f1]
        if m.model.scoreKind == .probability, truthRole == .label, segments == nil, metrics.contains(where: thresholded.contains) {
            result.confusion = Metrics.confusion(scores: scores, labels: truth, threshold: cut)
        }
        return result
    }
}

/// Test rows divided into segments: a segment id per row and each segment's label.
struct Segmentation {
    var name: String
    var ids: [Int32]
    var labels: [String]

    /// Segments by the values of column `name` of `frame`, in ascending order of value.
    static func byColumn(_ name: String, of frame: DataFrame, at range: SourceRange) throws(RuntimeError) -> Segmentation {
        let column = frame[name]!
        var distinct: [Cell: Int32] = [:]
        var cells: [Cell] = []
        cells.reserveCapacity(frame.rowCount)
        for r in 0..<frame.rowCount {
            let c = column[r]
            cells.append(c)
            if distinct[c] == nil {
                distinct[c] = 0
                guard distinct.count <= Evaluation.maxSegments else {
                    throw RuntimeError("'\(name)' has more than \(Evaluation.maxSegments) distinct values; evaluate by a column with fewer, or by activity",
                                       at: range)
                }
            }
        }
        let order = distinct.keys.sorted(by: Self.ascending)
        for (i, c) in order.enumerated() { distinct[c] = Int32(i) }
        return Segmentation(name: name, ids: cells.map { distinct[$0]! },
                            labels: order.map { NumberFormat.column([$0], style: .auto)[0] })
    }

    /// Deciles of the users' training activity (rows in training), least active first; users
    /// the model does not know form a last segment.
    static func byActivity(_ model: any Recommender, test: ScoringData) -> Segmentation {
        let rows = model.index.userRows
        let order = (0..<rows.count).sorted { rows[$0] < rows[$1] || (rows[$0] == rows[$1] && $0 < $1) }
        var decile = [Int32](repeating: 0, count: rows.count)
        var low = [Int32](repeating: .max, count: 10), high = [Int32](repeating: 0, count: 10)
        for (rank, u) in order.enumerated() {
            let d = Int32(rank * 10 / Swift.max(order.count, 1))
            decile[u] = d
            low[Int(d)] = Swift.min(low[Int(d)], rows[u])
            high[Int(d)] = Swift.max(high[Int(d)], rows[u])
        }
        var labels = (0..<10).map { d in "decile \(d + 1): \(low[d])-\(high[d]) rows" }
        labels.append("unknown users")
        return Segmentation(name: "activity", ids: test.users.map { $0 < 0 ? 10 : decile[Int($0)] }, labels: labels)
    }

    private static func ascending(_ a: Cell, _ b: Cell) -> Bool {
        switch (a, b) {
        case (.null, _): return false
        case (_, .null): return true
        case (.string(let x), .string(let y)): return x < y
        default: return (a.doubleValue ?? 0) < (b.doubleValue ?? 0)
        }
    }
}
