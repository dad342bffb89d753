// Splits of a frame into training and test rows.
//
// Random by row: selection sampling (Knuth's Algorithm S) picks exactly round(ratio·n) rows
// for training in one pass — row i is taken with probability (still needed)/(rows left), which
// makes every subset of that size equally likely — and the rest go to testing. Each part keeps
// the original row order, so a time-ordered log stays time-ordered, and nothing is sorted.
// The same seed gives the same split on every machine.

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
        var needed = min(n - 1, max(1, Int((ratio * Double(n)).rounded())))
        var train: [Int] = [], test: [Int] = []
        train.reserveCapacity(needed)
        test.reserveCapacity(n - needed)
        for i in 0..<n {
            if rng.below(n - i) < needed {
                train.append(i)
                needed -= 1
            } else {
                test.append(i)
            }
        }
        return (frame.gather(train), frame.gather(test))
    }
}
