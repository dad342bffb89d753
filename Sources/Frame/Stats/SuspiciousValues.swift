// Suspicious values: sentinels and impossible values that `describe` should point out, found by
// DSG17's column-name conventions and by one generic rule.
//
// By name (exact, case-insensitive), each reported only when some row matches:
//   release_date    == 30000101 or == 19000101      placeholder date
//   media_duration  == 0 or == 65535                sentinel duration
//   ts_listen       <  1,000,000,000 (before 2001)  timestamp near 0: clock error
//   user_age        outside 10...100                impossible age
//   ts_listen with release_date: the UTC date of ts_listen (YYYYMMDD, `CivilDate`) earlier than
//     release_date, reported on release_date as "listened before release"; rows already flagged
//     (placeholder date, clock error) are left out of this count.
// Generic: an integer column whose maximum is a type sentinel (32767 = Int16.max, 65535,
// 2147483647 = Int32.max, 99999999) and that no name rule above already covers. Legitimate data
// rarely tops out exactly there; on DSG17 only the name rules fire.
// Nulls and NaN are never suspicious. Each count is a parallel pass over the column.

/// A group of rows holding a suspicious value in one column.
package struct SuspiciousValue: Sendable, Equatable {
    /// The column holding the values.
    package var column: String
    /// What is wrong, e.g. "placeholder date 30000101".
    package var description: String
    /// Rows with the value.
    package var count: Int
    /// The first such row.
    package var exampleRow: Int?
}

extension DataFrame {
    /// Placeholder release dates of DSG17 (YYYYMMDD).
    package static let placeholderDates: [Int64] = [30_000_101, 19_000_101]
    /// Sentinel durations of DSG17, in seconds.
    package static let sentinelDurations: [Int64] = [0, 65_535]
    /// Listen times before this (2001-09-09) are clock errors in a 2016 log.
    package static let earliestPlausibleTimestamp: Int64 = 1_000_000_000
    /// Ages outside this range are impossible for a listener.
    package static let plausibleAges: ClosedRange<Int64> = 10...100
    /// Maxima that betray a fill value rather than data.
    package static let typeSentinels: [Int64] = [Int64(Int16.max), 65_535, Int64(Int32.max), 99_999_999]

    /// Sentinels and impossible values, by DSG17's column names and by type-sentinel maxima.
    package func suspiciousValues() -> [SuspiciousValue] {
        var out: [SuspiciousValue] = []
        var covered: [String: Set<Int64>] = [:]
        func flag(_ column: Column, _ description: String, _ found: (count: Int, first: Int?)) {
            if found.count > 0 {
                out.append(SuspiciousValue(column: column.name, description: description, count: found.count, exampleRow: found.first))
            }
        }
        func named(_ name: String) -> Column? {
            columns.first { $0.name.lowercased() == name && $0.type.isNumeric }
        }
        if let c = named("release_date") {
            for date in DataFrame.placeholderDates {
                flag(c, "placeholder date \(date)", SentinelCount.rows(c) { $0 == Double(date) })
            }
            covered[c.name] = Set(DataFrame.placeholderDates)
        }
        if let c = named("media_duration") {
            for duration in DataFrame.sentinelDurations {
                flag(c, "sentinel duration \(duration)", SentinelCount.rows(c) { $0 == Double(duration) })
            }
            covered[c.name] = Set(DataFrame.sentinelDurations)
        }
        let earliest = Double(DataFrame.earliestPlausibleTimestamp)
        if let c = named("ts_listen") {
            flag(c, "timestamp near 0 (before 2001): clock error", SentinelCount.rows(c) { $0 < earliest })
        }
        if let c = named("user_age") {
            let ages = DataFrame.plausibleAges
            flag(c, "impossible age (outside \(ages.lowerBound)...\(ages.upperBound))",
                 SentinelCount.rows(c) { $0 < Double(ages.lowerBound) || $0 > Double(ages.upperBound) })
        }
        if let ts = named("ts_listen"), let release = named("release_date") {
            let found = SentinelCount.listensBeforeRelease(ts, release, earliest: earliest,
                                                           placeholders: DataFrame.placeholderDates.map(Double.init))
            flag(release, "listened before release (UTC date of \(ts.name) earlier than \(release.name))", found)
        }
        for c in columns where c.type.isInteger {
            guard let top = c.summaryMaximum(), DataFrame.typeSentinels.contains(top),
                  !(covered[c.name]?.contains(top) ?? false) else { continue }
            flag(c, "maximum is the sentinel \(top)", SentinelCount.rows(c) { $0 == Double(top) })
        }
        return out
    }
}

/// Counts of rows matching a predicate, in parallel chunks.
enum SentinelCount {
    /// Rows of `column` whose present value satisfies `predicate`, and the first one.
    static func rows(_ column: Column, where predicate: (Double) -> Bool) -> (count: Int, first: Int?) {
        withoutActuallyEscaping(predicate) { column.visitNumeric(PredicateCounter(predicate: $0))! }
    }

    /// Rows i in 0..<count with `predicate(i)`, and the first one.
    static func rows(count: Int, where predicate: (Int) -> Bool) -> (count: Int, first: Int?) {
        let parts = Parallel.mapChunks(count) { range -> (Int, Int?) in
            var n = 0, first: Int?
            for i in range where predicate(i) {
                if first == nil { first = i }
                n += 1
            }
            return (n, first)
        }
        return (parts.reduce(0) { $0 + $1.0 }, parts.lazy.compactMap(\.1).first)
    }
}

extension SentinelCount {
    /// Days spanned by a table of dates (YYYYMMDD per day), beyond which dates are computed.
    static let dateTableLimit = 1 << 20
    /// Timestamps at or beyond this many seconds (about 31.7 million years) are not converted
    /// to dates: no listen is that late, and the day arithmetic would leave Int64.
    static let latestDatedTimestamp = 1e15

    /// Rows whose UTC date of `ts` (UNIX seconds, at least `earliest`) is before `release`
    /// (YYYYMMDD, not a placeholder), and the first one. The dates of the days between the
    /// earliest and latest timestamp are tabulated once (a 2016 log spans a few dozen).
    static func listensBeforeRelease(_ ts: Column, _ release: Column, earliest: Double, placeholders: [Double]) -> (count: Int, first: Int?) {
        let time = ts.visitNumeric(DoubleReader())!, date = release.visitNumeric(DoubleReader())!
        let latest = ts.summaryMaximumDouble() ?? earliest
        let firstDay = Int64((earliest / 86_400).rounded(.down))
        let lastDay = latest.isFinite && latest < latestDatedTimestamp ? Int64((latest / 86_400).rounded(.down)) : firstDay
        let span = lastDay - firstDay + 1
        let table: [Double] = span > 0 && span <= dateTableLimit
            ? (0..<span).map { Double(CivilDate.yyyymmdd(fromUnixSeconds: (firstDay + $0) * 86_400)) } : []
        return rows(count: ts.count) { i in
            let t = time(i), r = date(i)
            guard !t.isNaN, !r.isNaN, t >= earliest, abs(t) < latestDatedTimestamp, !placeholders.contains(r) else { return false }
            let day = Int64((t / 86_400).rounded(.down)) - firstDay
            let yyyymmdd = day < table.count ? table[Int(day)] : Double(CivilDate.yyyymmdd(fromUnixSeconds: Int64(t.rounded(.down))))
            return yyyymmdd < r
        }
    }
}

/// Reads a numeric column's rows as Doubles, NaN for missing (a closure made in specialised code).
private struct DoubleReader: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> (Int) -> Double {
        { i in view.hasValue(i) ? view.values[i].kernelDouble : .nan }
    }
}

private struct PredicateCounter: NumericVisitor {
    let predicate: (Double) -> Bool

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> (count: Int, first: Int?) {
        SentinelCount.rows(count: view.count) { i in view.hasValue(i) && predicate(view.values[i].kernelDouble) }
    }
}

extension Column {
    /// The largest present value of an integer column.
    fileprivate func summaryMaximum() -> Int64? {
        visitNumeric(MaximumVisitor()) ?? nil
    }
}

extension Column {
    /// The largest present value of a numeric column, as a Double.
    fileprivate func summaryMaximumDouble() -> Double? {
        visitNumeric(MaximumDoubleVisitor()) ?? nil
    }
}

private struct MaximumVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> Int64? { IntegerRange.of(view)?.1 }
}

private struct MaximumDoubleVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> Double? {
        let parts = Parallel.mapChunks(view.count) { range -> Double? in
            var hi: Double?
            for i in range where view.hasValue(i) { hi = Swift.max(hi ?? -.infinity, view.values[i].kernelDouble) }
            return hi
        }
        return parts.compactMap { $0 }.max()
    }
}
