// The interactive repl driven as a person would: the built `repl` runs in tmux, keys go in,
// the screen comes back. Prompt "rec> ", continuation "...> ", history in $RECSCRIPT_HISTORY.
import Foundation
import Testing

/// One run of the built repl in tmux, with a private HOME (so no ~/.editrc applies) that
/// holds the history file ($RECSCRIPT_HISTORY).
struct InteractiveRepl {
    let tmux: Tmux
    let home: URL
    var historyFile: URL { home.appendingPathComponent("history") }

    /// Starts the repl with `arguments` in `home` (a new temporary directory when nil) and
    /// waits for `prompt`.
    static func start(arguments: [String] = [], home: URL? = nil, term: String? = nil,
                      environment: [String: String] = [:], prompt: String = "rec> ") async throws -> InteractiveRepl {
        let home = try home ?? makeHome()
        let binary = try BuiltProduct.path("repl", overrideVariable: "REPL_BINARY")
        var variables = ["HOME": home.path,
                         "RECSCRIPT_HISTORY": home.appendingPathComponent("history").path,
                         "NO_COLOR": "1"]
        variables.merge(environment) { _, new in new }
        let tmux = try Tmux(command: [binary] + arguments, environment: variables, term: term)
        let repl = InteractiveRepl(tmux: tmux, home: home)
        try await repl.waitForPrompt(prompt)
        return repl
    }

    static func makeHome() throws -> URL {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("recscript-home-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home
    }

    /// Waits until the last non-blank row is exactly `line`: a prompt and what was typed after it.
    @discardableResult
    func waitForPrompt(_ line: String) async throws -> String {
        try await tmux.waitForLastLine(line)
    }

    /// Ends the session with ^D on an empty line and expects a clean exit.
    func quit(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try tmux.sendKeys("C-d")
        let status = try await tmux.waitForExit()
        let screen = try tmux.capture()
        #expect(status == 0, "exit status \(status), screen:\n\(screen)", sourceLocation: sourceLocation)
    }
}

private extension InteractiveRepl {
    /// Types a statement, presses Enter, and waits for `output` and the next prompt.
    func enter(_ line: String, expecting output: String) async throws {
        try tmux.typeText(line)
        try tmux.sendKeys("Enter")
        try await tmux.waitFor(output)
        try await waitForPrompt("rec> ")
    }
}

@Suite("interactive repl in tmux", .serialized)
struct LineEditorTests {
    @Test("Enter runs the edited line", arguments: [nil, "xterm-256color", "tmux-256color"])
    func enterRunsTheLine(term: String?) async throws {
        let repl = try await InteractiveRepl.start(term: term)
        try await repl.enter("print 6 * 7", expecting: "\n42\n")
        try await repl.quit()
    }

    @Test("multi-byte characters move and delete as one character")
    func multiByteEditing() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("print \"añb€c")
        // Left Left: between b and €. BSpace: drop b. C-b: before ñ. C-d: drop ñ.
        try repl.tmux.sendKeys("Left", "Left", "BSpace", "C-b", "C-d")
        try repl.tmux.typeText("Z")
        try repl.tmux.sendKeys("C-e")
        try repl.tmux.typeText("\"")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("\naZ€c\n")
    }

    @Test("Tab with one candidate completes the command and adds a space")
    func tabSingleCandidate() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("pri")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> print")
        try repl.tmux.typeText("\"done\"")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("\ndone\n")
    }

    @Test("Tab completes the word before the cursor, mid-line")
    func tabMidLine() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("pri 10")
        try repl.tmux.sendKeys("C-a", "C-f", "C-f", "C-f", "Tab")
        try await repl.waitForPrompt("rec> print 10")  // the space after the cursor is reused
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("\n10\n")
    }

    @Test("Tab with several candidates inserts their common prefix, then lists them")
    func tabSeveralCandidates() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("f")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> fi")
        try repl.tmux.sendKeys("Tab")  // nothing more in common: list, then redraw the line
        try await repl.tmux.waitFor("filter")
        let screen = try await repl.waitForPrompt("rec> fi")
        let rows = screen.split(separator: "\n").map(String.init)
        let listing = try #require(rows.firstIndex { $0.contains("filter") })
        #expect(rows[listing].contains("fit"), "candidates side by side in columns: \(screen)")
        #expect(rows.lastIndex(of: "rec> fi") == listing + 1)
    }

    @Test("Tab knows the context: options, choices, variables, columns, paths, meta commands")
    func tabInContext() async throws {
        let home = try InteractiveRepl.makeHome()
        let csv = home.appendingPathComponent("listens.csv")
        try "user_id,media_id,is_listened\n1,10,1\n2,11,0\n1,11,1\n2,10,1\n".write(to: csv, atomically: true, encoding: .utf8)
        let repl = try await InteractiveRepl.start(home: home)
        // A file path inside a string.
        try repl.tmux.typeText("listens = load \"\(home.path)/lis")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> listens = load \"\(csv.path)\"")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("4 rows × 3 columns")
        try await repl.waitForPrompt("rec> ")
        // A variable for a frame argument, then an option name.
        try repl.tmux.typeText("train, test = split lis")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> train, test = split listens")
        try repl.tmux.typeText("ra")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> train, test = split listens ratio=")
        try repl.tmux.sendKeys("C-u")
        // Columns after `frame.` and inside a column list.
        try repl.tmux.typeText("print listens.med")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> print listens.media_id")
        try repl.tmux.sendKeys("C-u")
        try repl.tmux.typeText("describe listens columns=[is_")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> describe listens columns=[is_listened")
        try repl.tmux.sendKeys("C-u")
        // A model name after fit, and a meta command.
        try repl.tmux.typeText("m = fit bas")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> m = fit baseline")
        try repl.tmux.sendKeys("C-u")
        try repl.tmux.typeText(":ti")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("rec> :timer")
        try repl.tmux.sendKeys("C-u")
        try await repl.quit()
    }

    @Test("Tab on a word nobody completes changes nothing")
    func tabNoCandidate() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("zz")
        try repl.tmux.sendKeys("Tab")
        try repl.tmux.typeText("q")
        try await repl.waitForPrompt("rec> zzq")
    }

    @Test("history survives a restart: Up recalls, C-r searches")
    func historyAcrossRestart() async throws {
        let first = try await InteractiveRepl.start()
        try await first.enter("alpha = 17", expecting: "rec> alpha = 17")
        try await first.enter("print alpha + 1", expecting: "\n18\n")
        try await first.enter("print \"zebra\"", expecting: "\nzebra\n")
        try await first.quit()
        first.tmux.kill()
        let saved = try String(contentsOf: first.historyFile, encoding: .utf8)
        #expect(saved.contains("alpha"), "libedit's history file keeps the entries: \(saved)")

        let second = try await InteractiveRepl.start(home: first.home)
        try second.tmux.sendKeys("Up")
        try await second.waitForPrompt("rec> print \"zebra\"")
        try second.tmux.sendKeys("Up")
        try await second.waitForPrompt("rec> print alpha + 1")
        try second.tmux.sendKeys("Down", "Down")  // back past the newest entry: an empty line
        try await second.waitForPrompt("rec> ")

        try second.tmux.sendKeys("C-r")
        try second.tmux.typeText("pha = ")
        try await second.tmux.waitFor("alpha = 17")
        try second.tmux.sendKeys("Enter")  // ends the search and runs the found line
        try await second.waitForPrompt("rec> ")
        try await second.enter("print alpha", expecting: "\n17\n")
    }

    @Test("C-c abandons the line, and a multi-line statement, without ending the session")
    func ctrlC() async throws {
        let repl = try await InteractiveRepl.start()
        try await repl.enter("kept = 5", expecting: "rec> kept = 5")
        try repl.tmux.typeText("print \"half typed")
        try repl.tmux.sendKeys("C-b", "C-c")
        try await repl.tmux.waitFor("rec> print \"half typed^C")
        try await repl.waitForPrompt("rec> ")
        try await repl.enter("print 1", expecting: "\n1\n")  // the line was cleared

        try repl.tmux.typeText("x = [1,")
        try repl.tmux.sendKeys("Enter")
        try await repl.waitForPrompt("...> ")
        try repl.tmux.sendKeys("C-c")
        try await repl.waitForPrompt("rec> ")
        try await repl.enter("print kept", expecting: "\n5\n")  // the statement was reset, the session kept
        #expect(try repl.tmux.exitStatus() == nil)
    }

    @Test("a statement continues over lines while a bracket is open")
    func continuation() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("xs = [1,")
        try repl.tmux.sendKeys("Enter")
        try await repl.waitForPrompt("...> ")
        try repl.tmux.typeText("2]")
        try repl.tmux.sendKeys("Enter")
        try await repl.waitForPrompt("rec> ")
        try await repl.enter("print xs", expecting: "[1, 2]")
    }

    @Test("errors are reported and the session goes on")
    func errorsKeepTheSession() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("descibe nothing")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("did you mean 'describe'?")
        try await repl.waitForPrompt("rec> ")
        try await repl.enter(":vars", expecting: "no variables yet")
        try repl.tmux.typeText(":quit")
        try repl.tmux.sendKeys("Enter")
        #expect(try await repl.tmux.waitForExit() == 0)
    }

    @Test("C-d deletes a character, and ends the session on an empty line")
    func ctrlD() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("xprint 7")
        try repl.tmux.sendKeys("C-a", "C-d", "Enter")
        try await repl.tmux.waitFor("\n7\n")
        try await repl.waitForPrompt("rec> ")
        try await repl.quit()
    }
}
