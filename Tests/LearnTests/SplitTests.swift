// Splits: random rows (the same rows for a seed as the original Algorithm S), by user, by
// time, by user and time (leave-last-k), the leakage report against a naive count, and the
// error cases.

import Testing
import Frame
import Learn

/// A frame whose `row` column is the row number, with a schema to carry over.
private func numbered(_ n: Int) throws -> DataFrame {
    var frame = try DataFrame([
        .integers("row", (0..<n).map(Int64.init)),
        .doubles("y", (0..<n).map { Double($0 % 2) }),
        .strings("name", (0..<n).map { "r\($0)" }),
    ])
    frame.schema = Schema([.user: "row", .label: "y"])
    return frame
}

/// A listening log with a `row` column holding each row's number.
private func numberedLog(_ rows: [LogRow]) throws -> DataFrame {
    try logFrame(rows).with(.integers("row", (0..<rows.count).map(Int64.init)))
}

private func rows(_ frame: DataFrame) -> [Int] { frame["row"]!.int64Values()!.map { Int($0) } }

/// The random split as it was before the rewrite: Knuth's Algorithm S over all rows with
/// Frame's xoshiro256** seeded by `seed`, needed = min(n - 1, max(1, round(ratio · n))).
/// (The generator is Frame's, unchanged by the rewrite; the code under test is the split.)
private func originalRandomSplit(n: Int, ratio: Double, seed: UInt64) -> [Int] {
    var rng = Xoshiro256(seed: seed)
    var needed = min(n - 1, max(1, Int((ratio * Double(n)).rounded())))
    var train: [Int] = []
    for i in 0..<n where rng.below(n - i) < needed {
        train.append(i)
        needed -= 1
    }
    return train
}

@Suite struct RandomSplitTests {
    @Test(arguments: [
        (10, 0.8, 8), (10, 0.5, 5), (3, 0.5, 2), (7, 0.3, 2), (1000, 0.75, 750),
        // At least one row on each side, whatever the ratio.
        (2, 0.5, 1), (10, 0.01, 1), (10, 0.99, 9), (5, 0.999, 4),
    ])
    func sizes(n: Int, ratio: Double, trainRows: Int) throws {
        let (train, test) = try Split.random(try numbered(n), ratio: ratio, seed: 1)
        #expect(train.rowCount == trainRows)
        #expect(test.rowCount == n - trainRows)
        let (train2, test2, report) = try Split.split(try numbered(n), method: .row, ratio: ratio, last: nil, seed: 1)
        #expect(rows(train2) == rows(train) && rows(test2) == rows(test))
        #expect(report.trainRows == trainRows && report.testRows == n - trainRows)
        #expect(report.trainRowsAfterFirstTest == nil && report.firstTestTime == nil && report.usersOnlyInTraining == nil)
    }

    /// A small split pinned row by row: these are the rows the original implementation chose.
    @Test func aSmallSplitIsPinned() throws {
        let (train, test) = try Split.random(try numbered(12), ratio: 0.5, seed: 7)
        #expect(rows(train) == originalRandomSplit(n: 12, ratio: 0.5, seed: 7))
        #expect(rows(train) == [1, 6, 7, 8, 9, 11])
        #expect(rows(test) == [0, 2, 3, 4, 5, 10])
    }

    @Test(arguments: [UInt64(0), 1, 2, 7, 99, 123, .max])
    func selectsTheSameRowsAsTheOriginalAlgorithm(seed: UInt64) throws {
        for (n, ratio) in [(2, 0.5), (5, 0.8), (37, 0.3), (101, 0.7), (400, 0.9)] {
            let (train, _) = try Split.random(try numbered(n), ratio: ratio, seed: seed)
            #expect(rows(train) == originalRandomSplit(n: n, ratio: ratio, seed: seed), "n \(n) ratio \(ratio)")
        }
    }

    @Test(arguments: [UInt64(0), 1, 2, 99, .max])
    func partsAreDisjointCoverTheFrameAndKeepRowOrder(seed: UInt64) throws {
        let frame = try numbered(101)
        let (train, test) = try Split.random(frame, ratio: 0.7, seed: seed)
        let a = rows(train), b = rows(test)
        #expect(Set(a).isDisjoint(with: b))
        #expect((a + b).sorted() == Array(0..<101))
        #expect(a == a.sorted() && b == b.sorted())
        // Every column travels with its row.
        for part in [train, test] {
            for r in 0..<part.rowCount {
                let id = part["row"]![r]
                guard case .int(let v) = id else { Issue.record("row id \(id)"); continue }
                #expect(part["name"]![r] == .string("r\(v)"))
                #expect(part["y"]![r] == .double(Double(v % 2)))
            }
        }
    }

    @Test func thePartsKeepTheSchemaAndColumns() throws {
        let frame = try numbered(20)
        let (train, test) = try Split.random(frame, ratio: 0.8, seed: 3)
        #expect(train.schema == frame.schema && test.schema == frame.schema)
        #expect(train.columnNames == ["row", "y", "name"] && test.columnNames == ["row", "y", "name"])
    }

    @Test func theSameSeedGivesTheSameSplitAndOtherSeedsDiffer() throws {
        let frame = try numbered(200)
        let first = try Split.random(frame, ratio: 0.8, seed: 123)
        let again = try Split.random(frame, ratio: 0.8, seed: 123)
        #expect(rows(first.train) == rows(again.train))
        #expect(rows(first.test) == rows(again.test))
        let others = try (124...130).map { try rows(Split.random(frame, ratio: 0.8, seed: $0).test) }
        #expect(others.allSatisfy { $0 != rows(first.test) })
        #expect(Set(others).count == others.count)
    }

    @Test func theSplitIsRandomNotAPrefix() throws {
        let (train, _) = try Split.random(try numbered(100), ratio: 0.5, seed: 1)
        #expect(rows(train) != Array(0..<50))
    }
}

@Suite struct UserSplitTests {
    /// Per user: round(ratio · n_u) rows train when that leaves a row on each side; a user's
    /// only row trains. Ratio 0.7 keeps round(0.7 n) within 1...n-1 for every n >= 2.
    @Test(arguments: [UInt64(1), 2, 3])
    func everyUserIsOnBothSidesWithRoundedCounts(seed: UInt64) throws {
        var log = randomLog(seed: 40 + seed, users: 15, items: 10, rows: 120, minimumRows: 2)
        log.append(LogRow(user: 1, item: 500, label: 1, time: 5, weight: 1))   // a user with one row
        let frame = try numberedLog(log)
        let (train, test, report) = try Split.split(frame, method: .user, ratio: 0.7, last: nil, seed: seed)
        let trainRows = Set(rows(train)), testRows = Set(rows(test))
        #expect(trainRows.isDisjoint(with: testRows) && trainRows.count + testRows.count == log.count)
        #expect(rows(train) == rows(train).sorted() && rows(test) == rows(test).sorted())
        for user in Set(log.map(\.user)) {
            let mine = log.indices.filter { log[$0].user == user }
            let inTrain = mine.filter { trainRows.contains($0) }.count
            let expected = mine.count == 1 ? 1 : Int((0.7 * Double(mine.count)).rounded())
            #expect(inTrain == expected, "user \(user) with \(mine.count) rows")
            if mine.count >= 2 { #expect(inTrain >= 1 && inTrain < mine.count, "user \(user) on both sides") }
        }
        #expect(report.unknownUsers == 0 && report.testRowsWithUnknownUser == 0)
        #expect(report.trainRowsAfterFirstTest == nil && report.usersOnlyInTraining == nil)
        // The same seed gives the same split; the rows chosen within a user are not a prefix.
        let again = try Split.split(frame, method: .user, ratio: 0.7, last: nil, seed: seed)
        #expect(rows(again.train) == rows(train))
        let other = try Split.split(frame, method: .user, ratio: 0.7, last: nil, seed: seed + 100)
        #expect(rows(other.train) != rows(train))
    }

    /// Users with two rows: at ratio 0.8, round(1.6) = 2 rows train and none test; at ratio
    /// 0.2, round(0.4) = 0 rows train. The split's documentation (and `help split`) promise
    /// every user with two or more rows is on both sides, which needs round(ratio · n_u)
    /// clamped to 1...n_u - 1.
    @Test(arguments: [0.8, 0.2])
    func aUserWithTwoRowsIsOnBothSides(ratio: Double) throws {
        var log: [LogRow] = []
        for u in 0..<9 {
            for r in 0..<(u < 6 ? 2 : 5) { log.append(LogRow(user: Int64(u), item: Int64(r), label: 1, time: Int64(r), weight: 1)) }
        }
        let (train, test, _) = try Split.split(try numberedLog(log), method: .user, ratio: ratio, last: nil, seed: 1)
        let trainUsers = Set(rows(train).map { log[$0].user }), testUsers = Set(rows(test).map { log[$0].user })
        // Users with 5 rows are on both sides: round(4.0) = 4 or round(1.0) = 1 rows train.
        #expect((6..<9).allSatisfy { trainUsers.contains(Int64($0)) && testUsers.contains(Int64($0)) })
        #expect((0..<6).allSatisfy { trainUsers.contains(Int64($0)) && testUsers.contains(Int64($0)) },
                "users with two rows: \((0..<6).filter { !trainUsers.contains(Int64($0)) }.count) without training rows, \((0..<6).filter { !testUsers.contains(Int64($0)) }.count) without test rows")
    }
}

@Suite struct TimeSplitTests {
    @Test func theEarliestRowsTrainWithTiesByRowOrder() throws {
        var frame = try DataFrame([.integers("row", [0, 1, 2, 3, 4, 5]), .integers("t", [5, 1, 5, 3, 5, 2]),
                                   .integers("u", [1, 1, 2, 2, 3, 3]), .integers("i", [1, 2, 1, 2, 1, 2])])
        frame.schema = Schema([.user: "u", .item: "i", .time: "t"])
        let half = try Split.split(frame, method: .time, ratio: 0.5, last: nil, seed: 1)
        #expect(rows(half.train) == [1, 3, 5] && rows(half.test) == [0, 2, 4])
        #expect(half.report.firstTestTime == 5 && half.report.trainRowsAfterFirstTest == 0)
        // round(0.67 · 6) = 4: row 0 is the first of the rows tied at 5.
        let more = try Split.split(frame, method: .time, ratio: 0.67, last: nil, seed: 1)
        #expect(rows(more.train) == [0, 1, 3, 5] && rows(more.test) == [2, 4])
        // The seed plays no part.
        #expect(try rows(Split.split(frame, method: .time, ratio: 0.5, last: nil, seed: 99).train) == [1, 3, 5])
    }

    @Test(arguments: [0.1, 0.5, 0.8, 0.95])
    func trainTimesPrecedeTestTimesWithTheExactCount(ratio: Double) throws {
        var log = randomLog(seed: 77, users: 10, items: 12, rows: 90)
        for r in log.indices where r % 4 == 0 { log[r].time = 1_600_000_000 }  // ties
        let (train, test, report) = try Split.split(try numberedLog(log), method: .time, ratio: ratio, last: nil, seed: 1)
        let expected = min(log.count - 1, max(1, Int((ratio * Double(log.count)).rounded())))
        #expect(train.rowCount == expected && test.rowCount == log.count - expected)
        let trainTimes = rows(train).map { log[$0].time }, testTimes = rows(test).map { log[$0].time }
        #expect(trainTimes.max()! <= testTimes.min()!)
        #expect(report.firstTestTime == testTimes.min())
        #expect(report.trainRowsAfterFirstTest == 0)
    }

    @Test func floatTimesAreRoundedDown() throws {
        var frame = try DataFrame([.integers("u", [1, 1, 2, 2]), .integers("i", [1, 2, 1, 2]), .doubles("t", [3.9, 1.5, 2.2, 0.1])])
        frame.schema = Schema([.user: "u", .item: "i", .time: "t"])
        let (_, test, report) = try Split.split(frame, method: .time, ratio: 0.75, last: nil, seed: 1)
        #expect(test.rowCount == 1 && report.firstTestTime == 3)
    }

    /// A float time column with a NaN (not a null: NaN is a value) reaches Int64(NaN), which
    /// traps; it should throw `.missingValues(column: "t", role: .time, count: 1)`.
    @Test func aNaNTimeIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            var frame = try DataFrame([.integers("u", [1, 1, 2]), .integers("i", [1, 2, 1]), .doubles("t", [1, .nan, 2])])
            frame.schema = Schema([.user: "u", .item: "i", .time: "t"])
            do {
                _ = try Split.split(frame, method: .time, ratio: 0.5, last: nil, seed: 1)
            } catch {
                let e: any Error = error
                precondition((e as? LearnError) == .missingValues(column: "t", role: .time, count: 1))
            }
        }
    }
}

@Suite struct UserTimeSplitTests {
    @Test func lastOneSendsEachUsersLatestRowToTest() throws {
        var log = randomLog(seed: 90, users: 12, items: 15, rows: 100, minimumRows: 2)
        // Two users with a single row, who stay whole in training.
        log.append(LogRow(user: 1, item: 500, label: 1, time: 1_700_000_000, weight: 1))
        log.append(LogRow(user: 2, item: 513, label: 0, time: 1_500_000_000, weight: 1))
        // A tie at a user's latest time: the later row in the frame counts as later.
        let tiedUser = log[0].user
        let latest = log.filter { $0.user == tiedUser }.map(\.time).max()!
        log.append(LogRow(user: tiedUser, item: 526, label: 1, time: latest, weight: 1))
        let (train, test, report) = try Split.split(try numberedLog(log), method: .userTime, ratio: 0.8, last: 1, seed: 1)
        let testRows = rows(test)
        var expectedTest: [Int] = []
        var single = 0
        for user in Set(log.map(\.user)) {
            let mine = log.indices.filter { log[$0].user == user }
            if mine.count == 1 { single += 1; continue }
            // The latest by (time, row).
            expectedTest.append(mine.max { (log[$0].time, $0) < (log[$1].time, $1) }!)
        }
        #expect(testRows == expectedTest.sorted())
        #expect(testRows.contains(log.count - 1), "the tied later row")
        #expect(report.usersOnlyInTraining == single && single == 2)
        #expect(train.rowCount + test.rowCount == log.count)
        // Training rows later than the first test row: the future of other users.
        let first = testRows.map { log[$0].time }.min()!
        #expect(report.firstTestTime == first)
        #expect(report.trainRowsAfterFirstTest == rows(train).filter { log[$0].time > first }.count)
        #expect(report.trainRowsAfterFirstTest! > 0)
    }

    @Test func aRatioSendsEachUsersLatestShareToTest() throws {
        let log = randomLog(seed: 91, users: 8, items: 10, rows: 70, minimumRows: 1)
        let (_, test, report) = try Split.split(try numberedLog(log), method: .userTime, ratio: 0.7, last: nil, seed: 1)
        var expectedTest: [Int] = [], whole = 0
        for user in Set(log.map(\.user)) {
            let mine = log.indices.filter { log[$0].user == user }.sorted { (log[$0].time, $0) < (log[$1].time, $1) }
            let count = Int(((1 - 0.7) * Double(mine.count)).rounded())
            if count < 1 || mine.count <= count { whole += 1 } else { expectedTest += mine.suffix(count) }
        }
        #expect(rows(test) == expectedTest.sorted())
        #expect(report.usersOnlyInTraining == whole)
    }

    @Test func everyUserWithOneRowLeavesNoTestSide() throws {
        let log = (0..<4).map { LogRow(user: Int64($0), item: 1, label: 1, time: Int64($0), weight: 1) }
        #expect(throws: LearnError.invalidParameter(name: "ratio", reason: "leaves the test side empty; every user has too few rows for by=user_time with last=1")) {
            try Split.split(try logFrame(log), method: .userTime, ratio: 0.8, last: 1, seed: 1)
        }
    }
}

@Suite struct SplitReportTests {
    /// Naive counts over raw ids of what a random split leaks.
    @Test(arguments: [UInt64(5), 6, 7])
    func leakageCountsEqualANaiveCount(seed: UInt64) throws {
        // Many users and items with few rows each, so some land only in test.
        let log = randomLog(seed: seed, users: 30, items: 40, rows: 70, minimumRows: 1)
        let (train, test, report) = try Split.split(try numberedLog(log), method: .row, ratio: 0.6, last: nil, seed: seed)
        let trainRows = rows(train).map { log[$0] }, testRows = rows(test).map { log[$0] }
        let trainUsers = Set(trainRows.map(\.user)), trainItems = Set(trainRows.map(\.item))
        #expect(report.trainRows == trainRows.count && report.testRows == testRows.count)
        #expect(report.testRowsWithUnknownUser == testRows.filter { !trainUsers.contains($0.user) }.count)
        #expect(report.testRowsWithUnknownItem == testRows.filter { !trainItems.contains($0.item) }.count)
        #expect(report.unknownUsers == Set(testRows.map(\.user)).subtracting(trainUsers).count)
        #expect(report.testRowsWithUnknownUser > 0 && report.testRowsWithUnknownItem > 0, "the fixture leaks")
        #expect(try Split.leakage(train: train, test: test) == report)
    }

    @Test func leakageByHand() throws {
        let train = try interactions(users: [1, 1, 2], items: [10, 20, 10], labels: [1, 1, 1])
        let test = try interactions(users: [2, 3, 3, 4, 1], items: [30, 10, 30, 20, 40], labels: [1, 1, 1, 1, 1])
        let report = try Split.leakage(train: train, test: test)
        #expect(report.trainRows == 3 && report.testRows == 5)
        #expect(report.testRowsWithUnknownUser == 3 && report.unknownUsers == 2 && report.testRowsWithUnknownItem == 3)
        #expect(report.trainRowsAfterFirstTest == nil && report.firstTestTime == nil && report.usersOnlyInTraining == nil)
        // Without roles nothing is counted.
        var bare = train
        bare.schema = Schema()
        let none = try Split.leakage(train: bare, test: test)
        #expect(none.testRowsWithUnknownUser == 0 && none.unknownUsers == 0 && none.testRowsWithUnknownItem == 0)
    }
}

@Suite struct SplitErrorTests {
    @Test(arguments: SplitMethod.allCases, [0.0, 1.0, -0.1, 1.5, .nan, .infinity])
    func ratioMustBeStrictlyBetweenZeroAndOne(_ method: SplitMethod, _ ratio: Double) throws {
        let frame = try logFrame(randomLog(seed: 1, users: 3, items: 3, rows: 10))
        let expected = LearnError.invalidParameter(name: "ratio", reason: "must be between 0 and 1 (exclusive), e.g. 0.8")
        #expect(throws: expected) { try Split.split(frame, method: method, ratio: ratio, last: nil, seed: 1) }
        #expect(expected.description == "ratio must be between 0 and 1 (exclusive), e.g. 0.8")
    }

    @Test(arguments: [0, 1])
    func aSplitNeedsTwoRows(_ n: Int) throws {
        let frame = try numbered(n)
        let expected = LearnError.invalidParameter(name: "frame", reason: "has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
        #expect(throws: expected) { try Split.random(frame, ratio: 0.5, seed: 1) }
        #expect(expected.description == "frame has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
    }

    @Test(arguments: [SplitMethod.row, .user, .time])
    func lastAppliesToUserTimeOnly(_ method: SplitMethod) throws {
        let frame = try logFrame(randomLog(seed: 2, users: 3, items: 3, rows: 10))
        #expect(throws: LearnError.invalidParameter(name: "last", reason: "applies to by=user_time only, not by=\(method.rawValue) (last=1)")) {
            try Split.split(frame, method: method, ratio: 0.8, last: 1, seed: 1)
        }
    }

    @Test(arguments: [SplitMethod.time, .userTime])
    func timeSplitsNeedATimeRole(_ method: SplitMethod) throws {
        var frame = try logFrame(randomLog(seed: 3, users: 3, items: 3, rows: 10))
        frame.schema[.time] = nil
        #expect(throws: LearnError.missingRole(.time)) { try Split.split(frame, method: method, ratio: 0.8, last: nil, seed: 1) }
        var text = try logFrame(randomLog(seed: 3, users: 3, items: 3, rows: 10)).with(.strings("when", (0..<10).map { "d\($0)" }))
        text.schema[.time] = "when"
        #expect(throws: LearnError.nonNumeric(column: "when", role: .time, type: "string")) {
            try Split.split(text, method: method, ratio: 0.8, last: nil, seed: 1)
        }
    }

    @Test(arguments: [SplitMethod.user, .userTime])
    func userSplitsNeedAUserRole(_ method: SplitMethod) throws {
        var frame = try logFrame(randomLog(seed: 4, users: 3, items: 3, rows: 10))
        frame.schema[.user] = nil
        #expect(throws: LearnError.missingRole(.user)) { try Split.split(frame, method: method, ratio: 0.8, last: nil, seed: 1) }
    }
}
