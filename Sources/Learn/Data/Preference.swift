// Preference: how the rows of an implicit-feedback log become one number per (user, item)
// pair, for the models that work on the user x item matrix (svd, als, itemknn, popular).
//
// A log has repeats and skips: the same user plays the same track many times, and a row with
// label 0 is a skip. With n rows of the pair, s of them labelled 1 (label > 0.5):
//   listens  s           plays that were not skips (the default; the original's pivot sum)
//   count    n           every play, skips included (an implicit log without labels)
//   label    1 if s > 0  liked at least once
//   share    Σ label / n the share of the pair's rows listened (the mean label)
//   weight   Σ w         the sum of a numeric column, e.g. a play count
// A pair whose preference is 0 is not stored: the matrix is sparse. Without a label column,
// `listens` counts every row, as `count` does.

/// The number a (user, item) pair gets from its rows.
package enum Preference: String, Sendable, CaseIterable {
    case listens, count, label, share, weight

    /// One line for help.
    package var summary: String {
        switch self {
        case .listens: "rows of the pair with label 1 (skips left out)"
        case .count: "rows of the pair, skips included"
        case .label: "1 when the pair has a row with label 1"
        case .share: "the mean label of the pair's rows"
        case .weight: "the sum of the weight column over the pair's rows"
        }
    }
}
