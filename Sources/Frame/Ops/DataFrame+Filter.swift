// Filter: the rows where a mask is true, in order.
//
// Two parallel passes over row chunks: count the kept rows of each chunk, then (after a prefix
// sum gives each chunk its output offset) write the kept row positions; the columns are then
// gathered in parallel (`Column.gatherParallel`), validity included.

extension DataFrame {
    /// The rows whose `mask` entry is true, in order. `mask` must have one entry per row.
    package func filtered(_ mask: [Bool]) -> DataFrame {
        precondition(mask.count == rowCount, "mask has \(mask.count) entries for \(rowCount) rows")
        let rows = DataFrame.keptRows(mask)
        if rows.count == rowCount { return self }
        return rows.withUnsafeBufferPointer { rows in
            DataFrame(unchecked: columns.map { $0.gatherParallel(rows) }, rowCount: rows.count, schema: schema)
        }
    }

    /// The positions where `mask` is true, ascending.
    static func keptRows(_ mask: [Bool]) -> [Int] {
        mask.withUnsafeBufferPointer { m in
            let ranges = Parallel.chunks(m.count)
            let counts = Parallel.map(ranges.count) { c in ranges[c].reduce(0) { $0 + (m[$1] ? 1 : 0) } }
            var offsets = [0]
            for k in counts { offsets.append(offsets.last! + k) }
            let total = offsets.last!
            return [Int](unsafeUninitializedCapacity: total) { out, initialized in
                if let base = out.baseAddress {
                    let target = SharedPointer(base)
                    // Chunk c writes only out[offsets[c]..<offsets[c + 1]].
                    Parallel.forEach(ranges.count) { c in
                        var at = offsets[c]
                        for i in ranges[c] where m[i] {
                            (target.base + at).initialize(to: i)
                            at += 1
                        }
                    }
                }
                initialized = total
            }
        }
    }
}
