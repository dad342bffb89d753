// GenreTable: the genre ids of the catalogue and the share of rows each one receives.
//
// The real file's genre_id is 0 for about 40% of rows, its median is 3 and its third quartile
// 27 (dsg17.md), with ids up to 259,731. The head below puts 45% of rows below 3, 55% at or
// below 3, 71.5% below 27 and 78.5% at or below 27, so the median and quartile land on 3 and
// 27 with margins wide enough to survive the sampling noise of a 200,000-row sample. The tail
// shares decay geometrically over sparse ids up to the largest one seen.
//
// Rows draw a genre from these shares and then a track of that genre (`Catalogue`), so the
// row shares hold in expectation at any scale, whatever the popularity of single tracks.

/// Genre ids and their target row shares.
struct GenreTable: Sendable {
    /// Head genres: (id, share of rows). Genre 0 carries dsg17.md's 40%.
    static let head: [(id: Int, share: Double)] = [
        (0, DSG17.genreZeroShare), (1, 0.02), (2, 0.03), (3, 0.10), (5, 0.03), (7, 0.05),
        (10, 0.03), (14, 0.02), (16, 0.02), (20, 0.01), (25, 0.005), (27, 0.07),
    ]
    /// Tail genre ids, sparse, ending at the largest id of the real file.
    static let tailIDs: [Int] = [
        31, 35, 44, 51, 57, 60, 63, 67, 73, 75, 78, 80, 84, 89, 92, 95, 98, 100, 102, 106, 113,
        116, 122, 129, 132, 140, 144, 152, 156, 165, 169, 173, 197, 205, 211, 233, 299, 464,
        1_012, 2_744, 7_018, 12_530, 23_042, 41_271, 98_742, 147_053, 212_907, DSG17.maxGenreID,
    ]
    /// Each tail genre gets this fraction of the previous one's share: a long, thin tail.
    static let tailDecay = 0.9

    /// Genre ids, index = dense genre index.
    let ids: [Int]
    /// Row share of each genre; sums to 1.
    let shares: [Double]
    /// Draws a dense genre index with probability `shares`.
    let sampler: AliasTable

    init() {
        let headShare = Self.head.reduce(0) { $0 + $1.share }
        var tail: [Double] = []
        var w = 1.0
        for _ in Self.tailIDs {
            tail.append(w)
            w *= Self.tailDecay
        }
        let tailTotal = tail.reduce(0, +)
        ids = Self.head.map(\.id) + Self.tailIDs
        shares = Self.head.map(\.share) + tail.map { $0 / tailTotal * (1 - headShare) }
        sampler = AliasTable(weights: shares)
    }

    /// The number of genres.
    var count: Int { ids.count }
}
