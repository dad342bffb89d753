// The generated log has train.csv's exact shape and dsg17.md's distributions.

import Testing
import Frame
@testable import Synth

@Suite struct SampleShapeTests {
    let log: GeneratedLog

    init() throws { log = try Fixture.sample.get() }

    @Test func headerIsExact() {
        #expect(log.header == "genre_id,ts_listen,media_id,album_id,context_type,release_date,platform_name,"
            + "platform_family,media_duration,listen_type,user_gender,user_id,artist_id,user_age,is_listened")
    }

    @Test func everyCellIsAnIntegerAndEveryLineEndsInLF() {
        #expect(log.problems.isEmpty, "\(log.problems)")
        #expect(!log.bytes.contains(UInt8(ascii: "\r")))
        #expect(log.bytes.last == UInt8(ascii: "\n"))
    }

    @Test func rowCountIsExact() {
        #expect(log.rowCount == 40_000)
        #expect(log.summary.rows == 40_000)
        #expect(log.summary.bytes == log.bytes.count)
        for (name, values) in log.columns { #expect(values.count == 40_000, "\(name)") }
    }

    @Test(arguments: [
        ("genre_id", 0...259_731), ("ts_listen", 1...1_480_636_000), ("media_id", 200_058...137_260_128),
        ("album_id", 1_976...14_720_858), ("context_type", 0...73), ("release_date", 19_000_101...30_000_101),
        ("platform_name", 0...2), ("platform_family", 0...2), ("media_duration", 0...65_535), ("listen_type", 0...1),
        ("user_gender", 0...1), ("artist_id", 1...11_447_410), ("user_age", 18...30), ("is_listened", 0...1),
    ])
    func valuesStayInTheirDocumentedRange(column: String, range: ClosedRange<Int>) {
        let values = log[column]
        #expect(values.count == 40_000)
        #expect(values.allSatisfy(range.contains), "\(column): \(values.min() ?? 0)...\(values.max() ?? 0)")
    }

    @Test func userIdsAreDenseAndUser30IsActive() {
        let users = log["user_id"]
        let count = Population.userCount(rows: 40_000)
        #expect(Set(users) == Set(0..<count))
        #expect(log.summary.users == count)
        #expect(users.filter { $0 == 30 }.count >= 20)
    }

    @Test func rowsAreInTimeOrderAndMostlyInNovember2016() {
        let ts = log["ts_listen"]
        #expect(zip(ts, ts.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(ts.first == 1)
        #expect(ts.contains { $0 >= 315_532_800 && $0 < 347_155_200 })  // a 1980 clock
        let inWindow = ts.filter { DSG17.listenWindow.contains($0) }.count
        #expect(inWindow >= 40_000 - 5)
    }

    @Test func listenRateAndFlowShareAreNearTheRealFile() {
        #expect(abs(mean(log["is_listened"]) - 0.684) < 0.03)
        #expect(abs(mean(log["listen_type"]) - 0.307) < 0.02)
        #expect(abs(mean(log["user_gender"]) - 0.394) < 0.05)
        #expect(abs(mean(log["platform_name"]) - 0.473) < 0.05)
        #expect(abs(mean(log["platform_family"]) - 0.256) < 0.05)
        #expect(abs(log.summary.listenRate - mean(log["is_listened"])) < 1e-12)
    }

    @Test func genreZeroIsFortyPercentWithMedianThree() {
        let genres = log["genre_id"].sorted()
        #expect(abs(share(genres) { $0 == 0 } - 0.40) < 0.05)
        #expect(genres[genres.count / 2] == 3)
        #expect(genres[genres.count * 3 / 4] == 27)
    }

    @Test func listenRateRisesWithAge() {
        let age = log["user_age"], label = log["is_listened"]
        func rate(_ a: Int) -> Double { mean(zip(age, label).filter { $0.0 == a }.map(\.1)) }
        #expect(rate(30) > rate(18))
        #expect(mean(zip(age, label).filter { $0.0 >= 27 }.map(\.1)) > mean(zip(age, label).filter { $0.0 <= 21 }.map(\.1)))
    }

    @Test func usersReplayTracks() {
        var seen = Set<Int>()
        var repeats = 0
        for (u, m) in zip(log["user_id"], log["media_id"]) where !seen.insert(u << 32 | m).inserted { repeats += 1 }
        #expect(Double(repeats) / 40_000 > 0.2)
    }

    @Test func sentinelsArePresent() {
        let duration = log["media_duration"], release = log["release_date"]
        #expect(duration.contains(0))
        #expect(duration.contains(65_535))
        #expect(duration.contains { $0 >= 1 && $0 <= 30 })
        #expect(release.contains(30_000_101))
        #expect(release.contains(19_000_101))
        #expect(abs(mean(duration.filter { $0 != 65_535 }) - 229) < 10)
    }

    @Test func contextsMostlyBelongToOneListenType() {
        let context = log["context_type"], flow = log["listen_type"]
        #expect(abs(share(context) { $0 == 0 } - 0.423) < 0.03)
        var byContext: [Int: (n: Int, flow: Int)] = [:]
        for (c, f) in zip(context, flow) { byContext[c, default: (0, 0)].n += 1; byContext[c, default: (0, 0)].flow += f }
        let agreeing = byContext.values.reduce(0) { $0 + max($1.flow, $1.n - $1.flow) }
        #expect(Double(agreeing) / 40_000 > 0.97)
    }

    @Test func probabilitiesMatchTheRowsLineForLine() {
        #expect(log.probabilityHeader == "p")
        #expect(log.probabilities.count == 40_000)
        #expect(log.probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        let pMean = log.probabilities.reduce(0, +) / Double(log.probabilities.count)
        #expect(abs(pMean - mean(log["is_listened"])) < 0.01)
        #expect(abs(pMean - log.summary.meanProbability) < 1e-5)
        // Rows with a higher true probability are listened to more often.
        let pairs = zip(log.probabilities, log["is_listened"])
        #expect(mean(pairs.filter { $0.0 > 0.8 }.map(\.1)) > mean(pairs.filter { $0.0 < 0.5 }.map(\.1)) + 0.3)
    }
}

func mean(_ values: [Int]) -> Double { values.isEmpty ? .nan : Double(values.reduce(0, +)) / Double(values.count) }

func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

func share(_ values: [Int], where predicate: (Int) -> Bool) -> Double {
    Double(values.filter(predicate).count) / Double(values.count)
}
