// ArgumentBinder: matches a command call's arguments to its parameters, before anything runs.
//
// Positional arguments fill the positional parameters in order; `name=value` options and
// `keyword value` clauses go by name; a positional parameter may also be given by name.
// Literal values are checked against the parameter's kind here, so `fit baselin on train` or
// `head f "ten"` is a script error found before the first statement runs.

import RecScript

/// Arguments matched to parameter names.
package struct BoundArguments: Sendable {
    package var call: CommandCall
    package var byName: [String: Argument]
    /// Options accepted by a command's `openOptions`, in the order written.
    package var open: [(name: String, argument: Argument)] = []
    /// The form chosen by the first argument (`fit als`), for commands with forms.
    package var variant: CommandVariant? = nil

    package subscript(name: String) -> Argument? { byName[name] }
}

/// The problems that stopped a binding.
package struct BindingFailure: Error, Sendable {
    package var diagnostics: [Diagnostic]
}

/// Binds calls to specs.
package enum ArgumentBinder {
    /// The bound arguments, or every problem found.
    package static func bind(_ call: CommandCall, to spec: CommandSpec) -> Result<BoundArguments, BindingFailure> {
        var errors: [Diagnostic] = []
        var byName: [String: Argument] = [:]
        var open: [(name: String, argument: Argument)] = []
        var nextPositional = 0
        let variant = selectedVariant(call, spec)
        // Options of forms other than the chosen one; any of them passes while the form is unknown.
        let otherOptions = spec.variants.filter { $0.name != variant?.name }.flatMap(\.options).map(\.name)
        func place(_ name: String, _ argument: Argument) {
            if let earlier = byName[name] {
                errors.append(.error("'\(name)' is given twice to '\(spec.name)'", at: argument.range,
                                     notes: ["first given at \(earlier.range.start)"]))
            } else {
                byName[name] = argument
            }
        }
        for argument in call.arguments {
            switch argument.label {
            case .positional:
                // Skip positional parameters already given by name.
                while nextPositional < spec.positionals.count && byName[spec.positionals[nextPositional].name] != nil {
                    nextPositional += 1
                }
                guard nextPositional < spec.positionals.count else {
                    let takes = spec.positionals.isEmpty ? "no positional arguments" :
                        "\(spec.positionals.count) positional argument\(spec.positionals.count == 1 ? "" : "s")"
                    errors.append(.error("too many arguments to '\(spec.name)'; it takes \(takes)", at: argument.range,
                                         notes: ["usage: \(spec.usage)"]))
                    continue
                }
                place(spec.positionals[nextPositional].name, argument)
                nextPositional += 1
            case .option(let name, let range):
                let known = spec.parameters(in: variant)
                if known.contains(where: { $0.name == name }) || (variant == nil && otherOptions.contains(name)) {
                    place(name, argument)
                } else if let variant, otherOptions.contains(name) {
                    let owners = spec.variants(taking: name).map { "\(spec.name) \($0)" }
                    errors.append(.error("'\(name)' is not an option of '\(spec.name) \(variant.name)'", at: range,
                                         notes: ["it belongs to \(owners.joined(separator: ", "))",
                                                 optionList(spec, variant)]))
                } else if spec.openOptions != nil {
                    if let earlier = open.first(where: { $0.name == name }) {
                        errors.append(.error("'\(name)' is given twice to '\(spec.name)'", at: argument.range,
                                             notes: ["first given at \(earlier.argument.range.start)"]))
                    } else {
                        open.append((name, argument))
                    }
                } else {
                    let suggestion = Suggestions.didYouMean(name, in: known.map(\.name))
                    let valid = spec.options(in: variant).map(\.name)
                    let command = variant.map { "\(spec.name) \($0.name)" } ?? spec.name
                    errors.append(.error("unknown option '\(name)' for '\(command)'\(suggestion)", at: range,
                                         notes: valid.isEmpty ? ["'\(command)' takes no options"]
                                             : [optionList(spec, variant)]))
                }
            case .clause(let keyword, let range):
                if spec.clauses.contains(where: { $0.name == keyword }) {
                    place(keyword, argument)
                } else {
                    errors.append(.error("'\(keyword)' does not apply to '\(spec.name)'", at: range,
                                         notes: ["usage: \(spec.usage)"]))
                }
            }
        }
        if let openSpec = spec.openOptions, openSpec.required, open.isEmpty {
            errors.append(.error("'\(spec.name)' needs at least one \(openSpec.name)=<\(openSpec.placeholder)>", at: call.range,
                                 notes: ["usage: \(spec.usage)"]))
        }
        for p in spec.parameters(in: variant) where p.required && byName[p.name] == nil {
            errors.append(.error("'\(spec.name)' needs \(describe(p))", at: call.range,
                                 notes: ["usage: \(spec.usage(in: variant))"]))
        }
        for p in spec.parameters(in: variant) {
            if let argument = byName[p.name], let problem = literalProblem(argument.value, p) {
                errors.append(problem)
            }
        }
        return errors.isEmpty ? .success(BoundArguments(call: call, byName: byName, open: open, variant: variant))
            : .failure(BindingFailure(diagnostics: errors))
    }

    /// The form named by the call's first positional argument (bare, quoted or `name=`).
    static func selectedVariant(_ call: CommandCall, _ spec: CommandSpec) -> CommandVariant? {
        guard !spec.variants.isEmpty, let selector = spec.positionals.first else { return nil }
        for argument in call.arguments {
            switch argument.label {
            case .positional:
                return word(argument.value).flatMap(spec.variant)
            case .option(let name, _) where name == selector.name:
                return word(argument.value).flatMap(spec.variant)
            default: continue
            }
        }
        return nil
    }

    /// `options of fit als: factors, reg, ...` or `options: ...`.
    private static func optionList(_ spec: CommandSpec, _ variant: CommandVariant?) -> String {
        let names = spec.options(in: variant).map(\.name).joined(separator: ", ")
        return variant.map { "options of \(spec.name) \($0.name): \(names)" } ?? "options: \(names)"
    }

    private static func describe(_ p: ParameterSpec) -> String {
        switch p.kind {
        case .frame where p.name == "on": "a frame after 'on'"
        case .model: "a model (\(p.name))"
        case .frame: "a frame (\(p.name))"
        default: "'\(p.name)'"
        }
    }

    /// A diagnostic when a literal argument cannot be of the parameter's kind.
    static func literalProblem(_ e: Expr, _ p: ParameterSpec) -> Diagnostic? {
        func wrong(_ expected: String) -> Diagnostic {
            .error("\(p.name) must be \(expected), not \(literalName(e))", at: e.range)
        }
        switch p.kind {
        case .integer(let lo, let hi):
            switch e.kind {
            case .integer(let v):
                if let lo, v < lo { return .error("\(p.name) must be at least \(lo), not \(v)", at: e.range) }
                if let hi, v > hi { return .error("\(p.name) must be at most \(hi), not \(v)", at: e.range) }
            case .float, .string, .bool, .list, .null: return wrong("an integer")
            default: break
            }
        case .number(let lo, let hi):
            var value: Double?
            switch e.kind {
            case .integer(let v): value = Double(v)
            case .float(let v): value = v
            case .string, .bool, .list, .null: return wrong("a number")
            default: break
            }
            if let v = value {
                if let lo, v < lo { return .error("\(p.name) must be at least \(fmt(lo)), not \(fmt(v))", at: e.range) }
                if let hi, v > hi { return .error("\(p.name) must be at most \(fmt(hi)), not \(fmt(v))", at: e.range) }
            }
        case .bool:
            switch e.kind {
            case .integer, .float, .string, .list, .null: return wrong("true or false")
            default: break
            }
        case .string, .path:
            switch e.kind {
            case .integer, .float, .bool, .list, .null: return wrong("a string in quotes")
            default: break
            }
        case .choice(let choices):
            if case .list = e.kind { return wrong("one of \(choices.joined(separator: ", "))") }
            if let word = word(e) { return choiceProblem(word, choices, p, e.range) }
        case .choices(let choices):
            let items: [Expr]
            if case .list(let list) = e.kind { items = list } else { items = [e] }
            for item in items {
                if let word = word(item), let problem = choiceProblem(word, choices, p, item.range) { return problem }
            }
        case .columns, .column:
            switch e.kind {
            case .integer, .float, .bool, .null: return wrong("a column name")
            default: break
            }
        case .frame, .model:
            switch e.kind {
            case .integer, .float, .bool, .string, .list, .null:
                return wrong("a variable holding \(p.kind == .frame ? "a frame" : "a model")")
            default: break
            }
        case .any, .valueOrWords, .word, .rowExpression: break
        case .aggregates:
            let items: [Expr]
            if case .list(let list) = e.kind { items = list } else { items = [e] }
            for item in items {
                guard case .call = item.kind else {
                    return .error("\(p.name) takes aggregates such as mean(x) or count()", at: item.range)
                }
            }
        }
        return nil
    }

    private static func choiceProblem(_ word: String, _ choices: [String], _ p: ParameterSpec,
                                      _ range: SourceRange) -> Diagnostic? {
        if choices.contains(word) { return nil }
        let what = p.name == "model" ? "model" : p.name
        return .error("unknown \(what) '\(word)'\(Suggestions.didYouMean(word, in: choices))", at: range,
                      notes: ["choices: \(choices.joined(separator: ", "))"])
    }

    /// The word of a bare identifier or string literal.
    static func word(_ e: Expr) -> String? {
        switch e.kind {
        case .identifier(let s), .string(let s): s
        // `on_error=null`: the reserved word is also a choice's name.
        case .null: "null"
        default: nil
        }
    }

    private static func literalName(_ e: Expr) -> String {
        switch e.kind {
        case .integer: "an integer"
        case .float: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .list: "a list"
        case .null: "null"
        default: "that"
        }
    }

    private static func fmt(_ x: Double) -> String { NumberFormat.general(x) }
}
