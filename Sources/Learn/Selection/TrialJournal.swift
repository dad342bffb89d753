// TrialJournal: a search's finished trials, one JSON object a line (JSON Lines), so that a
// search that was killed or interrupted resumes where it stopped when it is run again
// (Search.swift replays the recorded trials instead of evaluating them).
//
// Format, version 1 (keys sorted; absent fields are nil):
//   line 1      {"format":"recscript-trials","identity":[["kind","logreg"],["metric","auc"]],
//                "search":[["space","{C: log(0.001, 10)}"],["budget","5..45"],["options","factor=3"]],
//                "seed":1,"strategy":"hyperband","version":1}
//   line k + 1  {"bestEpoch":19,"bracket":2,"budget":15,"mean":0.8,"rung":1,"scores":[0.81,0.79],
//                "seconds":1.2,"settings":{"C":{"number":0.1},"penalty":{"choice":"l2"}},
//                "status":"completed","std":0.01,"trial":k}     ("message" says why a trial failed)
// `identity` is the caller's (what the search runs on: the model, the data, the metric, the
// folds); `search` is what Search.run knows of itself (the space, the budget range, the
// strategy's options), `strategy` and `seed` likewise. All must equal the running search's, or
// the journal belongs to another search. `trials` is left out on purpose: rerunning with more
// trials extends a finished search. Settings keep their type: {"int":3}, {"number":3.0},
// {"choice":"l2"}, {"bool":true}, {"ints":[64,32]}. Numbers go through JSONEncoder, which
// writes the shortest decimal that reads back as the same Double (JSONSerialization on Linux
// does not round-trip every Double), so replayed scores, and every later choice of a strategy,
// are bit for bit those of the first run; a trial's mean and spread are recomputed from them.
//
// Writing: creating the file writes the header; each finished trial is appended as one line
// through a FileHandle and flushed to disk (fsync) before the search goes on, so a killed
// process loses at most the trial it was running. Reading: a last line without its newline is
// what a kill leaves: it is dropped, and cut from the file before anything is appended, with a
// note. Any other line that is not a record is an error naming the file and the line; a file
// whose first line is not a journal header is never written to.

import Foundation
import Frame

/// A JSON Lines file recording a search's finished trials, from which the same search resumes.
package struct TrialJournal: Sendable {
    /// The format version written in the header; a journal of another version is refused.
    package static let version = 1
    /// The header's `format` value, which marks a file as a trial journal.
    static let format = "recscript-trials"

    /// Where the journal lives.
    package var path: String
    /// What the search runs on, as name-value pairs (model kind, metric, folds, data); a
    /// journal whose header holds other pairs belongs to another search.
    package var identity: [(name: String, value: String)]

    /// A journal at `path` for the search described by `identity`.
    package init(path: String, identity: [(name: String, value: String)]) {
        self.path = path
        self.identity = identity
    }

    /// A journal at `path` for the search described by one string.
    package init(path: String, identity: String) {
        self.init(path: path, identity: [(name: "identity", value: identity)])
    }

    // MARK: - Lines

    /// The first line.
    struct Header: Codable, Equatable {
        var format: String
        var version: Int
        var strategy: String
        var seed: UInt64
        var identity: [[String]]
        var search: [[String]]
    }

    /// A setting's value with its type: an object with one key, the type's name.
    struct Setting: Codable, Equatable {
        var int: Int?
        var number: Double?
        var choice: String?
        var bool: Bool?
        var ints: [Int]?

        init(_ v: HyperValue) {
            switch v {
            case .int(let n): int = n
            case .number(let x): number = x
            case .choice(let s): choice = s
            case .bool(let b): bool = b
            case .ints(let ns): ints = ns
            }
        }

        /// The value, or nil unless exactly one type is given.
        var value: HyperValue? {
            let given: [HyperValue?] = [int.map { .int($0) }, number.map { .number($0) }, choice.map { .choice($0) },
                                        bool.map { .bool($0) }, ints.map { .ints($0) }]
            let present = given.compactMap { $0 }
            return present.count == 1 ? present[0] : nil
        }
    }

    /// One finished trial.
    struct Record: Codable, Equatable {
        var trial: Int
        var settings: [String: Setting]
        var budget: Int?
        var rung: Int?
        var bracket: Int?
        var scores: [Double]
        var mean: Double
        var std: Double
        var seconds: Double
        var status: String
        var message: String?
        var bestEpoch: Int?

        init(_ t: SearchTrial) {
            trial = t.number
            settings = t.settings.mapValues(Setting.init)
            (budget, rung, bracket) = (t.budget, t.rung, t.bracket)
            (scores, mean, std, seconds) = (t.foldScores, t.mean, t.std, t.seconds)
            (status, message, bestEpoch) = (t.status.rawValue, t.message, t.bestEpoch)
        }
    }

    static func encoded<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, a finite number, a bool or a list of them: encoding cannot fail.
        var data = (try? encoder.encode(value)) ?? Data()
        data.append(UInt8(ascii: "\n"))
        return data
    }

    // MARK: - Opening

    /// A journal opened by a search: the trials it held and the handle that appends new ones.
    final class Opened {
        let path: String
        /// The recorded trials, in order (trial k at index k - 1).
        let trials: [SearchTrial]
        /// What the reader had to say (a dropped last line).
        let notes: [String]
        private let handle: FileHandle

        init(path: String, trials: [SearchTrial], notes: [String], handle: FileHandle) {
            self.path = path
            self.trials = trials
            self.notes = notes
            self.handle = handle
        }

        deinit { try? handle.close() }

        /// Appends `trial` as one line and flushes it to disk.
        func append(_ trial: SearchTrial) throws(LearnError) {
            do {
                try handle.seekToEnd()
                try handle.write(contentsOf: TrialJournal.encoded(Record(trial)))
                try handle.synchronize()
            } catch {
                throw .invalidParameter(name: "journal", reason: "\(path) could not be written after trial \(trial.number): \(error.localizedDescription)")
            }
        }

        /// The error for recorded trial `recorded` where the search asks for other settings.
        func mismatch(at recorded: SearchTrial, settings: [String: HyperValue], budget: Int?) -> LearnError {
            func text(_ s: [String: HyperValue], _ b: Int?) -> String {
                let pairs = s.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                return "{\(pairs)}" + (b.map { " at budget \($0)" } ?? "")
            }
            return .invalidParameter(name: "journal", reason: "\(path) does not match this search at trial \(recorded.number): it records \(text(recorded.settings, recorded.budget)) where the search asks for \(text(settings, budget)); was it written with other options, such as trials=? Give another journal path, or delete the file to start afresh")
        }
    }

    /// The journal for a search, created with its header if absent or empty; the recorded
    /// trials when it holds some. `search`: what Search.run knows of the search (space, budget,
    /// options), compared like `identity`.
    func open(strategy: SearchStrategy, seed: UInt64, search: [(name: String, value: String)]) throws(LearnError) -> Opened {
        let header = Header(format: Self.format, version: Self.version, strategy: strategy.rawValue, seed: seed,
                            identity: identity.map { [$0.name, $0.value] }, search: search.map { [$0.name, $0.value] })
        func failure(_ reason: String) -> LearnError { .invalidParameter(name: "journal", reason: reason) }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw failure("\(path) is a folder; give the path of a file")
        }
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else {
                throw failure("\(path) cannot be created; check that its folder exists and can be written to")
            }
        }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw failure("\(path) cannot be read: \(error.localizedDescription)")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)) } catch {
            throw failure("\(path) cannot be written to: \(error.localizedDescription)")
        }
        do throws(LearnError) {
            let (lines, complete) = Self.lines(bytes)
            var notes: [String] = []
            // What a kill leaves: a last line without its newline, the start of a header or a record.
            let tail = bytes[complete...]
            if !tail.isEmpty {
                let isHeaderStart = lines.isEmpty && Self.headerPrefix.starts(with: tail.prefix(Self.headerPrefix.count))
                let isRecordStart = !lines.isEmpty && tail.starts(with: Array("{\"".utf8))
                guard isHeaderStart || isRecordStart else {
                    throw failure(lines.isEmpty ? "\(path) is not a trial journal (its first line is not a journal's header); give another path"
                                               : "\(path) line \(lines.count + 1) is not a trial record; fix or delete that line, or delete the file to start afresh")
                }
                notes.append(lines.isEmpty ? "the journal \(path) held only the start of its header; it was started afresh"
                                           : "the last line of the journal \(path) (line \(lines.count + 1)) was cut short, as a killed run leaves it; it was dropped and its trial runs again")
                do { try handle.truncate(atOffset: UInt64(complete)) } catch {
                    throw failure("\(path) cannot be written to: \(error.localizedDescription)")
                }
            }
            var trials: [SearchTrial] = []
            if lines.isEmpty {
                do {
                    try handle.seekToEnd()
                    try handle.write(contentsOf: Self.encoded(header))
                    try handle.synchronize()
                } catch {
                    throw failure("\(path) cannot be written to: \(error.localizedDescription)")
                }
            } else {
                try check(header, against: lines[0].text)
                // Blank lines (a hand edit) are skipped.
                for line in lines.dropFirst() where !line.text.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    trials.append(try trial(line.text, line: line.number, expected: trials.count + 1))
                }
            }
            return Opened(path: path, trials: trials, notes: notes, handle: handle)
        } catch {
            try? handle.close()
            throw error
        }
    }

    /// How every header starts (keys sorted: `format` first).
    static let headerPrefix = Array("{\"format\":\"\(format)\"".utf8)

    /// The lines ended by a newline (numbered from 1, without it) and the bytes they span.
    static func lines(_ bytes: [UInt8]) -> (lines: [(number: Int, text: ArraySlice<UInt8>)], complete: Int) {
        var out: [(number: Int, text: ArraySlice<UInt8>)] = []
        var start = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
            out.append((out.count + 1, bytes[start..<i]))
            start = i + 1
        }
        return (out, start)
    }

    /// Throws unless the file's header `text` describes the same search as `header`.
    private func check(_ header: Header, against text: ArraySlice<UInt8>) throws(LearnError) {
        guard let found = try? JSONDecoder().decode(Header.self, from: Data(text)), found.format == Self.format else {
            throw .invalidParameter(name: "journal", reason: "\(path) is not a trial journal (its first line is not a journal's header); give another path")
        }
        guard found.version == header.version else {
            throw .invalidParameter(name: "journal", reason: "\(path) is a trial journal of format version \(found.version), and this version of RecScript reads version \(header.version); give another journal path, or delete the file to start afresh")
        }
        var differences: [String] = []
        if found.strategy != header.strategy { differences.append("strategy is \(found.strategy) there, \(header.strategy) here") }
        if found.seed != header.seed { differences.append("seed is \(found.seed) there, \(header.seed) here") }
        // The search facts are the strategy's: with another strategy, they differ as a matter of course.
        let compared = found.strategy == header.strategy ? [(found.search, header.search), (found.identity, header.identity)]
                                                         : [(found.identity, header.identity)]
        for (there, here) in compared {
            let thereValues = Dictionary(there.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
            let hereNames = Set(here.compactMap(\.first))
            for pair in here where pair.count == 2 {
                if let old = thereValues[pair[0]] {
                    if old != pair[1] { differences.append("\(pair[0]) is \(old) there, \(pair[1]) here") }
                } else {
                    differences.append("\(pair[0]) is not recorded there (\(pair[1]) here)")
                }
            }
            for pair in there where pair.count == 2 && !hereNames.contains(pair[0]) {
                differences.append("\(pair[0]) is \(pair[1]) there, not given here")
            }
        }
        guard differences.isEmpty else {
            throw .invalidParameter(name: "journal", reason: "\(path) records another search: \(differences.joined(separator: "; ")); give another journal path, or delete the file to start afresh")
        }
    }

    /// Recorded trial `expected` from line `line`.
    private func trial(_ text: ArraySlice<UInt8>, line: Int, expected: Int) throws(LearnError) -> SearchTrial {
        func failure(_ reason: String) -> LearnError {
            .invalidParameter(name: "journal", reason: "\(path) line \(line) \(reason); fix or delete that line, or delete the file to start afresh")
        }
        let record: Record
        do { record = try JSONDecoder().decode(Record.self, from: Data(text)) } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, _): throw failure("is not a trial record (it has no '\(key.stringValue)')")
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                throw failure("is not a trial record ('\(c.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type)")
            case .dataCorrupted: throw failure("is not a trial record (not valid JSON)")
            @unknown default: throw failure("is not a trial record")
            }
        } catch {
            throw failure("is not a trial record")
        }
        guard record.trial == expected else { throw failure("records trial \(record.trial) where trial \(expected) comes next") }
        guard let status = SearchTrial.Status(rawValue: record.status) else {
            throw failure("has status '\(record.status)', not completed or failed")
        }
        var settings: [String: HyperValue] = [:]
        for (name, s) in record.settings {
            guard let v = s.value else { throw failure("gives '\(name)' no value, or values of two types") }
            settings[name] = v
        }
        var t = SearchTrial(number: record.trial, settings: settings, budget: record.budget, rung: record.rung,
                            bracket: record.bracket, foldScores: [], mean: 0, std: 0, seconds: record.seconds,
                            status: status, message: record.message, bestEpoch: record.bestEpoch)
        if status == .completed {
            guard !record.scores.isEmpty else { throw failure("records a completed trial without scores") }
            t.foldScores = record.scores
            (t.mean, t.std) = Search.meanAndStd(record.scores)
        }
        return t
    }
}
