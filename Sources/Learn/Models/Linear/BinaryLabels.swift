// The checks every linear classifier makes of its training data before fitting: rows, finite
// features, labels that are 0 or 1, and both classes present.

import Frame

/// Validation of a classifier's training rows and 0/1 labels.
enum BinaryLabels {
    /// The number of positive rows; throws a clear error for data a binary classifier cannot
    /// learn from.
    static func check(_ x: FeatureMatrix, _ labels: [Float], kind: String) throws(LearnError) -> Int {
        guard x.rows > 0 else { throw .emptyData("the training data of \(kind)") }
        guard labels.count == x.rows else {
            throw .invalidParameter(name: "labels", reason: "must give one label per training row (\(x.rows) rows, \(labels.count) labels)")
        }
        var positives = 0
        for v in labels {
            if v == 1 { positives += 1 } else if v != 0 {
                throw .invalidParameter(name: "labels", reason: "must be 0 or 1 for \(kind), but one is \(v)")
            }
        }
        if positives == 0 || positives == x.rows {
            throw .unsupported("\(kind) needs both classes in the training labels, but every one of the \(x.rows) rows has label \(positives == 0 ? 0 : 1); check the label column or the filter that made the training frame")
        }
        // One parallel pass for the first non-finite value; its column is named in the error.
        let firstBad = x.values.withUnsafeBufferPointer { v in
            Parallel.mapChunks(v.count) { range in range.first { !v[$0].isFinite } }.compactMap { $0 }.first
        }
        if let bad = firstBad {
            let c = bad % x.columns
            throw .missingValues(column: x.names[c], role: nil, count: x.column(c).filter { !$0.isFinite }.count)
        }
        return positives
    }
}
