// Top-k selection: the k best of n candidates in O(n log k) with a bounded min-heap whose root
// is the worst item kept, so most candidates are rejected by one comparison with the root.
//
// Order: a higher score first; NaN below every number; equal scores by raw id ascending
// (`recommend` and the ranking metrics use the same rule, so they agree).

/// Selection of the best k candidates.
package enum TopK {
    /// Whether (score a, id a) ranks below (score b, id b): a lower score; NaN below every
    /// number and level with NaN; equal scores by id, the larger id below. Every top-k here
    /// orders by it.
    @inline(__always)
    static func ranksBelow<S: BinaryFloatingPoint>(_ sa: S, _ ia: Int64, _ sb: S, _ ib: Int64) -> Bool {
        if sa != sb && !(sa.isNaN && sb.isNaN) { return sa < sb || (sa.isNaN && !sb.isNaN) }
        return ia > ib
    }

    /// Indices of the `k` highest scores, best first; equal scores ordered by `tieBreak` ascending.
    package static func select(_ k: Int, from n: Int, score: (Int) -> Double, tieBreak: (Int) -> Int64,
                               skip: ((Int) -> Bool)? = nil) -> [Int] {
        guard k > 0 else { return [] }
        // `worse(a, b)`: a ranks below b. NaN ranks below every number and ties with NaN.
        func worse(_ a: Int, _ b: Int) -> Bool { ranksBelow(score(a), tieBreak(a), score(b), tieBreak(b)) }
        var heap = BoundedHeap(capacity: k)
        for c in 0..<n {
            if let skip, skip(c) { continue }
            heap.offer(c, worse: worse)
        }
        return heap.sortedBestFirst(worse: worse)
    }

    /// Indices of the `k` best of `scores`, best first, leaving out the indices in `excluding`
    /// (ascending); ties by `rawIDs` ascending.
    package static func select(_ k: Int, scores: UnsafeBufferPointer<Float>, rawIDs: UnsafeBufferPointer<Int64>,
                               excluding: ArraySlice<Int32>) -> [Int] {
        guard k > 0 else { return [] }
        @inline(__always) func worse(_ a: Int, _ b: Int) -> Bool { ranksBelow(scores[a], rawIDs[a], scores[b], rawIDs[b]) }
        var heap = BoundedHeap(capacity: k)
        var next = excluding.startIndex
        let end = excluding.endIndex
        for c in 0..<scores.count {
            if next < end && Int(excluding[next]) == c {
                next += 1
                continue
            }
            if heap.isFull {
                // Fast rejection: strictly below the worst kept (NaN never passes).
                let s = scores[c], root = scores[heap.root]
                if s < root || (s.isNaN && !root.isNaN) { continue }
            }
            heap.offer(c, worse: worse)
        }
        return heap.sortedBestFirst(worse: worse)
    }
}

/// A min-heap of at most `capacity` candidates whose root is the worst kept; `worse(a, b)`
/// says a ranks below b.
struct BoundedHeap {
    private var items: [Int] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(Swift.min(capacity, 1 << 16))
    }

    var isFull: Bool { items.count >= capacity }
    /// The worst candidate kept.
    var root: Int { items[0] }

    /// Keeps `c` if there is room or it beats the worst kept.
    @inline(__always)
    mutating func offer(_ c: Int, worse: (Int, Int) -> Bool) {
        if items.count < capacity {
            items.append(c)
            var i = items.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if worse(items[i], items[p]) { items.swapAt(i, p); i = p } else { break }
            }
        } else if worse(items[0], c) {
            items[0] = c
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && worse(items[l], items[m]) { m = l }
                if r < items.count && worse(items[r], items[m]) { m = r }
                if m == i { return }
                items.swapAt(i, m)
                i = m
            }
        }
    }

    /// The kept candidates, best first.
    func sortedBestFirst(worse: (Int, Int) -> Bool) -> [Int] { items.sorted { worse($1, $0) } }
}
