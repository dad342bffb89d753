// libedit's callbacks are C function pointers that cannot capture context. Their state lives
// in one object that the LineEditor owns and hands to libedit as EL_CLIENTDATA; each callback
// below is a global function (convertible to @convention(c)) that fetches it from the
// EditLine it is called with. No Swift global is involved, so nothing is nonisolated(unsafe).
import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the C callbacks of one LineEditor read and write.
final class LineEditorCallbackState {
    let completer: LineEditor.Completer
    /// Set by ^C; readLine turns the line it then gets into `.interrupt`.
    var interrupted = false
    /// The prompt, as the C string libedit's prompt callback returns.
    private(set) var promptText: UnsafeMutablePointer<CChar>?

    var prompt: String = "" {
        didSet {
            free(promptText)
            promptText = strdup(prompt)
        }
    }

    init(completer: @escaping LineEditor.Completer) {
        self.completer = completer
        self.promptText = strdup("")
    }

    deinit { free(promptText) }

    /// The state registered on `editLine` by LineEditor.init.
    static func of(_ editLine: OpaquePointer?) -> LineEditorCallbackState? {
        guard let editLine, let data = recs_el_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditorCallbackState>.fromOpaque(data).takeUnretainedValue()
    }
}

/// The line being edited: UTF-8 text, the cursor as a byte offset, and wide-character counts
/// (libedit's el_cursor and el_deletestr count wchar_t, which is a Unicode scalar here).
private struct EditedLine {
    var text: String
    var cursor: Int
    var scalarsBeforeCursor: Int
    var scalarsAfterCursor: Int

    init(_ editLine: OpaquePointer) {
        let info = el_line(editLine)!.pointee
        let length = info.lastchar - info.buffer
        text = info.buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        cursor = info.cursor - info.buffer
        let wide = el_wline(editLine)!.pointee
        scalarsBeforeCursor = wide.cursor - wide.buffer
        scalarsAfterCursor = wide.lastchar - wide.cursor
    }
}

/// EL_PROMPT: the prompt readLine was given.
func lineEditorPrompt(_ editLine: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    LineEditorCallbackState.of(editLine)?.promptText
}

/// rs-interrupt (^C): marks the line abandoned, shows "^C" after it and ends it, so the
/// terminal reads `> half typed^C` and the next prompt starts on a fresh line.
func lineEditorInterrupt(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editLine, let state = LineEditorCallbackState.of(editLine) else {
        return UInt8(CC_ERROR)
    }
    state.interrupted = true
    let line = EditedLine(editLine)
    _ = el_cursor(editLine, Int32(clamping: line.scalarsAfterCursor))
    _ = el_insertstr(editLine, "^C")
    // ed-newline moves below a wrapped line before the newline; a custom command returning
    // CC_NEWLINE would leave the terminal cursor mid-line. So push a newline and let it run.
    el_push(editLine, "\n")
    return UInt8(CC_REFRESH)
}

/// rs-complete (Tab): asks the completer, then edits the line or lists the candidates.
func lineEditorComplete(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editLine, let state = LineEditorCallbackState.of(editLine) else {
        return UInt8(CC_ERROR)
    }
    let line = EditedLine(editLine)
    let result = state.completer(line.text, line.cursor)
    switch CompletionAction(result, line: line.text, cursor: line.cursor) {
    case .none:
        return UInt8(CC_ERROR)  // beeps
    case .replace(let scalarsBeforeCursor, let replacement):
        if scalarsBeforeCursor > 0 {
            el_deletestr(editLine, Int32(clamping: scalarsBeforeCursor))
        }
        if !replacement.isEmpty {
            _ = el_insertstr(editLine, replacement)
        }
        return UInt8(CC_REFRESH)
    case .list(let candidates):
        listCandidates(candidates, editLine: editLine, line: line, prompt: state.prompt)
        return UInt8(CC_NORM)
    }
}

/// Prints the candidates in columns below the edited line, then redraws prompt and line
/// under them, as bash does.
private func listCandidates(_ candidates: [String], editLine: OpaquePointer, line: EditedLine,
                            prompt: String) {
    guard let output = recs_el_output(editLine) else { return }
    let width = Int(recs_el_columns(editLine))
    let columns = width > 0 ? width : CompletionListing.fallbackWidth
    // The terminal cursor sits at the line's cursor; get below the last row of a wrapped line.
    let promptWidth = prompt.unicodeScalars.count
    let cursorRow = (promptWidth + line.scalarsBeforeCursor) / columns
    let lastRow = (promptWidth + line.scalarsBeforeCursor + line.scalarsAfterCursor) / columns
    var text = String(repeating: "\n", count: max(lastRow - cursorRow, 0) + 1)
    for row in CompletionListing.rows(candidates, width: columns) {
        text += row + "\n"
    }
    fputs(text, output)
    fflush(output)
    _ = recs_el_redraw(editLine)
}
