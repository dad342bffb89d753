// TrialJournal: a search interrupted after k trials and resumed from its journal ends with the
// same ranked trials as an uninterrupted one, for every strategy, calling `evaluate` only for
// the new trials; settings keep their types; another search's journal, a garbage line, a
// truncated last line, a non-journal file and a journal that disagrees with the search.

import Foundation
import Testing
import Frame
import Learn

private func number(_ v: HyperValue?) -> Double {
    switch v {
    case .int(let n): Double(n)
    case .number(let x): x
    default: .nan
    }
}

/// Everything a ranked trial says but its time and whether it was replayed.
private func essence(_ r: SearchResult) -> [String] {
    r.trials.map { t in
        "\(t.number) " + t.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            + " b\(t.budget.map(String.init) ?? "-") r\(t.rung.map(String.init) ?? "-") s\(t.bracket.map(String.init) ?? "-")"
            + " \(t.foldScores) \(t.mean) \(t.std) \(t.status) \(t.message ?? "") e\(t.bestEpoch.map(String.init) ?? "-")"
    }
}

/// A fresh path in the temporary folder.
private func temporaryPath(_ name: String = "trials") -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).jsonl").path
}

private func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

@Suite struct TrialJournalTests {
    static let identity: [(name: String, value: String)] = [("kind", "toy"), ("metric", "auc"), ("data", "600 rows, target y")]

    /// Two dimensions, one on a log scale, and a failure region: maximum near x = 0.7, C = 0.01.
    static func bowl(_ s: [String: HyperValue], _ budget: Int?) throws(LearnError) -> TrialOutcome {
        let x = number(s["x"]), c = number(s["C"])
        if x > 0.75 { throw .numerical("diverged; lower the learning rate") }
        let f = -(pow(x - 0.7, 2) + pow((log10(c) + 2) / 4, 2))
        let b = Double(budget ?? 1)
        return TrialOutcome(scores: [f + 0.01 / b, f - 0.02 / b, f + 0.013 * x / b], bestEpoch: budget.map { max(1, $0 - 1) })
    }

    static let space = try! SearchSpace([("x", .uniform(lo: 0, hi: 1)), ("C", .logUniform(lo: 1e-5, hi: 10))])

    static func search(_ strategy: SearchStrategy, journal: TrialJournal?, context: FitContext = FitContext(),
                       onTrial: (SearchTrial) -> Void = { _ in },
                       evaluate: Search.EvaluateOutcome) throws -> SearchResult {
        let space = strategy == .grid
            ? try SearchSpace([("x", .values([.number(0.1), .number(0.5), .number(0.9), .number(0.7)])),
                               ("C", .values([.number(0.01), .number(1), .number(1e-4)]))])
            : Self.space
        return try Search.run(space: space, strategy: strategy, trials: strategy == .halving ? 9 : strategy == .hyperband ? nil : 12,
                              seed: 11, higherIsBetter: true, budget: 1...9, context: context, journal: journal,
                              evaluateOutcome: evaluate, onTrial: onTrial)
    }

    /// Interrupted at trial k (evaluate throws .cancelled), then resumed: the same ranked trials
    /// as without interruption, and evaluate called only for trials k and after.
    @Test(arguments: SearchStrategy.allCases)
    func aResumedSearchEndsLikeAnUninterruptedOne(_ strategy: SearchStrategy) throws {
        let reference = try Self.search(strategy, journal: nil, evaluate: Self.bowl)
        let total = reference.trials.count
        #expect(total >= 12 && reference.trials.contains { $0.status == .failed })
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: Self.identity)
        let k = 8
        var calls = 0
        let first = try Self.search(strategy, journal: journal) { s, b throws(LearnError) in
            calls += 1
            if calls == k { throw .cancelled }
            return try Self.bowl(s, b)
        }
        #expect(first.interrupted && first.trials.count == k - 1)
        #expect(try lines(path).count == 1 + (k - 1) + 1, "header, k - 1 trials, and the empty string after the last newline")
        calls = 0
        var replayed: [Bool] = []
        let resumed = try Self.search(strategy, journal: journal, onTrial: { replayed.append($0.replayed) }) { s, b throws(LearnError) in
            calls += 1
            return try Self.bowl(s, b)
        }
        #expect(calls == total - (k - 1))
        #expect(replayed == [Bool](repeating: true, count: k - 1) + [Bool](repeating: false, count: total - (k - 1)))
        #expect(essence(resumed) == essence(reference))
        #expect(resumed.notes.contains("\(k - 1) trials replayed from the journal \(path)"))
        #expect(!resumed.interrupted)
        // A third run only replays.
        let again = try Self.search(strategy, journal: journal) { _, _ throws(LearnError) in
            Issue.record("evaluated a recorded trial")
            throw .cancelled
        }
        #expect(essence(again) == essence(reference) && again.trials.allSatisfy { $0.replayed })
    }

    /// Stopped twice through the context's cancellation flag, then finished.
    @Test func resumesTwiceThroughTheCancellationFlag() throws {
        let reference = try Self.search(.bayes, journal: nil, evaluate: Self.bowl)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: Self.identity)
        var evaluated = 0
        for stop in [3, 9, nil] as [Int?] {
            let flag = CancellationFlag()
            let r = try Self.search(.bayes, journal: journal, context: FitContext(cancellation: flag),
                                    onTrial: { if $0.number == stop { flag.cancel() } },
                                    evaluate: { s, b throws(LearnError) in evaluated += 1; return try Self.bowl(s, b) })
            #expect(r.interrupted == (stop != nil))
            if let stop { #expect(r.trials.count == stop) } else { #expect(essence(r) == essence(reference)) }
        }
        #expect(evaluated == 12)
    }

    /// Every kind of setting reads back as the same type and value.
    @Test func settingsKeepTheirTypes() throws {
        let space = try SearchSpace([("n", .values([.int(3), .int(7)])), ("r", .values([.number(3), .number(0.1 + 0.2)])),
                                     ("loss", .values([.choice("l2")])), ("flag", .values([.bool(true), .bool(false)])),
                                     ("layers", .values([.ints([64, 32]), .ints([])]))])
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: "a toy")
        func f(_ s: [String: HyperValue], _: Int?) -> [Double] {
            [number(s["n"]) + number(s["r"]) + (s["flag"] == .bool(true) ? 1 : 0) + (s["layers"] == .ints([]) ? 0.5 : 0)]
        }
        let written = try Search.run(space: space, strategy: .grid, seed: 1, higherIsBetter: true, journal: journal, evaluate: f)
        let read = try Search.run(space: space, strategy: .grid, seed: 1, higherIsBetter: true, journal: journal) { _, _ throws(LearnError) in
            throw .cancelled
        }
        #expect(read.trials.count == 16 && read.trials.allSatisfy { $0.replayed })
        #expect(essence(read) == essence(written))
        let text = try lines(path)
        #expect(text[0] == #"{"format":"recscript-trials","identity":[["identity","a toy"]],"search":[["space","{n: [3, 7], r: [3, 0.30000000000000004], loss: [l2], flag: [true, false], layers: [[64, 32], []]}"]],"seed":1,"strategy":"grid","version":1}"#)
        #expect(text[1].contains(#""n":{"int":3}"#) && text[1].contains(#""r":{"number":3}"#) && text[1].contains(#""loss":{"choice":"l2"}"#))
        #expect(text[1].contains(#""flag":{"bool":true}"#) && text[1].contains(#""layers":{"ints":[64,32]}"#))
        #expect(text.contains { $0.contains(#""r":{"number":0.30000000000000004}"#) })
    }

    @Test func anotherSearchsJournalIsRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.search(.random, journal: TrialJournal(path: path, identity: Self.identity), evaluate: Self.bowl)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let other = TrialJournal(path: path, identity: [("kind", "toy"), ("metric", "logloss"), ("data", "600 rows, target y")])
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) records another search: metric is auc there, logloss here; give another journal path, or delete the file to start afresh")) {
            try Self.search(.random, journal: other, evaluate: Self.bowl)
        }
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) records another search: strategy is random there, bayes here; give another journal path, or delete the file to start afresh")) {
            try Self.search(.bayes, journal: TrialJournal(path: path, identity: Self.identity), evaluate: Self.bowl)
        }
        let narrower = try SearchSpace([("x", .uniform(lo: 0, hi: 0.5)), ("C", .logUniform(lo: 1e-5, hi: 10))])
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) records another search: seed is 11 there, 12 here; space is {x: uniform(0, 1), C: log(1e-05, 10)} there, {x: uniform(0, 0.5), C: log(1e-05, 10)} here; give another journal path, or delete the file to start afresh")) {
            try Search.run(space: narrower, strategy: .random, trials: 12, seed: 12, higherIsBetter: true,
                           journal: TrialJournal(path: path, identity: Self.identity), evaluateOutcome: Self.bowl)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before, "a refused journal is left as it was")
    }

    @Test func aGarbageLineIsAnErrorWithItsLineNumber() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: Self.identity)
        _ = try Self.search(.random, journal: journal, evaluate: Self.bowl)
        var text = try lines(path)
        text[3] = "{\"trial\": 3, oops"
        try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) line 4 is not a trial record (not valid JSON); fix or delete that line, or delete the file to start afresh")) {
            try Self.search(.random, journal: journal, evaluate: Self.bowl)
        }
        text[3] = #"{"trial":3,"settings":{},"scores":[],"mean":0,"std":0,"status":"completed"}"#
        try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) line 4 is not a trial record (it has no 'seconds'); fix or delete that line, or delete the file to start afresh")) {
            try Self.search(.random, journal: journal, evaluate: Self.bowl)
        }
        // Deleting the line leaves trial 4 where trial 3 should be.
        text.remove(at: 3)
        try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) line 4 records trial 4 where trial 3 comes next; fix or delete that line, or delete the file to start afresh")) {
            try Self.search(.random, journal: journal, evaluate: Self.bowl)
        }
    }

    /// What a kill leaves: the last line cut short. It is dropped, its trial evaluated again,
    /// and the file is whole afterwards.
    @Test func aTruncatedLastLineIsDroppedWithANote() throws {
        let reference = try Self.search(.hyperband, journal: nil, evaluate: Self.bowl)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: Self.identity)
        var calls = 0
        _ = try Self.search(.hyperband, journal: journal) { s, b throws(LearnError) in
            calls += 1
            if calls == 6 { throw .cancelled }
            return try Self.bowl(s, b)
        }
        var text = try lines(path)
        #expect(text.count == 7 && text[6].isEmpty)
        text[5] = String(text[5].prefix(30))
        try text.prefix(6).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        calls = 0
        let resumed = try Self.search(.hyperband, journal: journal) { s, b throws(LearnError) in
            calls += 1
            return try Self.bowl(s, b)
        }
        #expect(resumed.notes.first == "the last line of the journal \(path) (line 6) was cut short, as a killed run leaves it; it was dropped and its trial runs again")
        #expect(calls == reference.trials.count - 4)
        #expect(essence(resumed) == essence(reference))
        #expect(try lines(path).count == 1 + reference.trials.count + 1)
        // A header cut short: started afresh.
        try String(text[0].prefix(12)).write(toFile: path, atomically: true, encoding: .utf8)
        let fresh = try Self.search(.hyperband, journal: journal, evaluate: Self.bowl)
        #expect(fresh.notes.first == "the journal \(path) held only the start of its header; it was started afresh")
        #expect(essence(fresh) == essence(reference) && !fresh.trials.contains { $0.replayed })
    }

    @Test func aFileThatIsNotAJournalIsNeverWritten() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        for content in ["user_id,media_id\n1,2\n", "user_id,media_id"] {
            try content.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) is not a trial journal (its first line is not a journal's header); give another path")) {
                try Self.search(.random, journal: TrialJournal(path: path, identity: Self.identity), evaluate: Self.bowl)
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-folder-\(UUID().uuidString)/t.jsonl").path
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(missing) cannot be created; check that its folder exists and can be written to")) {
            try Self.search(.random, journal: TrialJournal(path: missing, identity: Self.identity), evaluate: Self.bowl)
        }
    }

    /// Halving with one more first-round candidate evaluates a tenth candidate where the
    /// journal holds the first promotion.
    @Test func aJournalThatDisagreesWithTheSearchIsAnError() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = TrialJournal(path: path, identity: Self.identity)
        let nine = try Search.run(space: Self.space, strategy: .halving, trials: 9, seed: 3, higherIsBetter: true, budget: 1...9,
                                  journal: journal, evaluateOutcome: Self.bowl)
        let recorded = nine.inOrder[9]
        var asked: SearchTrial?
        _ = try Search.run(space: Self.space, strategy: .halving, trials: 10, seed: 3, higherIsBetter: true, budget: 1...9,
                           evaluateOutcome: Self.bowl, onTrial: { if $0.number == 10 { asked = $0 } })
        let other = try #require(asked)
        #expect(recorded.budget == 3 && other.budget == 1)
        func text(_ t: SearchTrial) -> String {
            "{C=\(t.settings["C"]!), x=\(t.settings["x"]!)} at budget \(t.budget!)"
        }
        #expect(throws: LearnError.invalidParameter(name: "journal", reason: "\(path) does not match this search at trial 10: it records \(text(recorded)) where the search asks for \(text(other)); was it written with other options, such as trials=? Give another journal path, or delete the file to start afresh")) {
            try Search.run(space: Self.space, strategy: .halving, trials: 10, seed: 3, higherIsBetter: true, budget: 1...9,
                           journal: journal, evaluateOutcome: Self.bowl)
        }
        // More trials than were recorded extend a random search.
        let shorter = try Search.run(space: Self.space, strategy: .random, trials: 5, seed: 3, higherIsBetter: true,
                                     journal: TrialJournal(path: path + ".r", identity: Self.identity), evaluateOutcome: Self.bowl)
        defer { try? FileManager.default.removeItem(atPath: path + ".r") }
        var calls = 0
        let longer = try Search.run(space: Self.space, strategy: .random, trials: 8, seed: 3, higherIsBetter: true,
                                    journal: TrialJournal(path: path + ".r", identity: Self.identity)) { s, b throws(LearnError) in
            calls += 1
            return try Self.bowl(s, b)
        }
        #expect(calls == 3 && longer.inOrder.prefix(5).map(\.settings) == shorter.inOrder.map(\.settings))
        let fewer = try Search.run(space: Self.space, strategy: .random, trials: 4, seed: 3, higherIsBetter: true,
                                   journal: TrialJournal(path: path + ".r", identity: Self.identity), evaluateOutcome: Self.bowl)
        #expect(fewer.notes == ["4 trials replayed from the journal \(path).r",
                                "the journal \(path).r holds 4 more trials than this search ran; they were ignored"])
    }
}
