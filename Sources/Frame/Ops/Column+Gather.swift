// Parallel gathers: out[j] = column[indices[j]], over chunks of output rows on every core.
//
// Chunks of output rows start at multiples of 64, so each chunk builds whole validity words
// and no two threads write the same word. A negative index (from a left join's unmatched
// rows) yields a null whose value bytes are zero (0, 0.0, false, or string code 0).

extension Column {
    /// Rows at `indices` (each in 0..<count), in that order, copied in parallel.
    package func gatherParallel(_ indices: UnsafeBufferPointer<Int>) -> Column {
        Column(name: name, data: data.gatherParallel(indices, nullable: false),
               validity: validity.map { Gather.bitmap($0, indices) })
    }

    /// Rows at `indices`, where a negative index gives a null row.
    package func gatherNullable(_ indices: UnsafeBufferPointer<Int>) -> Column {
        Column(name: name, data: data.gatherParallel(indices, nullable: true),
               validity: Gather.nullableBitmap(validity, indices))
    }
}

extension ColumnData {
    /// Rows at `indices`; with `nullable`, negative indices give zero bytes.
    func gatherParallel(_ indices: UnsafeBufferPointer<Int>, nullable: Bool) -> ColumnData {
        switch self {
        case .int8(let b): .int8(Gather.buffer(b, indices, nullable: nullable))
        case .int16(let b): .int16(Gather.buffer(b, indices, nullable: nullable))
        case .int32(let b): .int32(Gather.buffer(b, indices, nullable: nullable))
        case .int64(let b): .int64(Gather.buffer(b, indices, nullable: nullable))
        case .float64(let b): .float64(Gather.buffer(b, indices, nullable: nullable))
        case .bool(let b): .bool(Gather.buffer(b, indices, nullable: nullable))
        case .string(let codes, let dict): .string(codes: Gather.buffer(codes, indices, nullable: nullable), dictionary: dict)
        }
    }
}

/// The gather kernels.
enum Gather {
    /// Output chunks of at least this many rows, a multiple of 64.
    static let minimumChunk = 65_536

    /// Output row ranges, each starting at a multiple of 64.
    static func chunks(_ count: Int) -> [Range<Int>] {
        let words = (count + 63) / 64
        return Parallel.chunks(words, minimum: minimumChunk / 64).map { ($0.lowerBound * 64)..<Swift.min(count, $0.upperBound * 64) }
    }

    /// buffer[indices[j]] for every j (zero bytes for negative indices when `nullable`).
    static func buffer<T: BitwiseCopyable>(_ buffer: ColumnBuffer<T>, _ indices: UnsafeBufferPointer<Int>,
                                           nullable: Bool) -> ColumnBuffer<T> {
        let view = ColumnView(buffer, validity: nil)
        return ColumnBuffer(count: indices.count) { out in
            guard let base = out.baseAddress else { return }
            let target = SharedPointer(base)
            let ranges = chunks(indices.count)
            // Each chunk writes only its own output rows.
            Parallel.forEach(ranges.count) { c in
                if nullable {
                    for j in ranges[c] {
                        let i = indices[j]
                        if i >= 0 {
                            (target.base + j).initialize(to: view.values[i])
                        } else {
                            UnsafeMutableRawPointer(target.base + j).initializeMemory(
                                as: UInt8.self, repeating: 0, count: MemoryLayout<T>.size)
                        }
                    }
                } else {
                    for j in ranges[c] { (target.base + j).initialize(to: view.values[indices[j]]) }
                }
            }
        }
    }

    /// The validity bits at `indices`.
    static func bitmap(_ source: Bitmap, _ indices: UnsafeBufferPointer<Int>) -> Bitmap {
        let pinned = PinnedWords(source.words)
        return words(indices.count) { j in
            let i = indices[j]
            return pinned.base[i &>> 6] &>> UInt64(i & 63) & 1
        }
    }

    /// The validity bits at `indices`, clear for negative indices; nil when no row is null.
    static func nullableBitmap(_ source: Bitmap?, _ indices: UnsafeBufferPointer<Int>) -> Bitmap? {
        if source == nil && !indices.contains(where: { $0 < 0 }) { return nil }
        let pinned = PinnedWords(source?.words ?? [])
        let hasSource = source != nil
        return words(indices.count) { j in
            let i = indices[j]
            if i < 0 { return 0 }
            return hasSource ? pinned.base[i &>> 6] &>> UInt64(i & 63) & 1 : 1
        }
    }

    /// A bitmap of `count` bits, bit j = bit(j) (0 or 1), words built in parallel chunks.
    static func words(_ count: Int, _ bit: (Int) -> UInt64) -> Bitmap {
        let wordCount = (count + 63) / 64
        var words = [UInt64](repeating: 0, count: wordCount)
        words.withUnsafeMutableBufferPointer { w in
            guard let base = w.baseAddress else { return }
            let target = SharedPointer(base)
            let ranges = chunks(count)
            // Chunks start at multiples of 64, so each writes only its own words.
            Parallel.forEach(ranges.count) { c in
                var j = ranges[c].lowerBound
                while j < ranges[c].upperBound {
                    let end = Swift.min(j + 64, ranges[c].upperBound)
                    var word: UInt64 = 0
                    for k in j..<end { word |= bit(k) &<< UInt64(k & 63) }
                    target[j &>> 6] = word
                    j = end
                }
            }
        }
        return Bitmap(words: words, count: count)
    }
}
