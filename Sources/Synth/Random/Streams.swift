// Streams: every entity of a generated log (a user's rows, the catalogue, the population)
// draws from its own xoshiro256** generator (Frame's), seeded by hashing (seed, stream,
// index) through SplitMix64's finaliser, a bijection with full avalanche. Nothing is drawn from
// a shared stream, so generation is deterministic under any thread count.

import Frame

/// The independent random streams of the generator; each value keys a family of generators.
enum Stream: UInt64 {
    case catalogue = 1, population, userLog, outliers, contexts
}

extension SplitMix64 {
    /// A seed for entity `index` of `stream` under the user's `seed`.
    static func key(seed: UInt64, stream: UInt64, index: UInt64) -> UInt64 {
        mix(mix(seed &+ increment) ^ mix(stream &* increment ^ 0x5851_F42D_4C95_7F2D) &+ index &* increment)
    }
}

extension Xoshiro256 {
    /// The generator of entity `index` in `stream` under the run's `seed`.
    init(seed: UInt64, stream: Stream, index: Int = 0) {
        self.init(seed: SplitMix64.key(seed: seed, stream: stream.rawValue, index: UInt64(index)))
    }
}
