// InteractionIndex: what every recommender keeps of its training data (seen items, rows per
// user and item), against the raw rows.

import Testing
import Learn

@Suite struct InteractionIndexTests {
    @Test func seenItemsAndRowCountsAgreeWithTheRows() throws {
        let rows = randomLog(seed: 11, users: 7, items: 9, rows: 60)
        let data = try TrainingData(try logFrame(rows))
        let index = InteractionIndex(data)
        #expect(index.rowCount == rows.count)
        #expect(index.users == data.users && index.items == data.items)
        for u in 0..<data.users.count {
            let raw = data.users.raw[u]
            let expected = Set(rows.filter { $0.user == raw }.map(\.item))
            let seen = index.seen(u).map { data.items.raw[Int($0)] }
            #expect(Set(seen) == expected && seen.count == expected.count, "user \(raw)")
            #expect(index.seen(u).elementsEqual(index.seen(u).sorted()), "ascending dense indices")
            #expect(Int(index.userRows[u]) == rows.filter { $0.user == raw }.count)
            for i in 0..<data.items.count {
                #expect(index.hasSeen(user: u, item: Int32(i)) == expected.contains(data.items.raw[i]))
            }
        }
        for i in 0..<data.items.count {
            let raw = data.items.raw[i]
            #expect(Int(index.itemRows[i]) == rows.filter { $0.item == raw }.count)
            #expect(Int(index.itemFirstRows[i]) == rows.firstIndex { $0.item == raw })
        }
    }
}
