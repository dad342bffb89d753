// Descriptive statistics of one column, as `describe` reports them, exact and fast on millions
// of rows.
//
// Definitions (pandas' and numpy's): count = non-null rows (a float NaN counts, as in the frame
// it is a value; it then takes no part in the statistics below); std is the sample standard
// deviation (divides by n - 1); quantiles interpolate linearly between order statistics:
//   q(p) = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]),  h = (n - 1)p, x sorted ascending;
// distinct counts distinct values exactly (integers as integers, not as rounded Doubles).
//
// Algorithm (`SummaryKernel`), per numeric column, in parallel row chunks:
//   integers: their range (compared in their own type);
//     range max - min within `countingRangeLimit`: a counting histogram gives the exact sum
//     (Σ c_v (v - min)), distinct values (non-empty bins), order statistics (cumulative counts)
//     and M2 = Σ c_v (v - mean)², all in O(n + range);
//     otherwise: a copy as unsigned keys v - min with their exact sum (a wrap counter, so int64
//     extremes cannot overflow), LSD radix sorted (`RadixSort`, only the bits the range needs),
//     then order statistics by position, distinct values by comparing neighbours and
//     M2 = Σ (x - mean)² over the copy;
//   floats: count, range and a blockwise sum first, then the copy as order-preserving keys with
//     M2 summed while copying, sorted and read as above.
// Mean is an exact (integers) or blockwise (floats) sum over n, and M2 is centred on that mean:
// the two-pass algorithm, stable on timestamps near 1.5e9 where a naive sum of squares loses
// every digit. Columns run in parallel, the costliest (radix sorts) first.
// `ReferenceSummary` in the tests is the plain oracle (sort a Double copy, Welford's update).

import Dispatch

/// Count, nulls, moments, quantiles and distinct count of a column.
package struct ColumnSummary: Sendable, Equatable {
    /// Non-null rows (a float NaN counts here, but not in the statistics below).
    package var count: Int
    /// Null rows.
    package var nulls: Int
    /// Mean of the values; nil for text or when there is no value.
    package var mean: Double?
    /// Sample standard deviation (n - 1); nil below two values.
    package var std: Double?
    /// Smallest value.
    package var min: Double?
    /// First quartile, interpolated linearly.
    package var q25: Double?
    /// Median, interpolated linearly.
    package var median: Double?
    /// Third quartile, interpolated linearly.
    package var q75: Double?
    /// Largest value.
    package var max: Double?
    /// Distinct values (exact; strings by dictionary code).
    package var distinct: Int
}

extension Column {
    /// Summary statistics; moments and quantiles only for numeric columns.
    package func summary() -> ColumnSummary {
        let nulls = nullCount
        if case .string(let codes, let dictionary) = data {
            let distinct = SummaryKernel.distinctCodes(ColumnView(codes, validity: validity), dictionarySize: dictionary.values.count)
            return ColumnSummary(count: count - nulls, nulls: nulls, distinct: distinct)
        }
        var summary = visitNumeric(SummaryKernel())!
        summary.count = count - nulls
        summary.nulls = nulls
        return summary
    }

    /// A rough cost of `summary()`, for scheduling the costliest columns first.
    var summaryCost: Int {
        switch data {
        case .int8, .bool, .string: count
        case .int16: 2 * count
        case .int32, .int64, .float64: 8 * count
        }
    }
}

extension DataFrame {
    /// The summary of every column, columns in parallel (costliest first), each column's
    /// passes in parallel too.
    package func summaries() -> [ColumnSummary] {
        let cols = columns
        let order = cols.indices.sorted { cols[$0].summaryCost > cols[$1].summaryCost }
        let results = Parallel.map(order.count) { cols[order[$0]].summary() }
        var out = results
        for (position, column) in order.enumerated() { out[column] = results[position] }
        return out
    }
}
