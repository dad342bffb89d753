// Xoshiro256**: Blackman and Vigna's all-purpose 64-bit generator (2018).
//
//   result = rotl(s1 * 5, 7) * 9
//   t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
//
// 256 bits of state, period 2^256 - 1, passes BigCrush; the state is filled from SplitMix64 as
// its authors recommend, so it is never all zero. Each entity (a user's log, the catalogue,
// the population) owns one, keyed by `Stream` and its index: see `SplitMix64.key`.

/// The independent random streams of the generator; each value keys a family of generators.
enum Stream: UInt64 {
    case catalogue = 1, population, userLog, outliers, contexts
}

/// Xoshiro256**, seeded from SplitMix64.
struct Xoshiro256: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose state is four SplitMix64 outputs from `seed`.
    init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// The generator of entity `index` in `stream` under the run's `seed`.
    init(seed: UInt64, stream: Stream, index: Int = 0) {
        self.init(seed: SplitMix64.key(seed: seed, stream: stream.rawValue, index: UInt64(index)))
    }

    /// Overwrites the state (for `init(state:)` in the tests' hook).
    mutating func setState(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        precondition(a | b | c | d != 0, "xoshiro state must not be all zero")
        s0 = a; s1 = b; s2 = c; s3 = d
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(_ k: UInt64) -> UInt64 { (self &<< k) | (self &>> (64 &- k)) }
}
