// CommandSpec: the declaration of a command — its parameters, documentation and behaviour.
// One declaration drives argument binding, static checking, `help`, docs/language.md and
// Tab completion, so they cannot drift apart.

import Frame

/// What an argument must be.
package enum ParameterKind: Sendable, Equatable {
    /// A variable holding a frame.
    case frame
    /// A variable holding a fitted model.
    case model
    /// A column name: bare (`user_id`), quoted, or `frame.column`.
    case column
    /// One column name or a list of them.
    case columns
    case integer(min: Int64?, max: Int64?)
    case number(min: Double?, max: Double?)
    case bool
    case string
    /// A file path (completion offers files).
    case path
    /// One word from a fixed set, bare or quoted.
    case choice([String])
    /// A list of words from a fixed set (or one word).
    case choices([String])
    /// Any value, evaluated.
    case any
    /// Any value, or one of these bare words read as itself (`users=all`).
    case valueOrWords([String])
    /// A bare word the command reads itself (a command name for `help`), not evaluated.
    case word
    /// An expression over a frame's rows (`where user_age > 25`): bare names are columns.
    case rowExpression
    /// Aggregates such as `[mean(is_listened), count()]`.
    case aggregates

    /// How the kind reads in usage lines: `<frame>`, `<n>`.
    package var placeholder: String {
        switch self {
        case .frame: "frame"
        case .model: "model"
        case .column: "column"
        case .columns: "[columns]"
        case .integer: "n"
        case .number: "x"
        case .bool: "true|false"
        case .string: "text"
        case .path: "\"path\""
        case .choice(let c): c.joined(separator: "|")
        case .choices: "[" + "names" + "]"
        case .any: "value"
        case .valueOrWords(let words): words.joined(separator: "|") + "|value"
        case .word: "name"
        case .rowExpression: "expression"
        case .aggregates: "[f(column), ...]"
        }
    }
}

/// One parameter of a command.
package struct ParameterSpec: Sendable {
    package var name: String
    package var kind: ParameterKind
    package var summary: String
    /// Shown in help; nil for required parameters.
    package var defaultText: String?
    package var required: Bool
    /// How the value reads in usage lines when the kind's own placeholder says too little.
    package var placeholderText: String? = nil

    /// `n`, `[columns]`, `["column:type", ...]`.
    package var placeholder: String { placeholderText ?? kind.placeholder }

    /// This parameter with `text` as its placeholder in usage lines.
    package func shown(as text: String) -> ParameterSpec {
        var copy = self
        copy.placeholderText = text
        return copy
    }

    /// A required parameter.
    package static func required(_ name: String, _ kind: ParameterKind, _ summary: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: kind, summary: summary, defaultText: nil, required: true)
    }

    /// An optional parameter with its default as help shows it.
    package static func optional(_ name: String, _ kind: ParameterKind, _ summary: String,
                                 default defaultText: String? = nil) -> ParameterSpec {
        ParameterSpec(name: name, kind: kind, summary: summary, defaultText: defaultText, required: false)
    }
}

/// Families of commands, in the order `help` lists them.
package enum CommandCategory: String, Sendable, CaseIterable {
    case data = "Data"
    case explore = "Exploration"
    case transform = "Transformation"
    case model = "Modelling"
    case session = "Session"
}

/// What a command produced.
package struct CommandResult: Sendable {
    /// The values, one per assignment target (`train, test = split ...` gets two).
    package var values: [Value]
    /// What to show when the command stands alone.
    package var display: Presentation?
    /// Whether to show `display` when the result is assigned (a fit's summary, a load's
    /// shape); otherwise an assignment shows a one-line brief.
    package var showWhenAssigned: Bool

    package init(_ values: [Value], display: Presentation? = nil, showWhenAssigned: Bool = false) {
        self.values = values
        self.display = display
        self.showWhenAssigned = showWhenAssigned
    }

    /// A single value shown as `display`.
    package init(_ value: Value, display: Presentation? = nil, showWhenAssigned: Bool = false) {
        self.init([value], display: display, showWhenAssigned: showWhenAssigned)
    }
}

/// A form of a command chosen by a literal word in its first argument (`fit als`, `plot roc`):
/// its own options, documentation and examples, on top of the command's shared ones.
package struct CommandVariant: Sendable {
    package var name: String
    /// One line: what this form does.
    package var summary: String
    /// Options that only this form takes.
    package var options: [ParameterSpec]
    package var details: [String]
    package var examples: [String]

    package init(name: String, summary: String, options: [ParameterSpec] = [], details: [String] = [],
                 examples: [String] = []) {
        self.name = name
        self.summary = summary
        self.options = options
        self.details = details
        self.examples = examples
    }
}

/// A command of the language.
package struct CommandSpec: Sendable {
    package var name: String
    package var category: CommandCategory
    /// One line: what it does.
    package var summary: String
    /// Positional parameters, in order. Each can also be given as `name=value`.
    package var positionals: [ParameterSpec] = []
    /// Keyword clauses, named by their keyword: `on`, `by`, `where`, `agg`.
    package var clauses: [ParameterSpec] = []
    /// `key=value` options.
    package var options: [ParameterSpec] = []
    /// Paragraphs of explanation.
    package var details: [String] = []
    package var examples: [String] = []
    /// Whether options other than the declared ones are accepted, each `name=expression`
    /// naming something new (derive's new columns).
    package var openOptions: ParameterSpec? = nil
    /// Names the result can be assigned to: 1, or 2 for `split`; 0 for none.
    package var results: Int = 1
    /// What the command returns, in words.
    package var returns: String = ""
    /// Forms chosen by the word in the first positional (whose kind lists their names); empty
    /// when the command has one form.
    package var variants: [CommandVariant] = []
    package var run: @Sendable (Invocation) throws(RuntimeError) -> CommandResult

    package init(name: String, category: CommandCategory, summary: String,
                 positionals: [ParameterSpec] = [], clauses: [ParameterSpec] = [], options: [ParameterSpec] = [],
                 openOptions: ParameterSpec? = nil,
                 details: [String] = [], examples: [String] = [], results: Int = 1, returns: String = "",
                 variants: [CommandVariant] = [],
                 run: @escaping @Sendable (Invocation) throws(RuntimeError) -> CommandResult) {
        self.openOptions = openOptions
        self.variants = variants
        self.name = name
        self.category = category
        self.summary = summary
        self.positionals = positionals
        self.clauses = clauses
        self.options = options
        self.details = details
        self.examples = examples
        self.results = results
        self.returns = returns
        self.run = run
    }

    /// Every parameter, for lookup by name.
    package var allParameters: [ParameterSpec] { positionals + clauses + options }

    /// The form called `name`.
    package func variant(_ name: String) -> CommandVariant? { variants.first { $0.name == name } }

    /// Every parameter of the command in the form `variant`.
    package func parameters(in variant: CommandVariant?) -> [ParameterSpec] {
        allParameters + (variant?.options ?? [])
    }

    /// The options of the command in the form `variant`: shared ones, then the form's own.
    package func options(in variant: CommandVariant?) -> [ParameterSpec] { options + (variant?.options ?? []) }

    /// The forms that take option `name`.
    package func variants(taking name: String) -> [String] {
        variants.filter { v in v.options.contains { $0.name == name } }.map(\.name)
    }

    /// `split <frame> [ratio=x] [seed=n]`-style usage line.
    package var usage: String { usage(in: nil) }

    /// The usage line of the form `variant` (`fit als on <frame> [factors=n] ...`), or of the
    /// command with its forms as `<model> [options of the model]`.
    package func usage(in variant: CommandVariant?) -> String {
        var parts = [name]
        for (index, p) in positionals.enumerated() {
            if index == 0, let variant {
                parts.append(variant.name)
            } else {
                parts.append(p.required ? "<\(p.name)>" : "[\(p.name)]")
            }
        }
        for c in clauses {
            parts.append(c.required ? "\(c.name) <\(c.placeholder)>" : "[\(c.name) <\(c.placeholder)>]")
        }
        if let open = openOptions { parts.append("<\(open.name)>=<\(open.placeholder)> ...") }
        for o in options(in: variant) {
            parts.append(o.required ? "\(o.name)=<\(o.placeholder)>" : "[\(o.name)=\(o.placeholder)]")
        }
        if variant == nil && !variants.isEmpty, let first = positionals.first {
            parts.append("[options of the \(first.name)]")
        }
        let assigned = results == 2 ? "a, b = " : ""
        return assigned + parts.joined(separator: " ")
    }
}
