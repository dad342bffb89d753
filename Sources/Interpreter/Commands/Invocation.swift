// Invocation: one running command's view of its arguments, with typed accessors that
// evaluate an argument and report a located error when it is of the wrong kind.

import Frame
import Learn
import RecScript

/// The arguments of a running command and the session it runs in.
package struct Invocation {
    package let spec: CommandSpec
    package let arguments: BoundArguments
    package let interpreter: Interpreter
    /// How many names the result is being assigned to (0 when it stands alone).
    package let targetCount: Int

    /// The range of the whole call, for errors about the command as a whole.
    package var range: SourceRange { arguments.call.range }

    /// The argument expression for `name`, if given.
    package func expression(_ name: String) -> Expr? { arguments[name]?.value }

    package func has(_ name: String) -> Bool { arguments[name] != nil }

    /// The range of argument `name`, or the whole call.
    package func range(of name: String) -> SourceRange { arguments[name]?.range ?? range }

    package var cancellation: CancellationFlag { interpreter.cancellation }

    // MARK: - Typed accessors

    /// The value of `name`, evaluated.
    package func value(_ name: String) throws(RuntimeError) -> Value? {
        guard let e = expression(name) else { return nil }
        return try interpreter.evaluate(e)
    }

    /// A frame argument.
    package func frame(_ name: String) throws(RuntimeError) -> DataFrame {
        guard let e = expression(name) else { throw missing(name) }
        let v = try interpreter.evaluate(e)
        guard case .frame(let f) = v else {
            throw RuntimeError("expected a frame for '\(name)', but \(describe(e)) is \(v.typeName)", at: e.range)
        }
        return f
    }

    /// A model argument.
    package func model(_ name: String) throws(RuntimeError) -> ModelValue {
        guard let e = expression(name) else { throw missing(name) }
        let v = try interpreter.evaluate(e)
        guard case .model(let m) = v else {
            throw RuntimeError("expected a model for '\(name)', but \(describe(e)) is \(v.typeName)", at: e.range)
        }
        return m
    }

    /// An integer argument, range-checked against the spec.
    package func integer(_ name: String, default fallback: Int64? = nil) throws(RuntimeError) -> Int64 {
        let n = try checkedInteger(name, default: fallback)
        // Seeds used, given or default, go into report manifests.
        if name == "seed" { interpreter.recordSeed(command: spec.name, line: range.start.line, value: n) }
        return n
    }

    private func checkedInteger(_ name: String, default fallback: Int64?) throws(RuntimeError) -> Int64 {
        guard let e = expression(name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        let v = try interpreter.evaluate(e)
        let n: Int64
        switch v {
        case .int(let i): n = i
        case .double(let d) where d == d.rounded() && abs(d) < 9e18: n = Int64(d)
        // A column of one value (`recs.media_id` of a one-row frame) stands for that value.
        case .column(let c) where c.count == 1:
            guard case .int(let i) = c[0] else {
                throw RuntimeError("\(name) must be an integer, but \(describe(e)) holds \(c[0] == .null ? "null" : c.type.rawValue)", at: e.range)
            }
            n = i
        default:
            var notes: [String] = []
            if case .column(let c) = v { notes.append("the column has \(NumberFormat.count(c.count, "value")); a one-value column stands for its value") }
            throw RuntimeError("\(name) must be an integer, but \(describe(e)) is \(v.typeName)", at: e.range, notes: notes)
        }
        if case .integer(let lo, let hi)? = parameter(name)?.kind {
            if let lo, n < lo { throw RuntimeError("\(name) must be at least \(lo), not \(n)", at: e.range) }
            if let hi, n > hi { throw RuntimeError("\(name) must be at most \(hi), not \(n)", at: e.range) }
        }
        return n
    }

    /// A number argument, range-checked against the spec.
    package func number(_ name: String, default fallback: Double? = nil) throws(RuntimeError) -> Double {
        guard let e = expression(name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        let v = try interpreter.evaluate(e)
        let x: Double
        switch v {
        case .int(let i): x = Double(i)
        case .double(let d): x = d
        default: throw RuntimeError("\(name) must be a number, but \(describe(e)) is \(v.typeName)", at: e.range)
        }
        if case .number(let lo, let hi)? = parameter(name)?.kind {
            if let lo, x < lo { throw RuntimeError("\(name) must be at least \(NumberFormat.general(lo)), not \(NumberFormat.general(x))", at: e.range) }
            if let hi, x > hi { throw RuntimeError("\(name) must be at most \(NumberFormat.general(hi)), not \(NumberFormat.general(x))", at: e.range) }
        }
        guard x.isFinite else { throw RuntimeError("\(name) must be a finite number", at: e.range) }
        return x
    }

    /// A list of integers (`[64, 32]`), or one integer standing for a list of one.
    package func integerList(_ name: String) throws(RuntimeError) -> [Int] {
        guard let e = expression(name) else { throw missing(name) }
        let items: [Expr]
        if case .list(let list) = e.kind { items = list } else { items = [e] }
        var out: [Int] = []
        for item in items {
            let v = try interpreter.evaluate(item)
            switch v {
            case .int(let i): out.append(Int(i))
            case .double(let d) where d == d.rounded() && abs(d) < 1e15: out.append(Int(d))
            default: throw RuntimeError("\(name) must be a list of whole numbers, e.g. [64, 32], but \(describe(item)) is \(v.typeName)", at: item.range)
            }
        }
        return out
    }

    package func bool(_ name: String, default fallback: Bool) throws(RuntimeError) -> Bool {
        guard let e = expression(name) else { return fallback }
        let v = try interpreter.evaluate(e)
        guard case .bool(let b) = v else {
            throw RuntimeError("\(name) must be true or false, but \(describe(e)) is \(v.typeName)", at: e.range)
        }
        return b
    }

    package func string(_ name: String) throws(RuntimeError) -> String? {
        guard let e = expression(name) else { return nil }
        let v = try interpreter.evaluate(e)
        guard case .string(let s) = v else {
            throw RuntimeError("\(name) must be a string in quotes, but \(describe(e)) is \(v.typeName)", at: e.range)
        }
        return s
    }

    /// A word from the parameter's choices, bare or quoted.
    package func choice(_ name: String) throws(RuntimeError) -> String? {
        guard let e = expression(name) else { return nil }
        let word = try self.word(e, name)
        if case .choice(let choices)? = parameter(name)?.kind, !choices.contains(word) {
            throw RuntimeError("unknown \(name) '\(word)'\(Suggestions.didYouMean(word, in: choices))", at: e.range,
                               notes: ["choices: \(choices.joined(separator: ", "))"])
        }
        return word
    }

    /// Words from the parameter's choices: a list or one word.
    package func choices(_ name: String) throws(RuntimeError) -> [String]? {
        guard let e = expression(name) else { return nil }
        let items: [Expr]
        if case .list(let list) = e.kind { items = list } else { items = [e] }
        var words: [String] = []
        for item in items {
            let word = try self.word(item, name)
            if case .choices(let choices)? = parameter(name)?.kind, !choices.contains(word) {
                throw RuntimeError("unknown \(name) '\(word)'\(Suggestions.didYouMean(word, in: choices))", at: item.range,
                                   notes: ["choices: \(choices.joined(separator: ", "))"])
            }
            words.append(word)
        }
        return words
    }

    /// A column name of `frame`: bare, quoted or `frame.column`; checked to exist.
    package func column(_ name: String, in frame: DataFrame) throws(RuntimeError) -> String? {
        guard let e = expression(name) else { return nil }
        return try columnName(e, in: frame)
    }

    /// Column names of `frame`: a list or one name.
    package func columns(_ name: String, in frame: DataFrame) throws(RuntimeError) -> [String]? {
        guard let e = expression(name) else { return nil }
        if case .list(let items) = e.kind {
            var names: [String] = []
            for item in items { names.append(try columnName(item, in: frame)) }
            return names
        }
        return [try columnName(e, in: frame)]
    }

    /// Plain words (bare or quoted), unchecked: column names of a file not yet read, say.
    package func words(_ name: String) throws(RuntimeError) -> [String]? {
        guard let e = expression(name) else { return nil }
        if case .list(let items) = e.kind {
            var out: [String] = []
            for item in items { out.append(try word(item, name)) }
            return out
        }
        return [try word(e, name)]
    }

    // MARK: - Helpers

    private func parameter(_ name: String) -> ParameterSpec? {
        spec.parameters(in: arguments.variant).first { $0.name == name }
    }

    /// The chosen form of a command with forms (`fit als`).
    package var variant: CommandVariant? { arguments.variant }

    private func missing(_ name: String) -> RuntimeError {
        RuntimeError(.script, "'\(spec.name)' needs '\(name)'", at: range, notes: ["usage: \(spec.usage(in: arguments.variant))"])
    }

    /// A bare word or a string.
    private func word(_ e: Expr, _ name: String) throws(RuntimeError) -> String {
        switch e.kind {
        case .identifier(let s):
            // A variable holding a string stands for its text.
            if case .string(let text)? = interpreter.variables[s] { return text }
            return s
        case .string(let s): return s
        case .null: return "null"
        default:
            let v = try interpreter.evaluate(e)
            if case .string(let s) = v { return s }
            throw RuntimeError("\(name) must be a name, but \(describe(e)) is \(v.typeName)", at: e.range)
        }
    }

    private func columnName(_ e: Expr, in frame: DataFrame) throws(RuntimeError) -> String {
        let name: String
        switch e.kind {
        case .identifier(let s), .string(let s): name = s
        case .member(_, let s): name = s
        default: throw RuntimeError("expected a column name, found \(describe(e))", at: e.range)
        }
        guard frame.index(of: name) != nil else {
            throw Interpreter.unknownColumn(name, in: frame, at: e.range)
        }
        return name
    }

    private func describe(_ e: Expr) -> String { "'\(interpreter.sourceText(e.range))'" }
}
