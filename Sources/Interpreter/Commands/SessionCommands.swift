// Commands about the session itself: help, print.

import Frame
import RecScript

/// help, print.
enum SessionCommands {
    static let all: [CommandSpec] = [help, print]

    static let help = CommandSpec(
        name: "help", category: .session, summary: "list the commands, or explain one",
        positionals: [.optional("topic", .word, "a command name, or 'syntax'")],
        examples: ["help", "help fit", "help syntax"],
        results: 0, returns: "nothing"
    ) { inv throws(RuntimeError) in
        let registry = inv.interpreter.registry
        guard let e = inv.expression("topic") else { return CommandResult([], display: .text(HelpText.index(registry))) }
        guard let topic = ArgumentBinder.word(e) else {
            throw RuntimeError("help takes a command name, such as 'help load'", at: e.range)
        }
        if topic == "syntax" { return CommandResult([], display: .text(HelpText.syntax)) }
        guard let spec = registry[topic] else {
            throw RuntimeError("no help for '\(topic)'\(Suggestions.didYouMean(topic, in: registry.names + ["syntax"]))",
                               at: e.range, notes: ["'help' lists the commands"])
        }
        return CommandResult([], display: .text(HelpText.text(spec)))
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
}
