// The generators against their reference outputs, and the samplers against their distributions.

import Testing
import Frame
@testable import Synth

@Suite struct RandomTests {
    @Test func splitMix64MatchesTheReference() {
        var g = SplitMix64(state: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiro256StarStarMatchesTheReference() {
        var g = Xoshiro256(state: (1, 2, 3, 4))
        #expect([g.next(), g.next(), g.next(), g.next()] == [11_520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func streamsAreIndependentAndStable() {
        var a = Xoshiro256(seed: 1, stream: .userLog, index: 0)
        var b = Xoshiro256(seed: 1, stream: .userLog, index: 1)
        var c = Xoshiro256(seed: 1, stream: .userLog, index: 0)
        let x = a.next()
        #expect(x != b.next())
        #expect(x == c.next())
    }

    @Test func uniformsAndBoundedIntegersStayInRange() {
        var g = Xoshiro256(seed: 5)
        for _ in 0..<10_000 {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
            #expect((0..<7).contains(g.below(7)))
        }
    }

    @Test func gaussianHasMeanZeroAndUnitVariance() {
        var g = Xoshiro256(seed: 9)
        let xs = (0..<50_000).map { _ in g.gaussian() }
        let m = xs.reduce(0, +) / Double(xs.count)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)
        #expect(abs(m) < 0.02)
        #expect(abs(v - 1) < 0.03)
    }

    @Test func aliasTableReproducesItsWeights() {
        let weights = [5.0, 0, 1, 3, 0.5, 0.5]
        let table = AliasTable(weights: weights)
        for (i, w) in weights.enumerated() { #expect(abs(table.probability(of: i) - w / 10) < 1e-12) }
        var g = Xoshiro256(seed: 2)
        var counts = [Int](repeating: 0, count: weights.count)
        for _ in 0..<100_000 { counts[table.sample(&g)] += 1 }
        #expect(counts[1] == 0)
        for (i, w) in weights.enumerated() { #expect(abs(Double(counts[i]) / 100_000 - w / 10) < 0.01) }
    }

    @Test func zipfFavoursSmallValues() {
        let zipf = ZipfDistribution(n: 30, exponent: 1.7)
        var g = Xoshiro256(seed: 4)
        let xs = (0..<50_000).map { _ in zipf.sample(&g) }
        #expect(xs.allSatisfy { (1...30).contains($0) })
        let ones = Double(xs.filter { $0 == 1 }.count) / 50_000
        let expectedOnes = 1 / (1...30).reduce(0.0) { $0 + pow(Double($1), -1.7) }
        #expect(abs(ones - expectedOnes) < 0.01)
        #expect(abs(Double(xs.reduce(0, +)) / 50_000 - zipf.mean) < 0.1)
    }

    @Test func steeredSamplerKeepsRowSharesNearTarget() {
        var sampler = SteeredSampler(weights: [0.606, 0.394], tolerance: 0.002, totalRows: 100_000)
        var g = Xoshiro256(seed: 8)
        var rows = [0, 0]
        // Heavy users first, as `Population` does.
        for n in (0..<400).map({ 2_000 / ($0 + 1) + 60 }) {
            rows[sampler.draw(rows: n, &g)] += n
        }
        #expect(abs(Double(rows[1]) / Double(rows[0] + rows[1]) - 0.394) < 0.01)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
