// Meta commands of an interactive session: lines starting with ':' that talk about the
// session rather than the data (:help, :vars, :timer, :format, :save, :quit).

import Frame
import RecScript

/// What a meta command asks of the host program.
package enum MetaOutcome: Equatable {
    /// Done; nothing for the host to do.
    case handled
    /// Leave the session.
    case quit
    /// Switch the output format to this name.
    case format(String)
}

/// Output formats a session can switch between.
package let outputFormats = ["table", "json", "csv", "markdown"]

extension Interpreter {
    /// Meta command names, for completion.
    package static let metaCommandNames = [":help", ":vars", ":timer", ":format", ":save", ":quit"]

    /// Runs a meta command line such as `:timer on`.
    package func runMeta(_ line: String) -> MetaOutcome {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first else { return .handled }
        let args = Array(words.dropFirst())
        func usage(_ text: String) -> MetaOutcome {
            sink.emit(.diagnostic(.error(text, at: nil), nil))
            return .handled
        }
        switch name {
        case ":help", ":h":
            sink.emit(.result(.text(HelpText.index(registry)), StatementInfo(source: line, line: 1, seconds: 0)))
        case ":quit", ":q", ":exit":
            return .quit
        case ":vars":
            let names = variables.keys.sorted()
            if names.isEmpty {
                sink.emit(.result(.text("no variables yet; assign one with name = command ..."),
                                  StatementInfo(source: line, line: 1, seconds: 0)))
            } else {
                let table = Table(columns: [TableColumn("name", alignment: .left), TableColumn("value", alignment: .left)],
                                  rows: names.map { [.string($0), .string(variables[$0]!.brief)] })
                sink.emit(.result(.table(table), StatementInfo(source: line, line: 1, seconds: 0)))
            }
        case ":timer":
            guard args.count == 1, args[0] == "on" || args[0] == "off" else { return usage("usage: :timer on|off") }
            showTimings = args[0] == "on"
            sink.emit(.message("timer \(args[0])"))
        case ":format":
            guard args.count == 1, outputFormats.contains(args[0]) else {
                return usage("usage: :format \(outputFormats.joined(separator: "|"))")
            }
            return .format(args[0])
        case ":save":
            saveHistory(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces), usage: usage)
        default:
            let hint = Suggestions.didYouMean(name, in: Self.metaCommandNames)
            return usage("unknown meta command '\(name)'\(hint.isEmpty ? "; :help lists them" : hint)")
        }
        return .handled
    }

    /// `:save "file.rec"`: writes the statements that ran without error as a script. `log`
    /// statements are left out, so running the script does not overwrite the session's log.
    private func saveHistory(_ argument: String, usage: (String) -> MetaOutcome) {
        var path = argument
        if path.count >= 2, let q = path.first, q == "\"" || q == "'", path.last == q { path = String(path.dropFirst().dropLast()) }
        guard !path.isEmpty else { _ = usage("usage: :save \"file.rec\""); return }
        let statements = history.filter { !($0.hasPrefix("log ") || $0 == "log") }
        var text = "## Saved from a RecScript \(recScriptVersion) session\n"
        text += statements.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        do throws(ReportError) {
            try AtomicWrite.write(text, to: path)
            sink.emit(.message("saved \(NumberFormat.count(statements.count, "statement")) to \(path)"))
        } catch {
            sink.emit(.diagnostic(.error(error.message, at: nil), nil))
        }
    }
}
