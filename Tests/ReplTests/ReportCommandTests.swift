// repl --report and --check end to end: the report files, the terminal output still shown,
// unchanged reruns passing the check, changed numbers listed, unwritable paths exiting 74
// without a partial file, and the HTML report rendered by headless Chromium.

import Foundation
import Testing

/// A fresh directory under the system's temporary directory.
private func scratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repl-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A script over the tiny fixture with a heading, tables, a text result and a plot.
private let reportScript = """
## Tiny report
x = load "Tests/ReplTests/Golden/fixtures/tiny.csv"
## Tables
describe x columns=[ts_listen, is_listened]
plot hist x.ts_listen bins=4
print "done"
"""

@Suite struct ReportCommandTests {
    @Test func htmlReportIsWrittenAndTheTerminalStillShowsTheOutput() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("r.rec")
        try reportScript.write(to: script, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("r.html")
        let run = try runRepl([script.path, "--report", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("distribution of ts_listen"))
        #expect(run.stdout.contains("done"))
        #expect(run.stderr == "repl: wrote the report \(out.path)\n")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("<a href=\"#tables\">Tables</a>"))
        #expect(html.contains("<svg xmlns="))
        #expect(html.contains("<td>script</td><td>\(script.path), "))
    }

    @Test func checkPassesOnAnUnchangedRerunAndListsChangedNumbers() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("r.rec")
        try reportScript.write(to: script, atomically: true, encoding: .utf8)
        let expected = dir.appendingPathComponent("expected.md")
        let first = try runRepl([script.path, "--report", expected.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("and 1 figure in expected_files/"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("expected_files/figure-1.svg").path))

        let same = try runRepl([script.path, "--check", expected.path])
        #expect(same.status == 0, "\(same.stdout)")
        #expect(same.stdout.hasPrefix("no differences from \(expected.path)"))

        // Someone edits the expected numbers: the mean of is_listened and a histogram count.
        var text = try String(contentsOf: expected, encoding: .utf8)
        let mean = try #require(text.range(of: "| is_listened | 20 | 0 | 0.6 |"))
        text.replaceSubrange(mean, with: "| is_listened | 20 | 0 | 0.6001 |")
        let count = try #require(text.range(of: "| 1480000855 | 1480001140 | 5 |"))
        text.replaceSubrange(count, with: "| 1480000855 | 1480001140 | 6 |")
        try text.write(to: expected, atomically: true, encoding: .utf8)

        let changed = try runRepl([script.path, "--check", expected.path])
        #expect(changed.status == 1)
        let lines = changed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("line 4 (describe x columns=[ts_listen, is_listened]), table 1, row 2, column 'mean': expected '0.6001', found '0.6'"))
        #expect(lines.contains("line 5 (plot hist x.ts_listen bins=4), table 1, row 4, column 'count': expected '6', found '5'"))
        #expect(lines.last == "2 differences from \(expected.path)")

        // A looser tolerance accepts the small change only.
        let loose = try runRepl([script.path, "--check", expected.path, "--tolerance", "0.001"])
        #expect(loose.status == 1)
        #expect(loose.stdout.hasSuffix("1 difference from \(expected.path)\n"))
    }

    @Test func unwritableReportExits74AndLeavesNoFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("r.rec")
        try reportScript.write(to: script, atomically: true, encoding: .utf8)
        let missing = dir.appendingPathComponent("no/such/dir/r.html").path
        let run = try runRepl([script.path, "--report", missing])
        #expect(run.status == 74)
        #expect(run.stderr.contains("repl: cannot write '\(missing)': directory"))
        let readOnly = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o555])
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        let locked = try runRepl([script.path, "--report", readOnly.appendingPathComponent("r.md").path])
        if getuid() != 0 {
            // Root writes anywhere, so only an ordinary user sees the permission error.
            #expect(locked.status == 74)
        }
        if getuid() != 0 { #expect(try FileManager.default.contentsOfDirectory(atPath: readOnly.path).isEmpty) }
        // Nothing of the failed report is left: no file, no temporary, no figure folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["locked", "r.rec"])
    }

    @Test(arguments: [
        (["x.rec", "--report", "out.pdf"], "--report writes .html or .md files, not 'out.pdf'"),
        (["x.rec", "--check", "expected.html"], "--check compares with a Markdown report (.md)"),
        (["--report", "out.html"], "--report needs a script file"),
        (["x.rec", "--report", "a.html", "--check", "b.md"], "give --report or --check, not both"),
        (["x.rec", "--check", "b.md", "--tolerance=-1"], "--tolerance must be a number >= 0"),
    ])
    func badReportFlagsAreUsageErrors(arguments: [String], message: String) throws {
        let run = try runRepl(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func checkAgainstSomethingThatIsNotAReport() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("r.rec")
        try "print 1\n".write(to: script, atomically: true, encoding: .utf8)
        let notes = dir.appendingPathComponent("notes.md")
        try "# just notes\n".write(to: notes, atomically: true, encoding: .utf8)
        #expect(try runRepl([script.path, "--check", notes.path]).status == 64)
        #expect(try runRepl([script.path, "--check", dir.appendingPathComponent("none.md").path]).status == 74)
    }

    /// Renders the HTML report of scripts/eda.rec-like content with headless Chromium and checks
    /// the screenshot is a real, non-blank image. `make deps` installs chromium.
    @Test func headlessChromiumRendersTheHTMLReport() throws {
        let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "chromium is not installed; make deps installs it (Debian package chromium)")
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("r.rec")
        try reportScript.write(to: script, atomically: true, encoding: .utf8)
        let html = dir.appendingPathComponent("r.html")
        #expect(try runRepl([script.path, "--report", html.path]).status == 0)
        let png = dir.appendingPathComponent("r.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--screenshot=\(png.path)", "--window-size=1200,2000", html.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let data = try Data(contentsOf: png)
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        #expect(Array(data.prefix(8)) == signature, "a PNG file")
        // IHDR: width and height, big-endian, at bytes 16..<24.
        func be32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(String(decoding: data[12..<16], as: UTF8.self) == "IHDR")
        #expect(be32(16) == 1200 && be32(20) == 2000)
        // An all-white 1200 × 2000 screenshot compresses to a few kilobytes; text, tables and
        // a chart take tens of kilobytes.
        #expect(data.count > 30_000, "the screenshot looks blank: \(data.count) bytes")
    }
}
