// Values of the language: scalars, lists, frames, columns and fitted models.

import Frame
import Learn

/// A fitted model held by a variable, with where it came from.
package struct ModelValue: Sendable {
    package var model: any Model
    /// The expression the model was trained on, e.g. "train".
    package var trainedOn: String
    /// The training frame's schema, so evaluation knows the roles.
    package var schema: Schema
}

/// A run-time value.
package enum Value: Sendable {
    case none
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case list([Value])
    case frame(DataFrame)
    /// One column of a frame, as `f.col` evaluates.
    case column(Column)
    case model(ModelValue)

    /// The type's name as users read it in messages: "a frame", "a number".
    package var typeName: String {
        switch self {
        case .none: "nothing"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .list: "a list"
        case .frame: "a frame"
        case .column: "a column"
        case .model: "a model"
        }
    }

    /// A one-line description: `frame 200,000 × 15`, `baseline model`, `0.75`.
    package var brief: String {
        switch self {
        case .none: "nothing"
        case .int(let v): String(v)
        case .double(let v): NumberFormat.general(v)
        case .string(let s): "\"\(s)\""
        case .bool(let b): String(b)
        case .list(let items): "[" + items.map(\.brief).joined(separator: ", ") + "]"
        case .frame(let f): "frame " + NumberFormat.shape(rows: f.rowCount, columns: f.columnCount)
        case .column(let c): "column \(c.name) (\(c.type.rawValue), \(NumberFormat.grouped(c.count)) rows)"
        case .model(let m): "\(m.model.kind) model trained on \(m.trainedOn)"
        }
    }
}
