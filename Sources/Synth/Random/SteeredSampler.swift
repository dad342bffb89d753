// SteeredSampler: categorical draws for users, steered so that the row-weighted shares stay
// close to their targets even when a few heavy users carry much of the log.
//
// A user-level attribute (age, gender, platform) drawn independently per user has the right
// expected row share, but with heavy-tailed activity one user with 5% of the rows can move a
// share by several points in a 200,000-row sample. So each draw is made as usual, unless it
// would push its category's row count more than `tolerance` x (all rows) above the target
// for the rows assigned so far; then the category furthest below its target is taken
// instead. Invariant: after every draw, each category's excess over target is at most
// tolerance x total rows plus that one user's rows.

import Frame

/// A categorical sampler that steers row-weighted shares towards targets.
struct SteeredSampler {
    /// Target share of each category.
    let target: [Double]
    private let sampler: AliasTable
    /// Allowed excess of a category, in rows.
    private let allowance: Double
    private var assigned: [Double]
    private var total = 0.0

    /// A sampler with target shares `weights` (normalised) for `totalRows` rows in all.
    init(weights: [Double], tolerance: Double, totalRows: Int) {
        let sum = weights.reduce(0, +)
        target = weights.map { $0 / sum }
        sampler = AliasTable(weights: weights)
        allowance = tolerance * Double(totalRows)
        assigned = Array(repeating: 0, count: weights.count)
    }

    /// A category for a user with `rows` rows.
    mutating func draw(rows: Int, _ rng: inout Xoshiro256) -> Int {
        let n = Double(rows)
        let after = total + n
        var k = sampler.sample(&rng)
        if assigned[k] + n - target[k] * after > allowance {
            var best = k
            var deficit = -Double.infinity
            for j in target.indices {
                let d = target[j] * after - assigned[j]
                if d > deficit {
                    deficit = d
                    best = j
                }
            }
            k = best
        }
        assigned[k] += n
        total = after
        return k
    }
}
