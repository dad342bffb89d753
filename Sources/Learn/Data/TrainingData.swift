// TrainingData: a training frame read once for every model kind: raw user and item ids
// numbered densely (the frame's group kernels, in order of first appearance), the target of
// each row, the distinct user-item pairs with their row statistics, and the user x item
// matrix of the chosen preference. Models read what they need; none re-reads the frame.

import Frame

/// The target a model learns, from the schema: the rating when declared, else the label.
package struct TrainingTarget: Sendable {
    /// The column's name.
    package let name: String
    /// `.rating` or `.label`.
    package let role: Role
    /// The value of each row.
    package let values: [Double]
}

/// How a training frame's rows become a preference matrix.
package struct PreferenceSpec: Sendable, Equatable {
    package var preference: Preference
    /// The weight column, for `.weight`.
    package var weightColumn: String?

    package init(_ preference: Preference = .listens, weightColumn: String? = nil) {
        self.preference = preference
        self.weightColumn = weightColumn
    }
}

/// Feature columns of a training frame through their fitted pipeline, one row per frame row.
package struct SideFeatures: Sendable {
    package var pipeline: FeaturePipeline
    package var matrix: FeatureMatrix

    package init(pipeline: FeaturePipeline, matrix: FeatureMatrix) {
        self.pipeline = pipeline
        self.matrix = matrix
    }
}

/// A training frame, mapped once.
package struct TrainingData: Sendable {
    package let users: IDMap
    package let items: IDMap
    /// Dense user and item index of each row.
    package let rowUsers: [Int32]
    package let rowItems: [Int32]
    /// The target of each row, when the schema declares a rating or a label.
    package let target: TrainingTarget?
    /// The label of each row, when declared (also when a rating is the target).
    package let labels: [Double]?
    /// Distinct pairs with their statistics: the items each user has seen (computed on first use).
    package var pairs: UserItemPairs { lazyPairs.value }
    /// Row numbers ordered by item, rows of an item in row order (computed on first use).
    package var rowsByItem: [Int32] { lazyRowsByItem.value }
    private let lazyRowsByItem: Lazy<[Int32]>
    package let lazyPairs: Lazy<UserItemPairs>
    /// The preference rule and the user x item matrix it gives (computed on first use).
    package let preference: PreferenceSpec
    package var matrix: CSRMatrix { lazyMatrix.value }
    private let lazyMatrix: Lazy<CSRMatrix>
    /// Training rows of each item.
    package let itemRows: [Int32]
    /// The first training row of each item (where its attributes can be read).
    package let itemFirstRows: [Int32]
    /// Side features of each row, preprocessed, for kinds that take them (`fit neural ...
    /// features=[...]`); set by the caller after mapping the frame.
    package var sideFeatures: SideFeatures?

    package var rowCount: Int { rowUsers.count }

    /// Reads the user, item, label, rating (and for `.weight`, the weight) columns of `frame`.
    package init(_ frame: DataFrame, preference: PreferenceSpec = PreferenceSpec()) throws(LearnError) {
        guard frame.rowCount > 0 else { throw .emptyData("the training frame") }
        let userCodes = try Self.codes(frame, .user)
        let itemCodes = try Self.codes(frame, .item)
        users = IDMap(rawIDs: userCodes.values)
        items = IDMap(rawIDs: itemCodes.values)
        rowUsers = userCodes.codes
        rowItems = itemCodes.codes
        itemFirstRows = itemCodes.firstRows.map { Int32($0) }
        labels = try frame.schema[.label].map { name throws(LearnError) in try Self.numbers(frame, name, role: .label) }
        if let rating = frame.schema[.rating] {
            target = TrainingTarget(name: rating, role: .rating, values: try Self.numbers(frame, rating, role: .rating))
        } else if let label = frame.schema[.label], let labels {
            target = TrainingTarget(name: label, role: .label, values: labels)
        } else {
            target = nil
        }
        var weights: [Double]?
        if preference.preference == .weight {
            guard let name = preference.weightColumn else {
                throw .invalidParameter(name: "weight", reason: "must name a numeric column when preference=weight, e.g. weight=plays")
            }
            weights = try Self.numbers(frame, name, role: nil)
        }
        self.preference = preference
        let (u, i, userCount, itemCount, labels, w) = (rowUsers, rowItems, users.count, items.count, self.labels, weights)
        let byItem = Lazy { CountingSort.order(nil, count: i.count, keys: i, buckets: itemCount) }
        lazyRowsByItem = byItem
        let pairs = Lazy {
            UserItemPairs(users: u, items: i, userCount: userCount, itemCount: itemCount, labels: labels, weights: w,
                          rowsByItem: byItem.value)
        }
        lazyPairs = pairs
        lazyMatrix = Lazy { pairs.value.matrix(preference.preference) }
        var itemRows = [Int32](repeating: 0, count: items.count)
        rowItems.withUnsafeBufferPointer { it in
            itemRows.withUnsafeMutableBufferPointer { counts in for item in it { counts[Int(item)] &+= 1 } }
        }
        self.itemRows = itemRows
    }

    /// The target, or an error saying how to declare one.
    package func requireTarget(for kind: String) throws(LearnError) -> TrainingTarget {
        guard let target else { throw .missingRole(.label) }
        return target
    }

    private static func column(_ frame: DataFrame, _ name: String) throws(LearnError) -> Column {
        do { return try frame.column(name) } catch { throw .frame(error) }
    }

    /// Dense codes of an id column: integers without nulls.
    private static func codes(_ frame: DataFrame, _ role: Role) throws(LearnError) -> DenseCodes {
        guard let name = frame.schema[role] else { throw .missingRole(role) }
        let c = try column(frame, name)
        guard c.type.isInteger || c.type == .bool else { throw .nonNumeric(column: name, role: role, type: c.type.rawValue) }
        guard c.nullCount == 0 else { throw .missingValues(column: name, role: role, count: c.nullCount) }
        return c.denseCodes()!
    }

    /// A numeric column's values, which must all be finite.
    private static func numbers(_ frame: DataFrame, _ name: String, role: Role?) throws(LearnError) -> [Double] {
        let c = try column(frame, name)
        guard let values = c.doubleValues() else {
            throw .nonNumeric(column: name, role: role, type: c.type.rawValue)
        }
        let bad = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        guard bad == 0 else { throw .missingValues(column: name, role: role, count: bad) }
        return values
    }
}

/// A frame's rows mapped through a fitted model's id maps, once per frame.
package struct ScoringData: Sendable {
    /// Dense user and item index of each row; -1 when the model never saw the id.
    package let users: [Int32]
    package let items: [Int32]

    package var count: Int { users.count }

    /// Rows whose user, or item, the model does not know.
    package var unknownUsers: Int { users.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }
    package var unknownItems: Int { items.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

    package init(users: [Int32], items: [Int32]) {
        self.users = users
        self.items = items
    }

    /// Maps the user and item columns of `frame` (named by its schema) through `users` and `items`.
    package init(_ frame: DataFrame, users userMap: IDMap, items itemMap: IDMap) throws(LearnError) {
        users = try Self.indices(frame, .user, userMap)
        items = try Self.indices(frame, .item, itemMap)
    }

    private static func indices(_ frame: DataFrame, _ role: Role, _ map: IDMap) throws(LearnError) -> [Int32] {
        guard let name = frame.schema[role] else { throw .missingRole(role) }
        let c: Column
        do { c = try frame.column(name) } catch { throw .frame(error) }
        guard let out = map.indices(of: c) else { throw .nonNumeric(column: name, role: role, type: c.type.rawValue) }
        guard c.nullCount == 0 else { throw .missingValues(column: name, role: role, count: c.nullCount) }
        return out
    }
}
