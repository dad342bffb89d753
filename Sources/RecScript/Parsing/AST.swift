// The syntax tree of RecScript.
//
//   program    := { [statement] (NEWLINE | ";") } EOF
//   statement  := "param" IDENT "=" expr
//               | IDENT { "," IDENT } "=" rhs
//               | IDENT "." ...             a value shown, e.g. f.col
//               | command
//   rhs        := command | expr
//   command    := IDENT { argument }
//   argument   := IDENT "=" expr            option
//               | ("on" | "by" | "where" | "agg") expr    clause
//               | expr                      positional
// Expressions (precedence in Parser.swift and docs/language.md), among them:
//   call       := IDENT "(" [ callarg { "," callarg } [","] ] ")"
//   callarg    := IDENT "=" expr | expr     `int(2, 64, step=2)`
//   list       := "[" [ expr { "," expr } [","] ] "]"
//   map        := "{" [ entry { "," entry } [","] ] "}"
//   entry      := (IDENT | STRING) ":" expr `{C: log(1e-4, 1), depth: [4, 8]}`

/// A binary operator.
package enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or

    /// Binding strength; higher binds tighter.
    package var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: 4
        case .add, .subtract: 5
        case .multiply, .divide, .remainder: 6
        }
    }
}

/// A unary operator.
package enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-", not
}

/// An expression with its source range.
package indirect enum ExprKind: Sendable, Hashable {
    case integer(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)
    case null
    /// A bare name: a variable, or a column or keyword word that the command interprets.
    case identifier(String)
    /// `base.name`, e.g. `train.user_id`.
    case member(Expr, String)
    /// `name(args)`, e.g. `mean(x)`, `hour(ts_listen)`, `int(2, 64, step=2)`.
    case call(String, [Expr])
    /// `name=value` among a call's arguments, as in `int(2, 64, step=2)`; only the parser
    /// makes it, only there. The node's range runs from the name to the end of the value.
    case namedArgument(String, Expr)
    case list([Expr])
    /// `{key: value, ...}`, in the order written, keys distinct: an option value that a command
    /// reads as a whole, such as a search space (`space={C: log(1e-4, 1), depth: [4, 8]}`).
    case map([MapEntry])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `e is null`, `e is not null`.
    case isNull(Expr, negated: Bool)
    /// `e in [..]`, `e not in [..]`.
    case inList(Expr, Expr, negated: Bool)
}

/// One `key: value` of a map literal.
package struct MapEntry: Sendable, Hashable {
    /// The key, as written bare or without its quotes.
    package var key: String
    package var keyRange: SourceRange
    package var value: Expr

    package init(key: String, keyRange: SourceRange, value: Expr) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
    }
}

/// An expression node.
package struct Expr: Sendable, Hashable {
    package var kind: ExprKind
    package var range: SourceRange

    package init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The name, if this is a bare identifier.
    package var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }
}

/// How an argument was written.
package enum ArgumentLabel: Sendable, Hashable {
    case positional
    /// `name=value`; the range is the name's.
    case option(String, SourceRange)
    /// `on x`, `by x`, `where e`, `agg [...]`; the range is the keyword's.
    case clause(String, SourceRange)
}

/// One argument of a command.
package struct Argument: Sendable, Hashable {
    package var label: ArgumentLabel
    package var value: Expr

    package init(_ label: ArgumentLabel, _ value: Expr) {
        self.label = label
        self.value = value
    }

    /// The whole argument's range, label included.
    package var range: SourceRange {
        switch label {
        case .positional: value.range
        case .option(_, let r), .clause(_, let r): r.union(value.range)
        }
    }
}

/// `name arg arg key=value ...`
package struct CommandCall: Sendable, Hashable {
    package var name: String
    package var nameRange: SourceRange
    package var arguments: [Argument]

    package init(name: String, nameRange: SourceRange, arguments: [Argument]) {
        self.name = name
        self.nameRange = nameRange
        self.arguments = arguments
    }

    package var range: SourceRange {
        arguments.reduce(nameRange) { $0.union($1.range) }
    }
}

/// What an assignment assigns.
package enum AssignedValue: Sendable, Hashable {
    case command(CommandCall)
    case expression(Expr)
}

/// A name being assigned, with its range.
package struct Target: Sendable, Hashable {
    package var name: String
    package var range: SourceRange
    package init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// A statement.
package enum StmtKind: Sendable, Hashable {
    case command(CommandCall)
    case assign([Target], AssignedValue)
    /// `param name = default`.
    case param(Target, Expr)
    /// A value on its own line, shown: `listens.user_age`.
    case show(Expr)
}

/// A statement with its range.
package struct Stmt: Sendable, Hashable {
    package var kind: StmtKind
    package var range: SourceRange

    package init(_ kind: StmtKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A parsed file.
package struct Program: Sendable {
    package var file: SourceFile
    package var statements: [Stmt]
    package var diagnostics: [Diagnostic]
}
