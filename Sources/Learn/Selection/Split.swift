// Splits of a frame into training and test rows.
//
// Random by row: a seeded Fisher-Yates shuffle of the row indices; the first round(ratio·n)
// go to training. Each part keeps the original row order (indices sorted), so a time-ordered
// log stays time-ordered. The same seed gives the same split on every machine.

import Frame

/// Ways to divide a frame.
package enum Split {
    /// Random rows: `ratio` of them for training, the rest for testing.
    package static func random(_ frame: DataFrame, ratio: Double, seed: UInt64) throws(LearnError) -> (train: DataFrame, test: DataFrame) {
        guard ratio > 0 && ratio < 1 else {
            throw .invalidParameter(name: "ratio", reason: "must be between 0 and 1 (exclusive), e.g. 0.8")
        }
        guard frame.rowCount >= 2 else {
            let n = frame.rowCount
            throw .invalidParameter(name: "frame", reason: "has \(n) row\(n == 1 ? "" : "s"); a split needs at least 2")
        }
        let n = frame.rowCount
        var rng = Xoshiro256(seed: seed)
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            order.swapAt(i, rng.below(i + 1))
        }
        let cut = min(n - 1, max(1, Int((ratio * Double(n)).rounded())))
        let train = order[..<cut].sorted()
        let test = order[cut...].sorted()
        return (frame.gather(train), frame.gather(test))
    }
}
