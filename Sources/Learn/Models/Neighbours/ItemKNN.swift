// Item-based k nearest neighbours on co-listens (Sarwar et al. 2001; implicit's
// ItemItemRecommender with its cosine and BM25 weightings).
//
// W is the item x user matrix of the preference, weighted:
//   cosine: each item's row scaled to unit length, so s(i, j) = cos(W_i, W_j);
//   bm25:   w_iu = r_iu (k1 + 1) / (k1 · (1 - b + b · len_i / avg len) + r_iu) · idf_u,
//           len_i = Σ_u r_iu, idf_u = log(items) - log(1 + items of u): heavy users count
//           less, and an item's row is length-normalised (implicit's bm25_weight);
// then s(i, j) = <W_i, W_j> for j ≠ i, and each item keeps its `k` most similar items (ties
// by raw id). A user's score of item i sums the similarities of the items they heard:
//   score(u, i) = Σ_{j ∈ u} r_uj s(j, i).
// The products run item by item on every core, accumulating into a dense row per thread:
// the work is Σ_u (items of u)², which the fit reports.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Neighbourhood scores from item-item similarities.
package struct ItemKNN: Recommender, FittableModel, ItemSimilarity, FoldIn, Explaining {
    package enum Similarity: String, Sendable, CaseIterable { case cosine, bm25 }

    package struct Parameters: Sendable, Equatable {
        package var k: Int = 100
        package var similarity: Similarity = .cosine
        package var k1: Double = 100
        package var b: Double = 0.8
        package init() {}
    }

    package static let kindName = "itemknn"
    package static let summary = "item-based nearest neighbours on co-listens (cosine or BM25-weighted)"
    package static let details = [
        "s(i, j) is the cosine of the items' columns of the user x item preference matrix (similarity=cosine) or the dot product of their BM25-weighted columns (similarity=bm25, with k1 and b as implicit's bm25_weight: heavy users and long items weigh less). Each item keeps its k most similar items; score(u, i) = Σ_{j heard by u} r_uj s(j, i). Scores are ranking scores.",
        "The fit costs Σ_u (items of u)² multiply-adds, which it reports; explain lists the heard items behind a score.",
    ]
    package static let examples = ["m = fit itemknn on train k=100", "m = fit itemknn on train similarity=bm25 k=50"]
    package static let input = ModelInput.preferences
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("k", \.k, 1...10_000, "neighbours kept per item"),
        .choice("similarity", \.similarity, "cosine of the items' columns, or BM25-weighted dot product"),
        .number("k1", \.k1, min: 0, max: 1e6, "bm25: saturation of repeated listens"),
        .number("b", \.b, min: 0, max: 1, "bm25: strength of the item length normalisation"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let preference: Preference
    /// The user x item preference matrix (what scores sum over).
    package let userItems: CSRMatrix
    /// Row j: the neighbours i of item j with s(j, i), indices ascending.
    package let neighbours: CSRMatrix
    /// Σ_u (items of u)²: multiply-adds of the fit.
    package let work: Int
    package var scoreKind: ScoreKind { .ranking }

    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> ItemKNN {
        let a = data.matrix
        let itemUsers = weighted(a.transposed(), parameters)
        let userItemsW = itemUsers.transposed()
        let items = a.columns, k = Swift.min(parameters.k, Swift.max(items - 1, 1))
        var work = 0
        for u in 0..<a.rows { work += a.range(of: u).count * a.range(of: u).count }
        let chunks = Parallel.chunks(items, parts: Parallel.threadCount * 16, minimum: 256)
        let cancel = context.cancellation
        let rawIDs = data.items.raw
        let lists = Parallel.map(chunks.count) { c -> NeighbourList in
            var list = NeighbourList()
            if cancel?.isCancelled == true { return list }
            let acc = UnsafeMutablePointer<Float>.allocate(capacity: items)
            acc.initialize(repeating: 0, count: items)
            // stamp[j] == i + 1 when item j was touched for item i.
            let stamp = UnsafeMutablePointer<Int32>.allocate(capacity: items)
            stamp.initialize(repeating: 0, count: items)
            let touched = UnsafeMutablePointer<Int32>.allocate(capacity: items)
            var touchedCount = 0
            defer { acc.deallocate(); stamp.deallocate(); touched.deallocate() }
            itemUsers.offsets.withUnsafeBufferPointer { iuOff in
                itemUsers.indices.withUnsafeBufferPointer { iuIdx in
                    itemUsers.values.withUnsafeBufferPointer { iuVal in
                        userItemsW.offsets.withUnsafeBufferPointer { uiOff in
                            userItemsW.indices.withUnsafeBufferPointer { uiIdx in
                                userItemsW.values.withUnsafeBufferPointer { uiVal in
                                    rawIDs.withUnsafeBufferPointer { raw in
                                        for i in chunks[c] {
                                            let mark = Int32(i + 1)
                                            for p in iuOff[i]..<iuOff[i + 1] {
                                                let u = Int(iuIdx[p]), w = iuVal[p]
                                                for q in uiOff[u]..<uiOff[u + 1] {
                                                    let j = Int(uiIdx[q])
                                                    if stamp[j] != mark {
                                                        stamp[j] = mark
                                                        acc[j] = 0
                                                        touched[touchedCount] = Int32(j)
                                                        touchedCount += 1
                                                    }
                                                    acc[j] += w * uiVal[q]
                                                }
                                            }
                                            // The k best of the touched items, the item itself left out.
                                            var best = BoundedHeap(capacity: k)
                                            let worse = { (x: Int, y: Int) -> Bool in
                                                let jx = Int(touched[x]), jy = Int(touched[y])
                                                let sx = acc[jx], sy = acc[jy]
                                                if sx != sy { return sx < sy }
                                                return raw[jx] > raw[jy]
                                            }
                                            for t in 0..<touchedCount where Int(touched[t]) != i {
                                                let v = acc[Int(touched[t])]
                                                // Fast rejection: below the worst kept.
                                                if v <= 0 || (best.isFull && v < acc[Int(touched[best.root])]) { continue }
                                                best.offer(t, worse: worse)
                                            }
                                            let kept = best.sortedBestFirst(worse: worse).map { touched[$0] }.sorted()
                                            for j in kept {
                                                list.indices.append(j)
                                                list.values.append(acc[Int(j)])
                                            }
                                            list.counts.append(kept.count)
                                            touchedCount = 0
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return list
        }
        try context.checkCancelled()
        var offsets = [0], indices: [Int32] = [], values: [Float] = []
        for list in lists {
            for n in list.counts { offsets.append(offsets.last! + n) }
            indices += list.indices
            values += list.values
        }
        let neighbours = CSRMatrix(rows: items, columns: items, offsets: offsets, indices: indices, values: values)
        return ItemKNN(parameters: parameters, index: InteractionIndex(data), preference: data.preference.preference,
                       userItems: a, neighbours: neighbours, work: work)
    }

    /// The neighbours found for a chunk of items: a count per item, then their indices and values.
    private struct NeighbourList {
        var counts: [Int] = []
        var indices: [Int32] = []
        var values: [Float] = []
    }

    /// The item x user matrix weighted for the chosen similarity.
    static func weighted(_ itemUsers: CSRMatrix, _ parameters: Parameters) -> CSRMatrix {
        switch parameters.similarity {
        case .cosine:
            var values = itemUsers.values
            for i in 0..<itemUsers.rows {
                let r = itemUsers.range(of: i)
                let norm = r.reduce(Float(0)) { $0 + values[$1] * values[$1] }.squareRoot()
                if norm > 0 { for p in r { values[p] /= norm } }
            }
            return CSRMatrix(rows: itemUsers.rows, columns: itemUsers.columns, offsets: itemUsers.offsets,
                             indices: itemUsers.indices, values: values)
        case .bm25:
            let n = Double(itemUsers.rows)
            var itemsOfUser = [Int](repeating: 0, count: itemUsers.columns)
            for u in itemUsers.indices { itemsOfUser[Int(u)] += 1 }
            let idf = itemsOfUser.map { log(n) - log1p(Double($0)) }
            let lengths = itemUsers.rowSums()
            let average = lengths.reduce(0, +) / Swift.max(n, 1)
            var values = itemUsers.values
            let k1 = parameters.k1, b = parameters.b
            for i in 0..<itemUsers.rows {
                let norm = (1 - b) + b * lengths[i] / Swift.max(average, 1e-300)
                for p in itemUsers.range(of: i) {
                    let r = Double(values[p])
                    values[p] = Float(r * (k1 + 1) / (k1 * norm + r) * idf[Int(itemUsers.indices[p])])
                }
            }
            return CSRMatrix(rows: itemUsers.rows, columns: itemUsers.columns, offsets: itemUsers.offsets,
                             indices: itemUsers.indices, values: values)
        }
    }

    package func score(user u: Int32, item i: Int32) -> Double {
        guard u >= 0 && i >= 0 else { return 0 }
        var s = 0.0
        for p in userItems.range(of: Int(u)) {
            s += Double(userItems.values[p]) * Double(neighbours.value(Int(userItems.indices[p]), Int(i)))
        }
        return s
    }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        accumulate(userItems.range(of: u).map { ItemScore(item: Int(userItems.indices[$0]), score: Double(userItems.values[$0])) },
                   into: scores)
    }

    private func accumulate(_ history: [ItemScore], into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count { scores[i] = 0 }
        for h in history {
            let r = Float(h.score)
            for q in neighbours.range(of: h.item) { scores[Int(neighbours.indices[q])] += r * neighbours.values[q] }
        }
    }

    package var similarityName: String { parameters.similarity == .cosine ? "cosine of co-listens" : "BM25-weighted co-listens" }

    package func similarItems(to i: Int, top: Int) -> [ItemScore] {
        neighbours.range(of: i).map { ItemScore(item: Int(neighbours.indices[$0]), score: Double(neighbours.values[$0])) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && index.items.raw[$0.item] < index.items.raw[$1.item]) }
            .prefix(top).map { $0 }
    }

    package func scores(forHistory history: [ItemScore]) -> [Float] {
        var out = [Float](repeating: 0, count: index.items.count)
        out.withUnsafeMutableBufferPointer { accumulate(history, into: $0) }
        return out
    }

    package var explanationNote: String { "contributions r_uj · s(j, i), which add up to the score" }

    package func explain(user u: Int, item i: Int) -> [ItemScore] {
        userItems.range(of: u).compactMap { p -> ItemScore? in
            let j = Int(userItems.indices[p])
            let s = neighbours.value(j, i)
            return s == 0 ? nil : ItemScore(item: j, score: Double(userItems.values[p] * s))
        }
        .sorted { $0.score > $1.score || ($0.score == $1.score && index.items.raw[$0.item] < index.items.raw[$1.item]) }
    }

    package var facts: [(String, SummaryValue)] {
        [("preference", .text(preference.rawValue)), ("users", .int(index.users.count)), ("items", .int(index.items.count)),
         ("similarities kept", .int(neighbours.nonZeros)), ("multiply-adds", .int(work))]
    }
}
