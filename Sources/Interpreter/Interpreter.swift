// Interpreter: runs parsed programs against a session of variables.
//
// A script runs in two phases. First every statement is checked without running anything:
// commands and options exist, arguments fit their parameters, variables are assigned before
// use; all such errors are reported and the script exits 65. Then statements run in order,
// and the first runtime error stops the script (exit 70, or 74 for a file problem).
// Interactively, each entry is checked and run the same way, and the session survives errors.

import Foundation
import Frame
import Learn
import RecScript

/// How a run ended, as a process exit code.
package enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// Wrong command-line usage.
    case usage = 64
    /// The script is wrong: syntax, unknown command, bad arguments.
    case scriptError = 65
    /// A statement failed while running.
    case runtimeError = 70
    /// A file could not be read or written.
    case ioError = 74
    /// Interrupted by Ctrl-C.
    case interrupted = 130
}

/// Runs RecScript against a session.
package final class Interpreter {
    package let registry: CommandRegistry
    package let sink: OutputSink
    /// Variables of the session.
    package private(set) var variables: [String: Value] = [:]
    /// Parameter values given on the command line (`-p name=value`), as source text.
    package var parameterOverrides: [String: String]
    /// Report each statement's time.
    package var showTimings = false
    /// Set by Ctrl-C; long-running commands poll it.
    package let cancellation: CancellationFlag
    /// The file being run, for error excerpts.
    package private(set) var file: SourceFile?
    /// Names of parameters declared by the current script, in order.
    package private(set) var declaredParameters: [String] = []
    /// The session's last plot, which `save plot` writes.
    package var lastChart: Chart?
    /// Files read by `load`, in order, for report manifests.
    package private(set) var inputs: [String] = []
    /// Source text of each interactive statement that ran without error, for `:save`.
    package private(set) var history: [String] = []
    /// The seed of every command run that takes one (given or default), for report manifests.
    package private(set) var seeds: [SeedUse] = []
    /// Where `log` records later statements and their output, while it is on.
    package var sessionLog: SessionLog?

    package init(sink: OutputSink, registry: CommandRegistry = .standard,
                 cancellation: CancellationFlag = CancellationFlag(), parameters: [String: String] = [:]) {
        self.sink = sink
        self.registry = registry
        self.cancellation = cancellation
        self.parameterOverrides = parameters
    }

    // MARK: - Running

    /// Runs a whole script: check everything, then run in order, stopping at the first error.
    package func runScript(_ source: SourceFile) -> ExitStatus {
        let program = Parser.parse(source)
        file = source
        if !program.diagnostics.isEmpty {
            for d in program.diagnostics { sink.emit(.diagnostic(d, source)) }
            return .scriptError
        }
        let problems = Checker(registry: registry, known: Set(variables.keys), allowParameters: true).check(program)
        if !problems.isEmpty {
            for d in problems { sink.emit(.diagnostic(d, source)) }
            return .scriptError
        }
        let declared = program.statements.compactMap { stmt -> String? in
            if case .param(let target, _) = stmt.kind { return target.name }
            return nil
        }
        declaredParameters = declared
        for name in parameterOverrides.keys.sorted() where !declared.contains(name) {
            let hint = Suggestions.didYouMean(name, in: declared)
            let list = declared.isEmpty ? "the script declares no parameters" : "parameters: \(declared.joined(separator: ", "))"
            sink.emit(.diagnostic(.error("unknown parameter '\(name)'\(hint)", at: nil, notes: [list]), source))
            return .usage
        }
        return execute(program.statements, in: source, stopOnError: true, comments: Self.proseComments(source))
    }

    /// `##` lines of a script: headings and prose for reports, with their line numbers.
    package static func proseComments(_ source: SourceFile) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        for line in 1...max(1, source.lineStarts.count) {
            let text = source.lineText(line).drop { $0 == " " || $0 == "\t" }
            if text.hasPrefix("##") {
                out.append((line, String(text.dropFirst(2).drop { $0 == " " })))
            }
        }
        return out
    }

    /// Runs statements typed interactively; errors are reported and the session goes on.
    @discardableResult
    package func runInteractive(_ source: SourceFile) -> ExitStatus {
        let program = Parser.parse(source)
        file = source
        if !program.diagnostics.isEmpty {
            for d in program.diagnostics { sink.emit(.diagnostic(d, source)) }
            sessionLog?.record(statement: source.text.trimmingCharacters(in: .newlines), errors: program.diagnostics)
            return .scriptError
        }
        let problems = Checker(registry: registry, known: Set(variables.keys), allowParameters: false).check(program)
        if !problems.isEmpty {
            for d in problems { sink.emit(.diagnostic(d, source)) }
            sessionLog?.record(statement: source.text.trimmingCharacters(in: .newlines), errors: problems)
            return .scriptError
        }
        return execute(program.statements, in: source, stopOnError: true, recordHistory: true)
    }

    /// Notes a seed that a command used, for the run manifest.
    package func recordSeed(command: String, line: Int, value: Int64) {
        seeds.append(SeedUse(command: command, line: line, value: value))
    }

    /// Notes a file that a command read, for the run manifest.
    package func recordInput(_ path: String) {
        if !inputs.contains(path) { inputs.append(path) }
    }

    private func execute(_ statements: [Stmt], in source: SourceFile, stopOnError: Bool,
                         comments: [(line: Int, text: String)] = [], recordHistory: Bool = false) -> ExitStatus {
        var pending = comments[...]
        func emitComments(before line: Int) {
            while let c = pending.first, c.line < line {
                sink.emit(.comment(c.text, line: c.line))
                pending.removeFirst()
            }
        }
        for stmt in statements {
            emitComments(before: stmt.range.start.line)
            cancellation.reset()
            // A statement that turns the log on is not in it; one that turns it off is.
            let log = sessionLog
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let presentation = try run(stmt)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let info = StatementInfo(source: source.text(in: stmt.range), line: stmt.range.start.line, seconds: seconds)
                if let presentation { sink.emit(.result(presentation, info)) }
                log?.record(statement: info.source, output: presentation)
                if recordHistory { history.append(info.source) }
                if showTimings { sink.emit(.message("(\(Self.formatSeconds(seconds)))")) }
            } catch {
                if error.kind == .cancelled {
                    // Ctrl-C is the user's own doing: say what stopped, without an error excerpt.
                    sink.emit(.message("\ninterrupted: \(source.text(in: stmt.range))"))
                } else {
                    sink.emit(.diagnostic(error.diagnostic, source))
                }
                log?.record(statement: source.text(in: stmt.range), errors: [error.diagnostic])
                switch error.kind {
                case .script: return .scriptError
                case .runtime: return .runtimeError
                case .io: return .ioError
                case .cancelled: return .interrupted
                }
            }
        }
        emitComments(before: Int.max)
        return .ok
    }

    /// `0.42 s`, `12 ms`.
    package static func formatSeconds(_ s: Double) -> String {
        s >= 1 ? NumberFormat.fixed(s, decimals: 2) + " s" : NumberFormat.fixed(s * 1000, decimals: 0) + " ms"
    }

    /// Runs one statement and returns what to show.
    private func run(_ stmt: Stmt) throws(RuntimeError) -> Presentation? {
        switch stmt.kind {
        case .param(let target, let defaultValue):
            let value: Value
            if let text = parameterOverrides[target.name] {
                value = try parseParameter(text, name: target.name)
            } else {
                value = try evaluate(defaultValue)
            }
            variables[target.name] = value
            return nil
        case .assign(let targets, .expression(let e)):
            let value = try evaluate(e)
            try assign(targets, [value])
            return nil
        case .assign(let targets, .command(let call)):
            if registry[call.name] == nil && call.arguments.isEmpty {
                try assign(targets, [try variable(call.name, at: call.nameRange)])
                return nil
            }
            let result = try invoke(call, targets: targets.count)
            try assign(targets, result.values)
            if result.showWhenAssigned, let display = result.display { return display }
            let briefs = zip(targets, result.values).map { "\($0.name) = \($1.brief)" }
            return .text(briefs.joined(separator: "\n"))
        case .show(let e):
            return Presenter.present(try evaluate(e), name: sourceText(e.range))
        case .command(let call):
            if registry[call.name] == nil && call.arguments.isEmpty {
                return Presenter.present(try variable(call.name, at: call.nameRange), name: call.name)
            }
            let result = try invoke(call, targets: 0)
            if let display = result.display { return display }
            return result.values.first.flatMap { Presenter.present($0, name: nil) }
        }
    }

    private func invoke(_ call: CommandCall, targets: Int) throws(RuntimeError) -> CommandResult {
        guard let spec = registry[call.name] else {
            throw RuntimeError(.script, "unknown command '\(call.name)'\(Suggestions.didYouMean(call.name, in: registry.names))",
                               at: call.nameRange)
        }
        let bound: BoundArguments
        switch ArgumentBinder.bind(call, to: spec) {
        case .success(let b): bound = b
        case .failure(let failure):
            let first = failure.diagnostics[0]
            throw RuntimeError(.script, first.message, at: first.range, notes: first.notes)
        }
        let result = try spec.run(Invocation(spec: spec, arguments: bound, interpreter: self, targetCount: targets))
        if cancellation.isCancelled { throw RuntimeError(.cancelled, "interrupted", at: call.nameRange) }
        return result
    }

    private func assign(_ targets: [Target], _ values: [Value]) throws(RuntimeError) {
        guard targets.count == values.count else {
            let range = targets.first!.range.union(targets.last!.range)
            throw RuntimeError(.script, "\(values.count) value\(values.count == 1 ? "" : "s") cannot be assigned to \(targets.count) name\(targets.count == 1 ? "" : "s")", at: range)
        }
        for (t, v) in zip(targets, values) { variables[t.name] = v }
    }

    /// Sets a variable (used by the session's own commands and by tests).
    package func setVariable(_ name: String, _ value: Value) { variables[name] = value }

    /// Removes every variable.
    package func clearVariables() { variables.removeAll() }

    // MARK: - Lookups and errors

    /// The value of variable `name`, or an error suggesting the closest name.
    package func variable(_ name: String, at range: SourceRange) throws(RuntimeError) -> Value {
        if let v = variables[name] { return v }
        let candidates = Array(variables.keys) + registry.names
        throw RuntimeError("unknown variable '\(name)'\(Suggestions.didYouMean(name, in: candidates))", at: range)
    }

    /// The located error for a column that is not in `frame`.
    package static func unknownColumn(_ name: String, in frame: DataFrame, at range: SourceRange) -> RuntimeError {
        let names = frame.columnNames
        let shown = names.count > 20 ? names.prefix(20).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
        return RuntimeError("column '\(name)' not found\(Suggestions.didYouMean(name, in: names))", at: range,
                            notes: ["columns: \(shown)"])
    }

    /// The source text of a range of the current file.
    package func sourceText(_ range: SourceRange) -> String { file?.text(in: range) ?? "" }

    /// Parses a `-p name=value` value: a literal (number, string, boolean, list) or else a string.
    private func parseParameter(_ text: String, name: String) throws(RuntimeError) -> Value {
        let source = SourceFile(name: "-p \(name)", text: text)
        if case .success(let e) = Parser.parseExpression(source) {
            switch e.kind {
            case .integer, .float, .string, .bool, .list, .null:
                let saved = file
                file = source
                defer { file = saved }
                return try evaluate(e)
            default: break
            }
        }
        return .string(text)
    }
}
