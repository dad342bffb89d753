// RadixSort: the order of the log by ts_listen, by a stable least-significant-digit radix sort.
//
// Each key packs (ts_listen << 32 | row index). Rows are generated user by user, so the
// indices start in ascending order; two stable 16-bit counting passes over the upper 32 bits
// then order the keys by time, ties by row index, exactly as `keys.sorted()` would (the
// reference the tests hold it to). Passes whose digit is the same for every key are skipped.
// Cost: O(n) per pass with a 65,536-entry histogram, about 15x fewer comparisons than a
// comparison sort on 7.5 million keys.

/// Sorting of packed (time, index) keys.
enum RadixSort {
    /// Bits per counting pass.
    static let digitBits = 16

    /// Sorts `keys` ascending by their upper 32 bits, stably (so fully ascending if the lower
    /// 32 bits, the indices, were ascending already).
    static func sortByHighWord(_ keys: inout [UInt64]) {
        let n = keys.count
        guard n > 1 else { return }
        let radix = 1 << digitBits
        let mask = UInt64(radix - 1)
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: radix)
        for shift in stride(from: 32, to: 64, by: digitBits) {
            for i in 0..<radix { counts[i] = 0 }
            keys.withUnsafeBufferPointer { src in
                counts.withUnsafeMutableBufferPointer { c in
                    for k in src { c[Int((k &>> UInt64(shift)) & mask)] &+= 1 }
                }
            }
            if counts.contains(n) { continue }  // every key has the same digit
            var total = 0
            for i in 0..<radix {
                let c = counts[i]
                counts[i] = total
                total += c
            }
            keys.withUnsafeBufferPointer { src in
                scratch.withUnsafeMutableBufferPointer { dst in
                    counts.withUnsafeMutableBufferPointer { c in
                        for k in src {
                            let d = Int((k &>> UInt64(shift)) & mask)
                            dst[c[d]] = k
                            c[d] &+= 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }
}
