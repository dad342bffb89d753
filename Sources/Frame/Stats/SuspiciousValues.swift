// Suspicious values: sentinels and impossible values that `describe` should point out, found
// by rules a caller gives (a data set's conventions: DSG17's live with the interpreter) and by
// one generic rule.
//
// A rule names a column (exact, case-insensitive, numeric) and flags, each only when some row
// matches:
//   values      each listed value of the column                 (placeholder dates, sentinels)
//   below       values under a threshold                        (timestamps near 0)
//   outside     values outside a closed range                   (impossible ages)
//   dateBefore  rows whose UTC date of a timestamp column (YYYYMMDD, `CivilDate`) is earlier
//               than a date column, reported on the date column; rows whose date is one of
//               `ignoring` or whose timestamp is under `earliest` are left out
// Generic: an integer column whose maximum is a type sentinel (32767 = Int16.max, 65535,
// 2147483647 = Int32.max, 99999999) and that no `values` rule already covers. Legitimate data
// rarely tops out exactly there. Nulls and NaN are never suspicious. Each count is a parallel
// pass over the column.

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

/// A convention of a data set that makes some values suspicious.
package enum SentinelRule: Sendable, Equatable {
    /// Each of `values` in `column`, described as "\(label) \(value)".
    case values(column: String, values: [Int64], label: String)
    /// Values of `column` below `threshold`.
    case below(column: String, threshold: Double, description: String)
    /// Values of `column` outside `range`.
    case outside(column: String, range: ClosedRange<Int64>, description: String)
    /// Rows whose UTC date of `timestamp` (UNIX seconds) is earlier than `date` (YYYYMMDD).
    case dateBefore(date: String, timestamp: String, ignoring: [Int64], earliest: Double, description: String)
}

extension DataFrame {
    /// Maxima that betray a fill value rather than data.
    package static let typeSentinels: [Int64] = [Int64(Int16.max), 65_535, Int64(Int32.max), 99_999_999]

    /// Sentinels and impossible values by `rules`, in their order, then type-sentinel maxima.
    package func suspiciousValues(rules: [SentinelRule] = []) -> [SuspiciousValue] {
        var out: [SuspiciousValue] = []
        var covered: [String: Set<Int64>] = [:]
        func flag(_ column: Column, _ description: String, _ found: (count: Int, first: Int?)) {
            if found.count > 0 {
                out.append(SuspiciousValue(column: column.name, description: description, count: found.count, exampleRow: found.first))
            }
        }
        func named(_ name: String) -> Column? {
            columns.first { $0.name.lowercased() == name.lowercased() && $0.type.isNumeric }
        }
        for rule in rules {
            switch rule {
            case .values(let name, let values, let label):
                guard let c = named(name) else { continue }
                for v in values { flag(c, "\(label) \(v)", SentinelCount.rows(c) { $0 == Double(v) }) }
                covered[c.name, default: []].formUnion(values)
            case .below(let name, let threshold, let description):
                guard let c = named(name) else { continue }
                flag(c, description, SentinelCount.rows(c) { $0 < threshold })
            case .outside(let name, let range, let description):
                guard let c = named(name) else { continue }
                flag(c, description, SentinelCount.rows(c) { $0 < Double(range.lowerBound) || $0 > Double(range.upperBound) })
            case .dateBefore(let dateName, let timestampName, let ignoring, let earliest, let description):
                guard let ts = named(timestampName), let date = named(dateName) else { continue }
                flag(date, description, SentinelCount.listensBeforeRelease(ts, date, earliest: earliest,
                                                                          placeholders: ignoring.map(Double.init)))
            }
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
