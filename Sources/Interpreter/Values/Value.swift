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
    /// The training frame (sharing its storage): item attributes for recommendations.
    package var training: DataFrame? = nil
    /// Seconds the fit took.
    package var fitSeconds: Double = 0
    /// The trials of the search that chose this model (`tune`), ranked.
    package var trials: DataFrame? = nil

    package init(model: any Model, trainedOn: String, schema: Schema, training: DataFrame? = nil, fitSeconds: Double = 0) {
        self.model = model
        self.trainedOn = trainedOn
        self.schema = schema
        self.training = training
        self.fitSeconds = fitSeconds
    }

    /// The declaration of the model's kind.
    package var spec: ModelSpec? { ModelCatalogue.spec(named: model.kind) }

    /// What a model shows of itself: its kind, hyperparameters, then training facts.
    package var summaryRows: [(String, Cell)] {
        var rows: [(String, Cell)] = [("model", .string("\(model.kind): \(spec?.summary ?? "")"))]
        for (name, value) in spec?.settings(of: model) ?? [] {
            switch value {
            case .int(let n): rows.append((name, .int(Int64(n))))
            case .number(let x): rows.append((name, .double(x)))
            case .bool(let b): rows.append((name, .bool(b)))
            case .choice(let w): rows.append((name, .string(w)))
            case .ints: rows.append((name, .string(value.description)))
            }
        }
        rows += model.facts.map { ($0.0, Cell($0.1)) }
        rows.append(("scores", .string(model.scoreKind.rawValue)))
        return rows
    }
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
    /// A sparse user x item matrix (`pivot`).
    case matrix(PivotMatrix)

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
        case .matrix: "a matrix"
        }
    }

    /// An integer id: an integer, a whole number, or a one-value column holding one.
    package var integerID: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d) where d == d.rounded() && abs(d) < 9e18: Int64(d)
        case .column(let c) where c.count == 1: if case .int(let i) = c[0] { i } else { nil }
        default: nil
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
        case .matrix(let p): "sparse matrix \(NumberFormat.shape(rows: p.matrix.rows, columns: p.matrix.columns)), \(NumberFormat.grouped(p.matrix.nonZeros)) stored"
        }
    }
}
