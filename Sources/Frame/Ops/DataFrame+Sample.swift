// Sample: n rows drawn uniformly without replacement, deterministic for a seed, kept in the
// frame's order.
//
// Few rows (n * sparseSampleFactor <= N): Floyd's algorithm draws n distinct positions with n
// random numbers and a set, then they are sorted. Many rows: selection sampling (Knuth's
// Algorithm S) walks the rows once and keeps row i with probability (n - kept) / (N - i), which
// yields them in order. Both make every n-subset equally likely; the generator is `Xoshiro256`
// (xoshiro256**), so a seed gives the same rows on every machine.

extension DataFrame {
    /// Below this ratio of rows drawn to rows, Floyd's algorithm (O(n log n)) beats a full
    /// scan (O(N)).
    static let sparseSampleFactor = 16

    /// `n` distinct rows chosen uniformly at random with `seed`, in their original order.
    package func sampled(n: Int, seed: UInt64) throws(FrameError) -> DataFrame {
        guard n >= 0 else { throw .invalidArgument("cannot sample \(n) rows; give a count of 0 or more") }
        guard n <= rowCount else {
            throw .invalidArgument("cannot sample \(n) rows without replacement from a frame of \(rowCount) row\(rowCount == 1 ? "" : "s"); ask for at most \(rowCount)")
        }
        let rows = DataFrame.sampleRows(n: n, of: rowCount, seed: seed)
        return rows.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: columns.map { $0.gatherParallel(rows) }, rowCount: rows.count, schema: schema)
        }
    }

    /// `n` distinct positions in 0..<total, ascending, drawn with `seed`.
    package static func sampleRows(n: Int, of total: Int, seed: UInt64) -> [Int] {
        var rng = Xoshiro256(seed: seed)
        if n == total { return Array(0..<total) }
        if n <= total / sparseSampleFactor {
            // Floyd: for j in N-n..<N, draw t in 0...j; take t, or j if t was taken already.
            var chosen = Set<Int>(minimumCapacity: n)
            for j in (total - n)..<total {
                let t = rng.below(j + 1)
                if !chosen.insert(t).inserted { chosen.insert(j) }
            }
            return chosen.sorted()
        }
        var out: [Int] = []
        out.reserveCapacity(n)
        var needed = n
        for i in 0..<total where needed > 0 {
            if rng.below(total - i) < needed {
                out.append(i)
                needed -= 1
            }
        }
        return out
    }
}
