// Matrix and Vector: the SIMD dot and axpy loops (every length through two SIMD widths and a
// tail) against a plain loop, rows, dots and norms, and the seeded Gaussian start.

import Testing
import Learn

@Suite struct MatrixTests {
    @Test(arguments: 0...19)
    func vectorKernelsEqualTheLoop(n: Int) {
        var rng = TestRandom(seed: UInt64(n) + 100)
        let a = (0..<n).map { _ in Float(rng.normal()) }, b = (0..<n).map { _ in Float(rng.normal()) }
        let expected = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let d = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Vector.dot(x.baseAddress!, y.baseAddress!, n) } }
        #expect(abs(Double(d) - expected) < 1e-5)
        var y = b
        a.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { Vector.axpy(-2.5, x.baseAddress!, $0.baseAddress!, n) } }
        for i in 0..<n { #expect(abs(Double(y[i]) - (Double(b[i]) - 2.5 * Double(a[i]))) < 1e-5) }
    }

    @Test func rowsDotsAndNorms() {
        var m = Matrix(rows: 3, columns: 10)
        #expect(m.values == [Float](repeating: 0, count: 30))
        for r in 0..<3 { for c in 0..<10 { m[r, c] = Float(r + 1) * Float(c % 4) } }
        #expect(m.row(1) == (0..<10).map { 2 * Float($0 % 4) })
        #expect(m[2, 3] == 9)
        let other = Matrix(rows: 2, columns: 10, values: (0..<20).map { Float($0) })
        var expected: Float = 0
        for c in 0..<10 { expected += Float(c % 4) * Float(10 + c) }
        #expect(m.dot(0, other, 1) == expected)
        let norms = m.rowNorms()
        for r in 0..<3 {
            let expected = (0..<10).reduce(0.0) { $0 + Double(m[r, $1] * m[r, $1]) }.squareRoot()
            #expect(abs(Double(norms[r]) - expected) < 1e-5)
        }
    }

    @Test func gaussianIsDeterministicAndScaled() {
        let a = Matrix.gaussian(rows: 40, columns: 25, scale: 0.5, seed: 3)
        #expect(a == Matrix.gaussian(rows: 40, columns: 25, scale: 0.5, seed: 3))
        #expect(a != Matrix.gaussian(rows: 40, columns: 25, scale: 0.5, seed: 4))
        let values = a.values.map(Double.init)
        let mean = values.reduce(0, +) / 1000
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1000).squareRoot()
        #expect(abs(mean) < 0.05 && abs(sd - 0.5) < 0.05, "mean \(mean), sd \(sd)")
        #expect(Matrix.gaussian(rows: 3, columns: 4, scale: 0, seed: 1).values.allSatisfy { $0 == 0 })
    }
}
