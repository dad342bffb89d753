// Helpers shared by the CSV, writer and frame-file tests: running both readers, comparing
// frames cell by cell, temporary files, a seeded generator, and a tiny gzip encoder.

import Foundation
import Testing
@testable import Frame

/// A deterministic generator (SplitMix64), so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Options with a chunk size and thread count set.
func csvOptions(_ base: CSVOptions = .init(), chunk: Int? = nil, threads: Int? = nil) -> CSVOptions {
    var o = base
    o.chunkSize = chunk
    if let threads { o.threads = threads }
    return o
}

/// Reads `text` with the fast reader.
func fastRead(_ text: String, _ options: CSVOptions = .init()) throws(CSVError) -> (DataFrame, CSVReport) {
    try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: options)
}

/// Reads `text` with the fast reader and returns the frame.
func fastFrame(_ text: String, _ options: CSVOptions = .init()) throws(CSVError) -> DataFrame {
    try fastRead(text, options).0
}

/// The error the fast reader throws on `text`, if any.
func fastError(_ text: String, _ options: CSVOptions = .init()) -> CSVError? {
    do { _ = try fastRead(text, options); return nil } catch { return error }
}

/// True when two frames have the same names, types, row counts and cells (NaN equals NaN).
func sameFrame(_ a: DataFrame, _ b: DataFrame) -> Bool {
    guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else { return false }
    for (x, y) in zip(a.columns, b.columns) {
        guard x.type == y.type, x.count == y.count, (x.validity == nil) == (y.validity == nil) else { return false }
        for i in 0..<x.count where !sameCell(x[i], y[i]) { return false }
    }
    return true
}

func sameCell(_ a: Cell, _ b: Cell) -> Bool {
    if case .double(let x) = a, case .double(let y) = b {
        return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) || x == y
    }
    return a == b
}

/// A readable dump of a frame, for failure messages.
func dump(_ f: DataFrame) -> String {
    var s = f.columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ") + "\n"
    for r in 0..<min(f.rowCount, 20) {
        s += f.columns.map { "\($0[r])" }.joined(separator: " | ") + "\n"
    }
    return s
}

/// Outcome of one read, comparable across readers.
enum ReadOutcome: CustomStringConvertible {
    case frame(DataFrame, CSVReport)
    case error(CSVError)

    init(_ body: () throws(CSVError) -> (DataFrame, CSVReport)) {
        do { let (f, r) = try body(); self = .frame(f, r) } catch { self = .error(error) }
    }

    func matches(_ other: ReadOutcome) -> Bool {
        switch (self, other) {
        case (.frame(let a, let ra), .frame(let b, let rb)): sameFrame(a, b) && ra == rb
        case (.error(let a), .error(let b)): a == b
        default: false
        }
    }

    var description: String {
        switch self {
        case .frame(let f, let r): "frame \(f.rowCount) rows, skipped \(r.skippedRows), nulled \(r.nulledCells), examples \(r.examples.map(\.description))\n\(dump(f))"
        case .error(let e): "error \(e.kind): \(e)"
        }
    }
}

/// Checks that the fast reader agrees with the reference on `bytes` for every chunk size in
/// `chunks` and 1 and 2 threads.
func expectReadersAgree(_ bytes: [UInt8], _ options: CSVOptions = .init(), chunks: [Int?],
                        sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = ReadOutcome { () throws(CSVError) in try ReferenceCSVReader.read(bytes: bytes, name: "t.csv", options: options) }
    for chunk in chunks {
        for threads in [1, 2] {
            let got = ReadOutcome { () throws(CSVError) in
                try CSVReader.read(bytes: bytes, name: "t.csv", options: csvOptions(options, chunk: chunk, threads: threads))
            }
            if !got.matches(expected) {
                Issue.record("chunk \(chunk.map(String.init) ?? "default"), threads \(threads): fast reader gave \(got)\nreference gave \(expected)\ninput: \(String(decoding: bytes, as: UTF8.self).debugDescription)",
                             sourceLocation: sourceLocation)
                return
            }
        }
    }
}

/// A fresh temporary directory, removed by the caller with `removeItem`.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("frame-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Gzip of `data` with stored (uncompressed) deflate blocks: a valid gzip stream made without zlib.
func gzipStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
    var i = 0
    repeat {
        let n = min(65535, data.count - i)
        let final: UInt8 = i + n == data.count ? 1 : 0
        out.append(final)
        out += [UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
        out += data[i..<(i + n)]
        i += n
    } while i < data.count
    let crc = crc32(data)
    for k in 0..<4 { out.append(UInt8((crc >> (8 * UInt32(k))) & 0xff)) }
    for k in 0..<4 { out.append(UInt8((UInt32(truncatingIfNeeded: data.count) >> (8 * UInt32(k))) & 0xff)) }
    return out
}

/// CRC-32 (IEEE), bit by bit.
func crc32(_ data: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in data {
        c ^= UInt32(b)
        for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
    }
    return ~c
}
