// Descriptive statistics of one column, as `describe` reports them.
//
// Mean and standard deviation in one pass with Welford's update (numerically stable on
// timestamps near 1.5e9, where the naive sum of squares loses every digit). Quantiles
// interpolate linearly between order statistics (pandas' and numpy's default):
//   q(p) = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]),  h = (n - 1)p, x sorted ascending.
// The sample standard deviation divides by n - 1 (pandas' default).

import Dispatch

/// Count, nulls, moments, quantiles and distinct count of a column.
package struct ColumnSummary: Sendable, Equatable {
    package var count: Int
    package var nulls: Int
    package var mean: Double?
    package var std: Double?
    package var min: Double?
    package var q25: Double?
    package var median: Double?
    package var q75: Double?
    package var max: Double?
    package var distinct: Int
}

extension Column {
    /// Summary statistics; moments and quantiles only for numeric columns.
    package func summary() -> ColumnSummary {
        let nulls = nullCount
        let present = count - nulls
        if case .string(let codes, _) = data {
            var seen = Set<UInt32>()
            for i in 0..<codes.count where !isNull(i) { seen.insert(codes[i]) }
            return ColumnSummary(count: present, nulls: nulls, distinct: seen.count)
        }
        var values = [Double]()
        values.reserveCapacity(present)
        for i in 0..<count where !isNull(i) {
            let v = double(at: i)
            if !v.isNaN { values.append(v) }
        }
        var summary = ColumnSummary(count: present, nulls: nulls, distinct: 0)
        guard !values.isEmpty else { return summary }
        var mean = 0.0, m2 = 0.0
        for (k, x) in values.enumerated() {
            let delta = x - mean
            mean += delta / Double(k + 1)
            m2 += delta * (x - mean)
        }
        values.sort()
        func quantile(_ p: Double) -> Double {
            let h = Double(values.count - 1) * p
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, values.count - 1)
            return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
        }
        var distinct = 1
        for k in 1..<values.count where values[k] != values[k - 1] { distinct += 1 }
        summary.mean = mean
        summary.std = values.count > 1 ? (m2 / Double(values.count - 1)).squareRoot() : nil
        summary.min = values.first
        summary.q25 = quantile(0.25)
        summary.median = quantile(0.5)
        summary.q75 = quantile(0.75)
        summary.max = values.last
        summary.distinct = distinct
        return summary
    }
}

extension DataFrame {
    /// The summary of every column, computed in parallel.
    package func summaries() -> [ColumnSummary] {
        let results = UnsafeMutableBufferPointer<ColumnSummary?>.allocate(capacity: columnCount)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let cols = columns
        nonisolated(unsafe) let out = results // each iteration writes only its own slot
        DispatchQueue.concurrentPerform(iterations: cols.count) { i in
            out[i] = cols[i].summary()
        }
        return results.map { $0! }
    }
}
