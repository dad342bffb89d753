// CSVChunkBuffers: the bytes of a window's chunks copied out of a mapped file with pread, for
// the fused integer path (CSVIntegerChunkParser).
//
// Mapping the file's pages into the process (MADV_POPULATE_READ, then MADV_DONTNEED behind the
// window) took 81 ms of kernel time on the full-size log; copying the same bytes out of the page
// cache costs about half of that, and leaves them warm in the cache for the chunk's parse (the
// load went from 0.333 s to 0.314 s). Windows read this way never touch the mapping; a chunk the
// fused path declines is read by the general path from the mapping, page faults and all.
//
// A chunk's buffer holds its bytes [lo, hi) and up to `allowance` bytes after them, where its
// last record ends; a chunk whose last record runs past the copy is declined by the fused path.
//
// Invariants: buffer i serves the chunk at index i of the current window, from its scan to the
// end of its parse; windows never have more chunks than there are buffers.

/// Bytes of the input seen through a pointer: the whole input, or a copy of part of it.
struct CSVByteWindow: @unchecked Sendable {
    // @unchecked Sendable: the bytes are written once (the copy) before the window is shared and
    // only read afterwards, while the reader keeps the input or the buffer alive.
    /// Where input byte `start` is.
    let base: UnsafePointer<UInt8>
    /// Input offset of `base[0]`.
    let start: Int
    /// Bytes readable from `base`.
    let count: Int
}

/// One buffer per chunk of a window, reused from window to window.
final class CSVChunkBuffers: @unchecked Sendable {
    // @unchecked Sendable: buffer i is written only by the task that reads chunk i of a window
    // and read only by the task that parses it afterwards (the window's scan and parse maps are
    // sequential).
    /// Chunks larger than this are not copied: their buffers would hold too much memory.
    static let maxChunkSize = 4 << 20
    /// Bytes copied past a chunk's end for its last record: an eighth of a chunk (64 KB for
    /// the default 512 KB chunk) and at least 4 KB, so records of several kilobytes still take
    /// the fused path while the re-read bytes stay a small fraction.
    static func allowance(chunkSize: Int) -> Int { chunkSize / 8 + 4096 }

    private let source: CSVSource
    private let buffers: [UnsafeMutableRawPointer]
    private let allowance: Int

    /// Buffers for `count` chunks of `chunkSize` bytes of `source`; nil when the source is not
    /// a file that can be read this way or the chunks are too large.
    init?(source: CSVSource, chunkSize: Int, count: Int) {
        guard source.isReadable, chunkSize <= Self.maxChunkSize else { return nil }
        self.source = source
        allowance = Self.allowance(chunkSize: chunkSize)
        let size = chunkSize + allowance
        buffers = (0..<count).map { _ in UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64) }
    }

    deinit {
        for b in buffers { b.deallocate() }
    }

    /// Copies `chunk` and the allowance after it into buffer `slot`; nil when the copy came up
    /// short of the chunk itself (a read error), and the mapping has to be used instead.
    func read(_ chunk: Range<Int>, slot: Int) -> CSVByteWindow? {
        let upper = min(source.count, chunk.upperBound + allowance)
        let got = source.read(chunk.lowerBound..<upper, into: buffers[slot])
        guard got >= chunk.count else { return nil }
        return CSVByteWindow(base: UnsafePointer(buffers[slot].assumingMemoryBound(to: UInt8.self)),
                             start: chunk.lowerBound, count: got)
    }
}
