// Ranking metrics: how good each user's top k is against the items they went on to like.
//
// For each user u known to the model with at least one relevant test row: R_u = the top k
// items by score among the model's items, leaving out the items u has in training unless
// exclude_seen=false (ties by raw item id, as `recommend`); T_u = the distinct items of u's
// relevant test rows (label 1, or rating >= `relevant`). With rel_i = 1 when the i-th item of
// R_u is in T_u:
//   precision@k = |R_u ∩ T_u| / k          recall@k = |R_u ∩ T_u| / |T_u|
//   hit_rate@k  = 1 if R_u ∩ T_u ≠ ∅       mrr@k    = 1 / rank of the first hit (0 if none)
//   ndcg@k      = DCG / IDCG, DCG = Σ_{i<=k} rel_i / log2(i + 1), IDCG over min(k, |T_u|) hits
//   map@k       = (1 / min(k, |T_u|)) Σ_{i<=k} precision@i · rel_i
// each the mean over those users. coverage = distinct items in any R_u / items in training;
// popularity = mean training rows of the items in the R_u. Users without a relevant test row,
// and relevant users the model does not know, are counted and left out.
//
// With segments (a segment per test row), T_u is restricted to the segment's rows, and each
// segment averages over its own users; R_u is the same list in every segment.

import Frame

/// Ranking metrics of one group of test rows.
package struct RankingSummary: Sendable {
    /// The metric values (the ranking metrics only).
    package var values: [Metric: Double]
    /// Users evaluated: known to the model, with at least one relevant test item.
    package var users: Int
    /// Test users without a relevant test row.
    package var usersWithoutRelevant: Int
    /// Users with relevant test rows whom the model does not know.
    package var unknownUsers: Int
}

/// Top-k lists and the metrics computed from them.
package enum RankingMetrics {
    /// Floats of scores held at once when scoring users in blocks (64 MB).
    static let blockFloats = 1 << 24

    /// The top `k` items (dense indices, best first) of each of `users`.
    package static func topItems(_ model: any Recommender, users: [Int], k: Int, excludeSeen: Bool,
                                 context: FitContext = FitContext()) throws(LearnError) -> [[Int32]] {
        try topLists(model, users: users, k: k, excludeSeen: excludeSeen, context: context).map { $0.map { Int32($0.item) } }
    }

    /// The top `k` items of each of `users` with their scores, best first. Users are scored in
    /// blocks: a batched model (factor models: one GEMM per block) from this thread, the others
    /// user by user on every core; the selection runs on every core.
    package static func topLists(_ model: any Recommender, users: [Int], k: Int, excludeSeen: Bool,
                                 context: FitContext = FitContext()) throws(LearnError) -> [[ItemScore]] {
        let n = model.index.items.count
        guard n > 0, !users.isEmpty else { return users.map { _ in [] } }
        if model.batchScoring { return try tiledTopLists(model, users: users, k: k, excludeSeen: excludeSeen, context: context) }
        let block = Swift.max(1, Swift.min(users.count, blockFloats / n))
        var out = [[ItemScore]](repeating: [], count: users.count)
        var scores = [Float](repeating: 0, count: block * n)
        let index = model.index
        for start in stride(from: 0, to: users.count, by: block) {
            try context.checkCancelled()
            let chunk = Array(users[start..<Swift.min(start + block, users.count)])
            let lists = scores.withUnsafeMutableBufferPointer { buffer -> [[ItemScore]] in
                let shared = SharedPointer(buffer.baseAddress!)
                return Parallel.map(chunk.count) { r -> [ItemScore] in
                    let row = UnsafeMutableBufferPointer(start: shared.base + r * n, count: n)
                    model.scoreItems(user: chunk[r], into: row)
                    return index.items.raw.withUnsafeBufferPointer { ids in
                        TopK.select(k, scores: UnsafeBufferPointer(row), rawIDs: ids,
                                    excluding: excludeSeen ? index.seen(chunk[r]) : [])
                    }.map { ItemScore(item: $0, score: Double(row[$0])) }
                }
            }
            for (r, list) in lists.enumerated() { out[start + r] = list }
            context.report(Double(start + chunk.count) / Double(users.count), "\(start + chunk.count) of \(users.count) users")
        }
        return out
    }

    /// Users scored together, and items per tile, in the tiled top-k: a tile of scores
    /// (256 x 2,048 floats, 2 MB) stays in cache from the GEMM that writes it to the scan that
    /// reads it, and a tile of item factors (2,048 x 64 floats, 512 KB) is reused by 256 users.
    static let tileUsers = 256
    static let tileItems = 2048

    /// The top `k` of a batched model. Each block of users is one task (blocks on every core,
    /// BLAS on the task's own thread): the item tiles in turn are scored with one GEMM each and
    /// pushed into each user's running top-k; a tile row is scanned eight scores at a time
    /// against the worst score kept, so most scores cost one vector comparison. Seen items of a
    /// tile are masked out first. Equal scores keep the smaller raw id, as `TopK.select` does.
    static func tiledTopLists(_ model: any Recommender, users: [Int], k: Int, excludeSeen: Bool,
                              context: FitContext) throws(LearnError) -> [[ItemScore]] {
        let n = model.index.items.count
        let index = model.index
        let blocks = (users.count + tileUsers - 1) / tileUsers
        let cancel = context.cancellation
        let lists: [[[ItemScore]]] = BLAS.withThreads(1) {
            index.items.raw.withUnsafeBufferPointer { raw in
                Parallel.map(blocks) { b -> [[ItemScore]] in
                    if cancel?.isCancelled == true { return [] }
                    let chunk = Array(users[(b * tileUsers)..<Swift.min(users.count, (b + 1) * tileUsers)])
                    let tile = UnsafeMutablePointer<Float>.allocate(capacity: chunk.count * tileItems)
                    defer { tile.deallocate() }
                    var heaps = [ScoreHeap](repeating: ScoreHeap(capacity: k), count: chunk.count)
                    var next = chunk.map { excludeSeen ? index.seen($0).startIndex : 0 }
                    for lo in stride(from: 0, to: n, by: tileItems) {
                        let items = lo..<Swift.min(n, lo + tileItems)
                        let w = items.count
                        model.scoreItems(users: chunk, items: items, into: UnsafeMutableBufferPointer(start: tile, count: chunk.count * w))
                        for r in 0..<chunk.count {
                            let row = tile + r * w
                            if excludeSeen {
                                // Seen items ascend, so each user's cursor only moves forward.
                                let seen = index.seen(chunk[r])
                                var a = next[r]
                                while a < seen.endIndex && Int(seen[a]) < items.upperBound {
                                    row[Int(seen[a]) - lo] = -.infinity
                                    a += 1
                                }
                                next[r] = a
                            }
                            heaps[r].push(row: row, count: w, firstItem: lo, rawIDs: raw)
                        }
                    }
                    return heaps.map { $0.bestFirst(rawIDs: raw) }
                }
            }
        }
        try context.checkCancelled()
        var out: [[ItemScore]] = []
        out.reserveCapacity(users.count)
        for block in lists { out += block }
        return out
    }

    /// The ranking metrics of `model` on test rows mapped by `test`, where `relevant[r]` says
    /// whether row r is relevant and `rawUsers[r]` is its raw user id; one summary per segment
    /// (`segments[r]` in 0..<segmentCount), or a single one without segments.
    package static func evaluate(_ model: any Recommender, test: ScoringData, rawUsers: [Int64], rawItems: [Int64],
                                 relevant: [Bool], k: Int, excludeSeen: Bool, segments: [Int32]? = nil, segmentCount: Int = 1,
                                 context: FitContext = FitContext()) throws(LearnError) -> [RankingSummary] {
        precondition(test.count == relevant.count && test.count == rawUsers.count && test.count == rawItems.count,
                     "test arrays differ in length")
        // A relevant item the model never saw cannot be recommended, but still counts in T_u,
        // once: it gets a negative stand-in index per distinct raw id.
        var standIns: [Int64: Int32] = [:]
        let groups = segments == nil ? 1 : segmentCount
        // Relevant (user, segment, item) triples of known users and items.
        var relevantOf: [Int: [(segment: Int32, item: Int32)]] = [:]
        var unknown = [Set<Int64>](repeating: [], count: groups)
        var testUsers = Set<Int64>(), relevantUsers = [Set<Int64>](repeating: [], count: groups)
        for r in 0..<test.count {
            testUsers.insert(rawUsers[r])
            guard relevant[r] else { continue }
            let g = segments.map { Int($0[r]) } ?? 0
            relevantUsers[g].insert(rawUsers[r])
            if test.users[r] < 0 { unknown[g].insert(rawUsers[r]); continue }
            var item = test.items[r]
            if item < 0 {
                if let known = standIns[rawItems[r]] { item = known } else {
                    item = Int32(-1 - standIns.count)
                    standIns[rawItems[r]] = item
                }
            }
            relevantOf[Int(test.users[r]), default: []].append((Int32(g), item))
        }
        let users = relevantOf.keys.sorted()
        let tops = try topItems(model, users: users, k: k, excludeSeen: excludeSeen, context: context)
        var sums = [[Metric: Double]](repeating: [:], count: groups)
        var counts = [Int](repeating: 0, count: groups)
        var recommended = [Set<Int32>](repeating: [], count: groups)
        var popularity = [Double](repeating: 0, count: groups), slots = [Int](repeating: 0, count: groups)
        for (position, u) in users.enumerated() {
            let top = tops[position]
            var bySegment: [Int32: Set<Int32>] = [:]
            for (g, item) in relevantOf[u]! { bySegment[g, default: []].insert(item) }
            for (g, truth) in bySegment {
                let s = Int(g)
                counts[s] += 1
                for (metric, value) in userMetrics(top: top, truth: truth, k: k) { sums[s][metric, default: 0] += value }
                for i in top {
                    recommended[s].insert(i)
                    popularity[s] += Double(model.index.itemRows[Int(i)])
                }
                slots[s] += top.count
            }
        }
        let itemCount = Double(Swift.max(model.index.items.count, 1))
        return (0..<groups).map { g in
            var values: [Metric: Double] = [:]
            if counts[g] > 0 {
                for (metric, total) in sums[g] { values[metric] = total / Double(counts[g]) }
                for metric in [Metric.precisionAtK, .recallAtK, .ndcg, .map, .mrr, .hitRate] where values[metric] == nil {
                    values[metric] = 0
                }
                values[.coverage] = Double(recommended[g].count) / itemCount
                values[.popularity] = slots[g] > 0 ? popularity[g] / Double(slots[g]) : 0
            }
            let withoutRelevant = segments == nil ? testUsers.count - relevantUsers[0].count : 0
            return RankingSummary(values: values, users: counts[g], usersWithoutRelevant: withoutRelevant,
                                  unknownUsers: unknown[g].count)
        }
    }

    /// The metrics of one user's list against their relevant items.
    package static func userMetrics(top: [Int32], truth: Set<Int32>, k: Int) -> [Metric: Double] {
        var hits = 0, dcg = 0.0, ap = 0.0, rr = 0.0
        for (position, item) in top.enumerated() where truth.contains(item) {
            hits += 1
            dcg += 1 / log2(Double(position) + 2)
            ap += Double(hits) / Double(position + 1)
            if rr == 0 { rr = 1 / Double(position + 1) }
        }
        let ideal = Swift.min(k, truth.count)
        var idcg = 0.0
        for i in 0..<ideal { idcg += 1 / log2(Double(i) + 2) }
        return [.precisionAtK: Double(hits) / Double(k), .recallAtK: Double(hits) / Double(truth.count),
                .hitRate: hits > 0 ? 1 : 0, .ndcg: idcg > 0 ? dcg / idcg : 0,
                .map: ideal > 0 ? ap / Double(ideal) : 0, .mrr: rr]
    }
}

/// A user's running top k across item tiles: a min-heap of (score, item) whose root is the
/// worst kept (lower score, or equal score and larger raw id). Scores of -inf are masked items
/// and never kept.
struct ScoreHeap {
    var scores: [Float] = []
    var items: [Int32] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        scores.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
    }

    @inline(__always)
    private func worse(_ a: Int, _ b: Int, _ raw: UnsafeBufferPointer<Int64>) -> Bool {
        TopK.ranksBelow(scores[a], raw[Int(items[a])], scores[b], raw[Int(items[b])])
    }

    /// Whether (score, item) ranks above the worst kept.
    @inline(__always)
    private func beatsRoot(_ s: Float, _ item: Int, _ raw: UnsafeBufferPointer<Int64>) -> Bool {
        TopK.ranksBelow(scores[0], raw[Int(items[0])], s, raw[item])
    }

    /// Offers every score of a tile row (item `firstItem + j` has score `row[j]`).
    mutating func push(row: UnsafePointer<Float>, count w: Int, firstItem: Int, rawIDs raw: UnsafeBufferPointer<Int64>) {
        guard capacity > 0 else { return }
        var j = 0
        while j < w {
            if scores.count == capacity && !scores[0].isNaN {
                // Eight at a time: skip a group with no score at or above the worst kept.
                let threshold = SIMD8<Float>(repeating: scores[0])
                while j &+ 8 <= w {
                    let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                    if any(v .>= threshold) { break }
                    j &+= 8
                }
                if j >= w { break }
                let end = Swift.min(w, j + 8)
                while j < end {
                    let s = row[j]
                    if s != -.infinity && beatsRoot(s, firstItem + j, raw) { replaceRoot(s, Int32(firstItem + j), raw) }
                    j += 1
                }
                continue
            }
            let s = row[j]
            if s != -.infinity {
                if scores.count < capacity { insert(s, Int32(firstItem + j), raw) }
                else if beatsRoot(s, firstItem + j, raw) { replaceRoot(s, Int32(firstItem + j), raw) }
            }
            j += 1
        }
    }

    private mutating func insert(_ s: Float, _ item: Int32, _ raw: UnsafeBufferPointer<Int64>) {
        scores.append(s)
        items.append(item)
        var i = scores.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if worse(i, p, raw) { swapAt(i, p); i = p } else { break }
        }
    }

    private mutating func replaceRoot(_ s: Float, _ item: Int32, _ raw: UnsafeBufferPointer<Int64>) {
        scores[0] = s
        items[0] = item
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < scores.count && worse(l, m, raw) { m = l }
            if r < scores.count && worse(r, m, raw) { m = r }
            if m == i { return }
            swapAt(i, m)
            i = m
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        scores.swapAt(a, b)
        items.swapAt(a, b)
    }

    /// The kept items, best first.
    func bestFirst(rawIDs raw: UnsafeBufferPointer<Int64>) -> [ItemScore] {
        scores.indices.sorted { worse($1, $0, raw) }.map { ItemScore(item: Int(items[$0]), score: Double(scores[$0])) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
