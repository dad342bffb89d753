// CSRMatrix: a sparse matrix in compressed sparse row form (the layout of scipy's csr_matrix
// and of implicit's user_items): row r's entries are indices[offsets[r]..<offsets[r+1]] with
// their values, column indices ascending within a row. Invariants: offsets has rows + 1
// non-decreasing entries from 0 to nnz; every index is in 0..<columns; no index repeats in a row.

/// A sparse Float matrix, rows compressed.
package struct CSRMatrix: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    package let offsets: [Int]
    package let indices: [Int32]
    package let values: [Float]

    package init(rows: Int, columns: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        precondition(offsets.count == rows + 1 && indices.count == values.count && offsets.last == indices.count,
                     "inconsistent CSR arrays")
        self.rows = rows
        self.columns = columns
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// Stored entries.
    package var nonZeros: Int { indices.count }

    /// The positions in `indices` and `values` of row `r`.
    @inline(__always)
    package func range(of r: Int) -> Range<Int> { offsets[r]..<offsets[r + 1] }

    /// The value at (r, c), 0 when not stored (binary search in the row).
    package func value(_ r: Int, _ c: Int) -> Float {
        var lo = offsets[r], hi = offsets[r + 1]
        let target = Int32(c)
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo < offsets[r + 1] && indices[lo] == target ? values[lo] : 0
    }

    /// The transpose, also with ascending indices in every row (a counting sort by column,
    /// which keeps the row order within each column).
    package func transposed() -> CSRMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in indices { counts[Int(c) + 1] += 1 }
        for c in 0..<columns { counts[c + 1] += counts[c] }
        var fill = counts
        var outIndices = [Int32](repeating: 0, count: nonZeros)
        var outValues = [Float](repeating: 0, count: nonZeros)
        outIndices.withUnsafeMutableBufferPointer { oi in
            outValues.withUnsafeMutableBufferPointer { ov in
                indices.withUnsafeBufferPointer { ix in
                    values.withUnsafeBufferPointer { vx in
                        fill.withUnsafeMutableBufferPointer { f in
                            for r in 0..<rows {
                                for k in offsets[r]..<offsets[r + 1] {
                                    let c = Int(ix[k])
                                    oi[f[c]] = Int32(r)
                                    ov[f[c]] = vx[k]
                                    f[c] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return CSRMatrix(rows: columns, columns: rows, offsets: counts, indices: outIndices, values: outValues)
    }

    /// The rows `order` (old row numbers, in their new order) as a matrix of as many rows.
    package func permutedRows(_ order: [Int]) -> CSRMatrix {
        var offsets = [0]
        offsets.reserveCapacity(order.count + 1)
        var outIndices: [Int32] = [], outValues: [Float] = []
        outIndices.reserveCapacity(nonZeros)
        outValues.reserveCapacity(nonZeros)
        for r in order {
            outIndices += indices[range(of: r)]
            outValues += values[range(of: r)]
            offsets.append(outIndices.count)
        }
        return CSRMatrix(rows: order.count, columns: columns, offsets: offsets, indices: outIndices, values: outValues)
    }

    /// The sum of each row's values.
    package func rowSums() -> [Double] {
        (0..<rows).map { r in range(of: r).reduce(0.0) { $0 + Double(values[$1]) } }
    }

    /// The same pattern with every value replaced by `transform(value)`.
    package func mapValues(_ transform: (Float) -> Float) -> CSRMatrix {
        CSRMatrix(rows: rows, columns: columns, offsets: offsets, indices: indices, values: values.map(transform))
    }
}
