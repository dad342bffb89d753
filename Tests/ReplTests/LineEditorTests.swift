// The line editor driven as a person would: the built `repl` runs in tmux, keys go in,
// the screen comes back. Until the real repl lands, `repl` is the demo driver in
// Sources/repl/main.swift: prompt "> ", continuation "...> " after a line ending in "\",
// `you typed: <statement>` for each statement, completion of the words describe, filter,
// fit, head, help, histogram, history, load, sample, save, history in $RECSCRIPT_HISTORY.
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
                      environment: [String: String] = [:], prompt: String = "> ") async throws -> InteractiveRepl {
        let home = try home ?? makeHome()
        let binary = try BuiltProduct.path("repl", overrideVariable: "REPL_BINARY")
        var variables = ["HOME": home.path,
                         "RECSCRIPT_HISTORY": home.appendingPathComponent("history").path]
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
    /// Types a line, presses Enter, and waits for the demo's echo of it and the next prompt.
    func enter(_ line: String) async throws {
        try tmux.typeText(line)
        try tmux.sendKeys("Enter")
        try await tmux.waitFor("you typed: \(line)")
        try await waitForPrompt("> ")
    }
}

@Suite("LineEditor in tmux", .serialized)
struct LineEditorTests {
    @Test("Enter returns the edited line", arguments: [nil, "xterm-256color", "tmux-256color"])
    func enterReturnsTheLine(term: String?) async throws {
        let repl = try await InteractiveRepl.start(term: term)
        try repl.tmux.typeText("describe listens")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("you typed: describe listens")
        try await repl.waitForPrompt("> ")
        try await repl.quit()
    }

    @Test("multi-byte characters move and delete as one character")
    func multiByteEditing() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("añb€c")
        // Left Left: between b and €. BSpace: drop b. C-b: before ñ. C-d: drop ñ.
        try repl.tmux.sendKeys("Left", "Left", "BSpace", "C-b", "C-d")
        try repl.tmux.typeText("Z")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("you typed: aZ€c")
    }

    @Test("Tab with one candidate completes the word and adds a space")
    func tabSingleCandidate() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("lo")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("> load")
        try repl.tmux.typeText("x.csv")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("you typed: load x.csv")
    }

    @Test("Tab completes the word before the cursor, mid-line")
    func tabMidLine() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("de 10")
        try repl.tmux.sendKeys("C-a", "C-f", "C-f", "Tab")
        try await repl.waitForPrompt("> describe 10")  // the space after the cursor is reused
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("you typed: describe 10")
    }

    @Test("Tab with several candidates inserts their common prefix, then lists them")
    func tabSeveralCandidates() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("hi")
        try repl.tmux.sendKeys("Tab")
        try await repl.waitForPrompt("> histo")
        try repl.tmux.sendKeys("Tab")  // nothing more in common: list, then redraw the line
        try await repl.tmux.waitFor("histogram")
        let screen = try await repl.waitForPrompt("> histo")
        let rows = screen.split(separator: "\n").map(String.init)
        let listing = try #require(rows.firstIndex { $0.contains("histogram") })
        #expect(rows[listing].contains("history"), "candidates side by side in columns: \(screen)")
        #expect(rows.firstIndex(of: "> histo") == listing - 1)
        #expect(rows.lastIndex(of: "> histo") == listing + 1)
        try repl.tmux.typeText("ry")
        try repl.tmux.sendKeys("Enter")
        try await repl.tmux.waitFor("you typed: history")
    }

    @Test("Tab on a word nobody completes changes nothing")
    func tabNoCandidate() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("zz")
        try repl.tmux.sendKeys("Tab")
        try repl.tmux.typeText("q")
        try await repl.waitForPrompt("> zzq")
    }

    @Test("history survives a restart: Up recalls, C-r searches")
    func historyAcrossRestart() async throws {
        let first = try await InteractiveRepl.start()
        try await first.enter("load listens.csv")
        try await first.enter("head 5")
        try await first.enter("describe listens")
        try await first.quit()
        first.tmux.kill()
        let saved = try String(contentsOf: first.historyFile, encoding: .utf8)
        #expect(saved.contains("listens.csv"))

        let second = try await InteractiveRepl.start(home: first.home)
        try second.tmux.sendKeys("Up")
        try await second.waitForPrompt("> describe listens")
        try second.tmux.sendKeys("Up")
        try await second.waitForPrompt("> head 5")
        try second.tmux.sendKeys("Down", "Down")  // back past the newest entry: an empty line
        try await second.waitForPrompt("> ")

        try second.tmux.sendKeys("C-r")
        try second.tmux.typeText("ns.c")
        try await second.tmux.waitFor("load listens.csv")
        try second.tmux.sendKeys("Enter")  // ends the search and enters the found line
        try await second.tmux.waitFor("you typed: load listens.csv")
    }

    @Test("C-c abandons the line, and a multi-line statement, without ending the process")
    func ctrlC() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("describe half typed")
        try repl.tmux.sendKeys("C-b", "C-c")
        try await repl.tmux.waitFor("> describe half typed^C")
        try await repl.waitForPrompt("> ")
        try await repl.enter("help")  // not "describe half typedhelp": the line was cleared

        try repl.tmux.typeText("load \\")
        try repl.tmux.sendKeys("Enter")
        try await repl.waitForPrompt("...> ")
        try repl.tmux.sendKeys("C-c")
        try await repl.waitForPrompt("> ")
        try await repl.enter("head")  // not "load \nhead": the statement was reset
        #expect(try repl.tmux.exitStatus() == nil)
    }

    @Test("C-d deletes a character, and ends the session on an empty line")
    func ctrlD() async throws {
        let repl = try await InteractiveRepl.start()
        try repl.tmux.typeText("xhead")
        try repl.tmux.sendKeys("C-a", "C-d", "Enter")
        try await repl.tmux.waitFor("you typed: head")
        try await repl.waitForPrompt("> ")
        try await repl.quit()
    }
}
