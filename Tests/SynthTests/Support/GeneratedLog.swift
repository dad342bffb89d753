// GeneratedLog: a sample written to a temporary directory and parsed back by a tiny CSV reader
// of its own (the project's reader is tested separately), plus the shared fixtures.

import Foundation
import Frame
@testable import Synth

/// A generated CSV and, optionally, its probabilities, parsed into integer columns.
struct GeneratedLog: Sendable {
    let summary: SampleSummary
    /// The file's bytes.
    let bytes: [UInt8]
    /// The header line, without its newline.
    let header: String
    /// Column name -> values, one per data row.
    let columns: [String: [Int]]
    /// The probabilities file's lines after its header, and its header.
    let probabilityHeader: String?
    let probabilities: [Double]
    /// Problems the parser met (non-integer cells, wrong field counts), at most a few.
    let problems: [String]

    var rowCount: Int { columns["is_listened"]?.count ?? 0 }

    /// The values of `name` (empty if absent).
    subscript(_ name: String) -> [Int] { columns[name] ?? [] }

    /// Generates `rows` rows under `seed` into a fresh temporary directory and parses them.
    static func make(rows: Int, seed: UInt64, probabilities: Bool = false, workers: Int? = nil) throws -> GeneratedLog {
        let dir = try TemporaryDirectory()
        let csvPath = dir.path + "/log.csv"
        let pPath = probabilities ? dir.path + "/p.csv" : nil
        let config = SampleConfig(rows: rows, seed: seed)
        let summary = try workers.map { try SampleGenerator.write(config, to: csvPath, probabilitiesTo: pPath, workers: $0) }
            ?? SampleGenerator.write(config, to: csvPath, probabilitiesTo: pPath)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: csvPath)))
        var parsed = parse(bytes)
        var pHeader: String?
        var pValues: [Double] = []
        if let pPath {
            let text = try String(contentsOfFile: pPath, encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            pHeader = lines.first.map(String.init)
            pValues = lines.dropFirst().map { Double($0) ?? .nan }
        }
        parsed.problems += dir.remove()
        return GeneratedLog(summary: summary, bytes: bytes, header: parsed.header, columns: parsed.columns,
                            probabilityHeader: pHeader, probabilities: pValues, problems: parsed.problems)
    }

    /// Splits `bytes` into a header and integer columns.
    static func parse(_ bytes: [UInt8]) -> (header: String, columns: [String: [Int]], problems: [String]) {
        guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return ("", [:], ["no header line"]) }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        let names = header.split(separator: ",").map(String.init)
        var values = [[Int]](repeating: [], count: names.count)
        var problems: [String] = []
        var field = 0, value = 0, digits = 0, line = 2
        func note(_ message: String) { if problems.count < 5 { problems.append("line \(line): \(message)") } }
        for b in bytes[(headerEnd + 1)...] {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: ","), UInt8(ascii: "\n"):
                if digits == 0 { note("empty field \(field)") }
                if field < names.count { values[field].append(value) } else { note("too many fields") }
                field += 1
                value = 0
                digits = 0
                if b == UInt8(ascii: "\n") {
                    if field != names.count { note("expected \(names.count) fields, found \(field)") }
                    field = 0
                    line += 1
                }
            default:
                note("unexpected byte \(b)")
            }
        }
        if field != 0 || digits != 0 { note("last line has no newline") }
        return (header, Dictionary(uniqueKeysWithValues: zip(names, values)), problems)
    }
}

/// A fresh directory under the system's temporary directory.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "synth-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The names of the files in the directory.
    func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }

    /// Removes the directory; returns a problem if that failed.
    func remove() -> [String] {
        do { try FileManager.default.removeItem(atPath: path); return [] } catch { return ["could not remove \(path): \(error)"] }
    }
}

/// Logs shared by several tests, generated once.
enum Fixture {
    /// 40,000 rows (105 users) with probabilities: big enough for rates, fast in debug builds.
    static let sample: Result<GeneratedLog, any Error> = Result { try GeneratedLog.make(rows: 40_000, seed: 7, probabilities: true) }
}
