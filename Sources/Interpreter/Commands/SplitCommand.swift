// `split`: training and test frames for recommendation, with a report of what leaks.

import Foundation
import Frame
import Learn
import RecScript

/// split.
enum SplitCommand {
    static let spec = CommandSpec(
        name: "split", category: .model,
        summary: "divide a frame's rows into a training and a test frame: at random, per user, or by time",
        positionals: [.required("frame", .frame, "the frame to divide")],
        clauses: [
            .optional("by", .choice(SplitMethod.allCases.map(\.rawValue)),
                      "row: random rows; user: random rows within each user; time: the earliest rows train; user_time: each user's latest rows test",
                      default: "row"),
        ],
        options: [
            .optional("ratio", .number(min: 0, max: 1), "share of rows that go to training", default: "0.8"),
            .optional("last", .integer(min: 1, max: 1_000_000), "by user_time: how many of each user's latest rows go to test (instead of a ratio)"),
            .optional("seed", .integer(min: 0, max: nil), "seed of the shuffle; the same seed gives the same split", default: "1"),
        ],
        details: [
            "by=row takes exactly round(ratio · rows) rows at random for training. by=user does the same within each user, so every user with two rows or more is on both sides. by=time trains on the earliest round(ratio · rows) rows by the schema's time column. by=user_time sends each user's latest rows to test: last=k of them (leave-last-k), or the latest share 1 - ratio; a user with no more rows than that stays whole in training.",
            "The report under the split counts test rows whose user or item has no training row (a model can only guess for them) and, for the time splits, training rows later than the first test row: with by=user_time a model sees the future of other users.",
            "Each part keeps the original row order and the frame's schema.",
        ],
        examples: ["train, test = split listens ratio=0.8 seed=123", "train, test = split listens by user ratio=0.8",
                   "train, test = split listens by user_time last=1"],
        results: 2, returns: "two frames: training rows, test rows"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let method = SplitMethod(rawValue: try inv.choice("by") ?? "row")!
        let ratio = try inv.number("ratio", default: 0.8)
        let last = inv.has("last") ? Int(try inv.integer("last")) : nil
        let seed = try inv.integer("seed", default: 1)
        if (method == .time || method == .userTime) && frame.schema[.time] == nil {
            throw RuntimeError("split by \(method.rawValue) needs a time column", at: inv.range(of: "by"),
                               notes: ["declare it: schema <frame> time=ts_listen"])
        }
        if method != .row && frame.schema[.user] == nil {
            throw RuntimeError("split by \(method.rawValue) needs a user column", at: inv.range(of: "by"),
                               notes: ["declare it: schema <frame> user=user_id"])
        }
        do throws(LearnError) {
            let (train, test, report) = try Split.split(frame, method: method, ratio: ratio, last: last, seed: UInt64(seed))
            var how = "by \(method.rawValue), "
            how += last.map { "last \($0)" } ?? "ratio \(NumberFormat.general(ratio))"
            if method == .row || method == .user { how += ", seed \(seed)" }
            var lines = ["train: \(NumberFormat.grouped(train.rowCount)) rows, test: \(NumberFormat.grouped(test.rowCount)) rows (\(how))"]
            lines += leakageLines(report, testRows: test.rowCount)
            return CommandResult([.frame(train), .frame(test)], display: .text(lines.joined(separator: "\n")), showWhenAssigned: true)
        } catch {
            if case .invalidParameter(let name, _) = error, inv.has(name) {
                throw RuntimeError(error.description, at: inv.range(of: name))
            }
            throw RuntimeError(error.description, at: inv.range(of: "frame"))
        }
    }

    /// The leakage report in words.
    static func leakageLines(_ r: SplitReport, testRows: Int) -> [String] {
        func share(_ n: Int, of total: Int) -> String {
            "\(NumberFormat.grouped(n)) (\(NumberFormat.fixed(100 * Double(n) / Double(Swift.max(total, 1)), decimals: 1))%)"
        }
        var lines = ["test rows whose user has no training row: \(share(r.testRowsWithUnknownUser, of: testRows))"
                     + (r.unknownUsers > 0 ? ", \(NumberFormat.count(r.unknownUsers, "user"))" : "")
                     + "; whose item has none: \(share(r.testRowsWithUnknownItem, of: testRows))"]
        if let later = r.trainRowsAfterFirstTest, let first = r.firstTestTime {
            lines.append("training rows later than the first test row (time \(first)): \(share(later, of: r.trainRows))")
        }
        if let whole = r.usersOnlyInTraining, whole > 0 {
            lines.append("\(NumberFormat.count(whole, "user")) with too few rows stay whole in training")
        }
        return lines
    }
}
