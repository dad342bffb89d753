// What the DSG17 listening log's columns hold when they hold no real value (dsg17.md): the
// conventions `describe` checks, by column name. The frame module knows only the mechanism.

import Frame

/// DSG17's placeholder and impossible values.
enum DSG17Sentinels {
    /// Placeholder release dates (YYYYMMDD).
    static let placeholderDates: [Int64] = [30_000_101, 19_000_101]
    /// Sentinel durations, in seconds.
    static let sentinelDurations: [Int64] = [0, 65_535]
    /// Listen times before this (2001-09-09) are clock errors in a 2016 log.
    static let earliestPlausibleTimestamp: Int64 = 1_000_000_000
    /// Ages outside this range are impossible for a listener.
    static let plausibleAges: ClosedRange<Int64> = 10...100

    static let rules: [SentinelRule] = [
        .values(column: "release_date", values: placeholderDates, label: "placeholder date"),
        .values(column: "media_duration", values: sentinelDurations, label: "sentinel duration"),
        .below(column: "ts_listen", threshold: Double(earliestPlausibleTimestamp),
               description: "timestamp near 0 (before 2001): clock error"),
        .outside(column: "user_age", range: plausibleAges,
                 description: "impossible age (outside \(plausibleAges.lowerBound)...\(plausibleAges.upperBound))"),
        .dateBefore(date: "release_date", timestamp: "ts_listen", ignoring: placeholderDates,
                    earliest: Double(earliestPlausibleTimestamp),
                    description: "listened before release (UTC date of ts_listen earlier than release_date)"),
    ]
}
