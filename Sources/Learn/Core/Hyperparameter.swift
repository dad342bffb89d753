// Hyperparameters: each model kind's `Parameters` struct is the truth, and its declaration
// lists the hyperparameters as key paths into it, with a domain, a default (read from the
// struct's own initial value) and a one-line meaning. Validation, `help fit KIND`, completion,
// the fit summary, JSON output and search spaces all read this list, so a name is written once.

/// The value of one hyperparameter.
package enum HyperValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case number(Double)
    case bool(Bool)
    case choice(String)
    /// A list of whole numbers: the widths of an MLP's hidden layers, `[64, 32]`.
    case ints([Int])

    /// How the value reads in help and summaries: `64`, `0.01`, `true`, `cosine`.
    package var description: String {
        switch self {
        case .int(let n): String(n)
        case .number(let x): HyperValue.format(x)
        case .bool(let b): String(b)
        case .choice(let s): s
        case .ints(let ns): "[" + ns.map(String.init).joined(separator: ", ") + "]"
        }
    }

    /// The shortest decimal that reads back as `x` (`0.01`, not `0.01000000000000000021`).
    package static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// The values a hyperparameter accepts.
package enum HyperDomain: Sendable, Equatable {
    /// Whole numbers in a closed range.
    case integer(ClosedRange<Int>)
    /// Real numbers from `min` (excluded when `openMin`) to `max`; `logScale` says how a
    /// search should spread its trials (learning rates, regularisation).
    case number(min: Double, max: Double, openMin: Bool, logScale: Bool)
    case bool
    /// One word of a fixed set.
    case choice([String])
    /// A list of `count` whole numbers, each in `range`.
    case integers(ClosedRange<Int>, count: ClosedRange<Int>)

    /// `1..1000`, `(0, 10]`, `true|false`, `cosine|bm25`.
    package var text: String {
        switch self {
        case .integer(let r): "\(r.lowerBound)..\(r.upperBound)"
        case .number(let lo, let hi, let open, _):
            "\(open ? "(" : "[")\(HyperValue.format(lo)), \(hi == .infinity ? "inf)" : HyperValue.format(hi) + "]")"
        case .bool: "true|false"
        case .choice(let words): words.joined(separator: "|")
        case .integers(let r, let count): "[\(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)..\(count.upperBound)") of \(r.lowerBound)..\(r.upperBound)]"
        }
    }

    /// The reason `value` is outside the domain, or nil when it fits (after `coerced`).
    package func problem(_ value: HyperValue) -> String? {
        switch (self, value) {
        case (.integer(let r), .int(let n)):
            if n < r.lowerBound { return "must be at least \(r.lowerBound), not \(n)" }
            if n > r.upperBound { return "must be at most \(r.upperBound), not \(n)" }
            return nil
        case (.number(let lo, let hi, let open, _), .number(let x)):
            guard x.isFinite else { return "must be a finite number" }
            if open && x <= lo { return "must be greater than \(HyperValue.format(lo)), not \(HyperValue.format(x))" }
            if x < lo { return "must be at least \(HyperValue.format(lo)), not \(HyperValue.format(x))" }
            if x > hi { return "must be at most \(HyperValue.format(hi)), not \(HyperValue.format(x))" }
            return nil
        case (.bool, .bool): return nil
        case (.choice(let words), .choice(let w)):
            return words.contains(w) ? nil : "must be one of \(words.joined(separator: ", ")), not '\(w)'"
        case (.integers(let r, let count), .ints(let ns)):
            if ns.count < count.lowerBound { return "must list at least \(count.lowerBound) number\(count.lowerBound == 1 ? "" : "s")" }
            if ns.count > count.upperBound { return "must list at most \(count.upperBound) numbers, not \(ns.count)" }
            if let bad = ns.first(where: { !r.contains($0) }) { return "values must be from \(r.lowerBound) to \(r.upperBound), not \(bad)" }
            return nil
        case (.integers, _): return "must be a list of whole numbers, e.g. [64, 32]"
        case (.integer, _): return "must be an integer"
        case (.number, _): return "must be a number"
        case (.bool, _): return "must be true or false"
        case (.choice(let words), _): return "must be one of \(words.joined(separator: ", "))"
        }
    }

    /// `value` in this domain's type where the conversion is exact (an integer given for a
    /// number, a whole number given for an integer); otherwise unchanged.
    package func coerced(_ value: HyperValue) -> HyperValue {
        switch (self, value) {
        case (.number, .int(let n)): .number(Double(n))
        case (.integer, .number(let x)) where x == x.rounded() && abs(x) < 1e15: .int(Int(x))
        case (.integers, .int(let n)): .ints([n])
        default: value
        }
    }
}

/// What every hyperparameter says about itself, whatever model it belongs to.
package struct HyperparameterInfo: Sendable, Equatable {
    package let name: String
    package let domain: HyperDomain
    package let defaultValue: HyperValue
    /// One line: what it does.
    package let summary: String
}

/// One hyperparameter of a model kind, as a key path into its `Parameters`.
package struct Hyperparameter<P: Sendable>: Sendable {
    package let name: String
    package let domain: HyperDomain
    package let summary: String
    /// Reads the value from a `Parameters`.
    package let get: @Sendable (P) -> HyperValue
    /// Writes an in-domain value into a `Parameters`.
    package let set: @Sendable (inout P, HyperValue) -> Void

    /// An integer hyperparameter.
    package static func integer(_ name: String, _ path: WritableKeyPath<P, Int> & Sendable, _ range: ClosedRange<Int>,
                                _ summary: String) -> Hyperparameter {
        Hyperparameter(name: name, domain: .integer(range), summary: summary,
                       get: { .int($0[keyPath: path]) },
                       set: { p, v in if case .int(let n) = v { p[keyPath: path] = n } })
    }

    /// A real-valued hyperparameter; `openMin` excludes the lower bound (a learning rate > 0).
    package static func number(_ name: String, _ path: WritableKeyPath<P, Double> & Sendable,
                               min: Double, max: Double = .infinity, openMin: Bool = false, logScale: Bool = false,
                               _ summary: String) -> Hyperparameter {
        Hyperparameter(name: name, domain: .number(min: min, max: max, openMin: openMin, logScale: logScale),
                       summary: summary,
                       get: { .number($0[keyPath: path]) },
                       set: { p, v in if case .number(let x) = v { p[keyPath: path] = x } })
    }

    /// A list of whole numbers (layer widths), each in `range`, `count` of them.
    package static func integers(_ name: String, _ path: WritableKeyPath<P, [Int]> & Sendable, _ range: ClosedRange<Int>,
                                 count: ClosedRange<Int>, _ summary: String) -> Hyperparameter {
        Hyperparameter(name: name, domain: .integers(range, count: count), summary: summary,
                       get: { .ints($0[keyPath: path]) },
                       set: { p, v in if case .ints(let ns) = v { p[keyPath: path] = ns } })
    }

    /// A true/false hyperparameter.
    package static func bool(_ name: String, _ path: WritableKeyPath<P, Bool> & Sendable, _ summary: String) -> Hyperparameter {
        Hyperparameter(name: name, domain: .bool, summary: summary,
                       get: { .bool($0[keyPath: path]) },
                       set: { p, v in if case .bool(let b) = v { p[keyPath: path] = b } })
    }

    /// A hyperparameter that picks one case of a string enum.
    package static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ path: WritableKeyPath<P, E> & Sendable, _ summary: String
    ) -> Hyperparameter where E.RawValue == String {
        Hyperparameter(name: name, domain: .choice(E.allCases.map(\.rawValue)), summary: summary,
                       get: { .choice($0[keyPath: path].rawValue) },
                       set: { p, v in if case .choice(let w) = v, let e = E(rawValue: w) { p[keyPath: path] = e } })
    }

    /// The description of this hyperparameter with the default taken from `defaults`.
    package func info(defaults: P) -> HyperparameterInfo {
        HyperparameterInfo(name: name, domain: domain, defaultValue: get(defaults), summary: summary)
    }
}
