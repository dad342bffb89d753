// Schema: the roles of a frame's columns in a recommendation problem.

/// A role a column can play, declared once by `schema` and used by every later command.
package enum Role: String, Sendable, CaseIterable {
    /// Who listened: the rows of the interaction matrix.
    case user
    /// What was listened to: its columns.
    case item
    /// The 0/1 target of implicit feedback, e.g. `is_listened`.
    case label
    /// An explicit rating (stars, a score); models that predict a number use it before the label.
    case rating
    /// When, e.g. `ts_listen`; used by time-based splits.
    case time
}

/// Which column plays which role. Frames derived from a frame keep its schema.
package struct Schema: Sendable, Equatable {
    package var columns: [Role: String] = [:]

    package init(_ columns: [Role: String] = [:]) { self.columns = columns }

    package subscript(role: Role) -> String? {
        get { columns[role] }
        set { columns[role] = newValue }
    }

    package var isEmpty: Bool { columns.isEmpty }

    /// The roles whose columns are among `names`.
    package func restricted(to names: [String]) -> Schema {
        let kept = Set(names)
        return Schema(columns.filter { kept.contains($0.value) })
    }
}
