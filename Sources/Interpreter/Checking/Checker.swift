// Checker: finds a program's mistakes before anything runs.
//
// Walks the statements in order, tracking which names are assigned so far, and reports
// unknown commands and variables (with the closest name), arguments that do not fit their
// command, and assignments of the wrong number of results. Columns are not checked here:
// they depend on files the script has not read yet.

import RecScript

/// Static checks of a program.
package struct Checker {
    package let registry: CommandRegistry
    /// Names already defined: the session's variables.
    package var known: Set<String>
    /// Whether `param` is allowed (scripts, not interactive entries).
    package let allowParameters: Bool

    package init(registry: CommandRegistry, known: Set<String>, allowParameters: Bool) {
        self.registry = registry
        self.known = known
        self.allowParameters = allowParameters
    }

    /// Every problem found, in source order.
    package func check(_ program: Program) -> [Diagnostic] {
        var state = self
        var problems: [Diagnostic] = []
        for stmt in program.statements { problems += state.check(stmt) }
        return problems
    }

    private mutating func check(_ stmt: Stmt) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        switch stmt.kind {
        case .param(let target, let value):
            if !allowParameters {
                problems.append(.error("'param' declares a script parameter and is allowed only in scripts; assign instead: \(target.name) = …", at: stmt.range))
            }
            problems += targetProblems([target])
            problems += references(in: value)
            known.insert(target.name)
        case .assign(let targets, let value):
            problems += targetProblems(targets)
            switch value {
            case .expression(let e):
                problems += references(in: e)
                if targets.count > 1 {
                    problems.append(.error("a value cannot be assigned to \(targets.count) names", at: stmt.range))
                }
            case .command(let call):
                problems += check(call, targets: targets.count)
            }
            for t in targets { known.insert(t.name) }
        case .command(let call):
            problems += check(call, targets: 0)
        case .show(let e):
            problems += references(in: e)
        }
        return problems
    }

    private func targetProblems(_ targets: [Target]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen = Set<String>()
        for t in targets {
            if registry[t.name] != nil {
                problems.append(.error("'\(t.name)' is a command; choose another name for the variable", at: t.range))
            }
            if !seen.insert(t.name).inserted {
                problems.append(.error("'\(t.name)' is assigned twice in one statement", at: t.range))
            }
        }
        return problems
    }

    private func check(_ call: CommandCall, targets: Int) -> [Diagnostic] {
        guard let spec = registry[call.name] else {
            if call.arguments.isEmpty {
                if known.contains(call.name) { return [] }
                let hint = Suggestions.didYouMean(call.name, in: registry.names + known.sorted())
                return [.error("unknown command or variable '\(call.name)'\(hint)", at: call.nameRange)]
            }
            return [.error("unknown command '\(call.name)'\(Suggestions.didYouMean(call.name, in: registry.names))",
                           at: call.nameRange, notes: ["'help' lists the commands"])]
        }
        var problems: [Diagnostic] = []
        switch ArgumentBinder.bind(call, to: spec) {
        case .failure(let failure): problems += failure.diagnostics
        case .success(let bound):
            for p in spec.parameters(in: bound.variant) {
                guard let argument = bound[p.name] else { continue }
                switch p.kind {
                case .frame where spec.name == "save" && argument.value.identifier == PlotCommands.saveKeyword:
                    break // `save plot "f.svg"`: the word names the last plot, not a variable.
                case .frame, .model, .integer, .number, .bool, .string, .path, .any:
                    problems += references(in: argument.value)
                case .valueOrWords(let words):
                    if case .identifier(let name) = argument.value.kind, words.contains(name), !known.contains(name) { break }
                    problems += references(in: argument.value)
                case .column, .columns:
                    // `f.col` refers to variable f; a bare word is a column name.
                    problems += memberBases(in: argument.value)
                case .choice, .choices, .word, .rowExpression, .aggregates:
                    break
                }
            }
        }
        if targets > 0 && spec.results != targets {
            if spec.results == 0 {
                problems.append(.error("'\(spec.name)' gives no value to assign", at: call.nameRange))
            } else {
                let names = spec.results == 2 ? "two names: a, b = \(spec.name) …" : "one name"
                problems.append(.error("'\(spec.name)' gives \(spec.results) value\(spec.results == 1 ? "" : "s"); assign \(spec.results == 1 ? "it" : "them") to \(names)",
                                       at: call.nameRange))
            }
        }
        return problems
    }

    /// Unknown variables referenced by an expression evaluated as a value.
    private func references(in e: Expr) -> [Diagnostic] {
        switch e.kind {
        case .identifier(let name):
            if known.contains(name) { return [] }
            return [.error("unknown variable '\(name)'\(Suggestions.didYouMean(name, in: known.sorted()))", at: e.range)]
        case .member(let base, _): return references(in: base)
        case .list(let items): return items.flatMap(references)
        case .unary(_, let x): return references(in: x)
        case .binary(_, let a, let b): return references(in: a) + references(in: b)
        case .call(_, let args): return args.flatMap(references)
        case .namedArgument(_, let x): return references(in: x)
        // A map's values are read by its command (a search space: lists of words, ranges).
        case .map: return []
        case .isNull(let x, _): return references(in: x)
        case .inList(let a, let b, _): return references(in: a) + references(in: b)
        case .integer, .float, .string, .bool, .null: return []
        }
    }

    /// Unknown variables used as the frame of `frame.column`.
    private func memberBases(in e: Expr) -> [Diagnostic] {
        switch e.kind {
        case .member(let base, _): return references(in: base)
        case .list(let items): return items.flatMap(memberBases)
        default: return []
        }
    }
}
