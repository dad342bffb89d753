// FrameFile: a binary file format for frames, reloaded far faster than CSV is parsed: column
// buffers are stored raw and read straight into column storage, no text in between.
//
// Layout (little-endian):
//   header, 64 bytes: magic "RSFRAME\0" | version u32 | column count u32 | row count u64 |
//     directory offset u64 | directory length u64 | directory checksum u64 | file length u64 |
//     header checksum u64 (of the 56 bytes before it)
//   sections, each at a 64-byte aligned offset: per column its values (the narrow integer width,
//     f64, one byte per bool, u32 codes), its validity words (if any nulls), and for text its
//     dictionary (u64 offsets, n + 1 of them, then the UTF-8 bytes)
//   directory: per column: name length u32, name bytes, type u8, has-validity u8, then four
//     (offset u64, length u64, checksum u64) for values, validity, dictionary offsets, bytes.
// Every section carries its own checksum (FrameChecksum), so a flipped bit names its column;
// the file length in the header catches truncation before anything else is read.
// Writing goes through a temporary file renamed over the target (never half-written). Reading
// checks the columns in parallel.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Saving and loading frames in the binary frame format.
package enum FrameFile {
    /// The first 8 bytes of every frame file.
    static let magic: [UInt8] = Array("RSFRAME".utf8) + [0]
    /// Format version written; readers refuse others.
    static let version: UInt32 = 1
    /// Header size, and the alignment of every section.
    static let headerSize = 64
    static let alignment = 64

    private static let typeCodes: [DataType] = [.int8, .int16, .int32, .int64, .float64, .bool, .string]

    /// Whether the file at `path` starts with the frame file magic bytes (whatever its name).
    package static func isFrameFile(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: magic.count)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, magic.count, 0) }
        return n == magic.count && head == magic
    }

    /// Writes `frame` to `path` atomically.
    package static func write(_ frame: DataFrame, to path: String) throws(FrameFileError) {
        let file = try AtomicFile<FrameFileError>(path: path) { kind, message in
            switch kind {
            case .notFound: .notFound(path: path)
            case .isDirectory: .isDirectory(path: path)
            default: .writeFailed(path: path, reason: message.replacingOccurrences(of: "cannot write: ", with: ""))
            }
        }
        var offset = headerSize
        try file.write([UInt8](repeating: 0, count: headerSize))
        var directory = ByteWriter()
        for column in frame.columns {
            let name = Array(column.name.utf8)
            directory.u32(UInt32(name.count))
            directory.bytes(name)
            directory.u8(UInt8(typeCodes.firstIndex(of: column.type)!))
            directory.u8(column.validity == nil ? 0 : 1)
            func section(_ raw: UnsafeRawBufferPointer) throws(FrameFileError) {
                let padding = (alignment - offset % alignment) % alignment
                if padding > 0 { try file.write([UInt8](repeating: 0, count: padding)) }
                offset += padding
                directory.u64(UInt64(offset))
                directory.u64(UInt64(raw.count))
                directory.u64(raw.count == 0 ? FrameChecksum.checksum([]) : FrameChecksum.checksum(raw.baseAddress!, count: raw.count))
                if raw.count > 0 { try file.write(raw) }
                offset += raw.count
            }
            func section(_ bytes: [UInt8]) throws(FrameFileError) {
                let failure: FrameFileError? = bytes.withUnsafeBytes { raw in
                    do throws(FrameFileError) { try section(raw); return nil } catch { return error }
                }
                if let failure { throw failure }
            }
            func values<T>(_ b: ColumnBuffer<T>) throws(FrameFileError) {
                let failure: FrameFileError? = b.withUnsafeBufferPointer { p in
                    do throws(FrameFileError) { try section(UnsafeRawBufferPointer(p)); return nil } catch { return error }
                }
                if let failure { throw failure }
            }
            var dictionary: StringDictionary? = nil
            switch column.data {
            case .int8(let b): try values(b)
            case .int16(let b): try values(b)
            case .int32(let b): try values(b)
            case .int64(let b): try values(b)
            case .float64(let b): try values(b)
            case .bool(let b): try values(b)
            case .string(let codes, let dict): try values(codes); dictionary = dict
            }
            var validity: [UInt8] = []
            if let v = column.validity { validity = v.words.withUnsafeBytes { Array($0) } }
            try section(validity)
            var offsets = ByteWriter()
            var text: [UInt8] = []
            if let dictionary {
                offsets.u64(0)
                for s in dictionary.values {
                    text.append(contentsOf: s.utf8)
                    offsets.u64(UInt64(text.count))
                }
            }
            try section(offsets.out)
            try section(text)
        }
        let directoryOffset = offset
        try file.write(directory.out)
        offset += directory.out.count
        var header = ByteWriter()
        header.bytes(magic)
        header.u32(version)
        header.u32(UInt32(frame.columnCount))
        header.u64(UInt64(frame.rowCount))
        header.u64(UInt64(directoryOffset))
        header.u64(UInt64(directory.out.count))
        header.u64(FrameChecksum.checksum(directory.out))
        header.u64(UInt64(offset))
        header.u64(FrameChecksum.checksum(header.out))
        try file.write(header.out, at: 0)
        try file.commit()
    }

    /// Reads the frame saved at `path`.
    package static func read(path: String) throws(FrameFileError) -> DataFrame {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)).lowercased())
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        let size = Int(info.st_size)
        let header = try readBytes(fd, at: 0, count: min(size, headerSize), path: path)
        guard header.count >= magic.count, Array(header.prefix(magic.count)) == magic else { throw .notAFrameFile(path: path) }
        guard header.count == headerSize else { throw .truncated(path: path, expected: headerSize, actual: size) }
        var h = ByteReader(header, path: path, part: "header")
        _ = try h.bytes(magic.count)
        let found = try h.u32()
        let columnCount = Int(try h.u32())
        let rows = Int(try h.u64())
        let directoryOffset = Int(try h.u64())
        let directoryLength = Int(try h.u64())
        let directoryChecksum = try h.u64()
        let fileLength = Int(try h.u64())
        let headerChecksum = try h.u64()
        guard FrameChecksum.checksum(Array(header.prefix(56))) == headerChecksum else { throw .corrupt(path: path, part: "header") }
        guard found == version else { throw .unsupportedVersion(path: path, found: found, supported: version) }
        guard fileLength == size else { throw .truncated(path: path, expected: fileLength, actual: size) }
        guard directoryOffset >= headerSize, directoryLength >= 0, directoryOffset + directoryLength <= size else {
            throw .corrupt(path: path, part: "column directory")
        }
        let directoryBytes = try readBytes(fd, at: directoryOffset, count: directoryLength, path: path)
        guard FrameChecksum.checksum(directoryBytes) == directoryChecksum else { throw .corrupt(path: path, part: "column directory") }

        var d = ByteReader(directoryBytes, path: path, part: "column directory")
        var entries: [Entry] = []
        for _ in 0..<columnCount {
            let nameLength = Int(try d.u32())
            let name = String(decoding: try d.bytes(nameLength), as: UTF8.self)
            let code = Int(try d.u8())
            guard code < typeCodes.count else { throw .corrupt(path: path, part: "column directory") }
            let hasValidity = try d.u8() != 0
            var sections: [Section] = []
            for _ in 0..<4 {
                let s = Section(offset: Int(try d.u64()), length: Int(try d.u64()), checksum: try d.u64())
                guard s.offset >= 0, s.length >= 0, s.offset + s.length <= size else {
                    throw .corrupt(path: path, part: "column directory")
                }
                sections.append(s)
            }
            entries.append(Entry(name: name, type: typeCodes[code], hasValidity: hasValidity, sections: sections))
        }
        // Column values are borrowed from a mapping of the file rather than copied (falling
        // back to reading when the file cannot be mapped).
        let mapping = FileMapping(fd: fd, size: size)
        let results = CSVParallel.map(entries.count, threads: 64) { i -> Result<Column, FrameFileError> in
            do throws(FrameFileError) {
                return .success(try readColumn(entries[i], rows: rows, fd: fd, mapping: mapping, path: path))
            } catch {
                return .failure(error)
            }
        }
        var columns: [Column] = []
        for r in results { columns.append(try r.get()) }
        do {
            return try DataFrame(columns)
        } catch {
            throw .corrupt(path: path, part: "column directory")
        }
    }

    private struct Section: Sendable {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    private struct Entry: Sendable {
        var name: String
        var type: DataType
        var hasValidity: Bool
        var sections: [Section]
    }

    private static func readColumn(_ e: Entry, rows: Int, fd: Int32, mapping: FileMapping?,
                                   path: String) throws(FrameFileError) -> Column {
        func values<T: BitwiseCopyable>(_: T.Type) throws(FrameFileError) -> ColumnBuffer<T> {
            let s = e.sections[0]
            guard s.length == rows * MemoryLayout<T>.stride else { throw .corrupt(path: path, part: "column '\(e.name)' values") }
            let storage: BufferStorage<T>
            if let mapping, s.offset % MemoryLayout<T>.alignment == 0, s.offset + s.length <= mapping.size {
                let start = (mapping.base + s.offset).assumingMemoryBound(to: T.self)
                storage = BufferStorage<T>(borrowing: start, capacity: rows, owner: mapping)
            } else {
                storage = BufferStorage<T>(capacity: rows)
                try readInto(fd, UnsafeMutableRawPointer(storage.base), at: s.offset, count: s.length, path: path)
            }
            guard FrameChecksum.checksum(UnsafeRawPointer(storage.base), count: s.length) == s.checksum else {
                throw .corrupt(path: path, part: "column '\(e.name)' values")
            }
            return ColumnBuffer(storage: storage, offset: 0, count: rows)
        }
        func section(_ k: Int, _ part: String) throws(FrameFileError) -> [UInt8] {
            let s = e.sections[k]
            let bytes = try readBytes(fd, at: s.offset, count: s.length, path: path)
            guard FrameChecksum.checksum(bytes) == s.checksum else { throw .corrupt(path: path, part: "column '\(e.name)' \(part)") }
            return bytes
        }
        var validity: Bitmap? = nil
        if e.hasValidity {
            let bytes = try section(1, "validity")
            guard bytes.count == (rows + 63) / 64 * 8 else { throw .corrupt(path: path, part: "column '\(e.name)' validity") }
            let words = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
            validity = Bitmap(words: words, count: rows)
        }
        let data: ColumnData
        switch e.type {
        case .int8: data = .int8(try values(Int8.self))
        case .int16: data = .int16(try values(Int16.self))
        case .int32: data = .int32(try values(Int32.self))
        case .int64: data = .int64(try values(Int64.self))
        case .float64: data = .float64(try values(Double.self))
        case .bool:
            let raw = try values(UInt8.self)
            guard raw.allSatisfy({ $0 <= 1 }) else { throw .corrupt(path: path, part: "column '\(e.name)' values") }
            data = .bool(ColumnBuffer(count: rows) { target in
                raw.withUnsafeBufferPointer { s in for i in 0..<rows { target[i] = s[i] != 0 } }
            })
        case .string:
            let codes = try values(UInt32.self)
            let offsetBytes = try section(2, "dictionary")
            let text = try section(3, "dictionary")
            guard offsetBytes.count % 8 == 0, offsetBytes.count >= 8 else { throw .corrupt(path: path, part: "column '\(e.name)' dictionary") }
            let offsets = offsetBytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }.map { Int($0) }
            var strings: [String] = []
            strings.reserveCapacity(offsets.count - 1)
            for k in 0..<(offsets.count - 1) {
                guard offsets[k] <= offsets[k + 1], offsets[k + 1] <= text.count else {
                    throw .corrupt(path: path, part: "column '\(e.name)' dictionary")
                }
                strings.append(String(decoding: text[offsets[k]..<offsets[k + 1]], as: UTF8.self))
            }
            let count = UInt32(strings.count)
            let valid = codes.withUnsafeBufferPointer { s in
                (0..<rows).allSatisfy { s[$0] < count || !(validity?[$0] ?? true) }
            }
            guard valid else { throw .corrupt(path: path, part: "column '\(e.name)' codes") }
            data = .string(codes: codes, dictionary: StringDictionary(strings))
        }
        return Column(name: e.name, data: data, validity: validity)
    }

    private static func readBytes(_ fd: Int32, at offset: Int, count: Int, path: String) throws(FrameFileError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        if count == 0 { return out }
        let failure: FrameFileError? = out.withUnsafeMutableBytes { b in
            do throws(FrameFileError) { try readInto(fd, b.baseAddress!, at: offset, count: count, path: path); return nil } catch { return error }
        }
        if let failure { throw failure }
        return out
    }

    /// Reads exactly `count` bytes at `offset` (pread, restarted on short reads).
    private static func readInto(_ fd: Int32, _ p: UnsafeMutableRawPointer, at offset: Int, count: Int, path: String) throws(FrameFileError) {
        var done = 0
        while done < count {
            let n = pread(fd, p + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased())
            }
            if n == 0 { throw .truncated(path: path, expected: offset + count, actual: offset + done) }
            done += n
        }
    }
}

/// Little-endian encoding into a byte array.
private struct ByteWriter {
    var out: [UInt8] = []
    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u32(_ v: UInt32) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
    mutating func u64(_ v: UInt64) { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
}

/// Bounds-checked little-endian decoding; running past the end is corruption of `part`.
private struct ByteReader {
    let data: [UInt8]
    let path: String
    let part: String
    var at = 0

    init(_ data: [UInt8], path: String, part: String) {
        self.data = data
        self.path = path
        self.part = part
    }

    mutating func bytes(_ n: Int) throws(FrameFileError) -> [UInt8] {
        guard n >= 0, at + n <= data.count else { throw .corrupt(path: path, part: part) }
        defer { at += n }
        return Array(data[at..<(at + n)])
    }

    mutating func u8() throws(FrameFileError) -> UInt8 { try bytes(1)[0] }

    mutating func u32() throws(FrameFileError) -> UInt32 {
        try bytes(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    mutating func u64() throws(FrameFileError) -> UInt64 {
        try bytes(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}
