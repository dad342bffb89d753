// ColumnBuffer: an immutable, contiguous buffer of fixed-width values with cheap slices.
//
// Invariants: the storage is written once, while it is being built, and never again; a buffer
// is a (storage, range) pair, so a slice shares its parent's storage and copies nothing.
// Elements are BitwiseCopyable: no per-element retain/release, a plain memcpy moves them.

/// Heap storage behind one or more `ColumnBuffer`s. Written only during construction.
package final class BufferStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    // @unchecked Sendable: the memory is initialised in `init` (or by the single owner of a
    // freshly made storage before it is shared) and is read-only afterwards.
    package let base: UnsafeMutablePointer<Element>
    package let capacity: Int
    /// What keeps borrowed memory alive (a file mapping); nil when this storage allocated it.
    private let owner: AnyObject?

    /// Allocates uninitialised storage for `capacity` elements.
    package init(capacity: Int) {
        self.capacity = capacity
        self.base = UnsafeMutablePointer<Element>.allocate(capacity: max(capacity, 1))
        self.owner = nil
    }

    /// Storage over `capacity` initialised elements at `base`, memory that `owner` keeps alive
    /// and releases (a read-only file mapping: the elements are never written).
    package init(borrowing base: UnsafeMutablePointer<Element>, capacity: Int, owner: AnyObject) {
        self.capacity = capacity
        self.base = base
        self.owner = owner
    }

    deinit {
        if owner == nil { base.deallocate() }
    }
}

/// A read-only view of `count` contiguous values; slicing shares storage.
package struct ColumnBuffer<Element: BitwiseCopyable>: Sendable, RandomAccessCollection {
    package let storage: BufferStorage<Element>
    package let offset: Int
    package let count: Int

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    /// An empty buffer.
    package init() {
        self.init(storage: BufferStorage(capacity: 0), offset: 0, count: 0)
    }

    package init(storage: BufferStorage<Element>, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= storage.capacity)
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// Copies the elements of an array into a new buffer.
    package init(_ array: [Element]) {
        let storage = BufferStorage<Element>(capacity: array.count)
        array.withUnsafeBufferPointer { source in
            if let src = source.baseAddress { storage.base.initialize(from: src, count: source.count) }
        }
        self.init(storage: storage, offset: 0, count: array.count)
    }

    /// Builds a buffer of `count` elements by letting `body` initialise every one of them.
    package init(count: Int, initializingWith body: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        let storage = BufferStorage<Element>(capacity: count)
        try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
        self.init(storage: storage, offset: 0, count: count)
    }

    /// A buffer of `count` copies of `value`.
    package init(repeating value: Element, count: Int) {
        self.init(count: count) { $0.initialize(repeating: value) }
    }

    package subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        return storage.base[offset &+ position]
    }

    /// Calls `body` with the elements as a contiguous buffer pointer.
    @inlinable
    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base + offset, count: count))
    }

    /// The rows in `range`, sharing storage with `self`.
    package func slice(_ range: Range<Int>) -> ColumnBuffer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return ColumnBuffer(storage: storage, offset: offset + range.lowerBound, count: range.count)
    }

    /// The elements at `indices`, in that order, in a new buffer.
    package func gather(_ indices: UnsafeBufferPointer<Int>) -> ColumnBuffer {
        withUnsafeBufferPointer { source in
            ColumnBuffer(count: indices.count) { target in
                for i in 0..<indices.count { target[i] = source[indices[i]] }
            }
        }
    }

    /// The elements as a Swift array.
    package var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    /// Concatenates buffers into one new buffer.
    package static func concatenate(_ parts: [ColumnBuffer]) -> ColumnBuffer {
        let total = parts.reduce(0) { $0 + $1.count }
        return ColumnBuffer(count: total) { target in
            var at = 0
            for part in parts {
                part.withUnsafeBufferPointer { source in
                    if let src = source.baseAddress {
                        (target.baseAddress! + at).initialize(from: src, count: source.count)
                    }
                }
                at += part.count
            }
        }
    }
}
