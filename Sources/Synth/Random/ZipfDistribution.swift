// ZipfDistribution: P(k) proportional to k^-s on 1...n, sampled through an alias table.
//
// Used for the small, bounded counts of the catalogue (tracks per album, albums per artist),
// where a few large values and many ones and twos are what real discographies look like.
// Zipf-Mandelbrot weights 1 / (rank + q)^s for popularity live in `Catalogue`.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Zipf distribution on 1...n with exponent s.
struct ZipfDistribution: Sendable {
    let n: Int
    let exponent: Double
    private let table: AliasTable

    /// Zipf on 1...n (n >= 1) with exponent `exponent` (> 0).
    init(n: Int, exponent: Double) {
        precondition(n >= 1 && exponent > 0)
        self.n = n
        self.exponent = exponent
        table = AliasTable(weights: (1...n).map { pow(Double($0), -exponent) })
    }

    /// One draw in 1...n.
    @inline(__always)
    func sample(_ rng: inout Xoshiro256) -> Int { table.sample(&rng) + 1 }

    /// The mean, sum k^(1-s) / sum k^-s.
    var mean: Double {
        var num = 0.0, den = 0.0
        for k in 1...n {
            let w = pow(Double(k), -exponent)
            num += Double(k) * w
            den += w
        }
        return num / den
    }
}
