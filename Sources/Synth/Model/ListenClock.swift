// ListenClock: when listens happen, and the calendar arithmetic behind ts_listen and
// release_date.
//
// Sessions start on a uniformly chosen day of the listening window (dsg17.md:
// 1,478,000,000..1,480,636,000, i.e. 2016-11-01..2016-12-01) at an hour drawn from a diurnal
// activity curve for a French audience (UTC+1: quiet at 2-5h UTC, peak around 19h UTC), at a
// uniform second within the hour; draws outside the window are redrawn. Inside a session each
// listen follows the previous one after the time it played: the whole track if listened, a
// few seconds if skipped, plus a short gap.
//
// Dates: `civil(fromDays:)` is Howard Hinnant's days-to-civil algorithm (proleptic Gregorian,
// exact for any day count), so YYYYMMDD values are computed, never looked up.

import Frame

/// The listening window, the diurnal activity curve and calendar helpers.
enum ListenClock {
    /// 2016-11-01 00:00:00 UTC, the first midnight of the window.
    static let firstMidnight = 1_477_958_400
    /// Days from firstMidnight that a session may start on (2016-11-01..2016-12-01).
    static let windowDays = 31
    /// Relative listening activity by UTC hour 0..23 (a French audience at UTC+1).
    static let activityByHour: [Double] = [
        3.0, 1.8, 1.1, 0.8, 0.8, 1.2, 2.5, 4.0, 4.6, 4.8, 4.9, 5.0,
        5.1, 5.0, 5.0, 5.2, 5.6, 6.0, 6.2, 6.3, 6.0, 5.3, 4.4, 3.6,
    ]
    /// Seconds between the end of one listen and the start of the next: 0 up to this.
    static let maxGap = 8
    /// A skipped listen lasts between 1 and this many seconds (a skip happens within 30 s).
    static let maxSkipSeconds = 30
    /// A listen longer than this advances the clock by this much at most (sentinel durations).
    static let maxAdvance = 1_200

    /// The 1970 outliers start at ts 1 (the file's minimum) and spread over this many seconds:
    /// devices whose clock was reset to the epoch.
    static let epochSpread = 40 * 86_400
    /// 1980-01-01 00:00:00 UTC, where the 1980 outliers start.
    static let start1980 = 315_532_800

    /// Draws hours of day with the activity curve.
    static let hourSampler = AliasTable(weights: activityByHour)

    /// A session start inside the window.
    static func sessionStart(_ rng: inout Xoshiro256) -> Int {
        while true {
            let day = rng.below(windowDays)
            let hour = hourSampler.sample(&rng)
            let t = firstMidnight + day * 86_400 + hour * 3_600 + rng.below(3_600)
            if DSG17.listenWindow.contains(t) { return t }
        }
    }

    /// The UTC hour of day of UNIX time `t`.
    @inline(__always)
    static func hour(_ t: Int) -> Int { (t / 3_600) % 24 }

    /// The (year, month, day) of `days` since 1970-01-01 (Hinnant's civil_from_days).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The YYYYMMDD integer of `days` since 1970-01-01.
    static func yyyymmdd(fromDays days: Int) -> Int {
        let c = civil(fromDays: days)
        return c.year * 10_000 + c.month * 100 + c.day
    }

    /// Days since 1970-01-01 of UNIX time `t`.
    static func days(ofTime t: Int) -> Int { t / 86_400 }
}
