// CivilDate: UNIX seconds to the proleptic Gregorian date in UTC, as a YYYYMMDD integer (the
// form of DSG17's release_date), with Howard Hinnant's civil_from_days algorithm.
//
// days = ⌊seconds / 86400⌋ (floor, so times before 1970 land on the right day). Shifting the
// epoch to 0000-03-01 puts the leap day last in the year; a 400-year era has 146,097 days, and
// inside it the year of era, day of year and a month starting in March follow from integer
// division (153 days per 5 months). Exact for every Int64 day count that fits a year in Int64.

/// Dates of UNIX timestamps.
package enum CivilDate {
    package static let secondsPerDay: Int64 = 86_400

    /// The UTC date of `seconds` since 1970-01-01T00:00:00Z as YYYYMMDD (e.g. 20161130).
    package static func yyyymmdd(fromUnixSeconds seconds: Int64) -> Int64 {
        let (y, m, d) = civil(fromDays: floorDivide(seconds, secondsPerDay))
        return y * 10_000 + m * 100 + d
    }

    /// Year, month (1-12) and day (1-31) of `days` since 1970-01-01.
    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let doe = z - era * 146_097                                           // [0, 146096]
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365    // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                     // [0, 365]
        let mp = (5 * doy + 2) / 153                                          // [0, 11], March = 0
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
