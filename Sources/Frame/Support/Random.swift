// Xoshiro256: xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64 as its
// authors advise, so a seed gives the same sample on every machine and every Swift version
// (the standard library's generator is seeded randomly and cannot be reproduced).
//
// State: four 64-bit words, never all zero (SplitMix64 outputs of any seed are not all zero).
// Output: rotl(s1 * 5, 7) * 9, then the xorshift-style state update of the reference code.

import Foundation

/// A seedable pseudo-random generator (xoshiro256**): the frame's sampling, Learn's splits
/// and initialisations.
package struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose sequence is fixed by `seed` (the state is four SplitMix64 outputs).
    package init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// A generator with the raw state `state`, for checking against the reference outputs.
    package init(state: (UInt64, UInt64, UInt64, UInt64)) { s = state }

    package mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// A uniform integer in `0..<n` (Lemire's nearly divisionless method, unbiased).
    package mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(n) needs n > 0")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    package mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal draw (Box-Muller).
    package mutating func gaussian() -> Double {
        let u1 = max(uniform(), .leastNonzeroMagnitude)
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }
}
