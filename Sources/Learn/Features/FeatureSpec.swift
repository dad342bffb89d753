// FeatureSpec: what a user asked a classifier to learn from: columns (or pairs of columns),
// each with an encoding or left for the data to decide, and the settings of the encoders.
// `FeatureSpec.auto` picks the columns and encodings of a frame by rules a person can check,
// and says why for each, so `features=auto` prints what it chose.
//
// Encodings:
//   numeric    x scaled by `scaling` (standard: (x - mean) / sd; robust: (x - median) / IQR)
//   onehot     one 0/1 column per level, the `maxLevels - 1` most frequent levels kept and the
//              rest pooled as "other"; a level unseen in training is all zeros
//   target     out-of-fold mean label of the level, smoothed towards the prior p:
//              (Σ y + m p) / (n + m), with n and Σ y over the level's training rows outside the
//              row's own fold (so a row never sees its own label); a frame scored later uses
//              every training row; an unseen level gets p
//   frequency  the level's share of training rows; an unseen level gets 0

import Frame

/// How one feature becomes model inputs.
package enum FeatureEncoding: String, Sendable, CaseIterable {
    case numeric, onehot, target, frequency
}

/// One requested feature: a column, or a pair of columns crossed (`pair(user_id, artist_id)`),
/// with an encoding, or nil to let the column's type decide.
package struct FeatureRequest: Sendable, Equatable {
    package var columns: [String]
    package var encoding: FeatureEncoding?

    package init(_ columns: [String], encoding: FeatureEncoding? = nil) {
        self.columns = columns
        self.encoding = encoding
    }

    /// The feature's name: the column, or `user_id*artist_id` for a pair.
    package var name: String { columns.joined(separator: "*") }
}

/// The features of a classifier and how they are encoded.
package struct FeatureSpec: Sendable, Equatable {
    package var features: [FeatureRequest]
    package var scaling: FeatureScaling
    /// m in the smoothed target encoding: the prior counts as this many rows.
    package var smoothing: Double = 20
    /// Folds of the out-of-fold target encoding of training rows.
    package var encodingFolds: Int = 5
    /// Columns at most per one-hot feature (the most frequent levels, then "other").
    package var maxLevels: Int = 16
    /// Seed of the encoding folds.
    package var seed: Int = 1

    package init(_ features: [FeatureRequest], scaling: FeatureScaling) {
        self.features = features
        self.scaling = scaling
    }
}

/// A feature as `features=auto` or an explicit list resolved it: its encoding and the reason.
package struct ResolvedFeature: Sendable, Equatable {
    package var request: FeatureRequest
    package var encoding: FeatureEncoding
    package var reason: String
}

extension FeatureSpec {
    /// Levels above which an integer code is treated as an id (target-encoded), not one-hot.
    package static let idLevels = 64

    /// Name endings that mark an integer column as a code of categories, not a quantity.
    package static let codeSuffixes = ["_type", "_name", "_family", "_code", "_category", "_kind", "_gender"]

    /// Every column of `frame` except `excluded` (the target, the label and rating), with the
    /// encoding its type and values suggest.
    package static func auto(_ frame: DataFrame, excluding excluded: Set<String>) -> [FeatureRequest] {
        frame.columns.filter { !excluded.contains($0.name) }.map { FeatureRequest([$0.name]) }
    }

    /// The encoding of `request` in `frame`: the one asked for, or the one its column suggests.
    package static func resolve(_ request: FeatureRequest, in frame: DataFrame) throws(LearnError) -> ResolvedFeature {
        var columns: [Column] = []
        for name in request.columns {
            guard let c = frame[name] else {
                throw .invalidParameter(name: "features", reason: "names column '\(name)', which the frame does not have")
            }
            columns.append(c)
        }
        if columns.count > 1 {
            let encoding = request.encoding ?? .target
            guard encoding == .target || encoding == .frequency else {
                throw .invalidParameter(name: "features", reason: "pair \(request.name) can be encoded as target or frequency, not \(encoding.rawValue)")
            }
            return ResolvedFeature(request: request, encoding: encoding, reason: "a pair of columns: a category per combination")
        }
        let c = columns[0]
        if let encoding = request.encoding {
            if encoding == .numeric && !c.type.isNumeric {
                throw .nonNumeric(column: c.name, role: nil, type: c.type.rawValue)
            }
            if encoding != .numeric && c.type == .float64 {
                throw .invalidParameter(name: "features", reason: "asks for \(encoding.rawValue) encoding of '\(c.name)', which holds real numbers; categories need integer or text codes")
            }
            return ResolvedFeature(request: request, encoding: encoding, reason: "as asked")
        }
        switch c.type {
        case .float64:
            return ResolvedFeature(request: request, encoding: .numeric, reason: "real numbers")
        case .bool:
            return ResolvedFeature(request: request, encoding: .numeric, reason: "true/false, as 0/1")
        case .string:
            let levels = CategoryLevels.distinctCount(c)
            return levels <= idLevels
                ? ResolvedFeature(request: request, encoding: .onehot, reason: "text with \(levels) values")
                : ResolvedFeature(request: request, encoding: .target, reason: "text with \(levels) values: too many for one-hot")
        default:
            let levels = CategoryLevels.distinctCount(c)
            let name = c.name.lowercased()
            if name.hasSuffix("_id") || name == "id" {
                return ResolvedFeature(request: request, encoding: levels <= 2 ? .numeric : .target,
                                       reason: "an id with \(levels) values")
            }
            if levels <= 2 { return ResolvedFeature(request: request, encoding: .numeric, reason: "two values, as 0/1") }
            if codeSuffixes.contains(where: { name.hasSuffix($0) }) {
                return levels <= idLevels
                    ? ResolvedFeature(request: request, encoding: .onehot, reason: "a code with \(levels) values")
                    : ResolvedFeature(request: request, encoding: .target, reason: "a code with \(levels) values: too many for one-hot")
            }
            return ResolvedFeature(request: request, encoding: .numeric, reason: "integers with \(levels) values, read as a quantity")
        }
    }
}
