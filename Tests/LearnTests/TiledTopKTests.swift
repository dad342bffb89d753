// The tiled top-k of factor models (blocks of users against tiles of items, one GEMM each)
// against `recommend`'s whole-row selection, on a log with more users than a block and more
// items than a tile, so block and tile edges, seen items in several tiles and the running
// per-user heaps are all exercised.

import Testing
import Frame
import Learn

@Suite struct TiledTopKTests {
    @Test func tiledListsEqualWholeRowSelection() throws {
        let rows = randomLog(seed: 77, users: 300, items: 2_600, rows: 9_000)
        var p = ImplicitALS.Parameters()
        p.factors = 6
        p.iterations = 2
        let model = try ImplicitALS.fit(try logFrame(rows), parameters: p)
        #expect(model.index.users.count > 256 && model.index.items.count > 2_048)
        let users = Array(0..<model.index.users.count)
        for excludeSeen in [true, false] {
            let tiled = try RankingMetrics.topLists(model, users: users, k: 12, excludeSeen: excludeSeen)
            for u in users {
                let whole = try model.recommend(user: model.index.users.rawID(DenseIndex(u)), top: 12, excludeSeen: excludeSeen)
                let list = tiled[u]
                #expect(list.count == whole.count)
                // The products of a tile and of a whole row may round differently in the last
                // bit, so the lists must agree where their scores are apart by more than that.
                for (j, (a, b)) in zip(list, whole).enumerated() {
                    #expect(abs(a.score - b.score) <= 1e-5 * max(1, abs(b.score)), "user \(u), rank \(j + 1)")
                    let neighbours = [j > 0 ? whole[j - 1].score : .infinity, j + 1 < whole.count ? whole[j + 1].score : -.infinity]
                    if neighbours.allSatisfy({ abs($0 - b.score) > 1e-4 }) {
                        #expect(model.index.items.raw[a.item] == b.item.value, "user \(u), rank \(j + 1)")
                    }
                }
                if excludeSeen {
                    #expect(list.allSatisfy { !model.index.hasSeen(user: u, item: Int32($0.item)) })
                }
            }
        }
    }
}
