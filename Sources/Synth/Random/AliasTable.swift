// AliasTable: Walker's alias method with Vose's stable construction, for O(1) draws from a
// fixed categorical distribution.
//
// With n categories of probabilities p_i, scale to q_i = n p_i. Repeatedly pair a "small"
// category (q < 1) with a "large" one (q >= 1): the small one keeps its q as its threshold and
// names the large one as its alias; the large one gives away 1 - q_small. A draw picks a column
// i uniformly and returns i if U < threshold_i, else alias_i. Invariant: for every category,
// (its own column's threshold + the thresholds given up to it as an alias) / n = p_i, exactly
// up to floating-point rounding. Zero-weight categories are never returned.

import Frame

/// A categorical distribution over 0..<count sampled in constant time.
struct AliasTable: Sendable {
    /// Probability of keeping column i rather than taking its alias.
    private(set) var threshold: [Double]
    /// The category that column i stands for when it is not kept.
    private(set) var alias: [Int32]

    /// The number of categories.
    var count: Int { threshold.count }

    /// A table for `weights` (non-negative, at least one positive).
    init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0 && n < Int(Int32.max), "alias table needs 1..<2^31 categories")
        let total = weights.reduce(0, +)
        precondition(total > 0 && total.isFinite, "alias table needs a positive finite total weight")
        var scaled = weights.map { $0 * Double(n) / total }
        threshold = Array(repeating: 1, count: n)
        alias = Array(0..<Int32(n))
        var small: [Int] = []
        var large: [Int] = []
        small.reserveCapacity(n)
        large.reserveCapacity(n)
        for i in 0..<n {
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.last, let l = large.last {
            small.removeLast()
            threshold[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // What is left is 1 up to rounding: keep those columns whole.
        for i in small { threshold[i] = 1 }
        for i in large { threshold[i] = 1 }
    }

    /// One draw.
    @inline(__always)
    func sample(_ rng: inout Xoshiro256) -> Int {
        let i = rng.below(threshold.count)
        return rng.uniform() < threshold[i] ? i : Int(alias[i])
    }

    /// The probability of category `i` implied by the table (for tests and expected counts).
    func probability(of i: Int) -> Double {
        var mass = threshold[i]
        for j in 0..<threshold.count where alias[j] == Int32(i) && j != i {
            mass += 1 - threshold[j]
        }
        return mass / Double(threshold.count)
    }
}
