// Evaluation of expressions to values: literals, variables, `frame.column`, lists, and
// arithmetic, comparison and logic on scalars. Expressions over whole columns (filters,
// derived columns, aggregates) are evaluated by the commands that take them.

import Frame
import Learn
import RecScript

extension Interpreter {
    /// `m.name`: a hyperparameter's value, a training fact (spaces read as `_`), or an array
    /// the model exposes, as a one-column frame.
    private func attribute(_ name: String, of m: ModelValue, at range: SourceRange, base: Expr) throws(RuntimeError) -> Value {
        let all = Self.attributes(of: m)
        if let found = all.first(where: { $0.name == name }) { return found.value() }
        var names: [String] = []
        for a in all where !names.contains(a.name) { names.append(a.name) }
        throw RuntimeError("'\(name)' is not an attribute of the \(m.model.kind) model '\(sourceText(base.range))'\(Suggestions.didYouMean(name, in: names))",
                           at: range, notes: ["attributes: \(names.joined(separator: ", "))"])
    }

    /// A model's attributes in lookup order: hyperparameters, arrays, then training facts
    /// (named with `_` for spaces and without commas). Values are made only when read.
    private static func attributes(of m: ModelValue) -> [(name: String, value: () -> Value)] {
        var out: [(name: String, value: () -> Value)] = []
        for (key, setting) in m.spec?.settings(of: m.model) ?? [] {
            out.append((key, {
                switch setting {
                case .int(let n): .int(Int64(n))
                case .number(let x): .double(x)
                case .bool(let b): .bool(b)
                case .choice(let w): .string(w)
                case .ints(let ns): .frame(DataFrame(unchecked: [.integers(key, ns.map(Int64.init))], rowCount: ns.count))
                }
            }))
        }
        if let trials = m.trials { out.append(("trials", { .frame(trials) })) }
        if let history = m.model.history { out.append(("history", { .frame(HistoryDisplay.frame(history)) })) }
        for (key, values) in m.model.arrays {
            out.append((key, { .frame(DataFrame(unchecked: [.doubles(key, values)], rowCount: values.count)) }))
        }
        for (key, fact) in m.model.facts {
            out.append((key.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: ",", with: ""), {
                switch fact {
                case .int(let n): .int(Int64(n))
                case .number(let x): .double(x)
                case .text(let t): .string(t)
                }
            }))
        }
        return out
    }

    /// The value of `e` in this session.
    package func evaluate(_ e: Expr) throws(RuntimeError) -> Value {
        switch e.kind {
        case .integer(let v): return .int(v)
        case .float(let v): return .double(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .null: return .none
        case .identifier(let name): return try variable(name, at: e.range)
        case .member(let base, let name):
            let v = try evaluate(base)
            if case .model(let m) = v { return try attribute(name, of: m, at: e.range, base: base) }
            guard case .frame(let frame) = v else {
                throw RuntimeError("'.\(name)' selects a column of a frame or an attribute of a model, but '\(sourceText(base.range))' is \(v.typeName)",
                                   at: base.range)
            }
            guard let column = frame[name] else {
                throw Self.unknownColumn(name, in: frame, at: e.range)
            }
            return .column(column)
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .call(let name, _):
            throw RuntimeError("'\(name)(…)' is a column function; it is valid inside the expressions of commands such as filter, derive and group",
                               at: e.range)
        case .namedArgument(let name, _):
            throw RuntimeError("'\(name)=' names an argument of a range such as int(2, 64, step=2), which only a search space {…} reads",
                               at: e.range)
        case .map:
            throw Self.mapIsNotAValue(at: e.range)
        case .unary(.negate, let x):
            switch try evaluate(x) {
            case .int(let v): return .int(-v)
            case .double(let v): return .double(-v)
            case let v: throw RuntimeError("cannot negate \(v.typeName)", at: e.range)
            }
        case .unary(.not, let x):
            guard case .bool(let b) = try evaluate(x) else {
                throw RuntimeError("'not' needs true or false", at: x.range)
            }
            return .bool(!b)
        case .binary(let op, let a, let b) where op == .and || op == .or:
            // Short-circuit: `x != 0 and 1 / x > 2` never divides by zero.
            guard case .bool(let left) = try evaluate(a) else {
                throw RuntimeError("'\(op.rawValue)' needs true or false on both sides", at: a.range)
            }
            if op == .and && !left { return .bool(false) }
            if op == .or && left { return .bool(true) }
            guard case .bool(let right) = try evaluate(b) else {
                throw RuntimeError("'\(op.rawValue)' needs true or false on both sides", at: b.range)
            }
            return .bool(right)
        case .binary(let op, let a, let b):
            return try binary(op, try evaluate(a), try evaluate(b), e)
        case .isNull(let x, let negated):
            let v = try evaluate(x)
            if case .none = v { return .bool(!negated) }
            return .bool(negated)
        case .inList(let x, let listExpr, let negated):
            let v = try evaluate(x)
            guard case .list(let items) = try evaluate(listExpr) else {
                throw RuntimeError("'in' needs a list on its right, such as [1, 2, 3]", at: listExpr.range)
            }
            let found = items.contains { scalarEqual($0, v) }
            return .bool(found != negated)
        }
    }

    /// The error for a map literal where a value is needed.
    static func mapIsNotAValue(at range: SourceRange) -> RuntimeError {
        RuntimeError("a map {…} is not a value; maps are option values of commands, such as a search space: tune … space={C: log(1e-4, 1), depth: [4, 8]}",
                     at: range)
    }

    private func scalarEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.none, .none): true
        default:
            if let x = number(a), let y = number(b) { x == y } else { false }
        }
    }

    private func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    private func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ e: Expr) throws(RuntimeError) -> Value {
        switch op {
        case .and, .or:
            guard case .bool(let x) = a, case .bool(let y) = b else {
                throw RuntimeError("'\(op.rawValue)' needs true or false on both sides", at: e.range)
            }
            return .bool(op == .and ? x && y : x || y)
        case .equal: return .bool(scalarEqual(a, b))
        case .notEqual: return .bool(!scalarEqual(a, b))
        case .less, .lessEqual, .greater, .greaterEqual:
            let order: Int
            if case .string(let x) = a, case .string(let y) = b {
                order = x < y ? -1 : x == y ? 0 : 1
            } else if let x = number(a), let y = number(b) {
                order = x < y ? -1 : x == y ? 0 : 1
            } else {
                throw RuntimeError("cannot compare \(a.typeName) with \(b.typeName)", at: e.range)
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add, .subtract, .multiply, .divide, .remainder:
            if op == .add, case .string(let x) = a, case .string(let y) = b { return .string(x + y) }
            if case .int(let x) = a, case .int(let y) = b, op != .divide {
                switch op {
                case .add: let (r, o) = x.addingReportingOverflow(y); if !o { return .int(r) }
                case .subtract: let (r, o) = x.subtractingReportingOverflow(y); if !o { return .int(r) }
                case .multiply: let (r, o) = x.multipliedReportingOverflow(by: y); if !o { return .int(r) }
                default:
                    guard y != 0 else { throw RuntimeError("remainder by zero", at: e.range) }
                    return .int(x % y)
                }
                throw RuntimeError("integer overflow", at: e.range)
            }
            guard let x = number(a), let y = number(b) else {
                throw RuntimeError("'\(op.rawValue)' needs numbers, not \(a.typeName) and \(b.typeName)", at: e.range)
            }
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide:
                guard y != 0 else { throw RuntimeError("division by zero", at: e.range) }
                return .double(x / y)
            default:
                guard y != 0 else { throw RuntimeError("remainder by zero", at: e.range) }
                return .double(x.truncatingRemainder(dividingBy: y))
            }
        }
    }
}
