// Interactions: the (user, item, label) triples of a frame, with users and items as dense
// indices. Training builds the id maps; scoring maps through a model's maps, with -1 for an id
// the model never saw.

import Frame

/// Dense (user, item, label) triples taken from a frame's schema roles.
package struct Interactions: Sendable {
    /// Dense user index of each row; -1 when the user is unknown to the model.
    package let users: [Int32]
    /// Dense item index of each row; -1 when unknown.
    package let items: [Int32]
    /// Label of each row (NaN when the frame has no label column and none was needed).
    package let labels: [Double]

    package var count: Int { users.count }

    /// Extracts interactions for training, assigning dense indices in order of appearance.
    package static func training(from frame: DataFrame) throws(LearnError) -> (Interactions, users: IDMap, items: IDMap) {
        let userIDs = try ids(frame, .user)
        let itemIDs = try ids(frame, .item)
        let labels = try labelValues(frame, required: true)
        var userMap = IDMap(), itemMap = IDMap()
        let u = userIDs.map { userMap.insert(RawID($0)).value }
        let i = itemIDs.map { itemMap.insert(RawID($0)).value }
        return (Interactions(users: u, items: i, labels: labels), userMap, itemMap)
    }

    /// Extracts interactions for scoring with maps fixed by training.
    package static func mapped(from frame: DataFrame, users userMap: IDMap, items itemMap: IDMap,
                               labelRequired: Bool) throws(LearnError) -> Interactions {
        let userIDs = try ids(frame, .user)
        let itemIDs = try ids(frame, .item)
        let labels = try labelValues(frame, required: labelRequired)
        return Interactions(
            users: userIDs.map { userMap.index(of: RawID($0))?.value ?? -1 },
            items: itemIDs.map { itemMap.index(of: RawID($0))?.value ?? -1 },
            labels: labels)
    }

    private static func column(_ frame: DataFrame, _ role: Role) throws(LearnError) -> Column {
        guard let name = frame.schema[role] else { throw .missingRole(role) }
        do { return try frame.column(name) } catch { throw .frame(error) }
    }

    private static func ids(_ frame: DataFrame, _ role: Role) throws(LearnError) -> [Int64] {
        let c = try column(frame, role)
        guard let values = c.int64Values() else { throw .nonNumeric(column: c.name, role: role) }
        // int64Values() reads a null as 0, which would pass for a real id.
        guard c.nullCount == 0 else { throw .missingValues(column: c.name, role: role, count: c.nullCount) }
        return values
    }

    private static func labelValues(_ frame: DataFrame, required: Bool) throws(LearnError) -> [Double] {
        if !required && frame.schema[.label] == nil {
            return [Double](repeating: .nan, count: frame.rowCount)
        }
        let c = try column(frame, .label)
        guard let values = c.doubleValues() else { throw .nonNumeric(column: c.name, role: .label) }
        return values
    }
}

/// Each user's distinct items, in compressed sparse row form.
package struct SeenItems: Sendable, Equatable {
    /// Items of user u are `items[offsets[u]..<offsets[u+1]]`, sorted ascending.
    package let offsets: [Int]
    package let items: [Int32]

    package init(offsets: [Int], items: [Int32]) {
        self.offsets = offsets
        self.items = items
    }

    /// Builds the sets from interactions of `userCount` users.
    package init(_ data: Interactions, userCount: Int) {
        var counts = [Int](repeating: 0, count: userCount + 1)
        for (u, i) in zip(data.users, data.items) where u >= 0 && i >= 0 { counts[Int(u) + 1] += 1 }
        for k in 0..<userCount { counts[k + 1] += counts[k] }
        var fill = counts
        var all = [Int32](repeating: 0, count: counts[userCount])
        for (u, i) in zip(data.users, data.items) where u >= 0 && i >= 0 {
            all[fill[Int(u)]] = i
            fill[Int(u)] += 1
        }
        // Sort and deduplicate each user's run.
        var offsets = [0]
        var items: [Int32] = []
        items.reserveCapacity(all.count)
        for u in 0..<userCount {
            let run = all[counts[u]..<counts[u + 1]].sorted()
            var last: Int32 = -1
            for i in run where i != last {
                items.append(i)
                last = i
            }
            offsets.append(items.count)
        }
        self.offsets = offsets
        self.items = items
    }

    /// The items of user `u`.
    package func items(of u: DenseIndex) -> ArraySlice<Int32> { items[offsets[u.int]..<offsets[u.int + 1]] }
}
