// UserItemPairs: the distinct (user, item) pairs of a training log, grouped by user with items
// ascending, and what the rows of each pair say (how many, how many labelled 1, the sum of the
// label and of a weight column). Every matrix model's preferences come from it, and it is the
// "seen" set that recommendations leave out.
//
// Built by two stable counting sorts of the row numbers (by item, then by user: an LSD radix
// sort on dense indices), after which the rows of each pair are adjacent; one pass aggregates
// them. O(rows + users + items), no hashing and no comparison sort.

import Frame

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
                 labels: [Double]?, weights: [Double]?, rowsByItem: [Int32]? = nil) {
        let n = users.count
        self.userCount = userCount
        self.itemCount = itemCount
        // Row numbers sorted by item, then (stably) by user: each user's rows, items ascending.
        let byItem = rowsByItem ?? CountingSort.order(nil, count: n, keys: rowItems, buckets: itemCount)
        let order = CountingSort.order(byItem, count: n, keys: users, buckets: userCount)
        var userStart = [Int](repeating: 0, count: userCount + 1)
        for u in users { userStart[Int(u) + 1] += 1 }
        for u in 0..<userCount { userStart[u + 1] += userStart[u] }
        // Distinct items of each user (users in parallel), then the pairs written in place.
        let distinct: [Int] = order.withUnsafeBufferPointer { o in
            rowItems.withUnsafeBufferPointer { it in
                Parallel.array(userCount, minimum: 512) { u in
                    var count = 0, last: Int32 = -1
                    for k in userStart[u]..<userStart[u + 1] {
                        let item = it[Int(o[k])]
                        if item != last { count += 1; last = item }
                    }
                    return count
                }
            }
        }
        var offsets = [Int](repeating: 0, count: userCount + 1)
        for u in 0..<userCount { offsets[u + 1] = offsets[u] + distinct[u] }
        let m = offsets[userCount]
        let out = PairColumns(count: m, weights: weights != nil)
        order.withUnsafeBufferPointer { o in
            rowItems.withUnsafeBufferPointer { it in
                let chunks = Parallel.chunks(userCount, minimum: 512)
                Parallel.forEach(chunks.count) { c in
                    for u in chunks[c] {
                        var p = offsets[u] - 1, last: Int32 = -1
                        var labelSum = 0.0, weightSum = 0.0
                        for k in userStart[u]..<userStart[u + 1] {
                            let r = Int(o[k])
                            let item = it[r]
                            if item != last {
                                if p >= offsets[u] { out.finish(p, labelSum, weightSum) }
                                p += 1
                                last = item
                                out.items[p] = item
                                labelSum = 0
                                weightSum = 0
                            }
                            out.rows[p] += 1
                            if let labels {
                                labelSum += labels[r]
                                if labels[r] > 0.5 { out.positives[p] += 1 }
                            } else {
                                labelSum += 1
                                out.positives[p] += 1
                            }
                            if let weights { weightSum += weights[r] }
                        }
                        if p >= offsets[u] { out.finish(p, labelSum, weightSum) }
                    }
                }
            }
        }
        self.offsets = offsets
        (items, rows, positives, labelSums, weightSums) = out.arrays()
    }

    /// The pair arrays being filled, each pair written by the task of its user.
    private struct PairColumns: @unchecked Sendable {
        // @unchecked Sendable: pairs of different users are disjoint, and each user has one task.
        let count: Int
        let items: UnsafeMutablePointer<Int32>, rows: UnsafeMutablePointer<Int32>
        let positives: UnsafeMutablePointer<Int32>, labelSums: UnsafeMutablePointer<Float>
        let weightSums: UnsafeMutablePointer<Float>?

        /// Zeroed columns for `count` pairs.
        init(count: Int, weights: Bool) {
            self.count = count
            func zeros<T: Numeric>(_: T.Type) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
                p.initialize(repeating: 0, count: Swift.max(count, 1))
                return p
            }
            items = zeros(Int32.self)
            rows = zeros(Int32.self)
            positives = zeros(Int32.self)
            labelSums = zeros(Float.self)
            weightSums = weights ? zeros(Float.self) : nil
        }

        func finish(_ p: Int, _ labelSum: Double, _ weightSum: Double) {
            labelSums[p] = Float(labelSum)
            weightSums?[p] = Float(weightSum)
        }

        /// The columns as arrays; frees the buffers.
        func arrays() -> (items: [Int32], rows: [Int32], positives: [Int32], labelSums: [Float], weightSums: [Float]?) {
            defer {
                items.deallocate(); rows.deallocate(); positives.deallocate(); labelSums.deallocate(); weightSums?.deallocate()
            }
            return (Array(UnsafeBufferPointer(start: items, count: count)), Array(UnsafeBufferPointer(start: rows, count: count)),
                    Array(UnsafeBufferPointer(start: positives, count: count)),
                    Array(UnsafeBufferPointer(start: labelSums, count: count)),
                    weightSums.map { Array(UnsafeBufferPointer(start: $0, count: count)) })
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
