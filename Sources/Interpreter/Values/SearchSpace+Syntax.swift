// A search space written in a script, as a map literal:
//
//   space={C: log(1e-4, 100), penalty: [l1, l2], depth: int(2, 12), leaves: int(8, 256, step=8),
//          subsample: uniform(0.5, 1), hidden: [[64], [64, 32]], seed: 7}
//
// Each value is one dimension:
//   [v, ...]                 these values: integers, numbers, words (bare or quoted), true/false,
//                            or lists of whole numbers ([64, 32] for layer widths)
//   int(lo, hi)              whole numbers lo..hi; int(lo, hi, step=s) (or a third positional)
//   uniform(lo, hi)          real numbers, uniform
//   log(lo, hi)              real numbers, uniform in the logarithm (0 < lo)
//   a single value           fixed: the same in every trial
// Only literals: a script's variables do not reach into a space (a bare name is a word).
// Errors are script errors located at the offending key, value or argument.

import Learn
import RecScript

extension SearchSpace {
    /// The functions that write a range, for messages and suggestions.
    package static let rangeFunctions = ["int", "uniform", "log"]

    /// The space written by the map `e` (the value of `option`, for messages).
    package init(syntax e: Expr, option: String = "space") throws(RuntimeError) {
        guard case .map(let entries) = e.kind else {
            throw RuntimeError(.script, "\(option)= takes a map of hyperparameters to values, such as {C: log(1e-4, 1), depth: [4, 8]}",
                               at: e.range)
        }
        try self.init(syntax: entries, at: e.range)
    }

    /// The space of a map's entries, in their order; `range` locates an empty map.
    package init(syntax entries: [MapEntry], at range: SourceRange) throws(RuntimeError) {
        guard !entries.isEmpty else {
            throw RuntimeError(.script, "the search space is empty; name at least one hyperparameter, such as {C: [0.1, 1, 10]}", at: range)
        }
        var out: [Entry] = []
        for entry in entries {
            if out.contains(where: { $0.name == entry.key }) {
                throw RuntimeError(.script, "'\(entry.key)' appears twice in the search space", at: entry.keyRange)
            }
            out.append(Entry(name: entry.key, dimension: try SearchDimension(syntax: entry.value, name: entry.key)))
        }
        do { try self.init(out) } catch { throw RuntimeError(.script, error.description, at: range) }
    }
}

extension SearchDimension {
    /// One dimension of a search space: a list, a range call, or a single literal.
    package init(syntax e: Expr, name: String) throws(RuntimeError) {
        switch e.kind {
        case .list(let items):
            guard !items.isEmpty else {
                throw RuntimeError(.script, "'\(name)' lists no values; give at least one, such as [1, 10]", at: e.range)
            }
            var values: [HyperValue] = []
            for item in items {
                let v = try Self.literal(item, name: name)
                if values.contains(v) {
                    throw RuntimeError(.script, "'\(name)' lists \(v) twice", at: item.range)
                }
                values.append(v)
            }
            self = .values(values)
        case .call(let function, let args):
            self = try Self.range(function, args, name: name, at: e)
        case .map:
            throw RuntimeError(.script, "'\(name)' cannot hold a map; give a list [a, b], int(lo, hi), uniform(lo, hi) or log(lo, hi)",
                               at: e.range)
        default:
            self = .values([try Self.literal(e, name: name)])
        }
        if let problem {
            throw RuntimeError(.script, "'\(name)' \(problem)", at: e.range)
        }
    }

    /// A literal value: an integer, a number, a word, true/false, or a list of whole numbers.
    private static func literal(_ e: Expr, name: String) throws(RuntimeError) -> HyperValue {
        switch e.kind {
        case .integer(let n): return .int(Int(n))
        case .float(let x): return .number(x)
        case .string(let s), .identifier(let s): return .choice(s)
        case .bool(let b): return .bool(b)
        case .list(let items):
            var ns: [Int] = []
            for item in items {
                guard case .integer(let n) = item.kind else {
                    throw RuntimeError(.script, "a list value of '\(name)' holds whole numbers only, such as [64, 32]", at: item.range)
                }
                ns.append(Int(n))
            }
            return .ints(ns)
        default:
            throw RuntimeError(.script, "the values of '\(name)' are written as literals: numbers, words, true or false, or lists of whole numbers",
                               at: e.range)
        }
    }

    /// `int(lo, hi[, step=s])`, `uniform(lo, hi)`, `log(lo, hi)`.
    private static func range(_ function: String, _ args: [Expr], name: String, at e: Expr) throws(RuntimeError) -> SearchDimension {
        guard SearchSpace.rangeFunctions.contains(function) else {
            throw RuntimeError(.script, "unknown range '\(function)(…)' for '\(name)'\(Suggestions.didYouMean(function, in: SearchSpace.rangeFunctions))",
                               at: e.range,
                               notes: ["a dimension is a list [a, b], int(lo, hi), int(lo, hi, step=s), uniform(lo, hi) or log(lo, hi)"])
        }
        var positional: [Expr] = []
        var step: Expr?
        for a in args {
            if case .namedArgument(let label, let value) = a.kind {
                guard function == "int", label == "step" else {
                    let hint = function == "int" ? Suggestions.didYouMean(label, in: ["step"]) : ""
                    throw RuntimeError(.script, "\(function)(…) takes no argument '\(label)'\(hint)", at: a.range)
                }
                step = value
            } else {
                positional.append(a)
            }
        }
        let usage = function == "int" ? "int(lo, hi) or int(lo, hi, step=s)" : "\(function)(lo, hi)"
        if function == "int", step == nil, positional.count == 3 { step = positional.removeLast() }
        guard positional.count == 2 else {
            throw RuntimeError(.script, "\(function)(…) takes two bounds: \(usage)", at: e.range)
        }
        if function == "int" {
            func whole(_ x: Expr) throws(RuntimeError) -> Int {
                guard case .integer(let n) = x.kind else {
                    throw RuntimeError(.script, "int(…) takes whole numbers: \(usage)", at: x.range)
                }
                return Int(n)
            }
            return .integers(lo: try whole(positional[0]), hi: try whole(positional[1]), step: try step.map(whole) ?? 1)
        }
        func real(_ x: Expr) throws(RuntimeError) -> Double {
            switch x.kind {
            case .integer(let n): return Double(n)
            case .float(let v): return v
            default: throw RuntimeError(.script, "\(function)(…) takes numbers: \(usage)", at: x.range)
            }
        }
        let (lo, hi) = (try real(positional[0]), try real(positional[1]))
        return function == "log" ? .logUniform(lo: lo, hi: hi) : .uniform(lo: lo, hi: hi)
    }
}
