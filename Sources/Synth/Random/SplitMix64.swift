// SplitMix64: Steele, Lea and Flood's 64-bit mixer and generator (java.util.SplittableRandom).
//
//   state += 0x9E3779B97F4A7C15 (the golden-ratio increment)
//   z = state; z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9; z = (z ^ z >> 27) * 0x94D049BB133111EB
//   return z ^ z >> 31
//
// Its finaliser `mix` is a bijection on UInt64 with full avalanche, so hashing (seed, stream,
// index) through it gives every user, track and stage its own independent-looking seed. That
// is what makes generation deterministic under any thread count: nothing is drawn from a
// shared stream, each entity draws from a generator keyed by its own index.

/// SplitMix64: a tiny generator used to seed `Xoshiro256` and to hash keys into seeds.
struct SplitMix64: RandomNumberGenerator {
    /// The Weyl-sequence increment, 2^64 / golden ratio, odd.
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private(set) var state: UInt64

    init(state: UInt64) { self.state = state }

    /// The SplitMix64 finaliser: a bijective avalanche mix of `x`.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// A seed for entity `index` of `stream` under the user's `seed`.
    static func key(seed: UInt64, stream: UInt64, index: UInt64) -> UInt64 {
        mix(mix(seed &+ increment) ^ mix(stream &* increment ^ 0x5851_F42D_4C95_7F2D) &+ index &* increment)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }
}
