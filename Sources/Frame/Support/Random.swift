// Xoshiro256: xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64 as its
// authors advise, so a seed gives the same sample on every machine and every Swift version
// (the standard library's generator is seeded randomly and cannot be reproduced).
//
// State: four 64-bit words, never all zero (SplitMix64 outputs of any seed are not all zero).
// Output: rotl(s1 * 5, 7) * 9, then the xorshift-style state update of the reference code.

import Foundation

/// SplitMix64 (Steele, Lea and Flood; java.util.SplittableRandom): seeds `Xoshiro256`, and
/// its finaliser `mix`, a bijection with full avalanche, hashes keys into seeds.
///
///   state += 0x9E3779B97F4A7C15 (the golden-ratio increment)
///   z = state; z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9; z = (z ^ z >> 27) * 0x94D049BB133111EB
///   return z ^ z >> 31
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The Weyl-sequence increment, 2^64 / golden ratio, odd.
    package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    package var state: UInt64

    package init(state: UInt64) { self.state = state }

    /// The SplitMix64 finaliser: a bijective avalanche mix of `x`.
    @inlinable
    package static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    @inlinable
    package mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }
}

/// A seedable pseudo-random generator (xoshiro256**): the generator's logs, the frame's
/// sampling, Learn's splits and initialisations.
package struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose sequence is fixed by `seed` (the state is four SplitMix64 outputs).
    package init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// A generator with the raw state `state`, for checking against the reference outputs.
    package init(state: (UInt64, UInt64, UInt64, UInt64)) { s = state }

    @inlinable
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
    @inlinable
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
    @inlinable
    package mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal draw (Box-Muller, the cosine half; u1 in (0, 1] keeps the log finite).
    @inlinable
    package mutating func gaussian() -> Double {
        let u1 = 1.0 - uniform()
        let u2 = uniform()
        return (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
    }
}
