import Testing
import Interpreter

@Suite struct HelpTests {
    @Test func helpListsEveryCommandByFamily() {
        let s = Session()
        #expect(s.run("help") == .ok)
        let text = HelpText.index(CommandRegistry.standard)
        #expect(s.output == [text])
        for name in CommandRegistry.standard.names { #expect(text.contains("\n  \(name) ")) }
        for family in ["Data", "Exploration", "Modelling", "Session", "Interactive session"] {
            #expect(text.contains("\n\(family)\n"))
        }
    }

    @Test(arguments: CommandRegistry.standard.names)
    func helpForACommandIsItsHelpText(_ name: String) throws {
        let s = Session()
        #expect(s.run("help \(name)") == .ok)
        let spec = try #require(CommandRegistry.standard[name])
        #expect(s.output == [HelpText.text(spec)])
        #expect(s.output[0].hasPrefix("usage: \(spec.usage)\n\n\(spec.summary)\n"))
    }

    @Test func helpLoadShowsItsUsageOptionsAndExamples() throws {
        let s = Session()
        s.run("help load")
        let text = s.output[0]
        #expect(text.hasPrefix("usage: load <path> [rows=n] [columns=[columns]] [sep=text] [header=true|false] [names=[columns]] [types=[\"column:type\", ...]] [on_error=fail|skip|null]\n"))
        #expect(text.contains("\noptions:\n"))
        #expect(text.contains("  rows=n "))
        #expect(text.contains("(default: all)"))
        #expect(text.contains("\nexamples:\n  listens = load \"data/sample.csv\"\n"))
        #expect(text.contains("\nreturns: a frame\n"))
    }

    @Test func helpAcceptsAQuotedTopicAndSyntax() {
        let s = Session()
        #expect(s.run("help \"fit\"\nhelp syntax") == .ok)
        #expect(s.output == [HelpText.text(CommandRegistry.standard["fit"]!), HelpText.syntax + "\n"])
    }

    @Test func helpForAnUnknownTopicSuggests() {
        let s = Session()
        #expect(s.run("help lod") == .runtimeError)
        #expect(s.diagnostics == ["1:6: no help for 'lod'; did you mean 'load'?"])
        #expect(s.notes == [["'help' lists the commands"]])
        let t = Session()
        t.run("help syntx")
        #expect(t.diagnostics == ["1:6: no help for 'syntx'; did you mean 'syntax'?"])
    }

    @Test func helpTakesAName() {
        let s = Session()
        #expect(s.run("help 5") == .runtimeError)
        #expect(s.diagnostics == ["1:6: help takes a command name, such as 'help load'"])
    }

    @Test func usageLines() {
        let registry = CommandRegistry.standard
        #expect(registry["head"]!.usage == "head <frame> [n]")
        #expect(registry["split"]!.usage == "a, b = split <frame> [by <row|user|time|user_time>] [ratio=x] [last=n] [seed=n]")
        #expect(registry["fit"]!.usage == "fit <model> on <frame> [options of the model]")
        #expect(registry["fit"]!.usage(in: registry["fit"]!.variant("baseline")) == "fit baseline on <frame> [reg_user=x] [reg_item=x] [epochs=n]")
        #expect(registry["recommend"]!.usage == "recommend <model> [to <\"path\">] [user=n] [users=all|value] [history=value] [top=n] [exclude_seen=true|false] [fallback=none|popular] [columns=[columns]]")
    }

    @Test func markdownHelpWrapsTheText() {
        let spec = CommandRegistry.standard["shape"]!
        #expect(HelpText.markdown(spec) == "### shape\n\n```text\n" + HelpText.text(spec) + "```\n")
    }
}

@Suite struct MetaCommandTests {
    @Test func timerTurnsTimingsOnAndOff() {
        let s = Session()
        #expect(s.interpreter.runMeta(":timer on") == .handled)
        #expect(s.interpreter.showTimings)
        s.run("print 1")
        let messages = s.sink.events.compactMap { if case .message(let m) = $0 { m } else { nil } }
        #expect(messages.count == 2 && messages[0] == "timer on")
        #expect(messages[1].hasPrefix("(") && (messages[1].hasSuffix(" ms)") || messages[1].hasSuffix(" s)")))
        #expect(s.interpreter.runMeta(":timer off") == .handled)
        #expect(!s.interpreter.showTimings)
    }

    @Test func formatQuitAndErrors() {
        let s = Session()
        #expect(s.interpreter.runMeta(":format json") == .format("json"))
        #expect(s.interpreter.runMeta(":quit") == .quit)
        #expect(s.interpreter.runMeta(":q") == .quit)
        #expect(s.interpreter.runMeta(":format xml") == .handled)
        #expect(s.interpreter.runMeta(":timer maybe") == .handled)
        #expect(s.interpreter.runMeta(":tmier on") == .handled)
        #expect(s.diagnostics == [
            "-: usage: :format table|json|csv|markdown",
            "-: usage: :timer on|off",
            "-: unknown meta command ':tmier'; did you mean ':timer'?",
        ])
    }

    @Test func varsListsTheVariables() {
        let s = Session()
        #expect(s.interpreter.runMeta(":vars") == .handled)
        #expect(s.output == ["no variables yet; assign one with name = command ...\n"])
        s.set("b", .int(2))
        s.set("a", .string("x"))
        #expect(s.interpreter.runMeta(":vars") == .handled)
        #expect(s.lastTable?.rows == [[.string("a"), .string("\"x\"")], [.string("b"), .string("2")]])
    }

    @Test func helpIsTheIndex() {
        let s = Session()
        #expect(s.interpreter.runMeta(":help") == .handled)
        #expect(s.output == [HelpText.index(CommandRegistry.standard)])
    }
}
