// Tensor: a rows x columns matrix of Floats on one contiguous, row-major buffer, the unit every
// layer reads and writes. A batch is a tensor whose rows are examples. Layers own the tensors
// they produce and reuse them batch after batch: `resize(rows:)` changes the row count within
// the buffer (reallocating only to grow), so training allocates nothing per step.
//
// A tensor is a reference: a layer's output is the next layer's input without a copy. It is
// not safe to write one tensor from two threads; inference that runs on several threads at
// once (`Sequential.infer`) allocates its own tensors per call.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A row-major matrix of Floats on a buffer it owns.
package final class Tensor: @unchecked Sendable {
    // @unchecked Sendable: a tensor is written by one thread at a time (see the file comment).
    package private(set) var rows: Int
    package let columns: Int
    /// Rows the buffer holds without reallocating.
    package private(set) var capacity: Int
    /// The values, row after row; `rows * columns` of them are in use.
    package private(set) var data: UnsafeMutablePointer<Float>

    /// A tensor of zeros; with `zeroed: false`, of values the caller overwrites before reading
    /// (the outputs of inference, written whole by each layer).
    package init(rows: Int, columns: Int, zeroed: Bool = true) {
        precondition(rows >= 0 && columns >= 0, "a tensor's shape cannot be negative")
        self.rows = rows
        self.columns = columns
        capacity = max(rows, 1)
        data = .allocate(capacity: capacity * max(columns, 1))
        if zeroed { data.initialize(repeating: 0, count: capacity * max(columns, 1)) }
    }

    /// A tensor holding `values` (row-major, rows x columns of them).
    package convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values do not fill \(rows) x \(columns)")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { v in
            if let base = v.baseAddress { data.update(from: base, count: v.count) }
        }
    }

    deinit { data.deallocate() }

    /// Values in use.
    package var count: Int { rows * columns }

    /// Sets the number of rows, growing the buffer when needed. The values of the rows are
    /// unspecified afterwards; layers overwrite them.
    package func resize(rows newRows: Int) {
        precondition(newRows >= 0, "a tensor's row count cannot be negative")
        if newRows > capacity {
            let width = max(columns, 1)
            data.deallocate()
            capacity = newRows
            data = .allocate(capacity: capacity * width)
            data.initialize(repeating: 0, count: capacity * width)
        }
        rows = newRows
    }

    /// The value at row r, column c.
    package subscript(r: Int, c: Int) -> Float {
        get { data[r * columns + c] }
        set { data[r * columns + c] = newValue }
    }

    /// Row r.
    package func row(_ r: Int) -> UnsafeMutablePointer<Float> { data + r * columns }

    /// Sets every value in use to `value`.
    package func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// The values in use, row-major.
    package var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// Copies `other` (same shape after resizing) into this tensor.
    package func copy(from other: Tensor) {
        precondition(other.columns == columns, "copying a \(other.columns)-column tensor into a \(columns)-column one")
        resize(rows: other.rows)
        data.update(from: other.data, count: count)
    }
}
