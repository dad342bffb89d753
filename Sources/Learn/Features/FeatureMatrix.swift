// FeatureMatrix: the input of every classifier, after preprocessing. One row per example, one
// column per model input (a standardised number, one level of a one-hot code, a target
// encoding), stored row-major in Floats: a row is one contiguous vector for dot products and
// distances, and a block of rows is a BLAS operand as it stands. Tree learners bin it once,
// column by column (Binning.swift).

import Frame

/// A dense row-major Float matrix of model inputs, with a name per column.
package struct FeatureMatrix: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    /// Row r is values[r * columns ..< (r + 1) * columns].
    package var values: [Float]
    /// The name of each column: `user_age`, `context_type=3`, `te(user_id)`.
    package var names: [String]

    package init(rows: Int, columns: Int, values: [Float], names: [String]) {
        precondition(values.count == rows * columns, "feature values do not match the shape")
        precondition(names.count == columns, "one name per feature column")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.names = names
    }

    /// A matrix of zeros.
    package init(rows: Int, names: [String]) {
        self.init(rows: rows, columns: names.count, values: [Float](repeating: 0, count: rows * names.count), names: names)
    }

    package subscript(r: Int, c: Int) -> Float {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Row `r` as a slice.
    package func row(_ r: Int) -> ArraySlice<Float> { values[(r * columns)..<((r + 1) * columns)] }

    /// Column `c` as an array (a copy).
    package func column(_ c: Int) -> [Float] {
        values.withUnsafeBufferPointer { v in (0..<rows).map { v[$0 * columns + c] } }
    }

    /// The rows `picked`, in that order (a fold, a subsample), copied in parallel.
    package func selecting(rows picked: [Int]) -> FeatureMatrix {
        let d = columns
        var out = [Float](repeating: 0, count: picked.count * d)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let target = SharedPointer(dst.baseAddress!)
                let chunks = Parallel.chunks(picked.count, minimum: 4096)
                Parallel.forEach(chunks.count) { c in
                    for k in chunks[c] {
                        let from = src.baseAddress! + picked[k] * d
                        (target.base + k * d).update(from: from, count: d)
                    }
                }
            }
        }
        return FeatureMatrix(rows: picked.count, columns: d, values: out, names: names)
    }
}
