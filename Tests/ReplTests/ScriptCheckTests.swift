// The repository's own scripts re-run with `--check` against their committed Markdown reports
// (Tests/ReplTests/Golden/scripts/NAME.md), as a user would check a reproduction. The sample
// they read, data/sample.csv, is regenerated first when it differs from what the current
// generator makes (the generator is deterministic, so this only replaces stale data).
// RECSCRIPT_RECORD=1 rewrites the reports with --report.

import Foundation
import Testing

/// Makes data/sample.csv the current generator's 200,000-row, seed-1 sample.
private func refreshSample() throws {
    let fresh = try freshSample.get()
    let target = packageRoot.appendingPathComponent("data/sample.csv")
    let fm = FileManager.default
    if fm.contentsEqual(atPath: fresh, andPath: target.path) { return }
    try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    let staging = target.deletingLastPathComponent().appendingPathComponent(".sample-\(UUID().uuidString).csv")
    try fm.copyItem(atPath: fresh, toPath: staging.path)
    // rename(2) replaces an existing file atomically and also works when there is none
    // (a fresh clone has no data/sample.csv until make run).
    guard rename(staging.path, target.path) == 0 else {
        try? fm.removeItem(at: staging)
        throw SampleError(message: "cannot move the sample into \(target.path)")
    }
}

private func scripts() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("scripts").path)) ?? []
    return names.filter { $0.hasSuffix(".rec") }.sorted().map { String($0.dropLast(4)) }
}

@Test(arguments: scripts())
func scriptPassesItsCheck(name: String) throws {
    try refreshSample()
    let report = "Tests/ReplTests/Golden/scripts/\(name).md"
    if ProcessInfo.processInfo.environment["RECSCRIPT_RECORD"] == "1" {
        let run = try runRepl(["scripts/\(name).rec", "--report", report])
        #expect(run.status == 0, "\(run.stderr)")
        Issue.record("recorded \(report); run again without RECSCRIPT_RECORD to check it")
        return
    }
    let run = try runRepl(["scripts/\(name).rec", "--check", report])
    #expect(run.status == 0, "scripts/\(name).rec differs from \(report):\n\(run.stdout)\(run.stderr)")
}
