// Correlation: Pearson's or Spearman's coefficient between every pair of numeric columns, each
// pair over the rows where both are present (pandas' `DataFrame.corr`, pairwise complete).
//
// Pearson, from the one-pass sums of `GramMatrix` over the rows where both are present:
//   r = (Σxy - ΣxΣy/n) / sqrt((Σx² - (Σx)²/n)(Σy² - (Σy)²/n)),  clamped to [-1, 1].
// Spearman is Pearson on average ranks (`Ranks`). Without missing values each column is ranked
// once (a small integer range through a table of ranks per value, read while tiling, so no
// rank column is stored); with missing values each pair is ranked over its own complete rows,
// as pandas does (slower: a sort per pair).
// NaN means "undefined": one of the two columns is constant over the rows they share (its
// variance is 0, or below `constantTolerance` of its raw sum of squares, i.e. rounding noise),
// or they share fewer than two rows. A column's correlation with itself is 1, or NaN if constant.

/// The kind of correlation coefficient.
package enum CorrelationMethod: String, Sendable, CaseIterable {
    /// Linear correlation of the values.
    case pearson
    /// Pearson correlation of the values' average ranks: monotone association.
    case spearman
}

/// A symmetric matrix of correlation coefficients, rows and columns in `names` order.
package struct CorrelationMatrix: Sendable, Equatable {
    /// The columns, in row and column order of `values`.
    package var names: [String]
    /// values[i][j]: coefficient of names[i] with names[j]; NaN when undefined.
    package var values: [[Double]]
}

extension DataFrame {
    /// A variance below this fraction of the sum of squares of the shifted values is rounding
    /// noise of a constant column (a varying column's ratio is near 1: it is shifted by its mean).
    static let constantTolerance = 1e-12

    /// The numeric columns `names` (all numeric columns when nil), or an error naming the culprit.
    func numericColumns(_ names: [String]?) throws(FrameError) -> [Column] {
        guard let names else { return columns.filter { $0.type.isNumeric } }
        var out: [Column] = []
        for name in names {
            let c = try column(name)
            guard c.type.isNumeric else {
                throw .wrongType(column: name, expected: "a numeric column for a correlation", actual: c.type)
            }
            out.append(c)
        }
        return out
    }

    /// Correlation coefficients between every pair of `columns` (all numeric columns when nil),
    /// each pair over the rows where both are present; NaN where undefined (a constant column,
    /// or fewer than two shared rows).
    package func correlation(columns names: [String]? = nil, method: CorrelationMethod = .pearson) throws(FrameError) -> CorrelationMatrix {
        let selected = try numericColumns(names)
        let values: [[Double]]
        switch method {
        case .pearson:
            values = DataFrame.pearson(selected, rows: rowCount)
        case .spearman:
            values = DataFrame.spearman(selected, rows: rowCount)
        }
        return CorrelationMatrix(names: selected.map(\.name), values: values)
    }

    /// Pairwise-complete Pearson coefficients.
    static func pearson(_ columns: [Column], rows: Int) -> [[Double]] {
        pearson(columns.map { $0.visitNumeric(TileSourceVisitor())! }, rows: rows)
    }

    /// Pairwise-complete Pearson coefficients of tile sources.
    static func pearson(_ sources: [TileSource], rows: Int) -> [[Double]] {
        let shifts = Parallel.map(sources.count) { sources[$0].mean() }
        let gram = GramMatrix.accumulate(sources, shifts: shifts, rows: rows)
        let k = sources.count
        var out = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
        for a in 0..<k {
            for b in a..<k {
                let s = gram.pair(a, b)
                let r = coefficient(n: s.n, sx: s.sx, sy: s.sy, sxx: s.sxx, syy: s.syy, sxy: s.sxy)
                out[a][b] = a == b && !r.isNaN ? 1 : r
                out[b][a] = out[a][b]
            }
        }
        return out
    }

    /// Pearson's r from sums over n rows; NaN when undefined.
    static func coefficient(n: Double, sx: Double, sy: Double, sxx: Double, syy: Double, sxy: Double) -> Double {
        guard n >= 2 else { return .nan }
        let vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        guard vx > constantTolerance * sxx, vy > constantTolerance * syy, vx > 0, vy > 0 else { return .nan }
        let r = (sxy - sx * sy / n) / (vx * vy).squareRoot()
        return Swift.min(1, Swift.max(-1, r))
    }

    /// Spearman coefficients: Pearson on average ranks.
    static func spearman(_ columns: [Column], rows: Int) -> [[Double]] {
        if columns.allSatisfy({ $0.presence() == nil }) {
            // Ranks as tile sources: looked up in a per-value table, or sorted and stored.
            return pearson(Parallel.map(columns.count) { columns[$0].visitNumeric(RankTileVisitor())! }, rows: rows)
        }
        let ordered = Parallel.map(columns.count) { columns[$0].visitNumeric(OrderedValueVisitor())! }
        // Rank each pair over its own complete rows.
        let k = columns.count
        let pairs = (0..<k).flatMap { a in (a..<k).map { (a, $0) } }
        let coefficients = Parallel.map(pairs.count) { p -> Double in
            let (a, b) = pairs[p]
            let pa = ordered[a].present, pb = ordered[b].present
            var keysA: [UInt64] = [], keysB: [UInt64] = []
            for i in 0..<rows where (pa?[i] ?? true) && (pb?[i] ?? true) {
                keysA.append(ordered[a].values[i])
                keysB.append(ordered[b].values[i])
            }
            let ra = Ranks.average(keysA, present: nil), rb = Ranks.average(keysB, present: nil)
            let pair = [Column.doubles("a", ra), .doubles("b", rb)]
            return pearson(pair, rows: ra.count)[0][1]
        }
        var out = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
        for (p, (a, b)) in pairs.enumerated() {
            let r = coefficients[p]
            out[a][b] = a == b && !r.isNaN ? 1 : r
            out[b][a] = out[a][b]
        }
        return out
    }
}
