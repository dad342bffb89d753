// The interactive line editor: libedit's native API (el_gets, history) with emacs key
// bindings, a persistent capped history, Ctrl-R incremental search, Tab completion through
// a caller-supplied completer, and Ctrl-C that clears the line instead of killing the process.
//
// Invariants: the terminal is in its original mode whenever readLine is not running (raw mode
// is entered just before el_gets, which leaves it on return, and el_end restores the settings
// found at init); the history holds at most historyLimit entries, so the saved file does too.
// The file is written by saveHistory and on deinit: a caller that exits the process while the
// editor is alive (exit() skips deinit) calls saveHistory first.
import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one call to `LineEditor.readLine` produced.
enum LineEditorEvent: Equatable {
    /// A line the user entered with Enter, without its newline.
    case line(String)
    /// Ctrl-C: the line was abandoned; a caller holding a multi-line statement resets it.
    case interrupt
    /// Ctrl-D on an empty line, or the input closed.
    case endOfFile
}

/// A completer's answer for the word being completed.
struct CompletionResult {
    /// UTF-8 byte offset in the line where the replaced word begins.
    var start: Int
    /// Full replacements for the bytes from `start` to the cursor.
    var candidates: [String]
}

/// An emacs-style line editor on libedit, for a terminal on standard input and output.
final class LineEditor {
    /// Called on Tab with the line and the cursor's UTF-8 byte offset.
    typealias Completer = (_ line: String, _ cursor: Int) -> CompletionResult

    /// The program name libedit reads bindings for in ~/.editrc (`recscript:bind ...`).
    private static let programName = "recscript"

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    /// libedit edits only on a terminal; otherwise el_gets reads plain lines.
    private let isInteractive: Bool
    /// Owned here; libedit's callbacks reach it through EL_CLIENTDATA (unretained).
    private let callbackState: LineEditorCallbackState

    /// Sets up libedit on stdin/stdout and loads the history file if it exists.
    ///
    /// Switches LC_CTYPE to the environment's locale (or C.UTF-8 when that is not UTF-8) so
    /// multi-byte characters edit as one character. When stdin is not a terminal libedit
    /// reads plain lines, without editing.
    init(historyFile: String?, historyLimit: Int = 1000, completer: @escaping Completer) {
        _ = recs_locale_use_utf8()
        guard let history = history_init() else {
            fatalError("libedit: history_init failed (out of memory)")
        }
        guard let editLine = recs_el_init(Self.programName) else {
            fatalError("libedit: el_init failed (out of memory)")
        }
        self.history = history
        self.editLine = editLine
        self.historyFile = historyFile.map(Self.expandingTilde)
        self.isInteractive = isatty(STDIN_FILENO) == 1
        self.callbackState = LineEditorCallbackState(completer: completer)

        _ = recs_history_set_size(history, Int32(clamping: max(historyLimit, 0)))
        _ = recs_history_set_unique(history, 1)
        if let file = self.historyFile {
            _ = recs_history_load(history, file)  // a missing file is an empty history
        }

        _ = recs_el_set_clientdata(editLine, Unmanaged.passUnretained(callbackState).toOpaque())
        _ = recs_el_set_editor(editLine, "emacs")
        _ = recs_el_set_signal(editLine, 1)
        _ = recs_el_set_prompt(editLine, lineEditorPrompt)
        _ = recs_el_set_history(editLine, history)
        configureKeys()
        _ = el_source(editLine, nil)  // the user's ~/.editrc may override the bindings
    }

    deinit {
        saveHistory()
        el_end(editLine)
        history_end(history)
    }

    /// Reads one line with `prompt` (pass a continuation prompt such as "...> " for the
    /// following lines of a multi-line statement).
    func readLine(prompt: String) -> LineEditorEvent {
        callbackState.prompt = prompt
        callbackState.interrupted = false
        fflush(nil)  // output printed before the prompt must precede it
        while true {
            if isInteractive {
                // libedit prints the prompt, then enters raw mode: keys typed in between were
                // echoed by the tty and ^C raised SIGINT. Enter raw mode before the prompt.
                _ = recs_el_prepare_terminal(editLine, 1)
            }
            var count: Int32 = 0
            let text = el_gets(editLine, &count)
            if callbackState.interrupted {
                callbackState.interrupted = false
                return .interrupt
            }
            guard let text else {
                // A signal libedit does not handle itself interrupted the read: read a fresh line.
                if count == -1 && errno == EINTR { continue }
                if isInteractive {
                    writeOutput("\n")  // after libedit's "^D", give the shell prompt its own line
                }
                return .endOfFile
            }
            var line = String(cString: text)
            if line.hasSuffix("\n") { line.removeLast() }
            return .line(line)
        }
    }

    /// Adds a whole statement to the history; blank entries and repeats of the newest are skipped.
    func addHistory(_ entry: String) {
        guard entry.contains(where: { !$0.isWhitespace }) else { return }
        _ = recs_history_enter(history, entry)
    }

    /// Writes the history (at most historyLimit entries) to the history file, if there is one.
    /// Returns false when the file could not be written.
    @discardableResult
    func saveHistory() -> Bool {
        guard let file = historyFile else { return true }
        return recs_history_save(history, file) >= 0
    }

    /// Number of entries in the history.
    var historyCount: Int { Int(recs_history_count(history)) }

    // MARK: - Setup

    /// Emacs bindings plus the editor's own commands. libedit's emacs map binds ^R to
    /// ed-redisplay and ^C to ed-tty-sigint (a no-op); the repl wants search and interrupt.
    private func configureKeys() {
        // ^C reaches the editor as a character instead of raising SIGINT while a line is being
        // edited: "-intr" disables the tty's intr character in libedit's editing mode only, so
        // ^Z, ^\ and ^C while a command runs keep their usual meaning. ("intr=" is not enough:
        // libedit rebuilds the editing mode's characters from its masks on entering raw mode.)
        _ = recs_el_set_tty(editLine, "-d", "-intr")
        _ = recs_el_add_function(editLine, "rs-complete", "complete the word before the cursor",
                                 lineEditorComplete)
        _ = recs_el_add_function(editLine, "rs-interrupt", "abandon the line (like ^C in a shell)",
                                 lineEditorInterrupt)
        let bindings: [(key: String, command: String)] = [
            ("^I", "rs-complete"),
            ("^C", "rs-interrupt"),
            ("^R", "em-inc-search-prev"),
            ("^S", "em-inc-search-next"),
        ]
        for binding in bindings {
            _ = recs_el_bind(editLine, binding.key, binding.command)
        }
    }

    private func writeOutput(_ text: String) {
        guard let output = recs_el_output(editLine) else { return }
        fputs(text, output)
        fflush(output)
    }

    private static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }
}
