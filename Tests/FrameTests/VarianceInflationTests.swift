// Variance inflation against numpy: on the correlation fixture,
// `np.diag(np.linalg.inv(np.corrcoef(X, rowvar=False)))`; with a collinear column e = a + b,
// per column `np.linalg.lstsq` of the column on the others plus an intercept, VIF = 1/(1-R²)
// (inf when 1 - R² <= 1e-10). Values copied below.

import Testing
@testable import Frame

@Suite struct VarianceInflationTests {
    @Test func matchesNumpy() throws {
        let v = try CorrelationFixture.frame.varianceInflation()
        #expect(v.map(\.column) == ["a", "b", "c", "d"])
        let want = [21.14985445672467, 18.572779881573105, 1.1561442260189445, 1.5255219369126998]
        #expect(zip(v.map(\.vif), want).allSatisfy { close($0, $1, 1e-9) }, "\(v)")
    }

    @Test func perfectlyCollinearColumnsAreInfinite() throws {
        let f = CorrelationFixture.frame
        let e = zip(CorrelationFixture.a, CorrelationFixture.b).map { Double($0) + $1 }
        let v = try f.with(.doubles("e", e)).varianceInflation()
        let want = [Double.infinity, .infinity, 1.1561442260191206, 1.525521936914573, .infinity]
        #expect(zip(v.map(\.vif), want).allSatisfy { close($0, $1, 1e-8) }, "\(v)")
    }

    @Test func constantColumnsAreNaNAndLeftOutOfTheOthers() throws {
        let f = try CorrelationFixture.frame.with(.integers("k", [Int64](repeating: 7, count: 12)))
        let v = try f.varianceInflation()
        #expect(v[4].vif.isNaN)
        #expect(close(v[0].vif, 21.14985445672467, 1e-9))
    }

    @Test func matchesRegressionOnRandomData() throws {
        // Reference: R² from least squares via the normal equations of centred columns.
        let f = try randomFrame(rows: 500, seed: 3, nullRate: 0.1).selecting(["k8", "k16", "i32", "f"])
        let v = try f.varianceInflation()
        let complete = (0..<f.rowCount).filter { r in f.columns.allSatisfy { !$0.double(at: r).isNaN } }
        let x = f.columns.map { c in complete.map { c.double(at: $0) } }
        for j in 0..<4 {
            let others = (0..<4).filter { $0 != j }
            func centred(_ v: [Double]) -> [Double] { let m = v.reduce(0, +) / Double(v.count); return v.map { $0 - m } }
            let y = centred(x[j]), z = others.map { centred(x[$0]) }
            var a = z.map { p in z.map { q in zip(p, q).map(*).reduce(0, +) } }
            var rhs = z.map { p in zip(p, y).map(*).reduce(0, +) }
            // Gaussian elimination (3 x 3, well conditioned).
            for c in 0..<3 {
                for r in (c + 1)..<3 {
                    let t = a[r][c] / a[c][c]
                    for s in c..<3 { a[r][s] -= t * a[c][s] }
                    rhs[r] -= t * rhs[c]
                }
            }
            var beta = [0.0, 0.0, 0.0]
            for c in (0..<3).reversed() { beta[c] = (rhs[c] - ((c + 1)..<3).map { a[c][$0] * beta[$0] }.reduce(0, +)) / a[c][c] }
            let fitted = (0..<y.count).map { i in (0..<3).map { beta[$0] * z[$0][i] }.reduce(0, +) }
            let ssr = zip(y, fitted).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            let sst = y.map { $0 * $0 }.reduce(0, +)
            #expect(close(v[j].vif, sst / ssr, 1e-9), "column \(j): \(v[j].vif) vs \(sst / ssr)")
        }
    }
}
