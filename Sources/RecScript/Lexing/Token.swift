// Tokens of RecScript.

/// The kind of a token.
package enum TokenKind: Sendable, Hashable {
    case identifier
    case integer(Int64)
    case float(Double)
    case string(String)
    /// A reserved word: see `Token.keywords`.
    case keyword
    /// An operator or punctuation mark; the lexeme says which.
    case symbol
    /// A line break (lexeme "\n") or a `;`. Both end a statement; the parser skips line
    /// breaks inside brackets.
    case newline
    case eof
}

/// A lexeme with its kind and place.
package struct Token: Sendable, Hashable {
    package var kind: TokenKind
    /// The exact source text (for strings, including the quotes).
    package var lexeme: String
    package var range: SourceRange
    /// Whether whitespace (or a line start) precedes the token; decides prefix vs binary `-`,
    /// as in Swift: `f -1` is two arguments, `f - 1` and `f-1` are a subtraction.
    package var spaceBefore: Bool
    /// Whether whitespace follows the token.
    package var spaceAfter: Bool
    /// Whether the token is the first on its line.
    package var firstOnLine: Bool = false

    /// Words that cannot name a variable.
    package static let keywords: Set<String> = [
        "and", "or", "not", "in", "is", "null", "true", "false",
        "on", "by", "where", "agg", "to", "param",
    ]

    /// Keywords that introduce a labelled argument of a command: `fit baseline on train`.
    package static let clauseWords: Set<String> = ["on", "by", "where", "agg", "to"]

    package func isSymbol(_ s: String) -> Bool { kind == .symbol && lexeme == s }
    package func isKeyword(_ s: String) -> Bool { kind == .keyword && lexeme == s }

    package var isIdentifier: Bool { kind == .identifier }
    package var isEnd: Bool { kind == .newline || kind == .eof }
    /// A line break, as opposed to a `;`.
    package var isLineBreak: Bool { kind == .newline && lexeme == "\n" }
}
