// GzipDecoder: inflates a whole gzip stream (possibly several concatenated members) into one
// heap buffer, through zlib.
//
// The output buffer starts at a guess (a multiple of the input) and doubles when full; the
// last four bytes of a single-member gzip file hold the uncompressed size modulo 2^32, used as
// the first guess when it is plausible.

import CZlib

/// Decompression of gzip input.
enum GzipDecoder {
    /// Smallest output buffer, so tiny inputs do not reallocate at once.
    static let minimumOutput = 64 * 1024
    /// Bytes handed to zlib per call: `avail_in`/`avail_out` are 32-bit.
    static let maxStep = 1 << 30

    /// True when `bytes` start with the gzip magic number 1f 8b.
    static func isGzip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates `bytes`; the caller owns (and deallocates) the returned buffer.
    static func inflate(_ bytes: UnsafeBufferPointer<UInt8>, name: String)
        throws(CSVError) -> (UnsafeMutablePointer<UInt8>, Int)
    {
        var capacity = max(minimumOutput, bytes.count * 4)
        if bytes.count >= 18 {
            let n = bytes.count
            let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
            if isize >= bytes.count / 2 && isize <= bytes.count * 1100 { capacity = max(minimumOutput, isize + 1) }
        }
        var out = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var produced = 0
        var consumed = 0
        var stream = z_stream()
        // 15 + 32: a 32 KiB window, with automatic gzip/zlib header detection.
        guard czlib_inflate_init2(&stream, 15 + 32) == Z_OK else {
            out.deallocate()
            throw CSVError(kind: .unreadable, file: name, message: "cannot start gzip decompression")
        }
        defer { inflateEnd(&stream) }
        let input = UnsafeMutablePointer(mutating: bytes.baseAddress!)
        while true {
            if produced == capacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: out, count: produced)
                out.deallocate()
                out = bigger
                capacity *= 2
            }
            let inStep = min(bytes.count - consumed, maxStep)
            let outStep = min(capacity - produced, maxStep)
            stream.next_in = input + consumed
            stream.avail_in = UInt32(inStep)
            stream.next_out = out + produced
            stream.avail_out = UInt32(outStep)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += inStep - Int(stream.avail_in)
            produced += outStep - Int(stream.avail_out)
            if status == Z_STREAM_END {
                // Another gzip member may follow (files made with `cat a.gz b.gz`).
                if consumed < bytes.count, bytes[consumed] == 0x1f {
                    inflateReset(&stream)
                    continue
                }
                return (out, produced)
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR && stream.avail_out == 0 { continue }
            out.deallocate()
            if status == Z_BUF_ERROR || (status == Z_OK && consumed == bytes.count) {
                throw CSVError(kind: .unreadable, file: name, message: "truncated gzip data; the file ends early")
            }
            let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw CSVError(kind: .unreadable, file: name, message: "corrupt gzip data (\(detail))")
        }
    }
}
