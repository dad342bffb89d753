// Golden tests: every script in Golden/ and scripts/ runs through the real binary, and its
// exit code, standard output and standard error must equal the stored expectation beside it
// (`name.expected`). A script's first line `# args: ...` adds command-line arguments.
// Re-record deliberately with RECSCRIPT_RECORD=1; a missing expectation fails the test.

import Foundation
import Testing

/// A golden case: the script to run and where its expectation lives.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    /// Path relative to the package root.
    let script: String
    let expected: String
    var testDescription: String { script }
}

private let goldenDirectory = "Tests/ReplTests/Golden"

private func goldenCases() -> [GoldenCase] {
    let fm = FileManager.default
    var cases: [GoldenCase] = []
    let golden = packageRoot.appendingPathComponent(goldenDirectory).path
    for name in ((try? fm.contentsOfDirectory(atPath: golden)) ?? []).sorted() where name.hasSuffix(".rec") {
        let base = String(name.dropLast(4))
        cases.append(GoldenCase(script: "\(goldenDirectory)/\(name)", expected: "\(goldenDirectory)/\(base).expected"))
    }
    let scripts = packageRoot.appendingPathComponent("scripts").path
    for name in ((try? fm.contentsOfDirectory(atPath: scripts)) ?? []).sorted() where name.hasSuffix(".rec") {
        let base = String(name.dropLast(4))
        cases.append(GoldenCase(script: "scripts/\(name)", expected: "\(goldenDirectory)/scripts/\(base).expected"))
    }
    return cases
}

/// The transcript compared with the expectation; the checkout's path, which differs from
/// machine to machine, reads `<root>`, and a timing at the end of a line (`compare`'s fit
/// times, `12.34 s`) reads ` <time>`.
private func transcript(_ run: ProcessRun) -> String {
    let root = packageRoot.standardizedFileURL.path
    let text = "exit: \(run.status)\n--- stdout\n\(run.stdout)--- stderr\n\(run.stderr)"
    return maskTimings(text.replacingOccurrences(of: root, with: "<root>"))
}

/// Each line's trailing durations (one or more, as `compare`'s fit and predict times), with
/// the spaces before them, as ` <time>` each.
func maskTimings(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        var line = String(line), masked = 0
        while let match = line.firstMatch(of: /\s*\d+\.\d\d s$/) {
            line = String(line[..<match.range.lowerBound])
            masked += 1
        }
        return line + String(repeating: " <time>", count: masked)
    }.joined(separator: "\n")
}

/// Extra arguments from a first line `# args: ...`, split on spaces (no quoting needed here).
private func arguments(of script: String) throws -> [String] {
    let text = try String(contentsOf: packageRoot.appendingPathComponent(script), encoding: .utf8)
    guard let first = text.split(separator: "\n").first, first.hasPrefix("# args:") else { return [] }
    return first.dropFirst("# args:".count).split(separator: " ").map(String.init)
}

@Test(arguments: goldenCases())
func golden(_ c: GoldenCase) throws {
    var extra: [String] = []
    var sample: String?
    if c.script.hasPrefix("scripts/") {
        sample = try freshSample.get()
        extra = ["-p", "data=\(sample!)"]
    }
    let run = try runRepl([c.script] + (try arguments(of: c.script)) + extra)
    var actual = transcript(run)
    if let sample { actual = actual.replacingOccurrences(of: sample, with: "data/sample.csv") }
    let expectedURL = packageRoot.appendingPathComponent(c.expected)
    if ProcessInfo.processInfo.environment["RECSCRIPT_RECORD"] == "1" {
        try FileManager.default.createDirectory(at: expectedURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        // Recording is deliberate and never passes: a run with the variable set (in CI, say)
        // fails instead of rewriting the expectation it should check.
        Issue.record("recorded \(c.expected); run again without RECSCRIPT_RECORD to check it")
        return
    }
    guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
        Issue.record("no expectation at \(c.expected); record it with RECSCRIPT_RECORD=1 swift test --filter golden")
        return
    }
    #expect(actual == expected, "\(c.script) differs from \(c.expected)")
}
