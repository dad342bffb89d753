// SparseIDs: strictly increasing raw ids spread over a large range, as the real file's
// media_id, album_id and artist_id are (dsg17.md: e.g. 452,975 tracks over 200,058..137,260,128).
//
// The j-th of n ids sits near lo + (hi - lo) ((j + U_j) / n)^2, U_j uniform: ids are denser at
// the low end (old catalogue entries) and still reach the top of the range. The first id is
// exactly lo and the last exactly hi, so the documented ranges are hit at every scale.
// Invariant: ids[j] < ids[j + 1], all within lo...hi (requires n <= hi - lo + 1).

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sparse increasing id sequences.
enum SparseIDs {
    /// Exponent of the spacing curve: 2 puts about 5% of media ids below 550,000.
    static let densityExponent = 2.0

    /// `count` strictly increasing ids in `range`, the first and last at its ends.
    static func make(count: Int, in range: ClosedRange<Int>, _ rng: inout Xoshiro256) -> [Int32] {
        precondition(count <= range.count && range.upperBound <= Int(Int32.max))
        let lo = range.lowerBound, hi = range.upperBound
        var ids = [Int32](repeating: 0, count: count)
        var previous = lo - 1
        for j in 0..<count {
            let x: Int
            if j == 0 {
                x = lo
            } else if j == count - 1 {
                x = hi
            } else {
                let t = (Double(j) + rng.uniform()) / Double(count)
                x = lo + Int(Double(hi - lo) * pow(t, densityExponent))
            }
            // Strictly increasing, and leave room for the ids still to come.
            let v = min(max(x, previous + 1), hi - (count - 1 - j))
            ids[j] = Int32(v)
            previous = v
        }
        return ids
    }
}
