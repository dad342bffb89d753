// IDMap: raw ids <-> dense indices, on both of IntegerIndex's lookups (a direct table for ids
// in a narrow range, a hash table for spread ids), held equal to a dictionary.

import Testing
import Frame
import Learn

@Suite struct IDMapTests {
    @Test func lookupsBothWays() {
        let map = IDMap(rawIDs: [30, 10, 20])
        #expect(map.count == 3)
        #expect(map.index(of: RawID(10)) == DenseIndex(1))
        #expect(map.index(of: RawID(99)) == nil)
        #expect(map.rawID(DenseIndex(2)) == RawID(20))
        for i in 0..<map.count {
            #expect(map.index(of: map.rawID(DenseIndex(i))) == DenseIndex(i))
        }
    }

    /// Narrow ids (a direct table) and spread ids (hashed), negative ones and the extremes.
    @Test(arguments: [
        [Int64](0..<50).map { $0 * 3 + 1 },
        [137_260_128, 5, -3, 0, .max, .min, 42, -1_000_000_007],
        (0..<300).map { Int64($0) * 1_000_003 - 150_000_000 },
    ])
    func equalsADictionary(_ raw: [Int64]) throws {
        let map = IDMap(rawIDs: raw)
        let reference = Dictionary(uniqueKeysWithValues: raw.enumerated().map { ($0.element, Int32($0.offset)) })
        #expect(map.raw == raw)
        // Probes: every id, its neighbours, and ids far away.
        var probes = raw.flatMap { [$0, $0 &+ 1, $0 &- 1] }
        probes += [0, 1, -1, 1 << 40, -(1 << 40)]
        for id in probes {
            #expect(map.index(of: RawID(id))?.value == reference[id], "id \(id)")
        }
        // A whole column at once, -1 where unknown.
        let column = Column.integers("ids", probes)
        #expect(map.indices(of: column) == probes.map { reference[$0] ?? -1 })
    }

    /// Ids in a narrow range use a direct table indexed by id - min. With a negative minimum,
    /// id - min overflows for ids near Int64.max; the lookup must compare without wrapping.
    @Test func aHugeIDAgainstNegativeNarrowIDsIsUnknown() {
        #expect(IDMap(rawIDs: [5, 0, 10]).index(of: RawID(.max)) == nil, "a non-negative minimum is fine")
        #expect(IDMap(rawIDs: [-5, 0, 10]).index(of: RawID(.max)) == nil)
        #expect(IDMap(rawIDs: [-5, 0, 10]).index(of: RawID(.min)) == nil)
        #expect(IDMap(rawIDs: [-5, 0, 10]).index(of: RawID(-5)) == DenseIndex(0))
    }

    @Test func columnsThatAreNotIntegerHaveNoIndices() {
        let map = IDMap(rawIDs: [1, 2])
        #expect(map.indices(of: .doubles("x", [1, 2])) == nil)
        #expect(map.indices(of: .strings("x", ["1"])) == nil)
        #expect(map.indices(of: .bools("x", [true, false])) == [0, -1], "booleans read as 1 and 0")
        #expect(map.indices(of: .integers("x", [2, 9, 1], validity: Bitmap([true, true, false]))) == [1, -1, -1], "a null is unknown")
    }

    @Test func equalityIsByRawIDsInOrder() {
        #expect(IDMap(rawIDs: [8, 3, 1]) == IDMap(rawIDs: [8, 3, 1]))
        #expect(IDMap(rawIDs: [1, 2]) != IDMap(rawIDs: [2, 1]))
    }

    @Test func emptyMap() {
        let map = IDMap(rawIDs: [])
        #expect(map.count == 0)
        #expect(map.index(of: RawID(0)) == nil)
        #expect(map.indices(of: .integers("x", [0, 5])) == [-1, -1])
    }

    @Test func idTypes() {
        #expect(RawID(3) < RawID(10))
        #expect("\(RawID(-42))" == "-42")
        #expect(DenseIndex(7).int == 7)
        #expect(DenseIndex(Int32(2)) < DenseIndex(3))
    }
}
