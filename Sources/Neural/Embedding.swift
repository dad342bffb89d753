// Embedding: a table of `count` rows of `width` values; an index i becomes row i. Indices out of
// the table (-1 for an id the model never saw) become a row of zeros and get no gradient.
// Backward adds each example's gradient row into the gradient of its index's row, writes only
// the rows the batch touched, and lists them in the table's `touchedRows`, so the optimiser's
// step costs the batch's rows, not the table's.

import Frame

/// A lookup table of learned vectors.
package final class Embedding {
    package let count: Int
    package let width: Int
    package let table: Parameter
    private let output: Tensor
    /// Indices of the last forward pass.
    private var indices: [Int32] = []
    /// The step at which each row was last touched, to list each row once.
    private var stamp: [UInt32]
    private var step: UInt32 = 0

    package init(count: Int, width: Int, name: String = "embedding", initializer: Initializer = .uniform(0.05),
                 rng: inout Xoshiro256) {
        precondition(count > 0 && width > 0, "an embedding needs rows and a positive width")
        self.count = count
        self.width = width
        table = Parameter(name: "\(name).table", rows: count, columns: width, sparse: true, decays: true)
        initializer.fill(table, &rng)
        output = Tensor(rows: 0, columns: width)
        stamp = [UInt32](repeating: 0, count: count)
    }

    package var description: String { "embedding(\(count) x \(width))" }

    /// The rows of `indices` (training: kept for `backward`).
    package func forward(_ idx: UnsafeBufferPointer<Int32>) -> Tensor {
        indices = Array(idx)
        infer(idx, into: output)
        return output
    }

    /// The rows of `indices` into `y`, reading the table only.
    package func infer(_ idx: UnsafeBufferPointer<Int32>, into y: Tensor) {
        y.resize(rows: idx.count)
        for (r, i) in idx.enumerated() {
            let out = y.row(r)
            if i >= 0 && Int(i) < count {
                out.update(from: table.value + Int(i) * width, count: width)
            } else {
                out.update(repeating: 0, count: width)
            }
        }
    }

    /// Accumulates ∂loss/∂output rows into the touched rows of the table's gradient.
    package func backward(_ g: Tensor) {
        step &+= 1
        if step == 0 {  // wrapped: clear the stamps
            stamp = [UInt32](repeating: 0, count: count)
            step = 1
        }
        var touched: [Int32] = []
        touched.reserveCapacity(indices.count)
        for (r, i) in indices.enumerated() where i >= 0 && Int(i) < count {
            let dst = table.gradient + Int(i) * width
            if stamp[Int(i)] != step {
                stamp[Int(i)] = step
                touched.append(i)
                dst.update(from: g.row(r), count: width)
            } else {
                Kernels.add(g.row(r), to: dst, width)
            }
        }
        touched.sort()
        table.touchedRows = touched
    }
}
