// Raw ids, as they are in the file, and dense indices, rows of a matrix, are different types
// (Surprise's raw vs inner ids): mixing them up is a type error, not a silent wrong answer.
// An IDMap is built once per training frame from the frame's group kernels (ids numbered in
// order of first appearance) and travels with every fitted model; scoring frames map through
// it with one parallel lookup per column.

import Frame

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
    /// Raw id of each dense index.
    package let raw: [Int64]
    /// Raw id -> dense index, built on first lookup (a fit that never maps another frame,
    /// as `fit baseline` alone, does not pay for it).
    private let lazyIndex: Lazy<IntegerIndex>
    private var index: IntegerIndex { lazyIndex.value }

    /// A map whose dense index `d` stands for `rawIDs[d]`; the ids must be distinct.
    package init(rawIDs: [Int64]) {
        raw = rawIDs
        lazyIndex = Lazy { IntegerIndex(rawIDs) }
    }

    package var count: Int { raw.count }

    /// The index of `id`, if it was seen.
    package func index(of id: RawID) -> DenseIndex? { index.position(of: id.value).map(DenseIndex.init) }

    /// The raw id of `index`.
    package func rawID(_ index: DenseIndex) -> RawID { RawID(raw[index.int]) }

    /// The dense index of every row of an integer column, -1 where the id is unknown; nil for
    /// a column that is not integer.
    package func indices(of column: Column) -> [Int32]? { index.positions(column) }

    package static func == (a: IDMap, b: IDMap) -> Bool { a.raw == b.raw }
}
