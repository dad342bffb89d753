// Parser: tokens to statements, by recursive descent with precedence climbing for expressions.
//
// Grammar in AST.swift and docs/language.md. On a syntax error the parser records a diagnostic
// and skips to the end of the statement, so every syntax error of a file is reported once.
// Arguments are separated by spaces, so `-` and `+` follow Swift's spacing rule: with space
// before and none after they are prefix (`head f -1` is two arguments), otherwise binary.
// Inside brackets (`(`, `[`, `{`) line breaks are skipped, so lists, maps and calls may span
// lines; each takes a trailing comma. A map's keys are names or quoted strings, each once.

/// Parses RecScript source.
package struct Parser {
    private var tokens: [Token]
    private var current = 0
    private var diagnostics: [Diagnostic]
    /// Open brackets around the current position; line breaks inside brackets are skipped.
    private var depth = 0

    /// Thrown inside the parser to abandon the current statement.
    private struct Abandon: Error {}

    private init(tokens: [Token], diagnostics: [Diagnostic]) {
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// Parses a whole file; syntax errors are in `Program.diagnostics`.
    package static func parse(_ file: SourceFile) -> Program {
        let (tokens, lexErrors) = Lexer.tokenize(file)
        var parser = Parser(tokens: tokens, diagnostics: lexErrors)
        var statements: [Stmt] = []
        while !parser.atEOF {
            if parser.peek.kind == .newline { parser.advance(); continue }
            let start = parser.peek.range.start.offset
            let reported = parser.diagnostics.count
            do {
                statements.append(try parser.statement())
            } catch {
                parser.depth = 0
                parser.synchronize()
            }
            // A syntax error after a lexical error in the same statement is its echo (`x = "abc`
            // loses the string, then lacks a value): report only the cause.
            if parser.diagnostics.count > reported, let at = parser.diagnostics.last?.range?.start.offset,
               lexErrors.contains(where: { ($0.range?.start.offset).map { $0 >= start && $0 <= at } ?? false }) {
                parser.diagnostics.removeSubrange(reported...)
            }
        }
        let ordered = parser.diagnostics.sorted { ($0.range?.start.offset ?? 0) < ($1.range?.start.offset ?? 0) }
        return Program(file: file, statements: statements, diagnostics: ordered)
    }

    /// Parses one expression on its own (for `-p name=value` parameter values).
    package static func parseExpression(_ file: SourceFile) -> Result<Expr, Diagnostic> {
        let (tokens, lexErrors) = Lexer.tokenize(file)
        if let first = lexErrors.first { return .failure(first) }
        var parser = Parser(tokens: tokens, diagnostics: [])
        do {
            let e = try parser.expression()
            // Only line breaks may follow: `5; 6` is not one value.
            while parser.peek.isLineBreak { parser.advance() }
            if !parser.atEOF { parser.fail("unexpected \(parser.describe(parser.peek)) after the value", parser.peek.range) }
            if let first = parser.diagnostics.first { return .failure(first) }
            return .success(e)
        } catch {
            return .failure(parser.diagnostics.first ?? .error("invalid value", at: nil))
        }
    }

    /// True when `text` ends inside an open bracket or with a `\` continuation, so an
    /// interactive session should read another line before running it.
    package static func isIncomplete(_ text: String) -> Bool {
        let file = SourceFile(name: "", text: text)
        let (tokens, _) = Lexer.tokenize(file)
        var depth = 0
        for t in tokens where t.kind == .symbol {
            if t.lexeme == "(" || t.lexeme == "[" || t.lexeme == "{" { depth += 1 }
            if t.lexeme == ")" || t.lexeme == "]" || t.lexeme == "}" { depth -= 1 }
        }
        if depth > 0 { return true }
        // Asked of the lexer, not the last character: `print 1 # C:\` ends in a comment.
        return Lexer.endsInContinuation(file)
    }

    // MARK: - Token access

    /// Index of the next significant token: inside brackets, line breaks are not.
    private var next: Int {
        var i = current
        if depth > 0 { while tokens[i].isLineBreak { i += 1 } }
        return i
    }

    private var peek: Token { tokens[next] }
    private var atEOF: Bool { peek.kind == .eof }
    private func peek(_ ahead: Int) -> Token { tokens[min(next + ahead, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        current = next
        let t = tokens[current]
        if current < tokens.count - 1 { current += 1 }
        return t
    }

    /// Reports a bracket left open when a new statement seems to start at `peek` (a token
    /// at the start of its line where a ',' or a closing bracket was due), and rewinds to
    /// the line break before it so that the next statement parses normally.
    private mutating func unclosed(_ open: Token, _ closing: String) -> Abandon? {
        guard peek.firstOnLine else { return nil }
        fail("'\(open.lexeme)' at \(open.range.start) is not closed; add '\(closing)'", open.range)
        var i = next - 1
        while i > 0 && !tokens[i].isLineBreak { i -= 1 }
        current = i
        return Abandon()
    }

    private mutating func fail(_ message: String, _ range: SourceRange, notes: [String] = []) {
        diagnostics.append(.error(message, at: range, notes: notes))
    }

    private mutating func error(_ message: String, _ range: SourceRange, notes: [String] = []) -> Abandon {
        fail(message, range, notes: notes)
        return Abandon()
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: "end of input"
        case .newline: t.lexeme == ";" ? "';'" : "end of line"
        case .string: "string \(t.lexeme)"
        default: "'\(t.lexeme)'"
        }
    }

    private mutating func expectSymbol(_ s: String, _ context: String) throws -> Token {
        if peek.isSymbol(s) { return advance() }
        throw error("expected '\(s)' \(context), found \(describe(peek))", peek.range)
    }

    /// Skips to the start of the next statement.
    private mutating func synchronize() {
        while !atEOF && peek.kind != .newline { advance() }
        if peek.kind == .newline { advance() }
    }

    // MARK: - Statements

    private mutating func statement() throws -> Stmt {
        let start = peek
        let stmt: Stmt
        if start.isKeyword("param") {
            advance()
            let name = try identifier("a parameter name after 'param'")
            _ = try expectSymbol("=", "after the parameter name (param name = default)")
            let value = try expression()
            stmt = Stmt(.param(name, value), start.range.union(value.range))
        } else if start.isIdentifier && (peek(1).isSymbol("=") || peek(1).isSymbol(",")) {
            var targets = [try identifier("a variable name")]
            while peek.isSymbol(",") {
                advance()
                targets.append(try identifier("a variable name after ','"))
            }
            _ = try expectSymbol("=", "after the names being assigned")
            let value = try assignedValue()
            let end: SourceRange
            switch value {
            case .command(let c): end = c.range
            case .expression(let e): end = e.range
            }
            stmt = Stmt(.assign(targets, value), start.range.union(end))
        } else if start.isIdentifier && peek(1).isSymbol(".") && !peek(1).spaceBefore {
            let value = try expression()
            stmt = Stmt(.show(value), value.range)
        } else if start.isIdentifier {
            let call = try command()
            stmt = Stmt(.command(call), call.range)
        } else {
            let hint = start.kind == .keyword ? "; '\(start.lexeme)' is a reserved word" : ""
            throw error("expected a command or an assignment, found \(describe(start))\(hint)", start.range)
        }
        if !peek.isEnd {
            throw error("unexpected \(describe(peek)); put one statement on a line or separate them with ';'",
                        peek.range)
        }
        return stmt
    }

    private mutating func identifier(_ what: String) throws -> Target {
        let t = peek
        if t.isIdentifier {
            advance()
            return Target(name: t.lexeme, range: t.range)
        }
        let hint = t.kind == .keyword ? " ('\(t.lexeme)' is a reserved word)" : ""
        throw error("expected \(what), found \(describe(t))\(hint)", t.range)
    }

    /// The right side of `=`: a command if it starts with a name that is not followed by
    /// an operator, member access or call; otherwise an expression.
    private mutating func assignedValue() throws -> AssignedValue {
        if peek.isEnd { throw error("expected a command or a value after '='", peek.range) }
        if peek.isIdentifier {
            let next = peek(1)
            let continuesExpression = (next.isSymbol(".") && !next.spaceBefore)
                || (next.isSymbol("(") && !next.spaceBefore)
                || (binaryOperator(next) != nil && !isPrefixSpacing(next))
                || next.isKeyword("and") || next.isKeyword("or") || next.isKeyword("in") || next.isKeyword("is")
                || (next.isKeyword("not") && peek(2).isKeyword("in"))
            if !continuesExpression { return .command(try command()) }
        }
        return .expression(try expression())
    }

    private mutating func command() throws -> CommandCall {
        let name = advance()
        var arguments: [Argument] = []
        while !peek.isEnd {
            let t = peek
            // `name=value`; a clause word may be written this way too (`by=col`, `on=[a, b]`).
            if (t.isIdentifier || (t.kind == .keyword && Token.clauseWords.contains(t.lexeme))) && peek(1).isSymbol("=") {
                advance()
                advance()
                if peek.isEnd { throw error("expected a value after '\(t.lexeme)='", peek.range) }
                arguments.append(Argument(.option(t.lexeme, t.range), try expression()))
            } else if t.kind == .keyword && Token.clauseWords.contains(t.lexeme) {
                advance()
                if peek.isEnd { throw error("expected a value after '\(t.lexeme)'", peek.range) }
                arguments.append(Argument(.clause(t.lexeme, t.range), try expression()))
            } else if canStartExpression(t) {
                arguments.append(Argument(.positional, try expression()))
            } else {
                throw error("unexpected \(describe(t)) in the arguments of '\(name.lexeme)'", t.range)
            }
        }
        return CommandCall(name: name.lexeme, nameRange: name.range, arguments: arguments)
    }

    // MARK: - Expressions

    private func canStartExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .integer, .float, .string: return true
        case .keyword: return ["true", "false", "null", "not"].contains(t.lexeme)
        case .symbol: return ["(", "[", "{", "-", "+"].contains(t.lexeme)
        default: return false
        }
    }

    /// `-` or `+` with space before and none after starts a new argument.
    private func isPrefixSpacing(_ t: Token) -> Bool { t.spaceBefore && !t.spaceAfter }

    private func binaryOperator(_ t: Token) -> BinaryOperator? {
        switch t.kind {
        case .symbol: BinaryOperator(rawValue: t.lexeme)
        case .keyword: t.lexeme == "and" ? .and : t.lexeme == "or" ? .or : nil
        default: nil
        }
    }

    package mutating func expression() throws -> Expr { try binary(minPrecedence: 1) }

    private mutating func binary(minPrecedence: Int) throws -> Expr {
        var left = try unary()
        while true {
            let t = peek
            // `in`, `not in`, `is [not] null` sit at comparison precedence.
            if minPrecedence <= 4, t.isKeyword("in") || (t.isKeyword("not") && peek(1).isKeyword("in")) {
                let negated = t.isKeyword("not")
                advance()
                if negated { advance() }
                let list = try binary(minPrecedence: 5)
                left = Expr(.inList(left, list, negated: negated), left.range.union(list.range))
                continue
            }
            if minPrecedence <= 4, t.isKeyword("is") {
                advance()
                var negated = false
                if peek.isKeyword("not") { advance(); negated = true }
                guard peek.isKeyword("null") else {
                    throw error("expected 'null' after 'is\(negated ? " not" : "")'", peek.range)
                }
                let end = advance()
                left = Expr(.isNull(left, negated: negated), left.range.union(end.range))
                continue
            }
            if t.isSymbol("=") {
                throw error("use '==' to compare; '=' assigns or names an option", t.range)
            }
            guard let op = binaryOperator(t), op.precedence >= minPrecedence else { break }
            if (op == .add || op == .subtract) && isPrefixSpacing(t) { break }
            advance()
            if peek.isEnd { throw error("expected a value after '\(t.lexeme)'", peek.range) }
            let right = try binary(minPrecedence: op.precedence + 1)
            left = Expr(.binary(op, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func unary() throws -> Expr {
        let t = peek
        if t.isKeyword("not") {
            advance()
            let operand = try binary(minPrecedence: 3)
            return Expr(.unary(.not, operand), t.range.union(operand.range))
        }
        if t.isSymbol("-") || t.isSymbol("+") {
            advance()
            let operand = try unary()
            if t.lexeme == "+" { return Expr(operand.kind, t.range.union(operand.range)) }
            let range = t.range.union(operand.range)
            switch operand.kind {
            case .integer(let v): return Expr(.integer(-v), range)
            case .float(let v): return Expr(.float(-v), range)
            default: return Expr(.unary(.negate, operand), range)
            }
        }
        return try postfix()
    }

    private mutating func postfix() throws -> Expr {
        var e = try primary()
        while true {
            if peek.isSymbol(".") && !peek.spaceBefore {
                advance()
                let name = peek
                guard name.isIdentifier else {
                    throw error("expected a column name after '.', found \(describe(name))", name.range)
                }
                advance()
                e = Expr(.member(e, name.lexeme), e.range.union(name.range))
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws -> Expr {
        let t = peek
        switch t.kind {
        case .integer(let v): advance(); return Expr(.integer(v), t.range)
        case .float(let v): advance(); return Expr(.float(v), t.range)
        case .string(let s): advance(); return Expr(.string(s), t.range)
        case .keyword where t.lexeme == "true": advance(); return Expr(.bool(true), t.range)
        case .keyword where t.lexeme == "false": advance(); return Expr(.bool(false), t.range)
        case .keyword where t.lexeme == "null": advance(); return Expr(.null, t.range)
        case .identifier:
            advance()
            if peek.isSymbol("(") && !peek.spaceBefore {
                let open = advance()
                let args = try list(closing: ")", open: open, named: true)
                return Expr(.call(t.lexeme, args.items), t.range.union(args.end))
            }
            return Expr(.identifier(t.lexeme), t.range)
        case .symbol where t.lexeme == "[":
            let open = advance()
            let items = try list(closing: "]", open: open)
            return Expr(.list(items.items), open.range.union(items.end))
        case .symbol where t.lexeme == "{":
            return try map(open: advance())
        case .symbol where t.lexeme == "(":
            let open = advance()
            depth += 1
            let inner = try expression()
            guard peek.isSymbol(")") else {
                if let abandon = unclosed(open, ")") { throw abandon }
                if atEOF || peek.kind == .newline {
                    throw error("'(' at \(open.range.start) is not closed; add ')'", open.range)
                }
                throw error("expected ')' to close the '(' at \(open.range.start), found \(describe(peek))", peek.range)
            }
            // Take the ')' while line breaks are still skipped: it may start a line.
            let close = advance()
            depth -= 1
            return Expr(inner.kind, open.range.union(close.range))
        default:
            let hint = t.kind == .keyword ? "; '\(t.lexeme)' is a reserved word" : ""
            throw error("expected a value, found \(describe(t))\(hint)", t.range)
        }
    }

    /// Comma-separated expressions up to `closing`; a trailing comma is allowed. `named`: a
    /// call's arguments, where `name=value` is a named argument (each name once).
    private mutating func list(closing: String, open: Token, named: Bool = false) throws -> (items: [Expr], end: SourceRange) {
        var items: [Expr] = []
        var names: [String: SourceRange] = [:]
        depth += 1
        while !peek.isSymbol(closing) {
            if atEOF || peek.kind == .newline {
                throw error("'\(open.lexeme)' at \(open.range.start) is not closed; add '\(closing)'", open.range)
            }
            if named && peek.isIdentifier && peek(1).isSymbol("=") {
                let name = advance()
                advance()
                if let first = names[name.lexeme] {
                    fail("argument '\(name.lexeme)' is given twice; the first is at \(first.start)", name.range)
                }
                names[name.lexeme] = name.range
                let value = try expression()
                items.append(Expr(.namedArgument(name.lexeme, value), name.range.union(value.range)))
            } else {
                items.append(try expression())
            }
            if peek.isSymbol(",") {
                advance()
            } else if !peek.isSymbol(closing) {
                if let abandon = unclosed(open, closing) { throw abandon }
                throw error("expected ',' or '\(closing)' in the list opened at \(open.range.start), found \(describe(peek))",
                            peek.range)
            }
        }
        let close = advance()
        depth -= 1
        return (items, close.range)
    }

    /// `{key: value, ...}` after its `{`: keys are names or quoted strings, each once (a
    /// repeat is reported at the second and parsing goes on); a trailing comma is allowed.
    private mutating func map(open: Token) throws -> Expr {
        var entries: [MapEntry] = []
        depth += 1
        while !peek.isSymbol("}") {
            if atEOF || peek.kind == .newline {
                throw error("'{' at \(open.range.start) is not closed; add '}'", open.range)
            }
            let keyToken = peek
            let key: String
            switch keyToken.kind {
            case .identifier: key = keyToken.lexeme
            case .string(let s): key = s
            case .keyword:
                throw error("'\(keyToken.lexeme)' is a reserved word; quote it to use it as a key: \"\(keyToken.lexeme)\": ...",
                            keyToken.range)
            default:
                if let abandon = unclosed(open, "}") { throw abandon }
                throw error("expected a key (a name or a quoted string) in the map opened at \(open.range.start), found \(describe(keyToken))",
                            keyToken.range)
            }
            advance()
            guard peek.isSymbol(":") else {
                if let abandon = unclosed(open, "}") { throw abandon }
                throw error("expected ':' after key '\(key)' in map, found \(describe(peek))", peek.range)
            }
            advance()
            if let first = entries.first(where: { $0.key == key }) {
                fail("duplicate key '\(key)' in map; it is first given at \(first.keyRange.start)", keyToken.range)
            }
            if peek.isSymbol(",") || peek.isSymbol("}") {
                throw error("expected a value after '\(key):'", peek.range)
            }
            let value = try expression()
            entries.append(MapEntry(key: key, keyRange: keyToken.range, value: value))
            if peek.isSymbol(",") {
                advance()
            } else if !peek.isSymbol("}") {
                if let abandon = unclosed(open, "}") { throw abandon }
                throw error("expected ',' or '}' in the map opened at \(open.range.start), found \(describe(peek))",
                            peek.range)
            }
        }
        // Take the '}' while line breaks are still skipped: it may start a line.
        let close = advance()
        depth -= 1
        return Expr(.map(entries), open.range.union(close.range))
    }
}
