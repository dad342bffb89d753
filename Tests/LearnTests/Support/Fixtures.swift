// Frames, a seeded generator of test data independent of the library's own, and the simple
// reference implementations the fast paths are held equal to.

import Frame
import Learn

/// A frame `u, i, y` of interactions with the user, item and label roles declared.
func interactions(users: [Int64], items: [Int64], labels: [Double]) throws -> DataFrame {
    var frame = try DataFrame([.integers("u", users), .integers("i", items), .doubles("y", labels)])
    frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
    return frame
}

/// (user, item, label) triples as a frame.
func interactions(_ rows: [(Int64, Int64, Double)]) throws -> DataFrame {
    try interactions(users: rows.map(\.0), items: rows.map(\.1), labels: rows.map(\.2))
}

/// (user, item, rating) triples as a frame whose target is a rating column `r` (no label).
func ratingFrame(_ rows: [(Int64, Int64, Double)]) throws -> DataFrame {
    var frame = try DataFrame([.integers("u", rows.map(\.0)), .integers("i", rows.map(\.1)), .doubles("r", rows.map(\.2))])
    frame.schema = Schema([.user: "u", .item: "i", .rating: "r"])
    return frame
}

/// One row of a listening log: who, what, whether it was a listen (1) or a skip (0), when,
/// and a play-count weight.
struct LogRow: Sendable, Equatable {
    var user: Int64
    var item: Int64
    var label: Double
    var time: Int64
    var weight: Double
}

/// A frame `u, i, y, t, w` of `rows` with the user, item, label and time roles declared.
func logFrame(_ rows: [LogRow]) throws -> DataFrame {
    var frame = try DataFrame([
        .integers("u", rows.map(\.user)), .integers("i", rows.map(\.item)), .doubles("y", rows.map(\.label)),
        .integers("t", rows.map(\.time)), .doubles("w", rows.map(\.weight)),
    ])
    frame.schema = Schema([.user: "u", .item: "i", .label: "y", .time: "t"])
    return frame
}

/// A random listening log: `users` users with raw ids that are neither dense nor sorted
/// (1000 + 7·(permuted index)), items likewise (500 + 13·(permuted index)), each row a listen
/// with probability 2/3, times a random permutation of the rows. Every user has at least
/// `minimumRows` rows; repeats of a pair are common, so are pairs only ever skipped.
func randomLog(seed: UInt64, users: Int, items: Int, rows: Int, minimumRows: Int = 3) -> [LogRow] {
    var rng = TestRandom(seed: seed)
    let userIDs = rng.permutation(users).map { Int64(1000 + 7 * $0) }
    let itemIDs = rng.permutation(items).map { Int64(500 + 13 * $0) }
    // Each user's favourite items, so the matrix has structure beyond noise.
    var out: [LogRow] = []
    for u in 0..<users {
        for _ in 0..<minimumRows { out.append(randomRow(&rng, user: userIDs[u], u: u, itemIDs: itemIDs)) }
    }
    while out.count < rows {
        let u = rng.int(users)
        out.append(randomRow(&rng, user: userIDs[u], u: u, itemIDs: itemIDs))
    }
    // Shuffle the rows, then give them a random order in time.
    out = rng.permutation(out.count).map { out[$0] }
    let times = rng.permutation(out.count)
    for r in out.indices { out[r].time = Int64(1_600_000_000 + 60 * times[r]) }
    return out
}

private func randomRow(_ rng: inout TestRandom, user: Int64, u: Int, itemIDs: [Int64]) -> LogRow {
    let items = itemIDs.count
    // Half the time one of the user's 4 favourites, else any item.
    let i = rng.int(2) == 0 ? (u * 3 + rng.int(4)) % items : rng.int(items)
    return LogRow(user: user, item: itemIDs[i], label: rng.int(3) == 0 ? 0 : 1, time: 0,
                  weight: Double(1 + rng.int(5)))
}

/// SplitMix64, written here so test data does not come from the generator under test.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Roughly uniform in 0..<n (modulo bias is irrelevant for test data).
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Uniform in [0, 1).
    mutating func double() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Roughly standard normal (the sum of 12 uniforms, less 6).
    mutating func normal() -> Double { (0..<12).reduce(0.0) { s, _ in s + double() } - 6 }

    /// A random permutation of 0..<n (Fisher-Yates).
    mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, int(i + 1)) }
        return p
    }
}

/// AUC by its definition: over every (positive, negative) pair, 1 when the positive scores
/// higher, ½ on a tie. O(P·N).
func referenceAUC(scores: [Double], labels: [Double]) -> Double {
    var pairs = 0.0, wins = 0.0
    for p in scores.indices where labels[p] > 0.5 {
        for n in scores.indices where labels[n] <= 0.5 {
            pairs += 1
            if scores[p] > scores[n] { wins += 1 } else if scores[p] == scores[n] { wins += 0.5 }
        }
    }
    return wins / pairs
}

/// The k best candidates by sorting everything: score descending (NaN last), then id ascending.
func referenceTopK(_ k: Int, scores: [Double], ids: [Int64], skip: Set<Int>) -> [Int] {
    let kept = scores.indices.filter { !skip.contains($0) }
    let sorted = kept.sorted { a, b in
        let sa = scores[a], sb = scores[b]
        if sa.isNaN != sb.isNaN { return sb.isNaN }
        if !sa.isNaN && sa != sb { return sa > sb }
        return ids[a] < ids[b]
    }
    return Array(sorted.prefix(max(0, k)))
}

/// Solves the square system `a x = b` by Gaussian elimination with partial pivoting.
func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    var m = a, v = b
    let n = v.count
    for col in 0..<n {
        let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
        m.swapAt(col, pivot)
        v.swapAt(col, pivot)
        for row in (col + 1)..<n where m[row][col] != 0 {
            let f = m[row][col] / m[col][col]
            for k in col..<n { m[row][k] -= f * m[col][k] }
            v[row] -= f * v[col]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
        var s = v[row]
        for k in (row + 1)..<n { s -= m[row][k] * x[k] }
        x[row] = s / m[row][row]
    }
    return x
}

/// The exact minimiser of Σ (r - μ - b_u - b_i)² + λ_u Σ b_u² + λ_i Σ b_i², from its normal
/// equations (gradient zero), solved directly rather than by alternation:
///   (λ_u + n_u) b_u + Σ_{i ∈ R(u)} b_i = Σ_{i ∈ R(u)} (r - μ)
///   (λ_i + n_i) b_i + Σ_{u ∈ R(i)} b_u = Σ_{u ∈ R(i)} (r - μ)
/// Returns μ and the biases keyed by raw id.
func exactBaseline(_ rows: [(Int64, Int64, Double)], regUser: Double, regItem: Double)
    -> (mu: Double, user: [Int64: Double], item: [Int64: Double]) {
    let mu = rows.map(\.2).reduce(0, +) / Double(rows.count)
    let users = Array(Set(rows.map(\.0))).sorted(), items = Array(Set(rows.map(\.1))).sorted()
    let n = users.count + items.count
    func u(_ id: Int64) -> Int { users.firstIndex(of: id)! }
    func i(_ id: Int64) -> Int { users.count + items.firstIndex(of: id)! }
    var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    var b = [Double](repeating: 0, count: n)
    for k in users.indices { a[k][k] = regUser }
    for k in items.indices { a[users.count + k][users.count + k] = regItem }
    for (user, item, r) in rows {
        let x = u(user), y = i(item)
        a[x][x] += 1
        a[y][y] += 1
        a[x][y] += 1
        a[y][x] += 1
        b[x] += r - mu
        b[y] += r - mu
    }
    let solution = solve(a, b)
    return (mu,
            Dictionary(uniqueKeysWithValues: users.map { ($0, solution[u($0)]) }),
            Dictionary(uniqueKeysWithValues: items.map { ($0, solution[i($0)]) }))
}

/// |a - b| <= tolerance · max(1, |a|, |b|): absolute near zero, relative elsewhere.
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}
