// RowBudget: marks catalogue entities (tracks, albums) as special so that the rows they
// receive add up to a target share of the log.
//
// Sentinels such as media_duration 65,535 or release_date 30000101 are properties of a track
// or an album, but dsg17.md counts them in rows. Every row's track is drawn from the same
// marginal distribution (repeats copy an earlier draw), so entity i expects rows x P(i) rows.
// Walking the entities in a seeded random order and taking each one whose expectation still
// fits the remaining budget fills it to within one small entity. The budget never goes below
// `minimumRows` expected rows, so that even a small sample shows every sentinel (a Poisson
// count with mean 8 is zero with probability e^-8, about 3e-4).

import Frame

/// Picks entities whose expected row counts fill a budget.
enum RowBudget {
    /// Smallest expected row count of any budget: sentinels stay visible in small samples.
    static let minimumRows = 8.0
    /// Largest share of a budget that one entity may fill.
    static let maximumEntityShare = 0.1

    /// Indices in 0..<expected.count, not yet `taken`, whose `expected` rows sum to about
    /// max(share x rows, minimumRows). Marks them in `taken`.
    static func pick(share: Double, rows: Int, expected: [Double], taken: inout [Bool],
                     _ rng: inout Xoshiro256) -> [Int] {
        var remaining = max(share * Double(rows), minimumRows)
        // No single entity may take more than a fraction of the budget: many small ones make
        // the realised row count close to its expectation.
        let largest = max(remaining * maximumEntityShare, minimumRows)
        var order = Array(0..<expected.count)
        rng.shuffle(&order)
        var picked: [Int] = []
        for i in order where !taken[i] && expected[i] > 0 && expected[i] <= min(remaining, largest) {
            picked.append(i)
            taken[i] = true
            remaining -= expected[i]
            if remaining < 0.01 { break }
        }
        // Every entity too big for the budget (a tiny catalogue): take the smallest free one.
        if picked.isEmpty,
           let i = order.filter({ !taken[$0] && expected[$0] > 0 }).min(by: { expected[$0] < expected[$1] }) {
            picked.append(i)
            taken[i] = true
        }
        return picked
    }
}
