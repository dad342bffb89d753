// Dedupe against a set of seen keys; filter against the frame's plain serial gather.

import Testing
@testable import Frame

@Suite struct DedupeTests {
    static func reference(_ f: DataFrame, on names: [String]) -> DataFrame {
        var seen = Set<[RefKey]>(), keep: [Int] = []
        for r in 0..<f.rowCount where seen.insert(names.map { RefKey(f[$0]![r]) }).inserted { keep.append(r) }
        return f.gather(keep)
    }

    @Test(arguments: [["k8"], ["f"], ["s", "b"], ["i64", "k8"]])
    func keepsFirstOccurrencesInOrder(names: [String]) throws {
        for (seed, n) in [(UInt64(1), 0), (2, 1), (3, 400)] {
            let f = randomFrame(rows: n, seed: seed)
            #expect(sameFrame(try f.deduplicated(on: names), Self.reference(f, on: names)))
        }
    }

    @Test func allColumnsByDefault() throws {
        let f = try DataFrame([.integers("a", [1, 1, 2, 1]), .strings("b", ["x", "x", "x", nil])])
        #expect(rows(try f.deduplicated()) == [[.int(1), .string("x")], [.int(2), .string("x")], [.int(1), .null]])
        let random = randomFrame(rows: 300, seed: 4, nullRate: 0.5)
        let narrow = try random.selecting(["k8", "b"])
        #expect(sameFrame(try narrow.deduplicated(), Self.reference(narrow, on: ["k8", "b"])))
    }

    @Test func unknownColumn() throws {
        let f = try DataFrame([.integers("a", [1])])
        #expect(throws: FrameError.unknownColumn(name: "z", available: ["a"])) { try f.deduplicated(on: ["z"]) }
    }
}

@Suite struct FilterTests {
    @Test func matchesTheSerialGather() {
        var d = Draw(seed: 5)
        for n in [0, 1, 63, 64, 65, 1000, 2 * Gather.minimumChunk + 100] {
            let f = randomFrame(rows: n, seed: UInt64(n))
            for p in [0.0, 0.3, 1.0] {
                let mask = (0..<n).map { _ in d.chance(p) }
                let kept = (0..<n).filter { mask[$0] }
                #expect(sameFrame(f.filtered(mask), f.gather(kept)), "n \(n) p \(p)")
            }
        }
    }

    @Test func parallelGatherKeepsValidity() {
        let f = randomFrame(rows: 3 * Gather.minimumChunk + 5, seed: 2)
        let indices = (0..<f.rowCount).reversed().map { $0 }
        for c in f.columns {
            let fast = indices.withUnsafeBufferPointer { c.gatherParallel($0) }
            let slow = indices.withUnsafeBufferPointer { c.gather($0) }
            #expect(fast.validity == slow.validity)
            #expect((0..<fast.count).allSatisfy { sameCell(fast[$0], slow[$0]) })
        }
    }

    @Test func nullableGatherMakesNullsForNegativeIndices() {
        let c = Column.integers("v", [7, 8, 9], validity: Bitmap([true, false, true]))
        let g = [2, -1, 1, 0].withUnsafeBufferPointer { c.gatherNullable($0) }
        #expect((0..<4).map { g[$0] } == [.int(9), .null, .null, .int(7)])
        let plain = Column.integers("v", [7, 8])
        #expect([1, 0].withUnsafeBufferPointer { plain.gatherNullable($0) }.validity == nil)
    }
}
