// A session under test: an interpreter with a collecting sink, and the events it produced in
// forms a test can compare in one line: diagnostics as `line:col: message`, results as text.

import Frame
import Interpreter
import RecScript

/// Swift Testing has a `SourceLocation` too; the tests mean the language's.
typealias SourceLocation = RecScript.SourceLocation

final class Session {
    let sink = CollectingSink()
    let interpreter: Interpreter

    init(parameters: [String: String] = [:]) {
        interpreter = Interpreter(sink: sink, parameters: parameters)
    }

    /// Runs `text` as a script file.
    @discardableResult
    func run(_ text: String) -> ExitStatus {
        interpreter.runScript(SourceFile(name: "t.rec", text: text))
    }

    /// Runs `text` as an interactive entry.
    @discardableResult
    func enter(_ text: String) -> ExitStatus {
        interpreter.runInteractive(SourceFile(name: "<input>", text: text))
    }

    func set(_ name: String, _ value: Value) { interpreter.setVariable(name, value) }
    func set(_ name: String, _ frame: DataFrame) { interpreter.setVariable(name, .frame(frame)) }

    subscript(name: String) -> Value? { interpreter.variables[name] }

    /// Every diagnostic so far, as `line:col: message` (`-` when unlocated).
    var diagnostics: [String] {
        sink.events.compactMap { event in
            guard case .diagnostic(let d, _) = event else { return nil }
            return "\(d.range.map { "\($0.start)" } ?? "-"): \(d.message)"
        }
    }

    /// The notes of every diagnostic so far.
    var notes: [[String]] {
        sink.events.compactMap { if case .diagnostic(let d, _) = $0 { d.notes } else { nil } }
    }

    /// Every result so far.
    var results: [Presentation] {
        sink.events.compactMap { if case .result(let p, _) = $0 { p } else { nil } }
    }

    /// The statement each result came from.
    var statements: [StatementInfo] {
        sink.events.compactMap { if case .result(_, let info) = $0 { info } else { nil } }
    }

    /// Every result drawn as plain text.
    var output: [String] { results.map { TerminalRenderer(width: 200).render($0) } }

    /// The table of the last result, if it has one.
    var lastTable: Table? {
        for block in results.last?.blocks ?? [] { if case .table(let t) = block { return t } }
        return nil
    }

    /// The key-value pairs of the last result, if it has them.
    var lastValues: [(String, Cell)]? {
        for block in results.last?.blocks ?? [] { if case .keyValues(_, let kv) = block { return kv } }
        return nil
    }
}

extension Value {
    /// The frame held, if any.
    var frame: DataFrame? { if case .frame(let f) = self { f } else { nil } }
}

extension DataFrame {
    /// Column `name` as doubles (NaN for nulls).
    func doubles(_ name: String) -> [Double] { self[name]!.doubleValues()! }
    /// Column `name` as cells.
    func cells(_ name: String) -> [Cell] { let c = self[name]!; return (0..<c.count).map { c[$0] } }
}

/// A small mixed frame: an int, a float column with a null, a string column with a null, a bool.
func mixedFrame() throws -> DataFrame {
    var valid = Bitmap(count: 8, allSet: true)
    valid.clear(5)
    return try DataFrame([
        .integers("user_id", [3, 1, 4, 1, 5, 9, 2, 6]),
        .doubles("score", [2.5, -1, 4, 4, 10, 0, 3.25, 7], validity: valid),
        .strings("genre", ["pop", "rock", nil, "pop", "jazz", "rock", "pop", nil]),
        .bools("liked", [true, false, true, true, false, false, true, false]),
    ])
}
