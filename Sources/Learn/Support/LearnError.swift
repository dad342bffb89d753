// Errors of the model library, with messages that say what to change.

import Frame

/// A failure to fit, score or evaluate a model.
package enum LearnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame's schema does not name a column for `role`.
    case missingRole(Role)
    /// A role names a column that is not numeric.
    case nonNumeric(column: String, role: Role)
    /// The user or item column has `count` nulls, which no id can stand for.
    case missingValues(column: String, role: Role, count: Int)
    case emptyData(String)
    /// A metric is undefined on this data (e.g. AUC with one class).
    case undefinedMetric(metric: String, reason: String)
    case unknownUser(Int64)
    case invalidParameter(name: String, reason: String)
    case frame(FrameError)
    case cancelled

    package var description: String {
        switch self {
        case .missingRole(let role):
            "no \(role.rawValue) column is declared; declare it with 'schema <frame> \(role.rawValue)=<column>'"
        case .nonNumeric(let column, let role):
            "the \(role.rawValue) column '\(column)' must be numeric"
        case .missingValues(let column, let role, let count):
            "the \(role.rawValue) column '\(column)' has \(count) missing value\(count == 1 ? "" : "s"); filter those rows out first"
        case .emptyData(let what):
            "\(what) has no rows"
        case .undefinedMetric(let metric, let reason):
            "\(metric) is undefined here: \(reason)"
        case .unknownUser(let id):
            "user \(id) is not in the training data, so the model has nothing to go on; pick a user who appears in the training frame"
        case .invalidParameter(let name, let reason):
            "\(name) \(reason)"
        case .frame(let e):
            "\(e)"
        case .cancelled:
            "cancelled"
        }
    }
}
