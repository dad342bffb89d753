// Bitmap: one bit a row, set when the row holds a value (Arrow's validity bitmap).
//
// Bit i lives in word i / 64 at position i % 64. Bits past `count` in the last word are zero.

/// Validity of a column's rows: bit set = value present, clear = null.
package struct Bitmap: Sendable, Equatable {
    package private(set) var words: [UInt64]
    package let count: Int

    /// A bitmap of `count` bits, all set (`true`) or all clear.
    package init(count: Int, allSet: Bool) {
        self.count = count
        let wordCount = (count + 63) / 64
        words = [UInt64](repeating: allSet ? ~0 : 0, count: wordCount)
        if allSet, count % 64 != 0 { words[wordCount - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    /// A bitmap of `count` bits stored in `words` (bit i in word i / 64); bits past `count` are
    /// cleared. `words` must hold at least (count + 63) / 64 words; extra words are dropped.
    package init(words: [UInt64], count: Int) {
        self.count = count
        let wordCount = (count + 63) / 64
        precondition(words.count >= wordCount, "bitmap words too few for count")
        var w = Array(words.prefix(wordCount))
        if count % 64 != 0 { w[wordCount - 1] &= (1 << UInt64(count % 64)) - 1 }
        self.words = w
    }

    package init(_ bits: [Bool]) {
        self.init(count: bits.count, allSet: false)
        for (i, bit) in bits.enumerated() where bit { set(i) }
    }

    package subscript(i: Int) -> Bool {
        words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    package mutating func set(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    package mutating func clear(_ i: Int) { words[i >> 6] &= ~(1 << UInt64(i & 63)) }

    /// Number of set bits.
    package var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Number of clear bits (nulls).
    package var clearCount: Int { count - setCount }

    /// Bits `range` as a new bitmap.
    package func slice(_ range: Range<Int>) -> Bitmap {
        var out = Bitmap(count: range.count, allSet: false)
        for (j, i) in range.enumerated() where self[i] { out.set(j) }
        return out
    }

    /// Bits at `indices`, in order.
    package func gather(_ indices: UnsafeBufferPointer<Int>) -> Bitmap {
        var out = Bitmap(count: indices.count, allSet: false)
        for j in 0..<indices.count where self[indices[j]] { out.set(j) }
        return out
    }

    /// Concatenates bitmaps.
    package static func concatenate(_ parts: [Bitmap]) -> Bitmap {
        var out = Bitmap(count: parts.reduce(0) { $0 + $1.count }, allSet: false)
        var at = 0
        for part in parts {
            for i in 0..<part.count where part[i] { out.set(at + i) }
            at += part.count
        }
        return out
    }
}
