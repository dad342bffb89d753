// ItemKNN against a naive all-pairs computation from the dense preference matrix: cosine of
// the item columns, or the dot product of BM25-weighted columns (the formula of the file
// comment: w_iu = r_iu (k1 + 1) / (k1 (1 - b + b len_i / avg len) + r_iu) · idf_u with
// len_i = Σ_u r_iu and idf_u = log(items) - log(1 + items of u)); each item keeps its k most
// similar other items (positive similarities only), ties by raw id; and
// score(u, i) = Σ_{j ∈ u} r_uj s(j, i), which explain splits into its terms.

import Foundation
import Testing
import Learn

func knnParameters(k: Int = 100, similarity: ItemKNN.Similarity = .cosine, k1: Double = 100, b: Double = 0.8) -> ItemKNN.Parameters {
    var p = ItemKNN.Parameters()
    p.k = k
    p.similarity = similarity
    p.k1 = k1
    p.b = b
    return p
}

/// The dense user x item matrix of listens (or, for `.count`, of rows), in the model's dense order.
func denseMatrix(_ rows: [LogRow], _ index: InteractionIndex, _ preference: Preference) -> Dense {
    var a = zeros(index.users.count, index.items.count)
    for row in rows {
        let u = index.users.index(of: RawID(row.user))!.int, i = index.items.index(of: RawID(row.item))!.int
        if preference == .count || row.label > 0.5 { a[u][i] += 1 }
    }
    return a
}

/// All-pairs similarities s[i][j] (i ≠ j) from the definitions, in Double.
func naiveSimilarities(_ a: Dense, _ p: ItemKNN.Parameters) -> Dense {
    let users = a.count, items = a[0].count
    var w = transpose(a)                       // items x users
    switch p.similarity {
    case .cosine:
        for i in 0..<items {
            let norm = dot(w[i], w[i]).squareRoot()
            if norm > 0 { w[i] = w[i].map { $0 / norm } }
        }
    case .bm25:
        let itemsOfUser = (0..<users).map { u in a[u].filter { $0 != 0 }.count }
        let idf = itemsOfUser.map { log(Double(items)) - log(1 + Double($0)) }
        let lengths = w.map { $0.reduce(0, +) }
        let average = lengths.reduce(0, +) / Double(items)
        for i in 0..<items {
            for u in 0..<users where w[i][u] != 0 {
                let r = w[i][u]
                w[i][u] = r * (p.k1 + 1) / (p.k1 * (1 - p.b + p.b * lengths[i] / average) + r) * idf[u]
            }
        }
    }
    return (0..<items).map { i in (0..<items).map { j in i == j ? 0 : dot(w[i], w[j]) } }
}

/// The kept neighbours of item i: its k best positive similarities, ties by raw id.
func naiveNeighbours(_ s: Dense, k: Int, rawIDs: [Int64]) -> [[Int: Double]] {
    s.indices.map { i in
        let candidates = s[i].indices.filter { $0 != i && s[i][$0] > 1e-9 }
        let best = referenceTopK(k, scores: candidates.map { s[i][$0] }, ids: candidates.map { rawIDs[$0] }, skip: [])
        return Dictionary(uniqueKeysWithValues: best.map { (candidates[$0], s[i][candidates[$0]]) })
    }
}

/// Whether `kept` is a top k of the positive similarities `s[i]` when values within
/// `tolerance` count as ties: similarities that tie in exact arithmetic (1/√5 as 1·1/√5 and as
/// 2·(1/√2)(1/√10)) may differ in the last bits of Float or Double, and then either is right.
/// Exact ties are broken by raw id; `tiesAreBrokenByRawID` checks that on exact twins.
func isTopK(_ kept: Set<Int>, of s: [Double], item i: Int, k: Int, tolerance: Double = 1e-5) -> Bool {
    let candidates = s.indices.filter { $0 != i && s[$0] > 1e-9 }.sorted { s[$0] > s[$1] }
    guard kept.count == min(k, candidates.count), kept.isSubset(of: candidates) else { return false }
    guard candidates.count > k else { return true }
    let boundary = s[candidates[k - 1]]
    return kept.allSatisfy { s[$0] >= boundary - tolerance } &&
        candidates.filter { !kept.contains($0) }.allSatisfy { s[$0] <= boundary + tolerance }
}

func neighbours(of i: Int, _ model: ItemKNN) -> [Int: Double] {
    Dictionary(uniqueKeysWithValues: model.neighbours.range(of: i).map {
        (Int(model.neighbours.indices[$0]), Double(model.neighbours.values[$0]))
    })
}

@Suite struct ItemKNNTests {
    static let log = randomLog(seed: 700, users: 14, items: 12, rows: 130)

    static let settings: [ItemKNN.Parameters] = [
        knnParameters(), knnParameters(k: 3), knnParameters(k: 1),
        knnParameters(similarity: .bm25), knnParameters(k: 4, similarity: .bm25, k1: 1.2, b: 0.75),
        knnParameters(k: 2, similarity: .bm25, k1: 0, b: 0),
    ]

    @Test(arguments: settings.indices, [Preference.listens, .count])
    func neighboursEqualTheNaiveAllPairsComputation(_ setting: Int, _ preference: Preference) throws {
        let p = Self.settings[setting]
        let model = try ItemKNN.fit(try logFrame(Self.log), parameters: p, preference: PreferenceSpec(preference))
        let a = denseMatrix(Self.log, model.index, preference)
        let similarities = naiveSimilarities(a, p)
        let expected = naiveNeighbours(similarities, k: p.k, rawIDs: model.index.items.raw)
        #expect(isWellFormed(model.neighbours))
        for i in 0..<a[0].count {
            let kept = neighbours(of: i, model)
            #expect(isTopK(Set(kept.keys), of: similarities[i], item: i, k: p.k), "item \(i): \(kept.keys.sorted()) vs \(expected[i].keys.sorted())")
            for (j, s) in kept { #expect(abs(s - similarities[i][j]) <= 1e-5 * max(1, abs(s)), "s(\(i), \(j))") }
        }
        #expect(model.work == a.reduce(0) { n, row in let c = row.filter { $0 != 0 }.count; return n + c * c })
    }

    /// Items 30, 10 and 20 have the same listeners, so every item's similarity to each of them
    /// ties; with k = 2 the two smallest raw ids are kept, whatever the dense order.
    @Test func tiesAreBrokenByRawID() throws {
        var rows: [LogRow] = []
        for user in [Int64(1), 2, 3] {
            for item in [Int64(30), 10, 20] { rows.append(LogRow(user: user, item: item, label: 1, time: 0, weight: 1)) }
        }
        for user in [Int64(2), 3, 4] { rows.append(LogRow(user: user, item: 5, label: 1, time: 0, weight: 1)) }
        let model = try ItemKNN.fit(try logFrame(rows), parameters: knnParameters(k: 2))
        let dense = { (raw: Int64) in model.index.items.index(of: RawID(raw))!.int }
        #expect(Set(neighbours(of: dense(5), model).keys) == [dense(10), dense(20)])
        #expect(Set(neighbours(of: dense(30), model).keys) == [dense(10), dense(20)])
        #expect(Set(neighbours(of: dense(10), model).keys) == [dense(20), dense(30)])
        #expect(model.similarItems(to: dense(5), top: 5).map { model.index.items.raw[$0.item] } == [10, 20])
        #expect(model.similarItems(to: dense(10), top: 1).map { model.index.items.raw[$0.item] } == [20])
    }

    @Test(arguments: settings.indices)
    func theScoreSumsTheSimilaritiesOfTheHeardItems(_ setting: Int) throws {
        let p = Self.settings[setting]
        let model = try ItemKNN.fit(try logFrame(Self.log), parameters: p)
        let a = denseMatrix(Self.log, model.index, .listens)
        // The kept similarities s(j, i) (held to the naive ones above), dense.
        let kept = (0..<a[0].count).map { neighbours(of: $0, model) }
        for u in 0..<a.count {
            var scores = [Float](repeating: .nan, count: a[0].count)
            scores.withUnsafeMutableBufferPointer { model.scoreItems(user: u, into: $0) }
            let history = a[u].enumerated().filter { $0.element != 0 }.map { ItemScore(item: $0.offset, score: $0.element) }
            let folded = model.scores(forHistory: history)
            for i in 0..<a[0].count {
                let expected = (0..<a[0].count).reduce(0.0) { $0 + a[u][$1] * (kept[$1][i] ?? 0) }
                #expect(abs(model.score(user: Int32(u), item: Int32(i)) - expected) <= 1e-5 * max(1, expected), "user \(u) item \(i)")
                #expect(abs(Double(scores[i]) - expected) <= 1e-5 * max(1, expected))
                #expect(folded[i] == scores[i], "fold-in of the user's own row")
                // explain: the heard items with a nonzero share, largest first, adding up.
                let parts = model.explain(user: u, item: i)
                #expect(abs(parts.reduce(0) { $0 + $1.score } - model.score(user: Int32(u), item: Int32(i))) <= 1e-5 * max(1, expected))
                #expect(parts.allSatisfy { a[u][$0.item] != 0 && $0.score != 0 })
                #expect(Set(parts.map(\.item)) == Set((0..<a[0].count).filter { a[u][$0] != 0 && kept[$0][i] != nil }))
                #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.score >= $1.score })
            }
        }
        #expect(model.score(user: -1, item: 0) == 0 && model.score(user: 0, item: -1) == 0)
    }

    @Test func similarItemsAreTheNeighboursBestFirst() throws {
        let model = try ItemKNN.fit(try logFrame(Self.log), parameters: knnParameters(k: 5))
        for i in 0..<model.index.items.count {
            let kept = neighbours(of: i, model)
            let expectedOrder = referenceTopK(3, scores: Array(kept.values), ids: kept.keys.map { model.index.items.raw[$0] }, skip: [])
                .map { Array(kept.keys)[$0] }
            #expect(model.similarItems(to: i, top: 3).map(\.item) == expectedOrder, "item \(i)")
            #expect(!model.similarItems(to: i, top: 20).contains { $0.item == i })
        }
    }
}
