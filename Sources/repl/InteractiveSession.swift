// The interactive loop: read a statement (over several lines while a bracket is open or a
// line ends in '\'), run it, show the result, keep going after errors.
// On a terminal it edits lines with libedit; otherwise it reads standard input plainly,
// without prompts, so another program can drive it through a pipe.

import Foundation
import Interpreter
import RecScript

#if canImport(Glibc)
import Glibc
#endif

/// A session reading statements from the user.
struct InteractiveSession {
    let interpreter: Interpreter
    let sink: ConsoleSink

    static let prompt = "rec> "
    static let continuationPrompt = "...> "
    /// History entries kept in ~/.recscript_history.
    static let historyLimit = 1000

    /// Runs until end of input or `:quit`; returns the exit status.
    func run() -> ExitStatus {
        let isTTY = isatty(STDIN_FILENO) == 1
        if isTTY {
            print("RecScript \(recScriptVersion): type help for the commands, :quit or Ctrl-D to leave.")
            return runEditor()
        }
        return runPiped()
    }

    private func historyPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["RECSCRIPT_HISTORY"] { return path }
        return ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.recscript_history" }
    }

    private func runEditor() -> ExitStatus {
        let completer = Completer(interpreter: interpreter)
        let editor = LineEditor(historyFile: historyPath(), historyLimit: Self.historyLimit) { line, cursor in
            let c = completer.complete(line: line, cursor: cursor)
            return CompletionResult(start: c.start, candidates: c.candidates)
        }
        var buffer: [String] = []
        loop: while true {
            switch editor.readLine(prompt: buffer.isEmpty ? Self.prompt : Self.continuationPrompt) {
            case .endOfFile:
                if !buffer.isEmpty { buffer.removeAll(); continue }
                print("")
                break loop
            case .interrupt:
                buffer.removeAll()
            case .line(let line):
                buffer.append(line)
                let text = buffer.joined(separator: "\n")
                if Parser.isIncomplete(text) { continue }
                buffer.removeAll()
                guard text.contains(where: { !$0.isWhitespace }) else { continue }
                editor.addHistory(text)
                if case .quit = handle(text, name: "<input>", firstLine: 1) { break loop }
            }
        }
        _ = editor.saveHistory()
        return .ok
    }

    private func runPiped() -> ExitStatus {
        var buffer: [String] = []
        var firstFailure: ExitStatus?
        var linesRead = 0
        var entryStart = 1
        func flush() -> Bool {
            let text = buffer.joined(separator: "\n")
            buffer.removeAll()
            guard text.contains(where: { !$0.isWhitespace }) else { return true }
            switch handle(text, name: "<stdin>", firstLine: entryStart) {
            case .quit: return false
            case .continue(let s): if s != .ok && firstFailure == nil { firstFailure = s }
            }
            return true
        }
        while let line = readLine(strippingNewline: true) {
            linesRead += 1
            if buffer.isEmpty { entryStart = linesRead }
            buffer.append(line)
            if Parser.isIncomplete(buffer.joined(separator: "\n")) { continue }
            if !flush() { return firstFailure ?? .ok }
        }
        if !buffer.isEmpty { _ = flush() }
        return firstFailure ?? .ok
    }

    private enum Outcome { case quit, `continue`(ExitStatus) }

    /// Runs one entry: a meta command or statements. `firstLine` is the entry's line in the
    /// input, so that diagnostics of piped input point at the right line.
    private func handle(_ text: String, name: String, firstLine: Int) -> Outcome {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix(":") {
            switch interpreter.runMeta(trimmed) {
            case .quit: return .quit
            case .format(let name):
                sink.format = OutputFormat(rawValue: name)!
                sink.emit(.message("format \(name)"))
            case .handled: break
            }
            return .continue(.ok)
        }
        // Leading newlines place the entry at its line of the input without changing its meaning.
        let placed = String(repeating: "\n", count: max(0, firstLine - 1)) + text
        return .continue(interpreter.runInteractive(SourceFile(name: name, text: placed)))
    }
}
