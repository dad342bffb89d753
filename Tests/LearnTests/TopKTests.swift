import Testing
import Learn

@Suite struct TopKTests {
    /// Random scores with many ties, random distinct ids, random skips, every k from 0 past n:
    /// the heap selection equals sorting everything.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func equalsSortingEverything(seed: UInt64) {
        var rng = TestRandom(seed: seed)
        let n = 1 + rng.int(60)
        let scores = (0..<n).map { _ in Double(rng.int(5)) / 4 }
        // Distinct ids in random order, so the tie-break is not the index order.
        var ids = (0..<n).map { Int64($0 * 7 + 3) }
        for i in stride(from: n - 1, to: 0, by: -1) { ids.swapAt(i, rng.int(i + 1)) }
        let skip = Set((0..<n).filter { _ in rng.int(4) == 0 })
        for k in 0...(n + 2) {
            let fast = TopK.select(k, from: n, score: { scores[$0] }, tieBreak: { ids[$0] },
                                   skip: { skip.contains($0) })
            #expect(fast == referenceTopK(k, scores: scores, ids: ids, skip: skip), "k = \(k), n = \(n)")
            let unskipped = TopK.select(k, from: n, score: { scores[$0] }, tieBreak: { ids[$0] })
            #expect(unskipped == referenceTopK(k, scores: scores, ids: ids, skip: []), "k = \(k), n = \(n)")
        }
    }

    @Test func tiesGoToTheSmallerID() {
        let scores = [1.0, 2, 2, 2, 0]
        let ids: [Int64] = [10, 40, 20, 30, 50]
        #expect(TopK.select(2, from: 5, score: { scores[$0] }, tieBreak: { ids[$0] }) == [2, 3])
        #expect(TopK.select(4, from: 5, score: { scores[$0] }, tieBreak: { ids[$0] }) == [2, 3, 1, 0])
    }

    @Test func nanScoresRankLastAndAmongThemselvesByID() {
        let scores: [Double] = [.nan, 0.5, .nan, -1, .nan]
        let ids: [Int64] = [3, 9, 1, 8, 2]
        let all = TopK.select(5, from: 5, score: { scores[$0] }, tieBreak: { ids[$0] })
        #expect(all == referenceTopK(5, scores: scores, ids: ids, skip: []))
        #expect(all == [1, 3, 2, 4, 0])
        #expect(TopK.select(3, from: 5, score: { scores[$0] }, tieBreak: { ids[$0] }) == [1, 3, 2])
    }

    @Test func zeroOrNothingToChooseFrom() {
        #expect(TopK.select(0, from: 3, score: { Double($0) }, tieBreak: { Int64($0) }) == [])
        #expect(TopK.select(3, from: 0, score: { Double($0) }, tieBreak: { Int64($0) }) == [])
        #expect(TopK.select(2, from: 3, score: { Double($0) }, tieBreak: { Int64($0) }, skip: { _ in true }) == [])
    }
}
