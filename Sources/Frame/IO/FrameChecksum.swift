// FrameChecksum: a fast 64-bit checksum of bytes, to detect corrupt frame files.
//
// Four independent 64-bit lanes each absorb one word of every 32-byte stripe
// (lane = rotl(lane + word * K2, 31) * K1), so the multiplies of the lanes overlap; the lanes are
// then folded together, the tail words and bytes absorbed one at a time, and the result mixed by
// a SplitMix64-style finaliser so every input bit affects every output bit. Not cryptographic:
// it guards against truncation, bit rot and stray writes, not against an adversary.

/// A 64-bit checksum over bytes.
enum FrameChecksum {
    private static let k1: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k2: UInt64 = 0xBF58_476D_1CE4_E5B9
    private static let k3: UInt64 = 0x94D0_49BB_1331_11EB

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 &- r)) }

    @inline(__always)
    private static func absorb(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        rotl(lane &+ word &* k2, 31) &* k1
    }

    /// The checksum of `count` bytes at `p`.
    static func checksum(_ p: UnsafeRawPointer, count: Int) -> UInt64 {
        var i = 0
        var a: UInt64 = k1 &+ k2, b: UInt64 = k2, c: UInt64 = 0, d: UInt64 = 0 &- k1
        while i &+ 32 <= count {
            a = absorb(a, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            b = absorb(b, p.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
            c = absorb(c, p.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self))
            d = absorb(d, p.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self))
            i &+= 32
        }
        var h = rotl(a, 1) &+ rotl(b, 7) &+ rotl(c, 12) &+ rotl(d, 18)
        h = (h ^ absorb(0, a)) &* k1 &+ k3
        h = (h ^ absorb(0, b)) &* k1 &+ k3
        h = (h ^ absorb(0, c)) &* k1 &+ k3
        h = (h ^ absorb(0, d)) &* k1 &+ k3
        h &+= UInt64(count)
        while i &+ 8 <= count {
            h = rotl(h ^ absorb(0, p.loadUnaligned(fromByteOffset: i, as: UInt64.self)), 27) &* k1 &+ k3
            i &+= 8
        }
        while i < count {
            h = rotl(h ^ (UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &* k2), 11) &* k1
            i &+= 1
        }
        h = (h ^ (h >> 30)) &* k2
        h = (h ^ (h >> 27)) &* k3
        return h ^ (h >> 31)
    }

    /// The checksum of an array's bytes.
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, count: $0.count) }
    }
}
