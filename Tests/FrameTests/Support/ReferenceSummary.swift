// The plain oracle for `Column.summary()`: the original implementation (sort a Double copy,
// Welford's update for mean and variance), except that distinct values of integer columns are
// counted on the integers themselves, so int64 values that round to the same Double stay apart.

@testable import Frame

extension Column {
    func referenceSummary() -> ColumnSummary {
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
        if type.isInteger, let ints = int64Values() {
            distinct = Set((0..<count).filter { !isNull($0) }.map { ints[$0] }).count
        }
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
