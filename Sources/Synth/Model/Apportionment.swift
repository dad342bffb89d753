// Apportionment: splitting a whole number of rows among users in proportion to weights, by
// the largest-remainder (Hamilton) method.
//
// quota_u = total w_u / W; each user gets floor(quota_u), and the leftover units go one each to
// the largest fractional parts (ties to the smaller index). Invariants: the result sums to
// `total` exactly, and no share differs from its quota by one or more.

/// Largest-remainder apportionment.
enum Apportionment {
    /// Splits `total` units by `weights` (non-negative, positive sum).
    static func largestRemainder(_ total: Int, weights: [Double]) -> [Int] {
        precondition(total >= 0 && !weights.isEmpty)
        let sum = weights.reduce(0, +)
        precondition(sum > 0)
        var shares = [Int](repeating: 0, count: weights.count)
        var fractions = [Double](repeating: 0, count: weights.count)
        var given = 0
        for (i, w) in weights.enumerated() {
            let quota = Double(total) * w / sum
            let whole = Int(quota)
            shares[i] = whole
            fractions[i] = quota - Double(whole)
            given += whole
        }
        let order = weights.indices.sorted { fractions[$0] != fractions[$1] ? fractions[$0] > fractions[$1] : $0 < $1 }
        // Rounding can leave `given` a little off either way; hand out or take back units.
        var k = 0
        while given < total {
            shares[order[k % order.count]] += 1
            given += 1
            k += 1
        }
        k = order.count - 1
        while given > total {
            let i = order[(k % order.count + order.count) % order.count]
            if shares[i] > 0 {
                shares[i] -= 1
                given -= 1
            }
            k -= 1
        }
        return shares
    }
}
