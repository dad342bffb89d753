// Parallel: contiguous row chunks run on every core through Dispatch's concurrentPerform.
//
// A kernel splits its rows into at most `threadCount` contiguous chunks (never smaller than a
// minimum, so small inputs stay on one thread), computes a partial result per chunk, and merges
// the partials in chunk order. Chunk order is row order, so "first appearance" merges stay exact.

import Dispatch
import Foundation

/// Helpers for data-parallel loops over row ranges, shared by Frame's kernels and Learn's models.
package enum Parallel {
    /// Rows below which a loop runs on one thread: splitting costs more than it saves.
    package static let minimumChunk = 32_768

    /// The number of cores to use.
    @inlinable
    package static var threadCount: Int { Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `count` rows cut into at most `parts` contiguous, non-empty ranges of at least
    /// `minimum` rows each (a single range when `count` is small; none when it is 0).
    @inlinable
    package static func chunks(_ count: Int, parts: Int = threadCount, minimum: Int = minimumChunk) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = Swift.max(1, Swift.min(parts, count / Swift.max(minimum, 1)))
        return (0..<n).map { i in (count * i / n)..<(count * (i + 1) / n) }
    }

    /// Calls `body(i)` for every i in 0..<count, concurrently when count > 1; results in order.
    @inlinable
    package static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        if count == 0 { return [] }
        if count == 1 { return [body(0)] }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer {
            results.deinitialize(count: count)
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let shared = SharedSlots(body: body, results: results)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                shared.results[i] = shared.body(i)
            }
        }
        return (0..<count).map { results[$0]! }
    }

    /// Calls `body(range)` for each chunk of `count` rows, concurrently; results in chunk order.
    @inlinable
    package static func mapChunks<T>(_ count: Int, parts: Int = threadCount, minimum: Int = minimumChunk,
                             _ body: (Range<Int>) -> T) -> [T] {
        let ranges = chunks(count, parts: parts, minimum: minimum)
        return map(ranges.count) { body(ranges[$0]) }
    }

    /// The array of `body(i)` for i in 0..<count, computed in parallel row chunks.
    @inlinable
    package static func array<T>(_ count: Int, minimum: Int = minimumChunk, _ body: (Int) -> T) -> [T] {
        if count == 0 { return [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = SharedPointer(buffer.baseAddress!)
            let ranges = chunks(count, minimum: minimum)
            // Each chunk initialises only its own elements of `out`.
            forEach(ranges.count) { c in
                for i in ranges[c] { (out.base + i).initialize(to: body(i)) }
            }
            initialized = count
        }
    }

    /// Calls `body(i)` for every i in 0..<count, concurrently when count > 1.
    @inlinable
    package static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count == 0 { return }
        if count == 1 { body(0); return }
        withoutActuallyEscaping(body) { body in
            let shared = SharedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
        }
    }
}

/// A closure and the result slots shared by the iterations of one `Parallel.map`.
/// (Inlinable, like the loops above, so callers in other modules get specialised code.)
@usableFromInline
struct SharedSlots<T>: @unchecked Sendable {
    // @unchecked Sendable: iteration i writes only results[i]; `body` only reads shared state.
    @usableFromInline let body: (Int) -> T
    @usableFromInline let results: UnsafeMutablePointer<T?>
    @inlinable init(body: @escaping (Int) -> T, results: UnsafeMutablePointer<T?>) {
        self.body = body
        self.results = results
    }
}

/// A closure shared by the iterations of one `Parallel.forEach`.
@usableFromInline
struct SharedBody: @unchecked Sendable {
    // @unchecked Sendable: callers' bodies write disjoint memory per iteration (each documents how).
    @usableFromInline let body: (Int) -> Void
    @inlinable init(body: @escaping (Int) -> Void) { self.body = body }
}

/// A pointer that parallel iterations write through, each to its own disjoint elements.
package struct SharedPointer<T>: @unchecked Sendable {
    // @unchecked Sendable: every user writes only elements no other iteration touches.
    package let base: UnsafeMutablePointer<T>
    @inlinable package init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inlinable package subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
