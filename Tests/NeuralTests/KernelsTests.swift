// Kernels.gemm against a triple loop in Double, for every transposition, below and above the
// size at which a product is split in two, and the split's determinism.

import Frame
import Testing
@testable import Neural

@Suite struct KernelsTests {
    /// C = op(A) op(B) by the definition, in Double.
    static func reference(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, a: [Float], b: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k {
                    let x = ta ? a[l * m + i] : a[i * k + l]
                    let y = tb ? b[j * k + l] : b[l * n + j]
                    s += Double(x) * Double(y)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        return (0..<count).map { _ in Float(rng.uniform() * 2 - 1) }
    }

    @Test(arguments: [(3, 5, 4), (128, 400, 20), (20, 400, 128), (128, 20, 400), (300, 100, 64)])
    func productsMatchTheDefinition(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for ta in [false, true] {
            for tb in [false, true] {
                let a = Self.random(m * k, seed: 1), b = Self.random(k * n, seed: 2)
                var c = [Float](repeating: 9, count: m * n)
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            Kernels.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: ap.baseAddress!, lda: ta ? m : k,
                                         b: bp.baseAddress!, ldb: tb ? k : n, c: cp.baseAddress!, ldc: n)
                        }
                    }
                }
                let expected = Self.reference(ta, tb, m: m, n: n, k: k, a: a, b: b)
                let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst < 1e-4 * Double(k), "m \(m) n \(n) k \(k) ta \(ta) tb \(tb): error \(worst)")
            }
        }
    }

    @Test func splitProductsAreTheSameEveryTime() {
        let (m, n, k) = (256, 400, 100)
        #expect(m * n * k >= Kernels.shardWork)
        let a = Self.random(m * k, seed: 3), b = Self.random(k * n, seed: 4)
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        Kernels.gemm(m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            return c
        }
        let first = product()
        for _ in 0..<20 { #expect(product() == first) }
    }
}
