// FileMapping: a whole file mapped read-only into memory, unmapped when the last column that
// borrows from it is gone. Frame files load through it without copying their column values.
//
// The mapping is MAP_PRIVATE and PROT_READ: nothing is ever written through it. A file that
// another program truncates while it is mapped would fault on access; RecScript itself never
// does that, since `save` writes a new file and renames it over the old one, and the mapping
// keeps the old file's pages.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only mapping of a whole file.
final class FileMapping: @unchecked Sendable {
    // @unchecked Sendable: the mapped bytes are read-only and the fields never change.
    let base: UnsafeMutableRawPointer
    let size: Int

    /// Maps `size` bytes of `fd`, prefaulting the pages (they are about to be checksummed).
    init?(fd: Int32, size: Int) {
        guard size > 0 else { return nil }
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let p = mmap(nil, size, PROT_READ, flags, fd, 0), p != MAP_FAILED else { return nil }
        base = p
        self.size = size
    }

    deinit { munmap(base, size) }
}
