// Raw ids, as they are in the file, and dense indices, rows of a matrix, are different types
// (Surprise's raw vs inner ids): mixing them up is a type error, not a silent wrong answer.

/// An id as it appears in the data (e.g. a `media_id` of 137,260,128).
package struct RawID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var value: Int64
    package init(_ value: Int64) { self.value = value }
    package static func < (a: RawID, b: RawID) -> Bool { a.value < b.value }
    package var description: String { String(value) }
}

/// A dense index 0..<count, assigned in order of first appearance in the training data.
package struct DenseIndex: Hashable, Sendable, Comparable {
    package var value: Int32
    package init(_ value: Int32) { self.value = value }
    package init(_ value: Int) { self.value = Int32(value) }
    package var int: Int { Int(value) }
    package static func < (a: DenseIndex, b: DenseIndex) -> Bool { a.value < b.value }
}

/// The two-way mapping between raw ids and dense indices. Travels with a fitted model.
package struct IDMap: Sendable, Equatable {
    private var toDense: [Int64: Int32] = [:]
    /// Raw id of each dense index.
    package private(set) var raw: [Int64] = []

    package init() {}

    package var count: Int { raw.count }

    /// The index of `id`, adding it if new.
    package mutating func insert(_ id: RawID) -> DenseIndex {
        if let i = toDense[id.value] { return DenseIndex(i) }
        let i = Int32(raw.count)
        toDense[id.value] = i
        raw.append(id.value)
        return DenseIndex(i)
    }

    /// The index of `id`, if it was seen.
    package func index(of id: RawID) -> DenseIndex? { toDense[id.value].map(DenseIndex.init) }

    /// The raw id of `index`.
    package func rawID(_ index: DenseIndex) -> RawID { RawID(raw[index.int]) }

    /// Rebuilds a map from its raw ids in dense order (used when loading a saved model).
    package init(rawIDs: [Int64]) {
        raw = rawIDs
        toDense.reserveCapacity(rawIDs.count)
        for (i, id) in rawIDs.enumerated() { toDense[id] = Int32(i) }
    }
}
