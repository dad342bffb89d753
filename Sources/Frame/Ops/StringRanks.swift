// StringRanks: a string column's dictionary sorted once, so rows compare by integer rank.
//
// rank[code] is the position of dictionary value `code` in ascending Swift `String` order
// (Unicode canonical ordering); equal strings never share a dictionary, so ranks are distinct
// and comparing ranks is comparing strings. Sorting k dictionary values costs k log k string
// comparisons instead of n log n, and lets sorts and min/max run as integer kernels.

/// The ascending order of a string dictionary.
struct StringRanks {
    /// rank[code]: position of the code's string in ascending order.
    let rank: [UInt32]
    /// The dictionary values in ascending order: sorted[rank[code]] == values[code].
    let sorted: [String]

    init(_ dictionary: StringDictionary) {
        let order = dictionary.values.indices.sorted { dictionary.values[$0] < dictionary.values[$1] }
        var rank = [UInt32](repeating: 0, count: order.count)
        for (r, code) in order.enumerated() { rank[code] = UInt32(r) }
        self.rank = rank
        sorted = order.map { dictionary.values[$0] }
    }

    /// A rank per row of `codes` (nulls keep whatever their code maps to).
    func ranks(of codes: ColumnBuffer<UInt32>) -> ColumnBuffer<UInt32> {
        ColumnBuffer(count: codes.count) { out in
            guard let base = out.baseAddress else { return }
            let shared = SharedPointer(base)
            let ranges = Parallel.chunks(codes.count)
            codes.withUnsafeBufferPointer { c in
                rank.withUnsafeBufferPointer { rank in
                    // Each chunk writes only its own rows.
                    Parallel.forEach(ranges.count) { i in
                        for r in ranges[i] {
                            let code = Int(c[r])
                            shared[r] = code < rank.count ? rank[code] : 0
                        }
                    }
                }
            }
        }
    }
}
