// RadixSort: least-significant-digit radix sort of unsigned keys, optionally carrying a
// 32-bit payload (a row index) along, stable.
//
// Keys must be below 2^bits; those bits are cut into the fewest digits of at most
// `maximumDigitBits` bits (so each digit's 2^d counters stay in L1); one read pass fills every
// digit's histogram, then each digit is a stable counting-sort scatter from one buffer to the
// other. A digit on which all keys agree is skipped (common: small ranges, sorted prefixes).
// Invariant after the pass for digit j: keys are ordered by digits 0...j, ties in input order.

/// Stable LSD radix sorting of unsigned integer keys (Frame's kernels and the generator).
package enum RadixSort {
    /// The widest digit: 2^11 counters of 8 bytes (16 KiB) fit in L1 with the scatter's lines.
    static let maximumDigitBits = 11
    /// Below this many keys a comparison sort of (key, position) pairs is faster.
    static let smallInput = 96

    /// Stably sorts `keys[0..<count]` (each below 2^bits), moving `payload` (if any) along.
    package static func sort<K: FixedWidthInteger & UnsignedInteger>(
        _ keys: UnsafeMutablePointer<K>, payload: UnsafeMutablePointer<UInt32>?, count n: Int, bits: Int
    ) {
        guard n > 1, bits > 0 else { return }
        let bits = Swift.min(bits, K.bitWidth)
        if n < smallInput {
            smallSort(keys, payload: payload, count: n, bits: bits)
            return
        }
        let passes = (bits + maximumDigitBits - 1) / maximumDigitBits
        let width = (bits + passes - 1) / passes
        let radix = 1 << width
        let mask = K(truncatingIfNeeded: radix - 1)

        // All histograms in one pass over the keys.
        var counts = [Int](repeating: 0, count: passes * radix)
        counts.withUnsafeMutableBufferPointer { h in
            for i in 0..<n {
                let k = keys[i]
                for p in 0..<passes {
                    h[p &* radix &+ Int(truncatingIfNeeded: (k &>> K(truncatingIfNeeded: p * width)) & mask)] &+= 1
                }
            }
        }
        let tempKeys = UnsafeMutablePointer<K>.allocate(capacity: n)
        let tempPayload = payload.map { _ in UnsafeMutablePointer<UInt32>.allocate(capacity: n) }
        defer {
            tempKeys.deallocate()
            tempPayload?.deallocate()
        }
        var src = (keys, payload), dst = (tempKeys, tempPayload)
        var offsets = [Int](repeating: 0, count: radix)
        for p in 0..<passes {
            let shift = K(truncatingIfNeeded: p * width)
            let trivial = counts.withUnsafeBufferPointer { h in
                (0..<radix).contains { h[p * radix + $0] == n }
            }
            if trivial { continue }
            offsets.withUnsafeMutableBufferPointer { o in
                counts.withUnsafeBufferPointer { h in
                    var at = 0
                    for d in 0..<radix {
                        o[d] = at
                        at &+= h[p &* radix &+ d]
                    }
                }
                if let from = src.1, let to = dst.1 {
                    for i in 0..<n {
                        let k = src.0[i]
                        let d = Int(truncatingIfNeeded: (k &>> shift) & mask)
                        let at = o[d]
                        dst.0[at] = k
                        to[at] = from[i]
                        o[d] = at &+ 1
                    }
                } else {
                    for i in 0..<n {
                        let k = src.0[i]
                        let d = Int(truncatingIfNeeded: (k &>> shift) & mask)
                        dst.0[o[d]] = k
                        o[d] &+= 1
                    }
                }
            }
            swap(&src, &dst)
        }
        if src.0 != keys {
            keys.update(from: src.0, count: n)
            if let payload, let from = src.1 { payload.update(from: from, count: n) }
        }
    }

    /// Stable sort of few keys: (masked key, position) pairs compared, then applied.
    private static func smallSort<K: FixedWidthInteger & UnsignedInteger>(
        _ keys: UnsafeMutablePointer<K>, payload: UnsafeMutablePointer<UInt32>?, count n: Int, bits: Int
    ) {
        let mask: K = bits >= K.bitWidth ? ~0 : (K(1) << K(truncatingIfNeeded: bits)) - 1
        let order = (0..<n).sorted { a, b in
            let x = keys[a] & mask, y = keys[b] & mask
            return x != y ? x < y : a < b
        }
        let k = order.map { keys[$0] }
        let p = payload.map { payload in order.map { payload[$0] } }
        for i in 0..<n { keys[i] = k[i] }
        if let payload, let p { for i in 0..<n { payload[i] = p[i] } }
    }

    /// The positions of `keys` (each below 2^bits) in stable ascending order.
    static func order(_ keys: [UInt64], bits: Int) -> [Int] {
        precondition(keys.count < Int(UInt32.max), "too many keys to sort")
        guard keys.count > 1 else { return Array(keys.indices) }
        var k = keys
        var positions = (0..<keys.count).map { UInt32(truncatingIfNeeded: $0) }
        k.withUnsafeMutableBufferPointer { k in
            positions.withUnsafeMutableBufferPointer { p in
                sort(k.baseAddress!, payload: p.baseAddress, count: k.count, bits: bits)
            }
        }
        return positions.map { Int($0) }
    }
}

extension UInt64 {
    /// Bits needed to write every value up to `self` (at least 1).
    var bitWidthNeeded: Int { Swift.max(1, UInt64.bitWidth - leadingZeroBitCount) }
}
