// Xoshiro256+Testing: a test-only hook to set the raw state, so the generator can be checked
// against the reference implementation's published outputs.

extension Xoshiro256 {
    /// A generator with exactly this state (not all zero).
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        self.init(seed: 0)
        setState(s0, s1, s2, s3)
    }
}
