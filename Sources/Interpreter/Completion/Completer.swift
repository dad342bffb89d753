// Completer: what Tab offers at the cursor, from the command being typed.
//
// Inside a string: file paths. After `frame.`: that frame's columns. At the start of a
// statement: commands and variables. After a command: its options (`name=`), its clause
// keywords, and the variables that fit its next argument; after `option=`: the option's
// choices, columns or variables; inside `[...]` of a column-list option: column names.

import Foundation
import Frame
import RecScript

/// The word being completed and what could replace it.
package struct Completion: Sendable, Equatable {
    /// UTF-8 offset in the line where the replaced word starts.
    package var start: Int
    /// Full replacements for the word, sorted.
    package var candidates: [String]
}

/// Computes completions against a session.
package struct Completer {
    let interpreter: Interpreter

    package init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// Completions for `line` with the cursor at UTF-8 offset `cursor`.
    package func complete(line: String, cursor: Int) -> Completion {
        let bytes = Array(line.utf8.prefix(cursor))
        let leading = bytes.prefix { $0 == UInt8(ascii: " ") }.count
        if leading < bytes.count && bytes[leading] == UInt8(ascii: ":") { return completeMeta(bytes, from: leading) }
        // Only the current statement matters.
        let statementStart = (bytes.lastIndex(of: UInt8(ascii: ";")).map { $0 + 1 }) ?? 0
        if let quote = openQuote(bytes, from: statementStart) {
            let partial = String(decoding: bytes[(quote + 1)...], as: UTF8.self)
            return Completion(start: quote + 1, candidates: paths(matching: partial, closing: Character(Unicode.Scalar(bytes[quote]))))
        }
        var start = bytes.count
        while start > statementStart, isWordByte(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let before = String(decoding: bytes[statementStart..<start], as: UTF8.self)
        return Completion(start: start, candidates: candidates(word: word, before: before).filter { $0.hasPrefix(word) }.sorted())
    }

    /// `:ti` → `:timer`; `:format j` → `json`; `:timer o` → `on`, `off`.
    private func completeMeta(_ bytes: [UInt8], from start: Int) -> Completion {
        let typed = String(decoding: bytes[start...], as: UTF8.self)
        guard let space = typed.firstIndex(of: " ") else {
            return Completion(start: start, candidates: Interpreter.metaCommandNames.filter { $0.hasPrefix(typed) }.sorted())
        }
        let name = String(typed[..<space])
        let partial = String(typed[typed.index(after: space)...]).trimmingCharacters(in: .whitespaces)
        let values = name == ":format" ? outputFormats : name == ":timer" ? ["on", "off"] : []
        return Completion(start: bytes.count - partial.utf8.count, candidates: values.filter { $0.hasPrefix(partial) }.sorted())
    }

    private func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
            || b == UInt8(ascii: ".")
    }

    /// The offset of an unclosed quote before the cursor, if any.
    private func openQuote(_ bytes: [UInt8], from: Int) -> Int? {
        var open: Int?
        var quote: UInt8 = 0
        var i = from
        while i < bytes.count {
            let b = bytes[i]
            if let _ = open {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == quote { open = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                open = i
                quote = b
            } else if b == UInt8(ascii: "#") {
                return nil
            }
            i += 1
        }
        return open
    }

    private func candidates(word: String, before: String) -> [String] {
        // `frame.col`
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            guard case .frame(let f)? = interpreter.variables[base] else { return [] }
            return f.columnNames.map { base + "." + $0 }
        }
        let words = tokens(before)
        // Skip `a, b =` targets.
        var rest = words[...]
        if let eq = words.firstIndex(of: "="), eq > 0, !words[..<eq].contains(where: { $0.hasSuffix("=") && $0 != "=" }) {
            if words[..<eq].allSatisfy({ $0 == "," || isName($0) }) { rest = words[(eq + 1)...] }
        }
        guard let commandName = rest.first else {
            return interpreter.registry.names + Array(interpreter.variables.keys)
        }
        guard let spec = interpreter.registry[commandName] else { return [] }
        let args = Array(rest.dropFirst())
        let frame = frameArgument(args)
        // `fit als ...`: the form named by the first argument adds its options.
        let variant = spec.variants.isEmpty ? nil : args.first.flatMap { spec.variant($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))) }
        let parameters = spec.parameters(in: variant)
        // Inside an open `{` (a map, such as a search space): its keys and values belong to the
        // command that reads it, so nothing is offered.
        if let open = args.lastIndex(of: "{"), !args[open...].contains("}") { return [] }
        // Inside an open `[` of an option: its values.
        if let open = args.lastIndex(of: "["), !args[open...].contains("]") {
            if open > 0, args[open - 1].hasSuffix("=") {
                let option = String(args[open - 1].dropLast())
                return values(for: parameters.first { $0.name == option }, frame: frame)
            }
            return []
        }
        // Right after `option=`.
        if let last = args.last, last.hasSuffix("="), last != "=" {
            let option = String(last.dropLast())
            return values(for: parameters.first { $0.name == option }, frame: frame)
        }
        // Right after a clause keyword.
        if let last = args.last, spec.clauses.contains(where: { $0.name == last }) {
            return values(for: spec.clauses.first { $0.name == last }, frame: frame)
        }
        var out: [String] = []
        let given = Set(args.filter { $0.hasSuffix("=") }.map { String($0.dropLast()) })
        // Options once the form is known (a form's options make no sense before it is chosen).
        if spec.variants.isEmpty || variant != nil {
            out += spec.options(in: variant).filter { !given.contains($0.name) }.map { $0.name + "=" }
        }
        out += spec.clauses.filter { !args.contains($0.name) }.map(\.name)
        let positionalCount = positionalArguments(args)
        // `help fit <Tab>`: the forms of the command named first.
        if spec.name == "help" && positionalCount == 1, let topic = interpreter.registry[args[0]] {
            return topic.variants.map(\.name)
        }
        if positionalCount < spec.positionals.count {
            out += values(for: spec.positionals[positionalCount], frame: frame)
        }
        return out
    }

    /// Words and brackets of the text before the cursor; `name=` stays one token.
    private func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inString: Character?
        for ch in text {
            if let q = inString {
                current.append(ch)
                if ch == q { inString = nil }
                continue
            }
            switch ch {
            case "\"", "'":
                current.append(ch)
                inString = ch
            case " ", "\t", ",":
                if !current.isEmpty { out.append(current); current = "" }
                if ch == "," { out.append(",") }
            case "[", "]", "(", ")", "{", "}":
                if !current.isEmpty { out.append(current); current = "" }
                out.append(String(ch))
            case "=":
                current.append("=")
                if current == "=" || current.hasSuffix("==") { out.append(current); current = "" } else {
                    out.append(current)
                    current = ""
                }
            default:
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private func isName(_ s: String) -> Bool { s.first.map { $0.isLetter || $0 == "_" } ?? false }

    /// Positional arguments already typed (not options, clauses or their values).
    private func positionalArguments(_ args: [String]) -> Int {
        var count = 0
        var skipNext = false
        var depth = 0
        for a in args {
            if a == "[" || a == "{" { depth += 1; continue }
            if a == "]" || a == "}" { depth -= 1; if depth == 0 && !skipNext { count += 1 }; skipNext = false; continue }
            if depth > 0 || a == "," { continue }
            if skipNext { skipNext = false; continue }
            if a.hasSuffix("=") || Token.clauseWords.contains(a) { skipNext = true; continue }
            count += 1
        }
        return count
    }

    /// The frame the command works on: its first frame variable argument.
    private func frameArgument(_ args: [String]) -> DataFrame? {
        for a in args {
            if case .frame(let f)? = interpreter.variables[a] { return f }
        }
        return nil
    }

    private func values(for parameter: ParameterSpec?, frame: DataFrame?) -> [String] {
        guard let p = parameter else { return [] }
        switch p.kind {
        case .frame: return variables { if case .frame = $0 { true } else { false } }
        case .model: return variables { if case .model = $0 { true } else { false } }
        case .column, .columns, .rowExpression: return frame?.columnNames ?? []
        case .aggregates: return ["count(", "sum(", "mean(", "min(", "max(", "std(", "distinct(", "median("]
        case .choice(let c), .choices(let c): return c
        case .bool: return ["true", "false"]
        case .word: return interpreter.registry.names + ["syntax", "metrics"]
        case .path: return ["\""]
        case .valueOrWords(let words):
            return words + variables { v in
                switch v {
                case .int, .double, .string, .bool, .list: true
                default: false
                }
            }
        case .integer, .number, .string, .any:
            return variables { v in
                switch v {
                case .int, .double, .string, .bool: true
                default: false
                }
            }
        }
    }

    private func variables(_ keep: (Value) -> Bool) -> [String] {
        interpreter.variables.filter { keep($0.value) }.map(\.key)
    }

    /// Paths matching the partial path typed inside a string; files get the `closing` quote.
    private func paths(matching partial: String, closing: Character) -> [String] {
        let expanded = partial.hasPrefix("~/") ? NSHomeDirectory() + partial.dropFirst() : partial
        let dir: String, prefix: String
        if let slash = expanded.lastIndex(of: "/") {
            dir = String(expanded[...slash])
            prefix = String(expanded[expanded.index(after: slash)...])
        } else {
            dir = ""
            prefix = expanded
        }
        let shownDir: String
        if let slash = partial.lastIndex(of: "/") { shownDir = String(partial[...slash]) } else { shownDir = "" }
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return [] }
        return entries.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: dir + name, isDirectory: &isDir)
            return shownDir + name + (isDir.boolValue ? "/" : String(closing))
        }
    }
}
