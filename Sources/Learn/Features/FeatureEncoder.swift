// FeatureEncoder: one feature, fitted: how its column (or pair of columns) becomes one or more
// model inputs, learned from the training rows and applied unchanged to any frame with the
// same columns. The encodings and their formulas are stated in FeatureSpec.swift.

import Frame

/// A fitted feature: its request, encoding and the numbers that encode it.
package struct FeatureEncoder: Sendable {
    package enum Transform: Sendable {
        /// (x - center) / scale.
        case numeric(center: Double, scale: Double)
        /// Output slot of each level (-1: pooled as "other", which has the last slot when present).
        case onehot(levels: CategoryLevels, slots: [Int32], other: Bool)
        /// The smoothed mean label of each level over every training row; `prior` for an unseen level.
        case target(levels: CategoryLevels, values: [Float], prior: Float)
        /// Each level's share of training rows; 0 for an unseen level.
        case frequency(levels: CategoryLevels, shares: [Float])
    }

    package let feature: ResolvedFeature
    package let transform: Transform
    /// The names of its model inputs: `user_age`, `context_type=1`, `te(user_id)`.
    package let outputs: [String]

    /// Inputs this feature adds to a row.
    package var width: Int { outputs.count }

    /// Fits the feature to the training `frame` and writes its training values (target
    /// encodings out of fold) into columns `offset..<offset + width` of `matrix`.
    static func fit(_ feature: ResolvedFeature, frame: DataFrame, labels: [Float], spec: FeatureSpec,
                    folds: [UInt8]) throws(LearnError) -> (FeatureEncoder, [[Float]]) {
        let columns = try Self.columns(feature.request, of: frame)
        let n = frame.rowCount
        let name = feature.request.name
        switch feature.encoding {
        case .numeric:
            let x = try numbers(columns[0])
            let (center, scale) = Self.scaling(x, spec.scaling)
            let encoder = FeatureEncoder(feature: feature, transform: .numeric(center: center, scale: scale), outputs: [name])
            return (encoder, [encoder.numeric(x, center, scale)])
        case .onehot:
            let (levels, codes) = try CategoryLevels.fit(columns)
            var counts = [Int](repeating: 0, count: levels.count)
            for c in codes { counts[Int(c)] += 1 }
            // The most frequent levels (ties by first appearance), the rest pooled.
            let order = (0..<levels.count).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            let other = levels.count > spec.maxLevels
            let kept = other ? Array(order.prefix(spec.maxLevels - 1)) : order
            var slots = [Int32](repeating: -1, count: levels.count)
            for (slot, level) in kept.sorted().enumerated() { slots[level] = Int32(slot) }
            var outputs = kept.sorted().map { "\(name)=\(levels.labels[$0])" }
            if other { outputs.append("\(name)=other") }
            let encoder = FeatureEncoder(feature: feature, transform: .onehot(levels: levels, slots: slots, other: other), outputs: outputs)
            return (encoder, encoder.encode(codes))
        case .target:
            let (levels, codes) = try CategoryLevels.fit(columns)
            let k = spec.encodingFolds, m = spec.smoothing
            var counts = [Double](repeating: 0, count: levels.count * (k + 1))
            var sums = [Double](repeating: 0, count: levels.count * (k + 1))
            // Slot k of each level holds its totals; slots 0..<k its rows in each fold.
            var positives = 0.0
            for r in 0..<n {
                let l = Int(codes[r]) * (k + 1), y = Double(labels[r])
                counts[l + Int(folds[r])] += 1
                sums[l + Int(folds[r])] += y
                counts[l + k] += 1
                sums[l + k] += y
                positives += y
            }
            let prior = positives / Double(n)
            let values = (0..<levels.count).map { l in Float((sums[l * (k + 1) + k] + m * prior) / (counts[l * (k + 1) + k] + m)) }
            let encoded = counts.withUnsafeBufferPointer { cnt in
                sums.withUnsafeBufferPointer { sm in
                    codes.withUnsafeBufferPointer { cd in
                        folds.withUnsafeBufferPointer { fd in
                            Parallel.array(n) { r -> Float in
                                let base = Int(cd[r]) * (k + 1), f = Int(fd[r])
                                let c = cnt[base + k] - cnt[base + f], s = sm[base + k] - sm[base + f]
                                return Float((s + m * prior) / (c + m))
                            }
                        }
                    }
                }
            }
            let encoder = FeatureEncoder(feature: feature, transform: .target(levels: levels, values: values, prior: Float(prior)),
                                         outputs: ["te(\(name))"])
            return (encoder, [encoded])
        case .frequency:
            let (levels, codes) = try CategoryLevels.fit(columns)
            var counts = [Float](repeating: 0, count: levels.count)
            for c in codes { counts[Int(c)] += 1 }
            let shares = counts.map { $0 / Float(n) }
            let encoder = FeatureEncoder(feature: feature, transform: .frequency(levels: levels, shares: shares), outputs: ["freq(\(name))"])
            return (encoder, encoder.encode(codes))
        }
    }

    /// The feature's inputs for every row of `frame`, one array per output.
    func apply(_ frame: DataFrame) throws(LearnError) -> [[Float]] {
        let columns = try Self.columns(feature.request, of: frame)
        switch transform {
        case .numeric(let center, let scale):
            return [numeric(try Self.numbers(columns[0]), center, scale)]
        case .onehot(let levels, _, _), .target(let levels, _, _), .frequency(let levels, _):
            return encode(try levels.levels(of: columns))
        }
    }

    /// Encodes level numbers (-1 unseen).
    private func encode(_ codes: [Int32]) -> [[Float]] {
        switch transform {
        case .numeric: return []
        case .onehot(_, let slots, let other):
            let width = outputs.count
            var out = [[Float]](repeating: [Float](repeating: 0, count: codes.count), count: width)
            for (r, c) in codes.enumerated() where c >= 0 {
                let slot = slots[Int(c)]
                if slot >= 0 { out[Int(slot)][r] = 1 } else if other { out[width - 1][r] = 1 }
            }
            return [[Float]](out)
        case .target(_, let values, let prior):
            return [codes.withUnsafeBufferPointer { cd in Parallel.array(cd.count) { cd[$0] >= 0 ? values[Int(cd[$0])] : prior } }]
        case .frequency(_, let shares):
            return [codes.withUnsafeBufferPointer { cd in Parallel.array(cd.count) { cd[$0] >= 0 ? shares[Int(cd[$0])] : 0 } }]
        }
    }

    private func numeric(_ x: [Double], _ center: Double, _ scale: Double) -> [Float] {
        x.withUnsafeBufferPointer { v in Parallel.array(v.count) { Float((v[$0] - center) / scale) } }
    }

    /// What the encoder learned, in a few words, for `show m`.
    package var detail: String {
        switch transform {
        case .numeric(let center, let scale):
            center == 0 && scale == 1 ? "as is" : "centre \(Self.short(center)), scale \(Self.short(scale))"
        case .onehot(let levels, _, let other):
            "\(levels.count) levels" + (other ? ", \(outputs.count - 1) kept, the rest as other" : "") + "; unseen: all 0"
        case .target(let levels, _, let prior):
            "\(levels.count) levels, out of fold; unseen: prior \(Self.short(Double(prior)))"
        case .frequency(let levels, _):
            "\(levels.count) levels; unseen: 0"
        }
    }

    /// `x` to four significant digits: `0.683`, `232.4`, `1.479e9`.
    static func short(_ x: Double) -> String {
        guard x != 0, x.isFinite else { return HyperValue.format(x) }
        var exponent = 0
        var m = abs(x)
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        m = (m * 1000).rounded() / 1000
        if m >= 10 { m /= 10; exponent += 1 }
        let sign = x < 0 ? "-" : ""
        if exponent >= 6 || exponent <= -4 { return "\(sign)\(HyperValue.format(m))e\(exponent)" }
        var scaled = m
        for _ in 0..<max(0, exponent) { scaled *= 10 }
        for _ in 0..<max(0, -exponent) { scaled /= 10 }
        let digits = max(0, 3 - exponent)
        var factor = 1.0
        for _ in 0..<digits { factor *= 10 }
        return sign + HyperValue.format((scaled * factor).rounded() / factor)
    }

    /// (center, scale) of `x` under `scaling`; a constant column gets scale 1.
    static func scaling(_ x: [Double], _ scaling: FeatureScaling) -> (Double, Double) {
        guard !x.isEmpty else { return (0, 1) }
        switch scaling {
        case .none:
            return (0, 1)
        case .standard:
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
            let sd = variance.squareRoot()
            return (mean, sd > 1e-12 * max(1, abs(mean)) ? sd : 1)
        case .robust:
            let sorted = x.sorted()
            func quantile(_ q: Double) -> Double {
                let p = q * Double(sorted.count - 1), lo = Int(p.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
                return sorted[lo] + (sorted[hi] - sorted[lo]) * (p - Double(lo))
            }
            let iqr = quantile(0.75) - quantile(0.25)
            return (quantile(0.5), iqr > 0 ? iqr : 1)
        }
    }

    private static func columns(_ request: FeatureRequest, of frame: DataFrame) throws(LearnError) -> [Column] {
        var out: [Column] = []
        for name in request.columns {
            guard let c = frame[name] else {
                throw .invalidParameter(name: "features", reason: "needs column '\(name)', which the frame does not have")
            }
            out.append(c)
        }
        return out
    }

    /// A numeric column's values, which must all be finite.
    private static func numbers(_ c: Column) throws(LearnError) -> [Double] {
        guard let x = c.doubleValues() else { throw .nonNumeric(column: c.name, role: nil, type: c.type.rawValue) }
        let bad = x.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        guard bad == 0 else { throw .missingValues(column: c.name, role: nil, count: bad) }
        return x
    }
}
