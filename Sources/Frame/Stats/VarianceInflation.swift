// Variance inflation factors: how much each column's coefficient variance is inflated by its
// correlation with the others, in a linear regression with an intercept.
//
//   VIF_j = 1 / (1 - R²_j),  R²_j from regressing column j on all the others (with intercept).
// With R the correlation matrix of the columns, 1 - R²_j = 1 / (R⁻¹)_jj, so VIF_j = (R⁻¹)_jj:
// one Gauss-Jordan inverse (`SmallMatrix.inverse`) gives them all. Rows with a missing value in
// any selected column are left out (listwise, as a regression would), so R is a proper
// correlation matrix.
// Meaning of special values: +inf when column j is (to `collinearTolerance`) a linear
// combination of the others, which makes R singular; the inverse is then refused and each VIF is
// found from its own residual variance (`SmallMatrix.residualVariance`), so only the columns
// inside a collinear set are +inf. NaN for a constant column (it is collinear with the
// intercept); constant columns are left out of the others' regressions.

extension DataFrame {
    /// Residual variances (1 - R²) at or below this are perfect collinearity.
    package static let collinearTolerance = 1e-10

    /// The variance inflation factor of each of `columns` (all numeric columns when nil)
    /// against the others: 1 / (1 - R²); +inf when perfectly collinear, NaN when constant.
    package func varianceInflation(columns names: [String]? = nil) throws(FrameError) -> [(column: String, vif: Double)] {
        let selected = try numericColumns(names)
        var complete = try DataFrame(selected)
        if selected.contains(where: { $0.nullCount > 0 || $0.type == .float64 }) {
            let present = selected.map { $0.presence() }
            let mask = Parallel.array(rowCount) { i in present.allSatisfy { $0?[i] ?? true } }
            complete = complete.filtered(mask)
        }
        let r = DataFrame.pearson(complete.columns, rows: complete.rowCount)
        let varying = (0..<selected.count).filter { !r[$0][$0].isNaN }
        var vif = [Double](repeating: .nan, count: selected.count)
        let sub = varying.map { a in varying.map { b in r[a][b] } }
        if let inverse = SmallMatrix.inverse(sub, tolerance: DataFrame.collinearTolerance) {
            for (i, j) in varying.enumerated() { vif[j] = inverse[i][i] >= 1 / DataFrame.collinearTolerance ? .infinity : Swift.max(1, inverse[i][i]) }
        } else {
            for (i, j) in varying.enumerated() {
                let residual = SmallMatrix.residualVariance(sub, of: i, tolerance: DataFrame.collinearTolerance)
                vif[j] = residual <= DataFrame.collinearTolerance ? .infinity : Swift.max(1, 1 / residual)
            }
        }
        return zip(selected, vif).map { (column: $0.name, vif: $1) }
    }
}
