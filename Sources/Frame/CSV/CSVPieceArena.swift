// CSVPieceArena: where the chunk pieces of one output column live until the column is built.
//
// Pieces are bump-allocated from one reservation of address space (`init(reserving:)`, sized by
// `bytesBound` so it cannot run out; pages arrive on first touch) or, when there is none, from
// 8 MB anonymous mappings. Once its column is built the arena's memory is given up at once: a
// reservation is handed on whole (`takeRegion`) to be the buffer of a column built later, whose
// first pages are then already mapped (a fresh page costs a fault and zeroing; recycling saved
// most of the 0.09 s of page population the columns of the full-size log took); blocks are
// unmapped. (Advising transparent huge pages was measured: it raised system time from 0.3 s to
// 0.5 s on the full-size log, so the arena does not.) Small heap blocks would instead stay
// resident in the allocator beside the new column until the read returns, doubling peak memory.
//
// Invariant: a piece's memory is valid while its arena lives and has not given its memory up;
// the reader keeps one arena per output column and empties it right after `CSVAssembler.column`
// consumed that column.

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
    /// Bytes per mapping: few mappings per column, little waste at the end of a block.
    static let blockSize = 8 << 20
    /// Mapping sizes are rounded to this (a multiple of every page size in use).
    static let hugePage = 2 << 20
    /// Piece alignment: enough for any column value.
    static let alignment = 8

    private let lock = NSLock()
    private var blocks: [(UnsafeMutableRawPointer, Int)] = []
    private var next: UnsafeMutableRawPointer? = nil
    private var left = 0
    /// The reservation pieces are allocated from first, if any, and the bytes of it used when
    /// allocation moved on to blocks.
    private var region: CSVMappedRegion?
    private var regionUsed = 0

    /// An arena over 8 MB blocks.
    init() {}

    /// An arena over one reservation of `bytes` (blocks when the reservation fails).
    init(reserving bytes: Int) {
        region = CSVMappedRegion(reserving: bytes)
        if let region {
            next = region.base
            left = region.size
        }
    }

    deinit { release() }

    /// Blocks mapped so far.
    var blockCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return blocks.count
    }

    /// Bytes the pieces of one column can take at most, for `dataBytes` of records of
    /// `fieldCount` fields cut into at most `chunks` chunks. A record spans at least
    /// `fieldCount` bytes (its delimiters and newline; the last one at least one byte less, but
    /// then at least one byte), so there are at most dataBytes / fieldCount + 1 rows. A chunk's
    /// piece takes at most 8 bytes per row plus an aligned unit, and a re-read as text adds at
    /// most 4 bytes per row plus an aligned unit.
    static func bytesBound(dataBytes: Int, fieldCount: Int, chunks: Int) -> Int {
        let rows = dataBytes / max(fieldCount, 1) + 1
        let (perRows, o1) = rows.multipliedReportingOverflow(by: 8 + 4)
        let (perChunks, o2) = (chunks + 1).multipliedReportingOverflow(by: 2 * alignment)
        let (total, o3) = perRows.addingReportingOverflow(perChunks)
        return o1 || o2 || o3 ? Int.max : total
    }

    /// Unmaps all memory: the pieces allocated here must not be used afterwards.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        for (p, n) in blocks { munmap(p, n) }
        blocks = []
        next = nil
        left = 0
        region = nil
    }

    /// Gives up the arena's memory like `release`, but hands over its reservation (with the
    /// extent of the pages its pieces touched) instead of unmapping it; nil without one.
    func takeRegion() -> CSVMappedRegion? {
        lock.lock()
        let taken = region
        if let taken { taken.touched = blocks.isEmpty ? next.map { $0 - taken.base } ?? 0 : regionUsed }
        region = nil
        lock.unlock()
        release()
        return taken
    }

    /// Memory for `count` values of `T`.
    func allocate<T>(_: T.Type, count: Int) -> CSVRawPiece {
        // At least one aligned unit: an empty piece (every row of a chunk skipped) still needs
        // a valid address, and a zero-byte request must not skip mapping the first block.
        let bytes = max(Self.alignment, (count * MemoryLayout<T>.stride + Self.alignment - 1) & ~(Self.alignment - 1))
        lock.lock()
        defer { lock.unlock() }
        if bytes > left {
            if let region, blocks.isEmpty, let next { regionUsed = next - region.base }
            let size = max(Self.blockSize, (bytes + Self.hugePage - 1) & ~(Self.hugePage - 1))
            guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  p != MAP_FAILED else {
                fatalError("out of memory: cannot map \(size) bytes for csv column pieces")
            }
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
    /// madvise advice "populate page tables writable" (Linux 5.14+).
    static let populateWrite: Int32 = 23

    /// Prefaults the whole pages inside `[p, p + bytes)` for writing, in one call.
    static func populate(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: p) + page - 1) / page * page
        let end = (Int(bitPattern: p) + bytes) / page * page
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            madvise(aligned, end - start, populateWrite)
        }
    }
}

/// Per-task working memory, reused from chunk to chunk: allocating it afresh for every chunk
/// made the allocator hand pages back and forth to the kernel, which zeroed them each time.
final class CSVScratch: @unchecked Sendable {
    // @unchecked Sendable: a scratch is used by one task at a time (taken from and returned to
    // a CSVScratchPool under its lock).
    /// The offsets of stage 1; lent to a chunk's index while it is built and used.
    var recordStarts = CSVOffsets()
    var fieldEnds = CSVOffsets()
    var slots: [UInt64] = []

    deinit {
        recordStarts.free()
        fieldEnds.free()
    }
}

/// A growable buffer of 32-bit offsets with unchecked appends after an explicit `reserve`.
/// Manually managed: exactly one owner (a scratch, or the index lent it) frees it.
struct CSVOffsets {
    /// Starting capacity, in offsets.
    static let initialCapacity = 1024

    private(set) var base: UnsafeMutablePointer<UInt32>
    private(set) var count = 0
    private(set) var capacity: Int

    init() {
        capacity = Self.initialCapacity
        base = .allocate(capacity: capacity)
    }

    /// Makes room for `extra` more offsets.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        let bigger = max(needed, capacity * 2)
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: bigger)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = bigger
    }

    /// Appends, growing if needed.
    @inline(__always)
    mutating func append(_ v: UInt32) {
        if count == capacity { grow(to: count + 1) }
        base[count] = v
        count &+= 1
    }

    /// Appends within reserved room.
    @inline(__always)
    mutating func appendReserved(_ v: UInt32) {
        base[count] = v
        count &+= 1
    }

    mutating func removeLast(_ k: Int) { count -= k }
    mutating func removeAll() { count = 0 }

    var buffer: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: base, count: count) }

    func free() { base.deallocate() }
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
