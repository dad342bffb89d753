// Compact, readable forms of tokens, expressions and statements, so a test can state the
// whole expected shape of a parse in one string: `(+ 1 (* 2 3))`, `head f -1`.

import RecScript

/// Swift Testing has a `SourceLocation` too; the tests mean the language's.
typealias SourceLocation = RecScript.SourceLocation

/// Lexes `text` and writes each token as `kind:lexeme`, e.g. `id:head`, `int:5`, `nl`.
func tokenSummary(_ text: String) -> [String] {
    Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(summary)
}

func summary(_ t: Token) -> String {
    switch t.kind {
    case .identifier: "id:\(t.lexeme)"
    case .integer(let v): "int:\(v)"
    case .float(let v): "float:\(v)"
    case .string(let s): "str:\(s)"
    case .keyword: "kw:\(t.lexeme)"
    case .symbol: "sym:\(t.lexeme)"
    case .newline: "nl"
    case .eof: "eof"
    }
}

/// An expression as an S-expression: `(+ 1 (* 2 3))`, `(. f col)`, `[1 2]`, `{C: [1 2]}`.
func sexpr(_ e: Expr) -> String {
    switch e.kind {
    case .integer(let v): String(v)
    case .float(let v): String(v)
    case .string(let s): "\"\(s)\""
    case .bool(let b): String(b)
    case .null: "null"
    case .identifier(let name): name
    case .member(let base, let name): "(. \(sexpr(base)) \(name))"
    case .call(let name, let args): "(\(name)(\(args.map(sexpr).joined(separator: " "))))"
    case .list(let items): "[\(items.map(sexpr).joined(separator: " "))]"
    case .namedArgument(let name, let value): "\(name)=\(sexpr(value))"
    case .map(let entries): "{" + entries.map { "\($0.key): \(sexpr($0.value))" }.joined(separator: ", ") + "}"
    case .unary(.negate, let x): "(neg \(sexpr(x)))"
    case .unary(.not, let x): "(not \(sexpr(x)))"
    case .binary(let op, let a, let b): "(\(op.rawValue) \(sexpr(a)) \(sexpr(b)))"
    case .isNull(let x, let negated): "(\(negated ? "is-not-null" : "is-null") \(sexpr(x)))"
    case .inList(let x, let list, let negated): "(\(negated ? "not-in" : "in") \(sexpr(x)) \(sexpr(list)))"
    }
}

/// A command call as `name arg k=v on:x`, arguments in S-expression form.
func describe(_ call: CommandCall) -> String {
    ([call.name] + call.arguments.map { a in
        switch a.label {
        case .positional: sexpr(a.value)
        case .option(let name, _): "\(name)=\(sexpr(a.value))"
        case .clause(let word, _): "\(word):\(sexpr(a.value))"
        }
    }).joined(separator: " ")
}

/// A statement: `head f 5`, `x = {head f 5}` (braces mark a command), `x = (+ 1 2)`,
/// `param n = 5`.
func describe(_ s: Stmt) -> String {
    switch s.kind {
    case .command(let call): describe(call)
    case .assign(let targets, .command(let call)):
        targets.map(\.name).joined(separator: ", ") + " = {" + describe(call) + "}"
    case .assign(let targets, .expression(let e)):
        targets.map(\.name).joined(separator: ", ") + " = " + sexpr(e)
    case .param(let target, let e): "param \(target.name) = \(sexpr(e))"
    case .show(let e): "show " + sexpr(e)
    }
}

/// Parses `text` and returns its statements described, expecting no diagnostics.
func statements(_ text: String) -> (statements: [String], diagnostics: [String]) {
    let program = Parser.parse(SourceFile(name: "t", text: text))
    return (program.statements.map(describe), program.diagnostics.map(located))
}

/// `line:column: message`.
func located(_ d: Diagnostic) -> String {
    "\(d.range.map { "\($0.start)" } ?? "-"): \(d.message)"
}

/// The diagnostics of parsing `text`, each as `line:column: message`.
func diagnostics(_ text: String) -> [String] {
    Parser.parse(SourceFile(name: "t", text: text)).diagnostics.map(located)
}

/// The one expression of `x = <text>`.
func expression(_ text: String) -> String {
    let program = Parser.parse(SourceFile(name: "t", text: "x = " + text))
    guard program.diagnostics.isEmpty, program.statements.count == 1,
          case .assign(_, .expression(let e)) = program.statements[0].kind else {
        return "not an expression: \(program.statements.map(describe)) \(program.diagnostics.map(located))"
    }
    return sexpr(e)
}
