// CSVPieceArena: where the chunk pieces of one output column live until the column is built.
//
// Pieces are bump-allocated from large anonymous mappings (advised to use transparent huge
// pages, so filling them costs a fault per 2 MiB instead of per 4 KiB) and the whole arena is
// unmapped the moment its column is built. Small heap blocks would instead stay resident in the
// allocator beside the new column until the read returns, doubling peak memory.
//
// Invariant: a piece's memory is valid while its arena lives; the reader keeps one arena per
// output column and drops it right after `CSVAssembler.column` consumed that column.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Memory of one piece: `count` values of a fixed width, owned by an arena.
struct CSVRawPiece: @unchecked Sendable {
    // @unchecked Sendable: written once by the worker that made the piece, read afterwards.
    let pointer: UnsafeMutableRawPointer
    let count: Int

    /// The values as a typed buffer.
    func values<T>(_: T.Type) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: pointer.assumingMemoryBound(to: T.self), count: count)
    }
}

/// A bump allocator over large mappings, freed all at once.
final class CSVPieceArena: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards the block list and the bump pointer.
    /// Bytes per mapping: several huge pages, so waste at the end of a block stays small.
    static let blockSize = 8 << 20
    /// Huge page size of x86-64 and arm64 Linux: the alignment worth advising.
    static let hugePage = 2 << 20
    /// Piece alignment: enough for any column value.
    static let alignment = 8

    private let lock = NSLock()
    private var blocks: [(UnsafeMutableRawPointer, Int)] = []
    private var next: UnsafeMutableRawPointer? = nil
    private var left = 0

    init() {}

    deinit { release() }

    /// Unmaps every block: the pieces allocated here must not be used afterwards.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        for (p, n) in blocks { munmap(p, n) }
        blocks = []
        next = nil
        left = 0
    }

    /// Memory for `count` values of `T`.
    func allocate<T>(_: T.Type, count: Int) -> CSVRawPiece {
        let bytes = max(1, count * MemoryLayout<T>.stride + Self.alignment - 1) & ~(Self.alignment - 1)
        lock.lock()
        defer { lock.unlock() }
        if bytes > left {
            let size = max(Self.blockSize, (bytes + Self.hugePage - 1) & ~(Self.hugePage - 1))
            guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  p != MAP_FAILED else {
                fatalError("out of memory: cannot map \(size) bytes for csv column pieces")
            }
            CSVMemory.adviseHugePages(p, size)
            blocks.append((p, size))
            next = p
            left = size
        }
        let p = next!
        next = p + bytes
        left -= bytes
        return CSVRawPiece(pointer: p, count: count)
    }
}

/// Hints to the kernel about memory the reader is about to use.
enum CSVMemory {
    /// madvise advice "populate (prefault) page tables readable" (Linux 5.14+).
    static let populateRead: Int32 = 22

    /// Advises transparent huge pages for the 2 MiB-aligned interior of `[p, p + bytes)`.
    static func adviseHugePages(_ p: UnsafeMutableRawPointer, _ bytes: Int) {
        #if os(Linux)
        let start = (Int(bitPattern: p) + CSVPieceArena.hugePage - 1) & ~(CSVPieceArena.hugePage - 1)
        let end = (Int(bitPattern: p) + bytes) & ~(CSVPieceArena.hugePage - 1)
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            madvise(aligned, end - start, MADV_HUGEPAGE)
        }
        #endif
    }
}

/// Per-task working memory, reused from chunk to chunk: allocating it afresh for every chunk
/// made the allocator hand pages back and forth to the kernel, which zeroed them each time.
final class CSVScratch: @unchecked Sendable {
    // @unchecked Sendable: a scratch is used by one task at a time (taken from and returned to
    // a CSVScratchPool under its lock).
    var recordStarts: [UInt32] = []
    var fieldEnds: [UInt32] = []
    var slots: [UInt64] = []
}

/// A stack of scratches shared by the tasks of one read.
final class CSVScratchPool: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `free`.
    private let lock = NSLock()
    private var free: [CSVScratch] = []

    func take() -> CSVScratch {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? CSVScratch()
    }

    func give(_ s: CSVScratch) {
        lock.lock()
        free.append(s)
        lock.unlock()
    }
}
