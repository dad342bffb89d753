// CSVSource: the bytes of one input, however they arrived (mapped file, inflated gzip, caller's
// array), plus the operations the readers need on them.
//
// A plain file is memory-mapped read-only and private. The fast reader walks it front to back
// and calls `release(below:)` behind itself, which drops the already-parsed pages from the
// process (madvise MADV_DONTNEED): peak memory then holds a window of the file, not the whole
// file. Released pages stay valid: touching them again re-reads them from the page cache, which
// the rare re-parse of an early chunk relies on. Gzip input (detected by its magic bytes, not
// its name) is inflated into one heap buffer; heap and borrowed bytes are never released. A mapped
// file also stays open, so that `read(_:into:)` can copy bytes out of the page cache (pread)
// without mapping them (CSVChunkBuffers).
//
// Invariants: `base[0..<count]` is readable for the source's lifetime; `count` never changes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one CSV input.
final class CSVSource: @unchecked Sendable {
    // @unchecked Sendable: the bytes are read-only once the source is made; `release` only tells
    // the kernel it may drop mapped pages, which stay readable.
    /// Name used in error messages (the path as the user gave it).
    let name: String
    let base: UnsafePointer<UInt8>
    let count: Int

    private enum Owner {
        /// The mapping, its length, and the open file.
        case mapped(UnsafeMutableRawPointer, Int, Int32)
        case heap(UnsafeMutablePointer<UInt8>)
        case borrowed
    }
    private let owner: Owner

    /// A byte that `base` points to when the input is empty, so `base` is never dangling.
    // nonisolated(unsafe): allocated once, initialised to 0 and never written again.
    nonisolated(unsafe) private static let emptyByte: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    private init(name: String, base: UnsafePointer<UInt8>, count: Int, owner: Owner) {
        self.name = name
        self.base = base
        self.count = count
        self.owner = owner
    }

    deinit {
        switch owner {
        case .mapped(let p, let n, let fd):
            munmap(p, n)
            close(fd)
        case .heap(let p): p.deallocate()
        case .borrowed: break
        }
    }

    /// The bytes as a buffer pointer.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Tells the kernel that bytes below `offset` will not be read again soon (mapped files only).
    func release(below offset: Int) {
        guard case .mapped(let p, let n, _) = owner else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = min(offset, n) / page * page
        if end > 0 { madvise(p, end, MADV_DONTNEED) }
    }

    /// Asks the kernel to start reading `range` ahead of use (mapped files only).
    func prefetch(_ range: Range<Int>) {
        guard case .mapped(let p, let n, _) = owner, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = range.lowerBound / page * page
        let hi = min(range.upperBound, n)
        if hi > lo { madvise(p + lo, hi - lo, MADV_WILLNEED) }
    }

    /// Maps the pages of `range` in one call (mapped files only), instead of one fault per page.
    func populate(_ range: Range<Int>) {
        guard case .mapped(let p, let n, _) = owner, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = range.lowerBound / page * page
        let hi = min(range.upperBound, n)
        if hi > lo { madvise(p + lo, hi - lo, CSVMemory.populateRead) }
    }

    /// True when `read(_:into:)` can copy bytes out of a file.
    var isReadable: Bool {
        if case .mapped = owner { return true }
        return false
    }

    /// Copies the bytes of `range` (within the input) to `buffer` with pread, without mapping
    /// them; returns how many were copied from the start of the range (fewer on a read error,
    /// 0 for inputs that are not mapped files).
    func read(_ range: Range<Int>, into buffer: UnsafeMutableRawPointer) -> Int {
        guard case .mapped(_, let n, let fd) = owner else { return 0 }
        let hi = min(range.upperBound, n)
        var done = 0
        while range.lowerBound + done < hi {
            let got = pread(fd, buffer + done, hi - range.lowerBound - done, off_t(range.lowerBound + done))
            if got > 0 {
                done += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return done
    }

    /// Opens `path`: maps a plain file, inflates a gzip file.
    static func open(path: String) throws(CSVError) -> CSVSource {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw openError(path: path, errno: errno) }
        var keepOpen = false
        defer { if !keepOpen { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw openError(path: path, errno: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw CSVError(kind: .isDirectory, file: path, message: "is a directory, not a csv file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            return CSVSource(name: path, base: UnsafePointer(emptyByte), count: 0, owner: .borrowed)
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw openError(path: path, errno: errno)
        }
        madvise(mapped, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
        if GzipDecoder.isGzip(bytes) {
            defer { munmap(mapped, size) }
            let (p, n) = try GzipDecoder.inflate(bytes, name: path)
            return CSVSource(name: path, base: UnsafePointer(p), count: n, owner: .heap(p))
        }
        keepOpen = true
        return CSVSource(name: path, base: UnsafePointer(bytes.baseAddress!), count: size,
                         owner: .mapped(mapped, size, fd))
    }

    /// Wraps bytes the caller keeps alive for the source's lifetime; inflates them if gzip.
    static func borrowing(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(CSVError) -> CSVSource {
        if GzipDecoder.isGzip(bytes) {
            let (p, n) = try GzipDecoder.inflate(bytes, name: name)
            return CSVSource(name: name, base: UnsafePointer(p), count: n, owner: .heap(p))
        }
        guard let start = bytes.baseAddress, bytes.count > 0 else {
            return CSVSource(name: name, base: UnsafePointer(emptyByte), count: 0, owner: .borrowed)
        }
        return CSVSource(name: name, base: start, count: bytes.count, owner: .borrowed)
    }

    /// The error for a failed open or stat, by errno.
    static func openError(path: String, errno code: Int32) -> CSVError {
        switch code {
        case ENOENT, ENOTDIR:
            return CSVError(kind: .notFound, file: path, message: "no such file; check the path")
        case EISDIR:
            return CSVError(kind: .isDirectory, file: path, message: "is a directory, not a csv file")
        case EACCES, EPERM:
            return CSVError(kind: .unreadable, file: path, message: "cannot read the file: permission denied")
        default:
            return CSVError(kind: .unreadable, file: path,
                            message: "cannot read the file: \(String(cString: strerror(code)).lowercased())")
        }
    }
}
