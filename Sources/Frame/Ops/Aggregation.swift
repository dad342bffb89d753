// Aggregation: what `grouped(by:aggregates:)` computes for each group, and its result's type.
//
// Missing values: a null, and a NaN in a float column, are skipped by every function but
// `count` without a column. A group with no value gives 0 for `sum`, `count` and `distinct`,
// and null for the others; `std` is null below two values (it divides by n - 1).

/// A statistic computed per group.
package enum AggregateFunction: String, Sendable, CaseIterable {
    /// Rows in the group; with a column, its non-missing values.
    case count
    /// Sum of the values: int64 for integer and boolean columns (float64 if it would
    /// overflow), float64 for float columns.
    case sum
    /// Arithmetic mean, float64.
    case mean
    /// Smallest value, in the column's own type (strings compare as Swift `String`s).
    case min
    /// Largest value, in the column's own type.
    case max
    /// Sample standard deviation (divides by n - 1), float64.
    case std
    /// Number of distinct non-missing values.
    case distinct
    /// Middle value (mean of the two middle values for an even count), float64.
    case median

    /// True when the function needs a numeric column (integer, float or boolean).
    var needsNumeric: Bool {
        switch self {
        case .sum, .mean, .std, .median: true
        case .count, .min, .max, .distinct: false
        }
    }
}

/// One output column of a group-by: `function` of `column`, named `name`.
package struct Aggregation: Sendable, Equatable {
    /// The statistic.
    package var function: AggregateFunction
    /// The column aggregated; nil only for `count` (rows per group).
    package var column: String?
    /// The name of the output column.
    package var name: String

    /// `function` of `column`, named `name` (default: "count" for a row count, else
    /// "<function>_<column>", e.g. "mean_is_listened").
    package init(_ function: AggregateFunction, _ column: String? = nil, as name: String? = nil) {
        self.function = function
        self.column = column
        self.name = name ?? column.map { "\(function.rawValue)_\($0)" } ?? function.rawValue
    }
}
