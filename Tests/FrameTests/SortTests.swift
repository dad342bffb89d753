// Sort against a stable comparison sort of row positions, on random frames with every column
// type as keys, both directions, several keys; plus the radix sort against the standard sort.

import Testing
@testable import Frame

/// The reference: positions sorted by a comparator over cells, ties by position (stable).
enum ReferenceSort {
    static func order(_ f: DataFrame, _ keys: [SortKey]) -> [Int] {
        let cols = keys.map { f[$0.column]! }
        return (0..<f.rowCount).sorted { a, b in
            for (k, c) in zip(keys, cols) {
                let x = c[a], y = c[b]
                let mx = isMissing(x), my = isMissing(y)
                if mx != my { return my }          // missing last, in both directions
                if mx { continue }
                if ReferenceGroupBy.less(x, y) { return !k.descending }
                if ReferenceGroupBy.less(y, x) { return k.descending }
            }
            return a < b
        }
    }
}

@Suite struct SortTests {
    static let keyLists: [[SortKey]] = [
        [SortKey("k8")], [SortKey("k16", descending: true)], [SortKey("i32")], [SortKey("i64", descending: true)],
        [SortKey("i64")], [SortKey("f")], [SortKey("f", descending: true)], [SortKey("b")], [SortKey("s", descending: true)],
        [SortKey("k8"), SortKey("s"), SortKey("f", descending: true)],
        [SortKey("b", descending: true), SortKey("i64"), SortKey("i32", descending: true), SortKey("k16")],
    ]

    @Test(arguments: keyLists)
    func matchesAStableComparisonSort(keys: [SortKey]) throws {
        for (seed, n) in [(UInt64(11), 0), (12, 1), (13, 50), (14, 700)] {
            let f = randomFrame(rows: n, seed: seed)
            let order = try f.sortOrder(by: keys)
            #expect(order == ReferenceSort.order(f, keys), "keys \(keys) seed \(seed)")
        }
    }

    @Test func sortedFrameGathersEveryColumn() throws {
        let f = randomFrame(rows: 200, seed: 5)
        let keys = [SortKey("s"), SortKey("k16", descending: true)]
        #expect(sameFrame(try f.sorted(by: keys), f.gather(ReferenceSort.order(f, keys))))
    }

    @Test func exactSmallCase() throws {
        let f = try DataFrame([
            .integers("a", [2, 1, 2, 1, 3], validity: Bitmap([true, true, true, true, false])),
            .doubles("x", [0.5, .nan, -1, 2, 0]),
        ])
        #expect(try f.sortOrder(by: [SortKey("a", descending: true), SortKey("x")]) == [2, 0, 3, 1, 4])
        #expect(try f.sortOrder(by: [SortKey("x", descending: true)]) == [3, 0, 4, 2, 1])
    }

    @Test func int64ExtremesWithNullsNeedAMissingFlag() throws {
        let f = try DataFrame([.integers("v", [.max, 0, .min, 5, 0], validity: Bitmap([true, false, true, true, true]))])
        #expect(try f.sortOrder(by: [SortKey("v")]) == [2, 4, 3, 0, 1])
        #expect(try f.sortOrder(by: [SortKey("v", descending: true)]) == [0, 3, 4, 2, 1])
    }

    @Test func largeFramesSortLikeTheReference() throws {
        let f = randomFrame(rows: 20_000, seed: 8)
        let keys = [SortKey("k8"), SortKey("i32", descending: true)]
        #expect(try f.sortOrder(by: keys) == ReferenceSort.order(f, keys))
    }

    @Test func radixSortMatchesTheStandardSort() {
        var d = Draw(seed: 3)
        for bits in [1, 7, 11, 12, 23, 33, 64] {
            for n in [0, 1, 2, 95, 96, 97, 5000] {
                let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
                let keys = (0..<n).map { _ in UInt64.random(in: 0...UInt64.max, using: &d.rng) & (d.chance(0.5) ? 0xF & mask : mask) }
                let order = RadixSort.order(keys, bits: bits)
                #expect(order == keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }, "bits \(bits) n \(n)")
            }
        }
    }

    @Test func errors() throws {
        let f = try DataFrame([.integers("a", [1])])
        #expect(throws: FrameError.invalidArgument("sort needs at least one key column")) { try f.sorted(by: []) }
        #expect(throws: FrameError.unknownColumn(name: "z", available: ["a"])) { try f.sorted(by: [SortKey("z")]) }
    }
}
