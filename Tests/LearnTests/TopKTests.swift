// Top-k selection: both overloads (a closure per candidate; Float scores with raw ids and an
// excluded list) held equal to sorting everything.

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

/// The Float overload, as `recommend` and the ranking metrics call it.
func floatTopK(_ k: Int, _ scores: [Float], _ ids: [Int64], excluding: ArraySlice<Int32>) -> [Int] {
    scores.withUnsafeBufferPointer { s in ids.withUnsafeBufferPointer { TopK.select(k, scores: s, rawIDs: $0, excluding: excluding) } }
}

/// Random scores (from a few levels, so ties abound, NaN with probability `nanShare`), raw ids
/// in random order, and a random ascending excluded list, as a slice that does not start at 0.
func randomCandidates(seed: UInt64, nanShare: Int) -> (scores: [Float], ids: [Int64], excluded: ArraySlice<Int32>) {
    var rng = TestRandom(seed: seed)
    let n = 1 + rng.int(80)
    let scores = (0..<n).map { _ -> Float in
        nanShare > 0 && rng.int(nanShare) == 0 ? .nan : [-1, 0, 0.5, 0.5, 2, 7.25][rng.int(6)]
    }
    var ids = (0..<n).map { Int64($0 * 11 - 40) }
    for i in stride(from: n - 1, to: 0, by: -1) { ids.swapAt(i, rng.int(i + 1)) }
    let excluded = [Int32(-7)] + (0..<n).filter { _ in rng.int(4) == 0 }.map(Int32.init)
    return (scores, ids, excluded.dropFirst())
}

@Suite struct FloatTopKTests {
    @Test(arguments: (UInt64(1)...12).map { $0 })
    func equalsSortingEverything(seed: UInt64) {
        let (scores, ids, excluded) = randomCandidates(seed: seed, nanShare: 0)
        let n = scores.count
        let doubles = scores.map(Double.init)
        for k in 0...(n + 2) {
            #expect(floatTopK(k, scores, ids, excluding: excluded) ==
                    referenceTopK(k, scores: doubles, ids: ids, skip: Set(excluded.map(Int.init))), "k = \(k), n = \(n)")
            #expect(floatTopK(k, scores, ids, excluding: []) == referenceTopK(k, scores: doubles, ids: ids, skip: []))
        }
    }

    /// With NaN scores: the numbers always come first and in the right order; which NaNs fill
    /// the rest should follow the raw ids too, but the heap's fast rejection drops a NaN
    /// without comparing ids when the worst kept is also NaN.
    @Test(arguments: (UInt64(20)...31).map { $0 })
    func withNaNsEqualsSortingEverything(seed: UInt64) {
        let (scores, ids, excluded) = randomCandidates(seed: seed, nanShare: 3)
        let n = scores.count
        let doubles = scores.map(Double.init)
        let skip = Set(excluded.map(Int.init))
        var wrong: [Int] = []
        for k in 0...(n + 2) {
            let fast = floatTopK(k, scores, ids, excluding: excluded)
            let reference = referenceTopK(k, scores: doubles, ids: ids, skip: skip)
            #expect(fast.count == reference.count)
            #expect(fast.filter { !scores[$0].isNaN } == reference.filter { !doubles[$0].isNaN }, "k = \(k)")
            #expect(fast.allSatisfy { !skip.contains($0) })
            if fast != reference { wrong.append(k) }
        }
        #expect(wrong.isEmpty, "the NaNs kept differ from sorting everything for k in \(wrong), n = \(n)")
    }

    /// The smallest case: two NaNs, one slot; the smaller raw id (index 1) should win, as it
    /// does in the closure overload and in `referenceTopK`.
    @Test func equalNaNsGoToTheSmallerID() {
        let ids: [Int64] = [10, 5]
        #expect(TopK.select(1, from: 2, score: { _ in .nan }, tieBreak: { ids[$0] }) == [1])
        #expect(floatTopK(1, [.nan, .nan], ids, excluding: []) == [1])
    }

    @Test func tiesGoToTheSmallerIDAndExclusionsAreSkipped() {
        let scores: [Float] = [1, 2, 2, 2, 0]
        let ids: [Int64] = [10, 40, 20, 30, 50]
        #expect(floatTopK(2, scores, ids, excluding: []) == [2, 3])
        #expect(floatTopK(4, scores, ids, excluding: []) == [2, 3, 1, 0])
        #expect(floatTopK(3, scores, ids, excluding: [2, 4]) == [3, 1, 0])
        #expect(floatTopK(9, scores, ids, excluding: [0, 1, 2, 3, 4]) == [])
        #expect(floatTopK(0, scores, ids, excluding: []) == [])
        // NaN below every number, -inf included.
        #expect(floatTopK(2, [.nan, -.infinity, .nan], [1, 2, 3], excluding: []) == [1, 0])
    }
}

