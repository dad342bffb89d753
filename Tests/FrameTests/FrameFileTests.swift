// FrameFile: exact round trips of every column type with nulls, and clear errors for files that
// are missing, foreign, truncated, of another version or corrupt.

import Foundation
import Testing
@testable import Frame

@Suite struct FrameFileTests {
    func sampleFrame(rows: Int = 300) throws -> DataFrame {
        let validity = Bitmap((0..<rows).map { $0 % 7 != 3 })
        return try DataFrame([
            Column.integers("i8", (0..<rows).map { Int64($0 % 100) }),
            Column.integers("i16", (0..<rows).map { Int64($0 * 100) }, validity: validity),
            Column.integers("i32", (0..<rows).map { Int64($0) * 1_000_000 }),
            Column.integers("i64", (0..<rows).map { Int64($0) << 40 }),
            Column.doubles("f", (0..<rows).map { Double($0) / 3 }, validity: validity),
            Column.bools("b", (0..<rows).map { $0 % 2 == 0 }),
            Column.strings("s", (0..<rows).map { $0 % 5 == 0 ? nil : "v\($0 % 11)é" }),
            Column.strings("empty", [String?](repeating: nil, count: rows)),
        ])
    }

    func withFile(_ body: (String) throws -> Void) rethrows {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir.appendingPathComponent("f.frame").path)
    }

    func readError(_ path: String) -> FrameFileError? {
        do { _ = try FrameFile.read(path: path); return nil } catch { return error }
    }

    @Test func roundTripsEveryType() throws {
        try withFile { path in
            let frame = try sampleFrame()
            try FrameFile.write(frame, to: path)
            let back = try FrameFile.read(path: path)
            #expect(sameFrame(frame, back))
            #expect(back.columns.map(\.type) == frame.columns.map(\.type))
            #expect(back["i16"]!.nullCount == frame["i16"]!.nullCount)
            let empty = try DataFrame([Column.integers("a", [])])
            try FrameFile.write(empty, to: path)
            #expect(try FrameFile.read(path: path).columnNames == ["a"])
        }
    }

    @Test func roundTripsACSVRead() throws {
        try withFile { path in
            let (frame, _) = try fastRead("a,b,c\n1,x,2.5\n,y,\n3,,4\n")
            try FrameFile.write(frame, to: path)
            #expect(sameFrame(frame, try FrameFile.read(path: path)))
        }
    }

    @Test func missingDirectoryAndForeignFiles() {
        withFile { path in
            #expect(readError(path) == .notFound(path: path))
            let dir = (path as NSString).deletingLastPathComponent
            #expect(readError(dir) == .isDirectory(path: dir))
            _ = FileManager.default.createFile(atPath: path, contents: Data("a,b\n1,2\n".utf8))
            #expect(readError(path) == .notAFrameFile(path: path))
            #expect(readError(path)?.description == "\(path): not a frame file (wrong magic bytes); load csv files with the csv reader")
        }
    }

    @Test func truncatedFile() throws {
        try withFile { path in
            try FrameFile.write(try sampleFrame(), to: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
            let e = readError(path)
            #expect(e == .truncated(path: path, expected: bytes.count, actual: bytes.count - 100))
            #expect(e?.message == "truncated frame file: expected \(bytes.count) bytes, found \(bytes.count - 100); re-save it")
            try bytes.prefix(30).write(to: URL(fileURLWithPath: path))
            #expect(readError(path) == .truncated(path: path, expected: 64, actual: 30))
        }
    }

    @Test func corruptBytesNameTheirColumn() throws {
        try withFile { path in
            let frame = try sampleFrame()
            try FrameFile.write(frame, to: path)
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            // Flip one byte in the values of column i32 (the third section run): find it by value.
            var bytes = original
            let needle = withUnsafeBytes(of: Int32(7_000_000).littleEndian) { Array($0) }
            let at = (0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == needle }!
            bytes[at] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(readError(path) == .corrupt(path: path, part: "column 'i32' values"))
            // A flipped header byte.
            bytes = original
            bytes[20] ^= 1
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(readError(path) == .corrupt(path: path, part: "header"))
            // A flipped directory byte (the directory is at the end of the file).
            bytes = original
            bytes[bytes.count - 3] ^= 1
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(readError(path) == .corrupt(path: path, part: "column directory"))
        }
    }

    @Test func otherVersionsAreRefused() throws {
        try withFile { path in
            try FrameFile.write(try sampleFrame(rows: 3), to: path)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[8] = 9
            // Re-seal the header so only the version differs.
            let sum = bytes.withUnsafeBytes { FrameChecksum.checksum($0.baseAddress!, count: 56) }
            for k in 0..<8 { bytes[56 + k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(readError(path) == .unsupportedVersion(path: path, found: 9, supported: 1))
        }
    }

    @Test func writeIsAtomic() throws {
        try withFile { path in
            try FrameFile.write(try sampleFrame(), to: path)
            let dir = (path as NSString).deletingLastPathComponent
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f.frame"])
            let frame = try sampleFrame()
            do throws(FrameFileError) {
                try FrameFile.write(frame, to: dir + "/missing/x.frame")
                Issue.record("expected an error")
            } catch {
                #expect(error == .notFound(path: dir + "/missing/x.frame"))
            }
        }
    }

    @Test func checksumSeesEveryByte() {
        var rng = SplitMix64(seed: 9)
        let data = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let base = FrameChecksum.checksum(data)
        for i in stride(from: 0, to: data.count, by: 37) {
            var d = data
            d[i] ^= 1
            #expect(FrameChecksum.checksum(d) != base)
        }
        #expect(FrameChecksum.checksum(Array(data.prefix(999))) != base)
    }
}
