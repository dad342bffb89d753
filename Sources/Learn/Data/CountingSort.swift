// CountingSort: row numbers ordered stably by a dense key (an item or user index), in
// parallel: per-chunk histograms, then each chunk writes its own slots of every bucket, so
// the order within a bucket is the input order on any number of cores.

import Frame

/// Stable parallel counting sorts of row numbers by dense keys.
enum CountingSort {
    /// Row numbers (`values`, or 0..<count when nil) reordered stably by `keys[row]` in
    /// 0..<buckets: a parallel counting sort (per-chunk histograms, each chunk writing its
    /// own slots of every bucket, so the order within a bucket is the input order).
    static func order(_ values: [Int32]?, count n: Int, keys: [Int32], buckets: Int) -> [Int32] {
        let chunks = Parallel.chunks(n, minimum: 1 << 18)
        let histograms: [[Int]] = keys.withUnsafeBufferPointer { k in
            (values ?? []).withUnsafeBufferPointer { v in
                Parallel.map(chunks.count) { c in
                    var h = [Int](repeating: 0, count: buckets)
                    h.withUnsafeMutableBufferPointer { hp in
                        if values != nil {
                            for i in chunks[c] { hp[Int(k[Int(v[i])])] &+= 1 }
                        } else {
                            for i in chunks[c] { hp[Int(k[i])] &+= 1 }
                        }
                    }
                    return h
                }
            }
        }
        // Start of chunk c's slots in bucket b: all earlier buckets, then earlier chunks of b.
        var starts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: chunks.count)
        var total = 0
        for b in 0..<buckets {
            for c in 0..<chunks.count {
                starts[c][b] = total
                total += histograms[c][b]
            }
        }
        return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            let target = SharedPointer(out.baseAddress!)
            keys.withUnsafeBufferPointer { k in
                (values ?? []).withUnsafeBufferPointer { v in
                    Parallel.forEach(chunks.count) { c in
                        var fill = starts[c]
                        fill.withUnsafeMutableBufferPointer { f in
                            for i in chunks[c] {
                                let row = values != nil ? v[i] : Int32(truncatingIfNeeded: i)
                                let b = Int(k[Int(row)])
                                target.base[f[b]] = row
                                f[b] &+= 1
                            }
                        }
                    }
                }
            }
            initialized = n
        }
    }

}
