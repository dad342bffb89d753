// Demo driver for LineEditor, standing in for the real repl until it lands: it behaves like
// a repl's interactive loop (prompt "> ", "...> " after a line ending in "\", echo of each
// statement as `you typed: ...`, history in $RECSCRIPT_HISTORY or ~/.recscript_history) so
// that Tests/ReplTests/LineEditorTests.swift can drive it in tmux.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Words the demo completes, a few repl commands.
let demoWords = ["describe", "filter", "fit", "head", "help", "histogram", "history", "load",
                 "sample", "save"]

/// Completes the word (run of non-blanks) that ends at the cursor from `demoWords`.
func demoComplete(line: String, cursor: Int) -> CompletionResult {
    let bytes = Array(line.utf8.prefix(cursor))
    let start = (bytes.lastIndex(where: { $0 == 0x20 || $0 == 0x09 }) ?? -1) + 1
    let word = String(decoding: bytes[start...], as: UTF8.self)
    return CompletionResult(start: start, candidates: demoWords.filter { $0.hasPrefix(word) })
}

func historyPath() -> String? {
    if let path = getenv("RECSCRIPT_HISTORY") { return String(cString: path) }
    guard let home = getenv("HOME") else { return nil }
    return String(cString: home) + "/.recscript_history"
}

func runDemo() {
    guard isatty(STDIN_FILENO) == 1 else {
        while let line = readLine() { print("you typed: \(line)") }
        return
    }
    let editor = LineEditor(historyFile: historyPath(), completer: demoComplete)
    var statement: [String] = []
    loop: while true {
        switch editor.readLine(prompt: statement.isEmpty ? "> " : "...> ") {
        case .endOfFile:
            break loop
        case .interrupt:
            statement.removeAll()
        case .line(let line):
            if line.hasSuffix("\\") {
                statement.append(String(line.dropLast()))
                continue
            }
            statement.append(line)
            let text = statement.joined(separator: "\n")
            statement.removeAll()
            guard text.contains(where: { !$0.isWhitespace }) else { continue }
            editor.addHistory(text)
            print("you typed: \(text)")
        }
    }
    editor.saveHistory()
}

runDemo()
