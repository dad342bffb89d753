// What gradient boosting and the random forest share around their trees: checking the labels
// and the matrix, binning the training matrix, summing per-row terms in an order that does not
// depend on the number of cores (fixed blocks of rows, added in block order), and scoring rows
// by walking every tree, rows in parallel.

import Foundation
import Frame

enum TreeEnsemble {
    /// Rows per block of a deterministic sum: the blocks, not the cores, fix the order of the
    /// additions, so a loss reads the same on any machine.
    static let sumBlock = 65_536

    /// Checks that `x` and `labels` can train `kind` on the rows `rows` (all rows when nil):
    /// some rows, some columns, labels of 0 or 1, and both labels present. Returns the number
    /// of rows labelled 1.
    static func checkTrainingData(_ x: FeatureMatrix, labels: [Float], rows: [Int32]? = nil,
                                  kind: String) throws(LearnError) -> Int {
        guard x.rows > 0 else { throw .emptyData("the training matrix") }
        guard x.columns > 0 else { throw .unsupported("\(kind) needs at least one feature column, but the matrix has none") }
        precondition(labels.count == x.rows, "one label per row")
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw .unsupported("\(kind) needs labels of 0 or 1, but row \(bad + 1) has \(labels[bad])")
        }
        let count = rows?.count ?? x.rows
        let positives = rows.map { $0.reduce(0) { $0 + Int(labels[Int($1)]) } } ?? labels.reduce(0) { $0 + Int($1) }
        if positives == 0 || positives == count {
            throw .unsupported("\(kind) needs both labels in its training rows, but all \(count) have label \(positives == 0 ? 0 : 1); a classifier cannot learn from one class")
        }
        return positives
    }

    /// Σ body(i) for i in 0..<count, in fixed blocks of rows (parallel), added in block order.
    static func sum(_ count: Int, _ body: (Int) -> Double) -> Double {
        let blocks = (count + sumBlock - 1) / sumBlock
        return Parallel.map(blocks) { b in
            var s = 0.0
            for i in (b * sumBlock)..<min(count, (b + 1) * sumBlock) { s += body(i) }
            return s
        }.reduce(0, +)
    }

    /// log(1 + e^z), without overflow.
    @inline(__always)
    static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

    /// The log loss of a 0/1 label y against the log-odds z: softplus(z) - y z.
    @inline(__always)
    static func logLoss(_ y: Float, logOdds z: Double) -> Double { softplus(z) - Double(y) * z }

    /// Checks that a matrix to score has the training columns.
    static func checkColumns(_ x: FeatureMatrix, _ bins: FeatureBins, kind: String) throws(LearnError) {
        guard x.columns == bins.columns else {
            throw .unsupported("this \(kind) model was fitted on \(bins.columns) feature columns, but the matrix has \(x.columns)")
        }
    }

    /// Rows walked through one tree before the next: a block's codes stay in cache while
    /// each tree's upper levels are reused by all its rows (deep forest trees do not fit in
    /// cache, so row by row, every tree would miss at every level).
    static let scoreBlock = 2_048

    /// base + Σ_t value of row r in trees[t], for every row of `x`: blocks of rows in
    /// parallel, trees one after another within a block (each block checks for cancellation
    /// before it starts).
    static func scores(_ x: BinnedMatrix, trees: [HistogramTree], base: Double,
                       context: FitContext) throws(LearnError) -> [Double] {
        let n = x.rows
        var out = [Double](repeating: base, count: n)
        var cancelled = false
        let blocks = (n + scoreBlock - 1) / scoreBlock
        x.codes.withUnsafeBufferPointer { codes in
            out.withUnsafeMutableBufferPointer { o in
                let target = SharedPointer(o.baseAddress!)
                let flags = Parallel.map(blocks) { b -> Bool in
                    if context.cancellation?.isCancelled == true { return true }
                    let rows = (b * scoreBlock)..<min(n, (b + 1) * scoreBlock)
                    // Each block writes its own rows.
                    for tree in trees {
                        tree.leafValues.withUnsafeBufferPointer { values in
                            for r in rows { target.base[r] += values[tree.leaf(codes: codes.baseAddress! + r, stride: n)] }
                        }
                    }
                    return false
                }
                cancelled = flags.contains(true)
            }
        }
        if cancelled { throw .cancelled }
        return out
    }
}

/// A count of finished trees, shared by the threads that build them.
final class TreeCounter: @unchecked Sendable {
    // @unchecked Sendable: `done` is read and written under `lock` only.
    private let lock = NSLock()
    private var done = 0

    /// Counts one more finished tree; returns how many are finished.
    func finish() -> Int {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        return done
    }
}
