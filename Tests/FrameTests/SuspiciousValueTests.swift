// Sentinel flags: each kind of rule (here DSG17's, as the interpreter gives them), the
// listens-before-release rule with its date conversion, the generic type-sentinel rule, and
// silence on clean data.

import Testing
@testable import Frame

/// DSG17's conventions written as rules, as `describe` passes them.
let dsg17Rules: [SentinelRule] = [
    .values(column: "release_date", values: [30_000_101, 19_000_101], label: "placeholder date"),
    .values(column: "media_duration", values: [0, 65_535], label: "sentinel duration"),
    .below(column: "ts_listen", threshold: 1e9, description: "timestamp near 0 (before 2001): clock error"),
    .outside(column: "user_age", range: 10...100, description: "impossible age (outside 10...100)"),
    .dateBefore(date: "release_date", timestamp: "ts_listen", ignoring: [30_000_101, 19_000_101], earliest: 1e9,
                description: "listened before release (UTC date of ts_listen earlier than release_date)"),
]

@Suite struct SuspiciousValueTests {
    @Test func civilDatesMatchKnownDays() {
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: 0) == 19700101)
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: -1) == 19691231)
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: 951_782_400) == 20000229)      // leap day of a 400-year
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: 1_478_000_000) == 20161101)
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: 1_480_636_799) == 20161201)
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: 4_107_542_400) == 21000301)    // 2100 is not leap
        #expect(CivilDate.yyyymmdd(fromUnixSeconds: -62_135_596_800) == 10101)      // 0001-01-01
    }

    @Test func civilDatesAgreeDayByDayWithACounter() {
        // Walk 1900-01-01 ... 2100-12-31 one day at a time with a plain calendar.
        var (y, m, d): (Int64, Int64, Int64) = (1900, 1, 1)
        func leap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        let lengths: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var days: Int64 = -25_567  // 1900-01-01
        while y <= 2100 {
            #expect(CivilDate.yyyymmdd(fromUnixSeconds: days * 86_400 + 43_200) == y * 10_000 + m * 100 + d)
            d += 1
            if d > lengths[Int(m - 1)] + (m == 2 && leap(y) ? 1 : 0) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
            days += 1
        }
    }

    @Test func flagsTheDSG17Sentinels() throws {
        let f = try DataFrame([
            .integers("ts_listen", [1_478_000_000, 1, 1_478_100_000, 1_478_200_000, 300_000_000]),
            .integers("release_date", [30_000_101, 20_160_101, 20_161_231, 19_000_101, 20_150_101]),
            .integers("media_duration", [0, 222, 65_535, 65_535, 180]),
            .integers("user_age", [18, 30, 7, 120, 25]),
            .integers("is_listened", [1, 0, 1, 1, 0]),
        ])
        #expect(f.suspiciousValues(rules: dsg17Rules) == [
            SuspiciousValue(column: "release_date", description: "placeholder date 30000101", count: 1, exampleRow: 0),
            SuspiciousValue(column: "release_date", description: "placeholder date 19000101", count: 1, exampleRow: 3),
            SuspiciousValue(column: "media_duration", description: "sentinel duration 0", count: 1, exampleRow: 0),
            SuspiciousValue(column: "media_duration", description: "sentinel duration 65535", count: 2, exampleRow: 2),
            SuspiciousValue(column: "ts_listen", description: "timestamp near 0 (before 2001): clock error", count: 2, exampleRow: 1),
            SuspiciousValue(column: "user_age", description: "impossible age (outside 10...100)", count: 2, exampleRow: 2),
            SuspiciousValue(column: "release_date", description: "listened before release (UTC date of ts_listen earlier than release_date)",
                            count: 1, exampleRow: 2),
        ])
    }

    @Test func typeSentinelMaximaAreFlaggedOnlyWhenNoRuleCoversThem() throws {
        let f = try DataFrame([
            .integers("score", [1, 32_767, 32_767]),
            .integers("media_duration", [10, 65_535, 20]),
            .integers("plain", [1, 2, 65_534]),
            .doubles("x", [65_535, 1, 2]),
        ])
        let flags = f.suspiciousValues(rules: dsg17Rules)
        #expect(flags.contains(SuspiciousValue(column: "score", description: "maximum is the sentinel 32767", count: 2, exampleRow: 1)))
        #expect(flags.filter { $0.column == "media_duration" }.count == 1)
        #expect(!flags.contains { $0.column == "plain" || $0.column == "x" })
    }

    @Test func cleanDataRaisesNothing() throws {
        let f = try DataFrame([
            .integers("ts_listen", [1_478_000_000, 1_480_000_000], validity: Bitmap([true, false])),
            .integers("release_date", [20_161_101, 20_150_101]),
            .integers("media_duration", [1, 65_534]),
            .integers("user_age", [10, 100]),
            .strings("release_date_text", ["30000101", nil]),
        ])
        #expect(f.suspiciousValues(rules: dsg17Rules) == [])
    }

    @Test func withoutRulesOnlyTheGenericRuleApplies() throws {
        let f = try DataFrame([.integers("release_date", [30_000_101, 20_160_101]), .integers("d", [1, 65_535])])
        #expect(f.suspiciousValues() == [SuspiciousValue(column: "d", description: "maximum is the sentinel 65535", count: 1, exampleRow: 1)])
        // A column name matches whatever its case.
        let g = try DataFrame([.integers("Release_Date", [30_000_101])])
        #expect(g.suspiciousValues(rules: dsg17Rules).map(\.column) == ["Release_Date"])
    }
}
