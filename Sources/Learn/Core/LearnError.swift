// Errors of the model library, with messages that say what to change.

import Frame

/// A failure to fit, score or evaluate a model.
package enum LearnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame's schema does not name a column for `role`.
    case missingRole(Role)
    /// A column that must be numeric (ids: integer) is not.
    case nonNumeric(column: String, role: Role?, type: String)
    /// A column has `count` missing (null, NaN or infinite) values where every row needs one.
    case missingValues(column: String, role: Role?, count: Int)
    case emptyData(String)
    /// A metric is undefined on this data (e.g. AUC with one class).
    case undefinedMetric(metric: String, reason: String)
    /// A metric does not fit what the model's scores mean (log loss of a ranking score).
    case unsuitableMetric(metric: String, reason: String)
    case unknownUser(Int64)
    case unknownItem(Int64)
    case invalidParameter(name: String, reason: String)
    /// The model cannot do what was asked (`similar` on popularity), with the reason.
    case unsupported(String)
    /// The work would need more memory than is sensible; says how much and what to do instead.
    case tooLarge(String)
    /// A numerical failure, with what to change.
    case numerical(String)
    case frame(FrameError)
    case cancelled

    package var description: String {
        switch self {
        case .missingRole(let role):
            "no \(role.rawValue) column is declared; declare it with 'schema <frame> \(role.rawValue)=<column>'"
        case .nonNumeric(let column, let role, let type):
            if let role, role == .user || role == .item {
                "the \(role.rawValue) column '\(column)' must hold integer ids, but it is \(type)"
            } else {
                "the \(role.map { "\($0.rawValue) " } ?? "")column '\(column)' must be numeric, but it is \(type)"
            }
        case .missingValues(let column, let role, let count):
            "the \(role.map { "\($0.rawValue) " } ?? "")column '\(column)' has \(count) missing or infinite value\(count == 1 ? "" : "s"); filter those rows out first"
        case .emptyData(let what):
            "\(what) has no rows"
        case .undefinedMetric(let metric, let reason):
            "\(metric) is undefined here: \(reason)"
        case .unsuitableMetric(let metric, let reason):
            "\(metric) does not apply: \(reason)"
        case .unknownUser(let id):
            "user \(id) is not in the training data, so the model has nothing to go on; pick a user who appears in the training frame, or add fallback=popular"
        case .unknownItem(let id):
            "item \(id) is not in the training data"
        case .invalidParameter(let name, let reason):
            "\(name) \(reason)"
        case .unsupported(let message), .tooLarge(let message), .numerical(let message):
            message
        case .frame(let e):
            "\(e)"
        case .cancelled:
            "cancelled"
        }
    }
}
