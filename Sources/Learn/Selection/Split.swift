// Splits of a frame into training and test rows, and what each split leaks.
//
//   row        exactly round(ratio · n) random rows for training (Knuth's Algorithm S: row i is
//              taken with probability still-needed / rows-left, every subset equally likely)
//   user       the same within each user: round(ratio · n_u) of the user's rows, so every user
//              with two or more rows is on both sides
//   time       the earliest round(ratio · n) rows by the time column (ties by row order)
//   user_time  within each user, the latest rows by time go to test: `last` of them, or the
//              latest round((1 - ratio) · n_u); a user with no more rows than that stays whole
//              in training (leave-last-k)
// Each part keeps the original row order, and the same seed gives the same split anywhere.
//
// The report counts what a model will meet that it cannot know: test rows whose user or item
// is absent from training, and (for the time splits) training rows later than the first test
// row, which let a model see the future of other users.

import Frame

/// How a split divides rows.
package enum SplitMethod: String, Sendable, CaseIterable {
    case row, user, time
    case userTime = "user_time"
}

/// What a split leaks.
package struct SplitReport: Sendable, Equatable {
    package var trainRows: Int
    package var testRows: Int
    /// Test rows whose user, or item, has no training row.
    package var testRowsWithUnknownUser: Int
    package var testRowsWithUnknownItem: Int
    /// Distinct test users absent from training.
    package var unknownUsers: Int
    /// Training rows later than the earliest test row, and that time (time splits only).
    package var trainRowsAfterFirstTest: Int?
    package var firstTestTime: Int64?
    /// user_time: users kept whole in training because they have too few rows.
    package var usersOnlyInTraining: Int?
}

/// Ways to divide a frame.
package enum Split {
    /// Random rows: `ratio` of them for training, the rest for testing.
    package static func random(_ frame: DataFrame, ratio: Double, seed: UInt64) throws(LearnError) -> (train: DataFrame, test: DataFrame) {
        let (train, test, _) = try split(frame, method: .row, ratio: ratio, last: nil, seed: seed)
        return (train, test)
    }

    /// Splits `frame` by `method`; `last` (user_time only) takes that many latest rows per user
    /// instead of a ratio.
    package static func split(_ frame: DataFrame, method: SplitMethod, ratio: Double, last: Int?,
                              seed: UInt64) throws(LearnError) -> (train: DataFrame, test: DataFrame, report: SplitReport) {
        guard ratio > 0 && ratio < 1 else {
            throw .invalidParameter(name: "ratio", reason: "must be between 0 and 1 (exclusive), e.g. 0.8")
        }
        let n = frame.rowCount
        guard n >= 2 else {
            throw .invalidParameter(name: "frame", reason: "has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
        }
        if let last, method != .userTime {
            throw .invalidParameter(name: "last", reason: "applies to by=user_time only, not by=\(method.rawValue) (last=\(last))")
        }
        var isTrain = [Bool](repeating: false, count: n)
        var rng = Xoshiro256(seed: seed)
        var onlyInTraining: Int?
        switch method {
        case .row:
            // At least one row on each side.
            let keep = min(n - 1, max(1, Int((ratio * Double(n)).rounded())))
            select(Array(0..<n), count: keep, into: &isTrain, &rng)
        case .user:
            for rows in try userRows(frame) {
                // A user's only row trains; any other user keeps a row on each side.
                let keep = rows.count == 1 ? 1 : min(rows.count - 1, max(1, Int((ratio * Double(rows.count)).rounded())))
                select(rows, count: keep, into: &isTrain, &rng)
            }
        case .time:
            let times = try timeValues(frame)
            let order = (0..<n).sorted { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
            let keep = min(n - 1, max(1, Int((ratio * Double(n)).rounded())))
            for r in order.prefix(keep) { isTrain[r] = true }
        case .userTime:
            let times = try timeValues(frame)
            var whole = 0
            for rows in try userRows(frame) {
                let ordered = rows.sorted { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
                let testCount = last ?? Int(((1 - ratio) * Double(rows.count)).rounded())
                if testCount < 1 || ordered.count <= testCount {
                    whole += 1
                    for r in ordered { isTrain[r] = true }
                } else {
                    for r in ordered.dropLast(testCount) { isTrain[r] = true }
                }
            }
            onlyInTraining = whole
        }
        let train = (0..<n).filter { isTrain[$0] }, test = (0..<n).filter { !isTrain[$0] }
        guard !train.isEmpty && !test.isEmpty else {
            throw .invalidParameter(name: "ratio", reason: "leaves the \(train.isEmpty ? "training" : "test") side empty; every user has too few rows for by=\(method.rawValue)\(last.map { " with last=\($0)" } ?? "")")
        }
        let trainFrame = frame.gather(train), testFrame = frame.gather(test)
        var report = try leakage(train: trainFrame, test: testFrame)
        if method == .time || method == .userTime {
            let times = try timeValues(frame)
            let first = test.map { times[$0] }.min()!
            report.firstTestTime = first
            report.trainRowsAfterFirstTest = train.reduce(0) { $0 + (times[$1] > first ? 1 : 0) }
        }
        report.usersOnlyInTraining = onlyInTraining
        return (trainFrame, testFrame, report)
    }

    /// Marks `count` of `rows` as training, every subset of that size equally likely (Algorithm S).
    private static func select(_ rows: [Int], count: Int, into isTrain: inout [Bool], _ rng: inout Xoshiro256) {
        let m = rows.count
        guard m > 0 else { return }
        var needed = min(m, max(0, count))
        for (i, r) in rows.enumerated() {
            if rng.below(m - i) < needed {
                isTrain[r] = true
                needed -= 1
            }
        }
    }

    /// The rows of each user, users in order of first appearance, rows ascending.
    private static func userRows(_ frame: DataFrame) throws(LearnError) -> [[Int]] {
        let codes = try idCodes(frame, .user)
        var rows = [[Int]](repeating: [], count: codes.values.count)
        for (r, c) in codes.codes.enumerated() { rows[Int(c)].append(r) }
        return rows
    }

    private static func idCodes(_ frame: DataFrame, _ role: Role) throws(LearnError) -> DenseCodes {
        guard let name = frame.schema[role] else { throw .missingRole(role) }
        let c: Column
        do { c = try frame.column(name) } catch { throw .frame(error) }
        guard c.nullCount == 0 else { throw .missingValues(column: name, role: role, count: c.nullCount) }
        guard let codes = c.denseCodes() else { throw .nonNumeric(column: name, role: role, type: c.type.rawValue) }
        return codes
    }

    private static func timeValues(_ frame: DataFrame) throws(LearnError) -> [Int64] {
        guard let name = frame.schema[.time] else { throw .missingRole(.time) }
        let c: Column
        do { c = try frame.column(name) } catch { throw .frame(error) }
        guard c.nullCount == 0 else { throw .missingValues(column: name, role: .time, count: c.nullCount) }
        if let ints = c.int64Values() { return ints }
        guard let doubles = c.doubleValues() else { throw .nonNumeric(column: name, role: .time, type: c.type.rawValue) }
        // A NaN, infinite or out-of-range time has no place in an order of rows.
        let bad = doubles.reduce(0) { $0 + ($1.isFinite && abs($1) < 9.2e18 ? 0 : 1) }
        guard bad == 0 else { throw .missingValues(column: name, role: .time, count: bad) }
        return doubles.map { Int64($0.rounded(.down)) }
    }

    /// Test rows whose user or item has no training row.
    package static func leakage(train: DataFrame, test: DataFrame) throws(LearnError) -> SplitReport {
        var report = SplitReport(trainRows: train.rowCount, testRows: test.rowCount, testRowsWithUnknownUser: 0,
                                 testRowsWithUnknownItem: 0, unknownUsers: 0)
        if train.schema[.user] != nil {
            let known = IDMap(rawIDs: try idCodes(train, .user).values)
            let testUsers = try idCodes(test, .user)
            let unknown = testUsers.values.map { known.index(of: RawID($0)) == nil }
            report.unknownUsers = unknown.reduce(0) { $0 + ($1 ? 1 : 0) }
            report.testRowsWithUnknownUser = testUsers.codes.reduce(0) { $0 + (unknown[Int($1)] ? 1 : 0) }
        }
        if train.schema[.item] != nil {
            let known = IDMap(rawIDs: try idCodes(train, .item).values)
            let testItems = try idCodes(test, .item)
            let unknown = testItems.values.map { known.index(of: RawID($0)) == nil }
            report.testRowsWithUnknownItem = testItems.codes.reduce(0) { $0 + (unknown[Int($1)] ? 1 : 0) }
        }
        return report
    }
}
