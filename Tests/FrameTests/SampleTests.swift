// Sampling: size, distinct rows in order, determinism under a seed, both algorithms, rough
// uniformity over many seeds (a fixed set of seeds, so never flaky), and the generator
// against the reference xoshiro256** outputs.

import Testing
@testable import Frame

@Suite struct SampleTests {
    @Test func xoshiroMatchesTheReferenceOutputs() {
        // First outputs of the reference C code (xoshiro256starstar.c) from state {1, 2, 3, 4}.
        var g = Xoshiro256(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                                  607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
                                  10_595_114_339_597_558_777, 2_904_607_092_377_533_576]
        #expect((0..<10).map { _ in g.next() } == expected)
    }

    @Test(arguments: [(0, 0), (10, 0), (10, 3), (10, 10), (1000, 5), (1000, 600), (100_000, 100)])
    func drawsDistinctRowsInOrder(total: Int, n: Int) {
        let rows = DataFrame.sampleRows(n: n, of: total, seed: 42)
        #expect(rows.count == n)
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 })
        #expect(rows.allSatisfy { (0..<total).contains($0) })
        #expect(rows == DataFrame.sampleRows(n: n, of: total, seed: 42))
    }

    @Test func seedsChangeTheSample() {
        #expect(DataFrame.sampleRows(n: 5, of: 1000, seed: 1) != DataFrame.sampleRows(n: 5, of: 1000, seed: 2))
        #expect(DataFrame.sampleRows(n: 500, of: 1000, seed: 1) != DataFrame.sampleRows(n: 500, of: 1000, seed: 2))
    }

    @Test(arguments: [2, 12])
    func everyRowIsAboutEquallyLikely(n: Int) {
        // 2 of 40 uses Floyd's algorithm, 12 of 40 selection sampling.
        let total = 40, trials = 4000
        var hits = [Int](repeating: 0, count: total)
        for seed in 0..<trials { for r in DataFrame.sampleRows(n: n, of: total, seed: UInt64(seed)) { hits[r] += 1 } }
        let expected = Double(trials * n) / Double(total)
        let chi2 = hits.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // 39 degrees of freedom: the 99.9% point is about 72.
        #expect(chi2 < 72, "chi-square \(chi2)")
    }

    @Test func sampledFrameGathersTheRows() throws {
        let f = randomFrame(rows: 100, seed: 3)
        #expect(sameFrame(try f.sampled(n: 10, seed: 7), f.gather(DataFrame.sampleRows(n: 10, of: 100, seed: 7))))
    }

    @Test func errors() throws {
        let f = randomFrame(rows: 3, seed: 1)
        #expect(throws: FrameError.invalidArgument("cannot sample 4 rows without replacement from a frame of 3 rows; ask for at most 3")) {
            try f.sampled(n: 4, seed: 1)
        }
        #expect(throws: FrameError.invalidArgument("cannot sample -1 rows; give a count of 0 or more")) { try f.sampled(n: -1, seed: 1) }
    }
}
