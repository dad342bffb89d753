// Join against nested loops over both frames (left rows in order, matching right rows in
// order, null and NaN keys never matching), for both kinds, both build sides, every key type.

import Testing
@testable import Frame

enum ReferenceJoin {
    static func joined(_ l: DataFrame, _ r: DataFrame, on keys: [String], kind: JoinKind) -> DataFrame {
        var li: [Int] = [], ri: [Int?] = []
        for a in 0..<l.rowCount {
            var matched = false
            for b in 0..<r.rowCount {
                let equal = keys.allSatisfy { k in
                    let x = l[k]![a], y = r[k]![b]
                    return !isMissing(x) && !isMissing(y) && x == y
                }
                if equal {
                    li.append(a)
                    ri.append(b)
                    matched = true
                }
            }
            if !matched && kind == .left {
                li.append(a)
                ri.append(nil)
            }
        }
        var out = l.gather(li).columns
        var names = Set(l.columnNames)
        for c in r.columns where !keys.contains(c.name) {
            var name = c.name
            while names.contains(name) { name += "_right" }
            names.insert(name)
            out.append(column(name, c.type, ri.map { $0.map { c[$0] } ?? .null }))
        }
        return try! DataFrame(out)
    }
}

@Suite struct JoinTests {
    static let keyLists: [[String]] = [["k8"], ["k16"], ["i64"], ["f"], ["b"], ["s"], ["k8", "s"], ["b", "k8", "f"]]

    @Test(arguments: keyLists)
    func matchesNestedLoops(keys: [String]) throws {
        for (seedL, nl, seedR, nr) in [(UInt64(1), 40, UInt64(2), 25), (3, 25, 4, 40), (5, 0, 6, 10), (7, 10, 8, 0), (9, 1, 10, 1)] {
            let l = randomFrame(rows: nl, seed: seedL)
            // The right frame: a few columns, one of them clashing with a left name.
            let r0 = randomFrame(rows: nr, seed: seedR)
            let r = try DataFrame(keys.map { r0[$0]! } + [r0["i32"]!, r0["s"]!.renamed(keys.contains("s") ? "s2" : "s")])
            for kind in JoinKind.allCases {
                let got = try l.joined(with: r, on: keys, kind: kind)
                let want = ReferenceJoin.joined(l, r, on: keys, kind: kind)
                #expect(sameFrame(got, want), "keys \(keys) kind \(kind) sizes \(nl)x\(nr)\n\(dump(got))\n\(dump(want))")
            }
        }
    }

    @Test func exactSmallCase() throws {
        let listens = try DataFrame([.integers("user", [1, 2, 1, 3]), .integers("track", [10, 11, 12, 13])])
        let users = try DataFrame([.integers("user", [1, 2, 2]), .strings("name", ["ann", "bob", "bo"]),
                                   .integers("track", [7, 8, 9])])
        let inner = try listens.joined(with: users, on: ["user"], kind: .inner)
        #expect(inner.columnNames == ["user", "track", "name", "track_right"])
        #expect(rows(inner) == [
            [.int(1), .int(10), .string("ann"), .int(7)],
            [.int(2), .int(11), .string("bob"), .int(8)],
            [.int(2), .int(11), .string("bo"), .int(9)],
            [.int(1), .int(12), .string("ann"), .int(7)],
        ])
        let left = try listens.joined(with: users, on: ["user"], kind: .left)
        #expect(rows(left).last == [.int(3), .int(13), .null, .null])
    }

    @Test func uniqueRightKeysKeepEveryLeftRowOnceAndShareTheLeftColumns() throws {
        let l = randomFrame(rows: 300, seed: 31)
        let r = try l.grouped(by: ["k16"], aggregates: [Aggregation(.mean, "f", as: "m")])
        let got = try l.joined(with: r, on: ["k16"], kind: .left)
        #expect(sameFrame(got, ReferenceJoin.joined(l, r, on: ["k16"], kind: .left)))
        #expect(got["i64"]!.data.count == 300)
        if case .int64(let shared) = got["i64"]!.data, case .int64(let original) = l["i64"]!.data {
            #expect(shared.storage === original.storage)
        }
    }

    @Test func integerWidthsMixAndStringsMatchAcrossDictionaries() throws {
        let l = try DataFrame([.integers("id", [1, 300, 70_000]), .strings("s", ["x", "y", "z"])])
        let r = try DataFrame([.integers("id", [70_000, 1]), .strings("s", ["z", "q"]), .integers("v", [5, 6])])
        let j = try l.joined(with: r, on: ["id"], kind: .inner)
        #expect(rows(j) == [[.int(1), .string("x"), .string("q"), .int(6)], [.int(70_000), .string("z"), .string("z"), .int(5)]])
        let js = try l.joined(with: r, on: ["s"], kind: .inner)
        #expect(rows(js) == [[.int(70_000), .string("z"), .int(70_000), .int(5)]])
    }

    @Test func largeJoinsAgreeWhicheverSideIsBuilt() throws {
        let big = randomFrame(rows: 3 * Parallel.minimumChunk, seed: 21, nullRate: 0.05)
        let small = try big.grouped(by: ["k16"], aggregates: [Aggregation(.count, as: "n")])
        let a = try big.joined(with: small, on: ["k16"], kind: .left)
        #expect(a.rowCount == big.rowCount)
        let n = a["n"]!, k = a["k16"]!
        var counts: [RefKey: Int64] = [:]
        for i in 0..<big.rowCount { counts[RefKey(big["k16"]![i]), default: 0] += 1 }
        // Null keys match nothing, so their rows get a null count.
        #expect((0..<a.rowCount).allSatisfy { k[$0] == .null ? n[$0] == .null : n[$0] == .int(counts[RefKey(k[$0])]!) })
        let b = try small.joined(with: big.selecting(["k16", "k8"]), on: ["k16"], kind: .inner)
        #expect(b.rowCount == big.rowCount - Int(counts[.null] ?? 0))
    }

    @Test func errors() throws {
        let l = try DataFrame([.integers("a", [1])]), r = try DataFrame([.strings("a", ["1"])])
        #expect(throws: FrameError.invalidArgument("join key 'a' is int8 on the left but string on the right; the types must match")) {
            try l.joined(with: r, on: ["a"], kind: .inner)
        }
        #expect(throws: FrameError.invalidArgument("join needs at least one key column")) {
            try l.joined(with: l, on: [], kind: .inner)
        }
        #expect(throws: FrameError.unknownColumn(name: "b", available: ["a"])) {
            try l.joined(with: l, on: ["b"], kind: .left)
        }
    }
}
