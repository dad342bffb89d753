// CSVMappedRegion and CSVRegionPool: address space reserved for a column's pieces, handed on to
// be the buffer of a column built later (see CSVPieceArena).
//
// A region is an anonymous private mapping reserved without committing memory (pages arrive on
// first touch and are zero); `touched` records how far from its start pages were written. The
// pool lends a region to a column being built: the column's values go to its start, the pages
// already touched are reused as they are, those past them are populated in one call, and those
// past the column's last page are unmapped. The column's storage then owns the region, which is
// unmapped with it.
//
// Invariant: a region is owned by exactly one of an arena, the pool, or a column's storage.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An anonymous mapping, unmapped when this object goes.
final class CSVMappedRegion: @unchecked Sendable {
    // @unchecked Sendable: a region has one owner at a time (see the file comment), which alone
    // writes `size`, `touched` and the memory; a column's values are read-only once built.
    let base: UnsafeMutableRawPointer
    /// Bytes mapped from `base`.
    private(set) var size: Int
    /// Bytes from `base` whose pages were written already.
    var touched = 0

    /// Reserves `bytes` of address space (rounded up to pages); nil when the system refuses.
    init?(reserving bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard bytes > 0, bytes <= Int.max - page else { return nil }
        let size = (bytes + page - 1) / page * page
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED else { return nil }
        base = p
        self.size = size
    }

    deinit { munmap(base, size) }

    /// Unmaps the whole pages past the first `bytes`.
    func trim(to bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let keep = min(size, max(page, (bytes + page - 1) / page * page))
        if keep < size {
            munmap(base + keep, size - keep)
            size = keep
        }
        touched = min(touched, size)
    }

    /// The first `count` values of `T`, ready to be written: the region is trimmed to them and
    /// the pages not touched yet are populated in one call.
    func prepare<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        trim(to: bytes)
        if touched < bytes { CSVMemory.populate(base + touched, bytes: bytes - touched) }
        touched = max(touched, bytes)
        return base.bindMemory(to: T.self, capacity: count)
    }
}

/// Regions given up by arenas, waiting to be a column's buffer.
final class CSVRegionPool: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `regions`.
    private let lock = NSLock()
    private var regions: [CSVMappedRegion] = []

    /// Adds a region given up by its arena.
    func put(_ region: CSVMappedRegion) {
        lock.lock()
        regions.append(region)
        lock.unlock()
    }

    /// A region of at least `bytes`, the one whose touched pages cover most of them (the least
    /// touched beyond them on a tie), or nil.
    func take(bytes: Int) -> CSVMappedRegion? {
        lock.lock()
        defer { lock.unlock() }
        var best: Int? = nil
        for (i, r) in regions.enumerated() where r.size >= bytes {
            guard let b = best else { best = i; continue }
            let (u, v) = (min(r.touched, bytes), min(regions[b].touched, bytes))
            if u > v || (u == v && r.touched < regions[b].touched) { best = i }
        }
        guard let best else { return nil }
        return regions.remove(at: best)
    }
}
