// Histogram: counts of a numeric column's values in equal-width bins over [min, max], numpy's
// convention (`np.histogram(a, bins)`), so the same data gives the same counts.
//
//   edges[i] = min + i * (max - min) / bins for i < bins, edges[bins] = max (numpy's linspace);
//   bin i holds edges[i] <= x < edges[i + 1]; the last bin also holds x == max (closed).
//   A constant column uses [min - 0.5, max + 0.5] (numpy does the same); no value at all, [0, 1].
// The bin of x is first estimated as floor((x - min) / (max - min) * bins), then moved by one
// where the estimate disagrees with the edges (numpy's correction for rounding), so counts agree
// with the edges exactly. Nulls and NaN are counted apart; an infinite value is an error, as in
// numpy. Counting runs over row chunks in parallel, one count array per chunk.

/// Equal-width bin counts of a column.
package struct Histogram: Sendable, Equatable {
    /// bins + 1 ascending bin edges.
    package var edges: [Double]
    /// Values per bin.
    package var counts: [Int]
    /// Rows left out: nulls and NaN.
    package var nulls: Int
}

extension DataFrame {
    /// The most bins a histogram may have (each thread keeps a count array this long).
    package static let histogramBinLimit = 1_000_000

    /// Counts of `column`'s values in `bins` equal-width bins over [min, max] (numpy's rule:
    /// bins half-open, the last closed); nulls and NaN are counted in `nulls`.
    package func histogram(_ column: String, bins: Int) throws(FrameError) -> Histogram {
        let c = try self.column(column)
        guard c.type.isNumeric else {
            throw .wrongType(column: column, expected: "a numeric column for a histogram", actual: c.type)
        }
        guard bins >= 1 && bins <= DataFrame.histogramBinLimit else {
            throw .invalidArgument("bins must be between 1 and \(DataFrame.histogramBinLimit), not \(bins)")
        }
        let result = c.visitNumeric(HistogramVisitor(bins: bins))!
        guard let result else {
            throw .invalidArgument("histogram of '\(column)' needs finite values; it has an infinite one, filter it out first")
        }
        return result
    }
}

/// Counts of one column; nil when a value is infinite.
private struct HistogramVisitor: NumericVisitor {
    let bins: Int

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> Histogram? {
        let ranges = Parallel.chunks(view.count)
        // Pass 1: range and missing values.
        let bounds = Parallel.map(ranges.count) { c -> (lo: Double, hi: Double, present: Int) in
            var lo = Double.infinity, hi = -Double.infinity, present = 0
            for i in ranges[c] where view.hasValue(i) {
                let x = view.values[i].kernelDouble
                lo = Swift.min(lo, x)
                hi = Swift.max(hi, x)
                present += 1
            }
            return (lo, hi, present)
        }
        let present = bounds.reduce(0) { $0 + $1.present }
        var first = bounds.map(\.lo).min() ?? .infinity, last = bounds.map(\.hi).max() ?? -.infinity
        if present == 0 {
            first = 0
            last = 1
        } else if !first.isFinite || !last.isFinite {
            return nil
        }
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let step = (last - first) / Double(bins)
        var edges = (0...bins).map { first + Double($0) * step }
        edges[bins] = last

        // Pass 2: counts per chunk, summed.
        let denominator = last - first, scale = Double(bins)
        let parts = edges.withUnsafeBufferPointer { e in
            Parallel.map(ranges.count) { c -> [Int] in
                var counts = [Int](repeating: 0, count: bins)
                counts.withUnsafeMutableBufferPointer { counts in
                    for i in ranges[c] where view.hasValue(i) {
                        let x = view.values[i].kernelDouble
                        var b = Int((x - first) / denominator * scale)
                        if b >= bins { b = bins - 1 }
                        if b < 0 { b = 0 }
                        if x < e[b] { b -= 1 } else if b != bins - 1 && x >= e[b + 1] { b += 1 }
                        counts[b] &+= 1
                    }
                }
                return counts
            }
        }
        var counts = parts.first ?? [Int](repeating: 0, count: bins)
        for part in parts.dropFirst() {
            for b in 0..<bins { counts[b] += part[b] }
        }
        return Histogram(edges: edges, counts: counts, nulls: view.count - present)
    }
}
