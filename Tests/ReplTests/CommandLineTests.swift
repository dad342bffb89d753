// End-to-end tests of the built `repl` binary: scripts, -c, -p, formats, piped input, exit codes.

import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func commandStatementsRunInOrder() throws {
        let run = try runRepl(["-c", "print 1 + 2; n = 4; print n * 2"])
        #expect(run.status == 0)
        #expect(run.stdout == "3\n8\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func jsonOutputIsOneParsableObjectPerLine() throws {
        let run = try runRepl(["--format", "json", "-c",
                               "x = load \"Tests/ReplTests/Golden/fixtures/tiny.csv\"; describe x; shape x"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        var types: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            types.append(object?["type"] as? String ?? "?")
        }
        #expect(types == ["text", "table", "text"])
        let describe = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        let rows = describe["rows"] as! [[Any]]
        #expect(rows.count == 4)
        #expect((describe["columns"] as! [String]).first == "column")
    }

    @Test func jsonErrorsGoToStandardErrorAsJSON() throws {
        let run = try runRepl(["--format", "json", "-c", "descrbe x"])
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        let object = try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as! [String: Any]
        #expect(object["line"] as? Int == 1)
        #expect(object["column"] as? Int == 1)
        #expect((object["message"] as? String)?.contains("did you mean 'describe'?") == true)
    }

    @Test func misspeltCommandInAScriptExits65AtItsLineAndColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("bad.rec")
        try "print \"start\"\nx = 1\n  shpe x\n".write(to: script, atomically: true, encoding: .utf8)
        let run = try runRepl([script.path])
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty, "nothing runs when the script has errors")
        #expect(run.stderr.hasPrefix("\(script.path):3:3: error: unknown command 'shpe'; did you mean 'shape'?\n"))
        #expect(run.stderr.contains("      shpe x\n      ^~~~\n"))
    }

    @Test func missingScriptFileExits74() throws {
        let run = try runRepl(["no/such/script.rec"])
        #expect(run.status == 74)
        #expect(run.stderr == "repl: cannot read script 'no/such/script.rec': no such file\n")
    }

    @Test(arguments: [
        (["--format", "yaml"], "unknown format 'yaml'"),
        (["-p", "novalue"], "-p takes name=value"),
        (["-c", "print 1", "x.rec"], "not both"),
        (["--width", "5"], "--width must be at least 20"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let run = try runRepl(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains(message))
    }

    @Test func parametersOverrideDefaultsAndUnknownOnesAreUsageErrors() throws {
        let ok = try runRepl(["Tests/ReplTests/Golden/params.rec", "-p", "top=7"])
        #expect(ok.status == 0)
        #expect(ok.stdout == "alice\n14\n0.5\n")
        let bad = try runRepl(["Tests/ReplTests/Golden/params.rec", "-p", "tpo=7"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown parameter 'tpo'; did you mean 'top'?"))
    }

    @Test func pipedInputRunsWithoutPromptsAndSurvivesErrors() throws {
        let input = """
        x = 2
        print x * 21
        describe nothing
        y = [1,
             2]
        print y
        :vars

        """
        let run = try runRepl([], input: input)
        #expect(run.status == 65, "the first failure decides the exit status")
        #expect(run.stdout.hasPrefix("42\n[1, 2]\n"))
        #expect(run.stdout.contains("x     2"))
        #expect(!run.stdout.contains("rec>"))
        #expect(run.stderr.contains("<stdin>:3:10: error: unknown variable 'nothing'"))
    }

    @Test func versionAndHelp() throws {
        let version = try runRepl(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("RecScript "))
        let help = try runRepl(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--format"))
        #expect(help.stdout.contains("Exit codes"))
    }

    @Test func generatorWritesADeterministicSample() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.csv").path, b = dir.appendingPathComponent("b.csv").path
        let p = dir.appendingPathComponent("p.csv").path
        let runA = try runRepl(["--generate", a, "--rows", "3000", "--seed", "5", "--probabilities", p])
        let runB = try runRepl(["--generate", b, "--rows", "3000", "--seed", "5"])
        #expect(runA.status == 0 && runB.status == 0)
        #expect(runA.stdout.hasPrefix("wrote \(a): 3,000 rows"))
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
        let probabilities = try String(contentsOfFile: p, encoding: .utf8).split(separator: "\n")
        #expect(probabilities.count == 3001)
        let loaded = try runRepl(["-c", "x = load \"\(a)\"; types x"])
        #expect(loaded.status == 0)
        #expect(loaded.stdout.contains("3,000 rows × 15 columns"))
        #expect(!loaded.stdout.contains("float64") && !loaded.stdout.contains("string"), "every column is an integer")
        let bad = try runRepl(["--generate", "/no/such/dir/x.csv", "--rows", "10"])
        #expect(bad.status == 74)
        #expect(bad.stderr.hasPrefix("repl: "))
    }
}
