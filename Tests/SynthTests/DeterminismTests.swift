// The same (rows, seed) gives the same bytes on any number of threads; other seeds differ.

import Testing
import Frame
@testable import Synth

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalBytesOnOneThreadAndMany() throws {
        let single = try GeneratedLog.make(rows: 12_000, seed: 3, probabilities: true, workers: 1)
        let many = try GeneratedLog.make(rows: 12_000, seed: 3, probabilities: true, workers: 4)
        let again = try GeneratedLog.make(rows: 12_000, seed: 3, probabilities: true)
        #expect(single.bytes == many.bytes)
        #expect(single.bytes == again.bytes)
        #expect(single.probabilities == many.probabilities)
        #expect(single.summary == again.summary)
    }

    @Test func differentSeedsGiveDifferentLogs() throws {
        let a = try GeneratedLog.make(rows: 5_000, seed: 1)
        let b = try GeneratedLog.make(rows: 5_000, seed: 2)
        #expect(a.bytes != b.bytes)
        #expect(a["media_id"] != b["media_id"])
        #expect(a.rowCount == b.rowCount)
    }

    @Test(arguments: [1, 2, 7, 50, 999])
    func tinyLogsHaveExactlyTheirRows(rows: Int) throws {
        let log = try GeneratedLog.make(rows: rows, seed: 11, probabilities: true)
        #expect(log.problems.isEmpty, "\(log.problems)")
        #expect(log.rowCount == rows)
        #expect(log.probabilities.count == rows)
        #expect(Set(log["user_id"]).count == min(rows, Population.userCount(rows: rows)))
    }
}
