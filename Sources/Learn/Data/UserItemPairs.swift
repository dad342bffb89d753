// UserItemPairs: the distinct (user, item) pairs of a training log, grouped by user with items
// ascending, and what the rows of each pair say (how many, how many labelled 1, the sum of the
// label and of a weight column). Every matrix model's preferences come from it, and it is the
// "seen" set that recommendations leave out.
//
// Built by two stable counting sorts of the row numbers (by item, then by user: an LSD radix
// sort on dense indices), after which the rows of each pair are adjacent; one pass aggregates
// them. O(rows + users + items), no hashing and no comparison sort.

/// Distinct user-item pairs with their row statistics.
package struct UserItemPairs: Sendable {
    package let userCount: Int
    package let itemCount: Int
    /// Pairs of user u are at offsets[u]..<offsets[u + 1].
    package let offsets: [Int]
    /// The item of each pair, ascending within a user.
    package let items: [Int32]
    /// Rows of each pair.
    package let rows: [Int32]
    /// Rows of each pair with label 1 (every row when there is no label).
    package let positives: [Int32]
    /// Sum of the label over the pair's rows (the row count when there is no label).
    package let labelSums: [Float]
    /// Sum of the weight column over the pair's rows, when one was given.
    package let weightSums: [Float]?

    /// The number of pairs.
    package var count: Int { items.count }

    /// The items of user `u`, ascending.
    package func items(of u: Int) -> ArraySlice<Int32> { items[offsets[u]..<offsets[u + 1]] }

    /// Whether user `u` has item `i` in training (binary search).
    package func contains(user u: Int, item i: Int32) -> Bool {
        var lo = offsets[u], hi = offsets[u + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid] < i { lo = mid + 1 } else { hi = mid }
        }
        return lo < offsets[u + 1] && items[lo] == i
    }

    /// Aggregates rows given as dense user and item indices (all in range).
    package init(users: [Int32], items rowItems: [Int32], userCount: Int, itemCount: Int,
                 labels: [Double]?, weights: [Double]?) {
        let n = users.count
        self.userCount = userCount
        self.itemCount = itemCount
        // Row numbers sorted by item, then (stably) by user.
        let byItem = Self.countingSort(Array(0..<Int32(n)), keys: rowItems, buckets: itemCount)
        let order = Self.countingSort(byItem, keys: users, buckets: userCount)
        var offsets = [Int](repeating: 0, count: userCount + 1)
        var items: [Int32] = [], rows: [Int32] = [], positives: [Int32] = [], labelSums: [Float] = []
        var weightSums: [Float]? = weights == nil ? nil : []
        items.reserveCapacity(n / 2)
        rows.reserveCapacity(n / 2)
        positives.reserveCapacity(n / 2)
        labelSums.reserveCapacity(n / 2)
        var k = 0
        for u in 0..<userCount {
            while k < n && Int(users[Int(order[k])]) == u {
                let item = rowItems[Int(order[k])]
                var count: Int32 = 0, pos: Int32 = 0
                var labelSum = 0.0, weightSum = 0.0
                while k < n, Int(users[Int(order[k])]) == u, rowItems[Int(order[k])] == item {
                    let r = Int(order[k])
                    count += 1
                    if let labels {
                        labelSum += labels[r]
                        if labels[r] > 0.5 { pos += 1 }
                    } else {
                        labelSum += 1
                        pos += 1
                    }
                    if let weights { weightSum += weights[r] }
                    k += 1
                }
                items.append(item)
                rows.append(count)
                positives.append(pos)
                labelSums.append(Float(labelSum))
                weightSums?.append(Float(weightSum))
            }
            offsets[u + 1] = items.count
        }
        self.offsets = offsets
        self.items = items
        self.rows = rows
        self.positives = positives
        self.labelSums = labelSums
        self.weightSums = weightSums
    }

    /// `values` reordered stably by `keys[value]` in 0..<buckets.
    private static func countingSort(_ values: [Int32], keys: [Int32], buckets: Int) -> [Int32] {
        var start = [Int](repeating: 0, count: buckets + 1)
        keys.withUnsafeBufferPointer { k in
            for key in k { start[Int(key) + 1] += 1 }
        }
        for b in 0..<buckets { start[b + 1] += start[b] }
        return [Int32](unsafeUninitializedCapacity: values.count) { out, initialized in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    start.withUnsafeMutableBufferPointer { s in
                        for x in v {
                            let b = Int(k[Int(x)])
                            out[s[b]] = x
                            s[b] += 1
                        }
                    }
                }
            }
            initialized = values.count
        }
    }

    /// The preference of pair `p`.
    @inline(__always)
    package func preference(_ p: Int, _ preference: Preference) -> Float {
        switch preference {
        case .listens: Float(positives[p])
        case .count: Float(rows[p])
        case .label: positives[p] > 0 ? 1 : 0
        case .share: labelSums[p] / Float(rows[p])
        case .weight: weightSums?[p] ?? 0
        }
    }

    /// The user x item matrix of `preference`, pairs whose preference is 0 left out.
    package func matrix(_ preference: Preference) -> CSRMatrix {
        var offsets = [Int](repeating: 0, count: userCount + 1)
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(count)
        values.reserveCapacity(count)
        for u in 0..<userCount {
            for p in self.offsets[u]..<self.offsets[u + 1] {
                let v = self.preference(p, preference)
                if v != 0 {
                    indices.append(items[p])
                    values.append(v)
                }
            }
            offsets[u + 1] = indices.count
        }
        return CSRMatrix(rows: userCount, columns: itemCount, offsets: offsets, indices: indices, values: values)
    }
}
