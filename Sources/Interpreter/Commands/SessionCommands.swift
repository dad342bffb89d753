// Commands about the session itself: help, print, log.

import Frame
import RecScript

/// help, print, log.
enum SessionCommands {
    static let all: [CommandSpec] = [help, print, log]

    static let help = CommandSpec(
        name: "help", category: .session, summary: "list the commands, or explain one",
        positionals: [.optional("topic", .word, "a command name, 'syntax' (the grammar) or 'metrics' (what evaluate measures)"),
                      .optional("form", .word, "one form of a command that has several: help fit als")],
        examples: ["help", "help fit", "help fit als", "help syntax", "help metrics"],
        results: 0, returns: "nothing"
    ) { inv throws(RuntimeError) in
        let registry = inv.interpreter.registry
        guard let e = inv.expression("topic") else { return CommandResult([], display: .text(HelpText.index(registry))) }
        guard let topic = ArgumentBinder.word(e) else {
            throw RuntimeError("help takes a command name, such as 'help load'", at: e.range)
        }
        if topic == "syntax" { return CommandResult([], display: .text(HelpText.syntax)) }
        if topic == "metrics" { return CommandResult([], display: .text(HelpText.metrics)) }
        guard let spec = registry[topic] else {
            throw RuntimeError("no help for '\(topic)'\(Suggestions.didYouMean(topic, in: registry.names + ["syntax", "metrics"]))",
                               at: e.range, notes: ["'help' lists the commands"])
        }
        guard let f = inv.expression("form") else { return CommandResult([], display: .text(HelpText.text(spec))) }
        let names = spec.variants.map(\.name)
        guard let form = ArgumentBinder.word(f), let variant = spec.variant(form) else {
            let word = ArgumentBinder.word(f) ?? inv.interpreter.sourceText(f.range)
            if names.isEmpty {
                throw RuntimeError("'\(topic)' has a single form; help \(topic) explains it", at: f.range)
            }
            throw RuntimeError("'\(topic)' has no form '\(word)'\(Suggestions.didYouMean(word, in: names))", at: f.range,
                               notes: ["forms: \(names.joined(separator: ", "))"])
        }
        return CommandResult([], display: .text(HelpText.text(spec, variant: variant)))
    }

    static let print = CommandSpec(
        name: "print", category: .session, summary: "show a value",
        positionals: [.required("value", .any, "any value: text, a number, a variable")],
        examples: ["print \"AUC of the baseline:\"", "print 0.8 * 100"],
        results: 0, returns: "nothing"
    ) { inv throws(RuntimeError) in
        let v = try inv.value("value") ?? .none
        if case .string(let s) = v { return CommandResult([], display: .text(s)) }
        return CommandResult([], display: Presenter.present(v, name: nil) ?? .text("null"))
    }

    static let log = CommandSpec(
        name: "log", category: .session, summary: "record the session's later statements and their output in a file",
        positionals: [.optional("path", .path, "the file to write; without it, logging stops")],
        details: [
            "Each later statement is written as typed, followed by its output (or its error) as # comment lines, so the log is a transcript that also runs as a script. The file is emptied first and written as the session goes.",
        ],
        examples: ["log \"session.log\"", "log"],
        results: 0, returns: "nothing"
    ) { inv throws(RuntimeError) in
        guard let path = try inv.string("path") else {
            guard let open = inv.interpreter.sessionLog else { return CommandResult([], display: .text("no log is being written")) }
            inv.interpreter.sessionLog = nil
            return CommandResult([], display: .text("stopped logging to \(open.path)"))
        }
        do throws(ReportError) {
            inv.interpreter.sessionLog = try SessionLog(path: path)
        } catch {
            throw RuntimeError(.io, error.message, at: inv.range(of: "path"))
        }
        return CommandResult([], display: .text("logging statements and output to \(path)"))
    }
}
