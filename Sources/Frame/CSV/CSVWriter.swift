// CSVWriter: writes a DataFrame as CSV that CSVReader reads back to the same frame.
//
// Format: a header of column names, one line per row, '\n' line ends. Nulls are empty cells.
// Integers in decimal; floats in Swift's shortest round-trip form ("0.1", "1e-05", "inf"),
// NaN as "NaN" (which reads back as null with the default null tokens); booleans true/false.
// Text is quoted (RFC 4180, '"' doubled) when it holds the delimiter, a quote, CR or LF, when it
// is empty (so it stays an empty string, not a null) or equals a default null token.
//
// Rows are formatted in blocks, a wave of blocks in parallel, and each wave written in order;
// output goes to a temporary file in the target's directory, renamed over the target only when
// complete, so no reader ever sees a half-written file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes frames as CSV files.
package enum CSVWriter {
    /// Rows formatted per block: big enough to amortise a task, small enough to balance threads.
    static let rowsPerBlock = 64 * 1024
    /// Blocks formatted before writing: bounds the formatted text held in memory.
    static let blocksPerWave = 8

    /// Writes `frame` to `path` as CSV with `delimiter`, atomically (temporary file + rename).
    package static func write(_ frame: DataFrame, to path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws(CSVError) {
        if delimiter == CSVScanner.quote || delimiter == CSVScanner.newline || delimiter == CSVScanner.carriageReturn || delimiter >= 0x80 {
            throw CSVError(kind: .badOption, file: path,
                           message: "delimiter byte 0x\(String(delimiter, radix: 16)) cannot separate fields; use an ascii byte other than quote, cr or lf")
        }
        let file = try AtomicFile(path: path, errorKind: { kind, message in CSVError(kind: kind, file: path, message: message) })
        var header: [UInt8] = []
        for (i, name) in frame.columnNames.enumerated() {
            if i > 0 { header.append(delimiter) }
            appendText(name, to: &header, delimiter: delimiter)
        }
        header.append(CSVScanner.newline)
        try file.write(header)
        let blocks = (frame.rowCount + rowsPerBlock - 1) / rowsPerBlock
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var wave = 0
        while wave < blocks {
            let count = min(blocksPerWave, blocks - wave)
            let first = wave
            let texts = CSVParallel.map(count, threads: threads) { k -> [UInt8] in
                let lo = (first + k) * rowsPerBlock
                return format(frame, rows: lo..<min(lo + rowsPerBlock, frame.rowCount), delimiter: delimiter)
            }
            for t in texts { try file.write(t) }
            wave += count
        }
        try file.commit()
    }

    /// Rows `rows` of `frame` as CSV lines.
    static func format(_ frame: DataFrame, rows: Range<Int>, delimiter: UInt8) -> [UInt8] {
        let formatters = frame.columns.map { CellFormatter($0, delimiter: delimiter) }
        defer { for f in formatters { f.free() } }
        var sink = ByteSink(capacity: max(64, rows.count * max(frame.columnCount, 1) * 8))
        defer { sink.free() }
        withExtendedLifetime(frame) {
            formatters.withUnsafeBufferPointer { formatters in
                for r in rows {
                    for c in 0..<formatters.count {
                        if c > 0 { sink.put(delimiter) }
                        formatters[c].write(r, into: &sink)
                    }
                    sink.put(CSVScanner.newline)
                }
            }
        }
        return sink.bytes
    }

    /// Writes the cells of one column. Trivially copyable (pointers only, no reference
    /// counting per cell): it points into the column's storage, which the frame keeps alive,
    /// and into its own copies of the validity words and the encoded dictionary, freed by `free`.
    private struct CellFormatter {
        enum Values {
            case int8(UnsafePointer<Int8>), int16(UnsafePointer<Int16>), int32(UnsafePointer<Int32>)
            case int64(UnsafePointer<Int64>), float64(UnsafePointer<Double>), bool(UnsafePointer<Bool>)
            /// Codes, then every dictionary entry encoded (quoted when needed) back to back, and
            /// where each starts (n + 1 offsets).
            case text(UnsafePointer<UInt32>, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>)
        }
        let values: Values
        let validity: UnsafeMutablePointer<UInt64>?

        init(_ column: Column, delimiter: UInt8) {
            if let v = column.validity {
                let p = UnsafeMutablePointer<UInt64>.allocate(capacity: max(v.words.count, 1))
                v.words.withUnsafeBufferPointer { if let src = $0.baseAddress { p.initialize(from: src, count: $0.count) } }
                validity = p
            } else {
                validity = nil
            }
            func pointer<T>(_ b: ColumnBuffer<T>) -> UnsafePointer<T> { UnsafePointer(b.storage.base + b.offset) }
            switch column.data {
            case .int8(let b): values = .int8(pointer(b))
            case .int16(let b): values = .int16(pointer(b))
            case .int32(let b): values = .int32(pointer(b))
            case .int64(let b): values = .int64(pointer(b))
            case .float64(let b): values = .float64(pointer(b))
            case .bool(let b): values = .bool(pointer(b))
            case .string(let codes, let dict):
                var bytes: [UInt8] = []
                let offsets = UnsafeMutablePointer<Int>.allocate(capacity: dict.values.count + 1)
                offsets[0] = 0
                for (k, s) in dict.values.enumerated() {
                    CSVWriter.appendText(s, to: &bytes, delimiter: delimiter)
                    offsets[k + 1] = bytes.count
                }
                let text = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
                bytes.withUnsafeBufferPointer { if let src = $0.baseAddress { text.initialize(from: src, count: $0.count) } }
                values = .text(pointer(codes), text, offsets)
            }
        }

        func free() {
            validity?.deallocate()
            if case .text(_, let text, let offsets) = values {
                text.deallocate()
                offsets.deallocate()
            }
        }

        @inline(__always)
        func write(_ r: Int, into sink: inout ByteSink) {
            if let validity, validity[r >> 6] & (1 << UInt64(r & 63)) == 0 { return }
            switch values {
            case .int8(let p): sink.putInteger(Int64(p[r]))
            case .int16(let p): sink.putInteger(Int64(p[r]))
            case .int32(let p): sink.putInteger(Int64(p[r]))
            case .int64(let p): sink.putInteger(p[r])
            case .float64(let p):
                var out: [UInt8] = []
                CSVWriter.appendDouble(p[r], to: &out)
                sink.put(out)
            case .bool(let p): sink.put(p[r] ? CSVWriter.trueBytes : CSVWriter.falseBytes)
            case .text(let codes, let text, let offsets):
                let k = Int(codes[r])
                sink.put(UnsafeBufferPointer(start: text + offsets[k], count: offsets[k + 1] - offsets[k]))
            }
        }
    }

    /// A growable byte buffer with unchecked writes after a capacity check per cell.
    private struct ByteSink {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        func free() { base.deallocate() }

        @inline(__always)
        mutating func reserve(_ n: Int) {
            if count + n <= capacity { return }
            let bigger = max(capacity * 2, count + n)
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            p.update(from: base, count: count)
            base.deallocate()
            base = p
            capacity = bigger
        }

        @inline(__always)
        mutating func put(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count += 1
        }

        @inline(__always)
        mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            reserve(bytes.count)
            if let src = bytes.baseAddress { (base + count).update(from: src, count: bytes.count) }
            count += bytes.count
        }

        @inline(__always)
        mutating func put(_ bytes: [UInt8]) {
            reserve(bytes.count)
            bytes.withUnsafeBufferPointer { b in
                if let src = b.baseAddress { (base + count).update(from: src, count: b.count) }
            }
            count += bytes.count
        }

        /// Decimal digits of `v`, written back to front.
        @inline(__always)
        mutating func putInteger(_ v: Int64) {
            reserve(20)
            if v < 0 {
                base[count] = UInt8(ascii: "-")
                count += 1
            }
            var m = v.magnitude
            var digits = 1
            var t = m
            while t >= 10 { t /= 10; digits += 1 }
            var at = count + digits - 1
            repeat {
                base[at] = UInt8(truncatingIfNeeded: m % 10) &+ 48
                m /= 10
                at -= 1
            } while m != 0
            count += digits
        }

        var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
    }

    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
    /// Texts quoted because the reader would otherwise take them for nulls.
    private static let nullLike: Set<String> = Set(CSVOptions().nullTokens)

    /// Appends `v` in decimal.
    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: room for 20 digits
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - n] = UInt8(truncatingIfNeeded: m % 10) + 48
                m /= 10
                n += 1
            } while m != 0
            out.append(contentsOf: buffer[(24 - n)...])
        }
    }

    /// Appends the shortest text that reads back as exactly `v`.
    static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        if v.isNaN { out.append(contentsOf: Array("NaN".utf8)); return }
        out.append(contentsOf: v.description.utf8)
    }

    /// Appends `s`, quoted when the reader needs quotes to read it back unchanged.
    static func appendText(_ s: String, to out: inout [UInt8], delimiter: UInt8) {
        var needsQuotes = s.isEmpty || nullLike.contains(s)
        if !needsQuotes {
            for b in s.utf8 where b == delimiter || b == CSVScanner.quote || b == CSVScanner.newline || b == CSVScanner.carriageReturn {
                needsQuotes = true
                break
            }
        }
        if !needsQuotes {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(CSVScanner.quote)
        for b in s.utf8 {
            if b == CSVScanner.quote { out.append(CSVScanner.quote) }
            out.append(b)
        }
        out.append(CSVScanner.quote)
    }
}

/// A file written under a temporary name beside its target and renamed over it on commit; the
/// temporary file is removed if the write is abandoned.
final class AtomicFile<Failure: Error> {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    private var committed = false
    private let makeError: (CSVError.Kind, String) -> Failure

    /// Creates the temporary file; `errorKind` turns a kind and message into the caller's error.
    init(path: String, errorKind: @escaping (CSVError.Kind, String) -> Failure) throws(Failure) {
        self.path = path
        self.makeError = errorKind
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw errorKind(.isDirectory, "is a directory; give a file path")
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw errorKind(.notFound, "cannot write: directory '\(directory)' does not exist")
        }
        temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw errorKind(.unreadable, "cannot write: \(String(cString: strerror(errno)).lowercased())") }
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws(Failure) {
        let failure: Failure? = bytes.withUnsafeBytes { b in
            do throws(Failure) { try write(b); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Appends raw bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw makeError(.unreadable, "cannot write: \(String(cString: strerror(errno)).lowercased())")
            }
            done += n
        }
    }

    /// Writes raw bytes at `offset` (used to fill in a header after the body).
    func write(_ bytes: [UInt8], at offset: Int) throws(Failure) {
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        if n != bytes.count {
            throw makeError(.unreadable, "cannot write: \(String(cString: strerror(errno)).lowercased())")
        }
    }

    /// Flushes the data to disk and renames the file over the target.
    func commit() throws(Failure) {
        if fsync(fd) != 0 || close(fd) != 0 {
            throw makeError(.unreadable, "cannot write: \(String(cString: strerror(errno)).lowercased())")
        }
        fd = -1
        if rename(temporaryPath, path) != 0 {
            throw makeError(.unreadable, "cannot write: \(String(cString: strerror(errno)).lowercased())")
        }
        committed = true
    }
}
