import Testing
import Learn

@Suite struct IDMapTests {
    @Test func denseIndicesFollowFirstAppearance() {
        var map = IDMap()
        let raw: [Int64] = [137_260_128, 5, -3, 5, 137_260_128, 0, .max, -3]
        let dense = raw.map { map.insert(RawID($0)).value }
        #expect(dense == [0, 1, 2, 1, 0, 3, 4, 2])
        #expect(map.count == 5)
        #expect(map.raw == [137_260_128, 5, -3, 0, .max])
    }

    @Test func lookupsBothWays() {
        var map = IDMap()
        for id: Int64 in [30, 10, 20] { _ = map.insert(RawID(id)) }
        #expect(map.index(of: RawID(10)) == DenseIndex(1))
        #expect(map.index(of: RawID(99)) == nil)
        #expect(map.rawID(DenseIndex(2)) == RawID(20))
        for i in 0..<map.count {
            #expect(map.index(of: map.rawID(DenseIndex(i))) == DenseIndex(i))
        }
    }

    @Test func rebuiltFromRawIDsEqualsTheOriginal() {
        var map = IDMap()
        for id: Int64 in [8, 3, 8, 1] { _ = map.insert(RawID(id)) }
        let rebuilt = IDMap(rawIDs: map.raw)
        #expect(rebuilt == map)
        #expect(rebuilt.index(of: RawID(1)) == DenseIndex(2))
        #expect(IDMap(rawIDs: [1, 2]) != IDMap(rawIDs: [2, 1]))
    }

    @Test func emptyMap() {
        let map = IDMap()
        #expect(map.count == 0)
        #expect(map.index(of: RawID(0)) == nil)
    }

    @Test func idTypes() {
        #expect(RawID(3) < RawID(10))
        #expect("\(RawID(-42))" == "-42")
        #expect(DenseIndex(7).int == 7)
        #expect(DenseIndex(Int32(2)) < DenseIndex(3))
    }
}
