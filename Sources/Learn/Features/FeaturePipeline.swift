// FeaturePipeline: the fitted preprocessing of a classifier. Fitting resolves each requested
// feature's encoding, learns its numbers from the training frame and returns the training
// matrix (target encodings out of fold); `transform` turns any frame with the same columns
// into the same inputs, with every number learned in training. The model keeps it, so
// `predict` needs nothing but a frame.

import Frame

/// The fitted features of a classifier, in input order.
package struct FeaturePipeline: Sendable {
    package let spec: FeatureSpec
    package let encoders: [FeatureEncoder]
    /// The target column, for messages.
    package let target: String

    /// The names of the model inputs, in matrix column order.
    package var inputNames: [String] { encoders.flatMap(\.outputs) }

    /// Fits the features of `spec` to `frame` whose 0/1 target is `labels`; returns the
    /// pipeline and the training matrix.
    package static func fit(_ frame: DataFrame, spec: FeatureSpec, target: String,
                            labels: [Float]) throws(LearnError) -> (FeaturePipeline, FeatureMatrix) {
        guard frame.rowCount > 0 else { throw .emptyData("the training frame") }
        guard !spec.features.isEmpty else { throw .invalidParameter(name: "features", reason: "must name at least one column") }
        var resolved: [ResolvedFeature] = []
        for request in spec.features {
            if request.columns.contains(target) {
                throw .invalidParameter(name: "features", reason: "includes the target '\(target)': a model would learn the answer")
            }
            resolved.append(try FeatureSpec.resolve(request, in: frame))
        }
        // Each row's fold for out-of-fold target encoding, from a hash of (seed, row): the same
        // on any number of cores.
        let (k, seed) = (spec.encodingFolds, spec.seed)
        let folds = Parallel.array(frame.rowCount) { r in encodingFold(row: r, seed: seed, folds: k) }
        var encoders: [FeatureEncoder] = []
        var columns: [[Float]] = []
        for feature in resolved {
            let (encoder, values) = try FeatureEncoder.fit(feature, frame: frame, labels: labels, spec: spec, folds: folds)
            encoders.append(encoder)
            columns += values
        }
        let pipeline = FeaturePipeline(spec: spec, encoders: encoders, target: target)
        return (pipeline, Self.assemble(columns, rows: frame.rowCount, names: pipeline.inputNames))
    }

    /// The fold of training row `row` in the out-of-fold target encoding.
    package static func encodingFold(row: Int, seed: Int, folds: Int) -> UInt8 {
        UInt8(SplitMix64.mix(UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(row)) % UInt64(folds))
    }

    /// The model inputs of every row of `frame`.
    package func transform(_ frame: DataFrame) throws(LearnError) -> FeatureMatrix {
        var columns: [[Float]] = []
        for encoder in encoders { columns += try encoder.apply(frame) }
        return Self.assemble(columns, rows: frame.rowCount, names: inputNames)
    }

    /// Interleaves per-input arrays into a row-major matrix, blocks of rows in parallel.
    static func assemble(_ columns: [[Float]], rows: Int, names: [String]) -> FeatureMatrix {
        let d = columns.count
        var values = [Float](repeating: 0, count: rows * d)
        values.withUnsafeMutableBufferPointer { out in
            let target = SharedPointer(out.baseAddress!)
            let chunks = Parallel.chunks(rows, minimum: 8192)
            Parallel.forEach(chunks.count) { c in
                for j in 0..<d {
                    columns[j].withUnsafeBufferPointer { src in
                        for r in chunks[c] { target.base[r * d + j] = src[r] }
                    }
                }
            }
        }
        return FeatureMatrix(rows: rows, columns: d, values: values, names: names)
    }
}

/// A 0/1 target read from a frame.
package enum BinaryTarget {
    /// The values of `name` as 0/1 Floats: a boolean column, or numbers that are all 0 or 1.
    package static func read(_ frame: DataFrame, _ name: String) throws(LearnError) -> [Float] {
        guard let c = frame[name] else { throw .invalidParameter(name: "target", reason: "names column '\(name)', which the frame does not have") }
        guard let x = c.doubleValues() else { throw .nonNumeric(column: name, role: .label, type: c.type.rawValue) }
        if c.nullCount > 0 { throw .missingValues(column: name, role: .label, count: c.nullCount) }
        if let bad = x.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw .invalidParameter(name: "target", reason: "'\(name)' must hold 0 or 1 in every row, but row \(bad + 1) holds \(HyperValue.format(x[bad])); a classifier predicts two classes")
        }
        return x.withUnsafeBufferPointer { v in Parallel.array(v.count) { Float(v[$0]) } }
    }

    /// Throws unless `labels` hold both classes.
    package static func requireBothClasses(_ labels: [Float], _ name: String, in what: String = "the training frame") throws(LearnError) {
        let ones = labels.reduce(0) { $0 + Int($1) }
        if ones == 0 || ones == labels.count {
            throw .invalidParameter(name: "target", reason: "'\(name)' is \(ones == 0 ? 0 : 1) in every row of \(what); a classifier needs both classes")
        }
    }
}
