// SearchSpace: named hyperparameters, each with the values a search may try, and the three
// ways the strategies read it: as a grid, by random draws, and as points of the unit cube
// for Bayesian optimisation.
//
// Dimensions:
//   values([a, b, c])       exactly these values (numbers, integers, booleans, words, lists)
//   int(lo, hi, step: s)    lo, lo + s, ..., up to hi: m = ⌊(hi - lo) / s⌋ + 1 values
//   uniform(lo, hi)         real x, uniform on [lo, hi]
//   log(lo, hi)             real x with ln x uniform on [ln lo, ln hi]  (0 < lo < hi)
//
// Grid: the product of every dimension's values, in the order the dimensions were given,
// the last dimension varying fastest (itertools.product). Integer ranges take every value of
// their step; real ranges are refused with a message, since no discretisation is neutral.
//
// Unit cube (Bayesian optimisation): each dimension takes coordinates in [0, 1]:
//   uniform     u = (x - lo) / (hi - lo)
//   log         u = (ln x - ln lo) / (ln hi - ln lo)
//   int / list of numbers (ordinal)   one coordinate; the i-th of m values (list values sorted
//               ascending) sits at the centre of its cell, u = (i + ½) / m, and u reads back
//               as i = min(m - 1, ⌊u m⌋)
//   list with a word, a boolean or a list (categorical)   one-hot: m coordinates, 1 for the
//               chosen value; reads back as the largest coordinate (ties: the first)
//   a single value   no coordinate
// So decode(encode(s)) = s, and encode(decode(u)) snaps u to the point the objective sees.

import Foundation
import Frame

/// The values one hyperparameter may take in a search.
package enum SearchDimension: Sendable, Equatable, CustomStringConvertible {
    /// Exactly these values.
    case values([HyperValue])
    /// Whole numbers lo, lo + step, ..., up to hi.
    case integers(lo: Int, hi: Int, step: Int)
    /// Real numbers uniform on [lo, hi].
    case uniform(lo: Double, hi: Double)
    /// Real numbers whose logarithm is uniform on [ln lo, ln hi].
    case logUniform(lo: Double, hi: Double)

    /// How it is written in a script: `[1, 10]`, `int(2, 64, step=2)`, `uniform(0, 1)`, `log(0.0001, 1)`.
    package var description: String {
        switch self {
        case .values(let vs): "[" + vs.map(\.description).joined(separator: ", ") + "]"
        case .integers(let lo, let hi, let step): "int(\(lo), \(hi)\(step == 1 ? "" : ", step=\(step)"))"
        case .uniform(let lo, let hi): "uniform(\(HyperValue.format(lo)), \(HyperValue.format(hi)))"
        case .logUniform(let lo, let hi): "log(\(HyperValue.format(lo)), \(HyperValue.format(hi)))"
        }
    }

    /// What is wrong with the dimension, or nil: an empty list, lo >= hi, a log range
    /// reaching 0, a step below 1.
    package var problem: String? {
        switch self {
        case .values(let vs):
            if vs.isEmpty { return "lists no values" }
            for (i, v) in vs.enumerated() {
                if case .number(let x) = v, !x.isFinite { return "value \(i + 1) is not a finite number" }
                if vs[..<i].contains(v) { return "lists \(v) twice" }
            }
            return nil
        case .integers(let lo, let hi, let step):
            if step < 1 { return "has step=\(step); the step must be at least 1" }
            if lo > hi { return "runs from \(lo) down to \(hi); write the smaller bound first" }
            return nil
        case .uniform(let lo, let hi), .logUniform(let lo, let hi):
            if !lo.isFinite || !hi.isFinite { return "needs finite bounds" }
            if lo >= hi { return "needs its lower bound below its upper bound, not \(HyperValue.format(lo)) and \(HyperValue.format(hi))" }
            if case .logUniform = self, lo <= 0 { return "needs a lower bound above 0 (a log range), not \(HyperValue.format(lo)); use uniform(lo, hi) for ranges that reach 0" }
            return nil
        }
    }

    /// The number of distinct values, or nil for a real range.
    package var count: Int? {
        switch self {
        case .values(let vs): vs.count
        case .integers(let lo, let hi, let step): (hi - lo) / step + 1
        case .uniform, .logUniform: nil
        }
    }

    /// The i-th value of a discrete dimension (list order; integer ranges ascending).
    package func value(at i: Int) -> HyperValue {
        switch self {
        case .values(let vs): vs[i]
        case .integers(let lo, _, let step): .int(lo + i * step)
        case .uniform(let lo, _), .logUniform(let lo, _): .number(lo)
        }
    }

    /// A list whose values are all numbers is ordered; any word, boolean or list makes it categorical.
    var isCategorical: Bool {
        guard case .values(let vs) = self, vs.count > 1 else { return false }
        return vs.contains { if case .int = $0 { false } else if case .number = $0 { false } else { true } }
    }

    /// Coordinates in the unit cube.
    var width: Int {
        switch self {
        case .values(let vs): vs.count <= 1 ? 0 : isCategorical ? vs.count : 1
        case .integers: count! <= 1 ? 0 : 1
        case .uniform, .logUniform: 1
        }
    }

    /// A list's indices sorted by numeric value (for the ordinal coordinate).
    var numericOrder: [Int] {
        guard case .values(let vs) = self else { return [] }
        func x(_ v: HyperValue) -> Double { if case .int(let n) = v { Double(n) } else if case .number(let d) = v { d } else { 0 } }
        return vs.indices.sorted { x(vs[$0]) != x(vs[$1]) ? x(vs[$0]) < x(vs[$1]) : $0 < $1 }
    }
}

/// Named dimensions: the hyperparameters a search varies and the values each may take.
package struct SearchSpace: Sendable, Equatable {
    /// One hyperparameter and its values.
    package struct Entry: Sendable, Equatable {
        package var name: String
        package var dimension: SearchDimension
        package init(name: String, dimension: SearchDimension) {
            self.name = name
            self.dimension = dimension
        }
    }

    /// A grid larger than this is refused: it would take longer than anyone waits.
    package static let maxGridSize = 100_000

    /// The dimensions, in the order given (the grid's order).
    package let entries: [Entry]

    /// A space over `entries`; throws when a name repeats or a dimension is malformed.
    package init(_ entries: [Entry]) throws(LearnError) {
        for (i, e) in entries.enumerated() {
            if entries[..<i].contains(where: { $0.name == e.name }) {
                throw .invalidParameter(name: e.name, reason: "appears twice in the search space")
            }
            if let p = e.dimension.problem { throw .invalidParameter(name: e.name, reason: p) }
        }
        self.entries = entries
    }

    /// Shorthand: `try SearchSpace(["C": ...])` is unordered, so take pairs.
    package init(_ pairs: [(String, SearchDimension)]) throws(LearnError) {
        try self.init(pairs.map { Entry(name: $0.0, dimension: $0.1) })
    }

    /// The hyperparameters' names, in order.
    package var names: [String] { entries.map(\.name) }

    /// Whether every dimension has finitely many values (no real ranges).
    package var isDiscrete: Bool { entries.allSatisfy { $0.dimension.count != nil } }

    /// The number of grid points, or nil when a dimension is a real range; saturates at Int.max.
    package var gridSize: Int? {
        var total = 1
        for e in entries {
            guard let c = e.dimension.count else { return nil }
            let (p, overflow) = total.multipliedReportingOverflow(by: c)
            total = overflow ? .max : p
        }
        return total
    }

    /// Every combination (last dimension fastest); throws for real ranges or a huge grid.
    package func grid() throws(LearnError) -> [[String: HyperValue]] {
        if let real = entries.first(where: { $0.dimension.count == nil }) {
            throw .invalidParameter(name: real.name, reason: "is the range \(real.dimension); a grid needs a list of values, e.g. [0.001, 0.01, 0.1], or an int(lo, hi) range; or use strategy=random or bayes")
        }
        let size = gridSize!
        guard size <= Self.maxGridSize else {
            throw .tooLarge("the grid has \(size) combinations, more than \(Self.maxGridSize); list fewer values or use strategy=random with trials=")
        }
        return (0..<size).map { gridPoint($0) }
    }

    /// The k-th grid point (last dimension fastest); the space must be discrete.
    package func gridPoint(_ k: Int) -> [String: HyperValue] {
        var rest = k
        var out: [String: HyperValue] = [:]
        for e in entries.reversed() {
            let c = e.dimension.count!
            out[e.name] = e.dimension.value(at: rest % c)
            rest /= c
        }
        return out
    }

    /// One random point: each dimension drawn independently, uniformly over its values (log
    /// ranges uniformly in the logarithm).
    package func sample(_ rng: inout Xoshiro256) -> [String: HyperValue] {
        var out: [String: HyperValue] = [:]
        for e in entries {
            switch e.dimension {
            case .values, .integers: out[e.name] = e.dimension.value(at: rng.below(e.dimension.count!))
            case .uniform(let lo, let hi): out[e.name] = .number(min(hi, lo + rng.uniform() * (hi - lo)))
            case .logUniform(let lo, let hi): out[e.name] = .number(Self.logValue(rng.uniform(), lo, hi))
            }
        }
        return out
    }

    private static func logValue(_ u: Double, _ lo: Double, _ hi: Double) -> Double {
        min(hi, max(lo, exp(log(lo) + u * (log(hi) - log(lo)))))
    }

    // MARK: - Unit cube

    /// Coordinates of the unit cube the space maps to (0 when every dimension is a single value).
    package var unitDimensions: Int { entries.reduce(0) { $0 + $1.dimension.width } }

    /// `settings` as a point of the unit cube; values outside the space go to the nearest cell.
    package func toUnit(_ settings: [String: HyperValue]) -> [Double] {
        var u: [Double] = []
        u.reserveCapacity(unitDimensions)
        for e in entries where e.dimension.width > 0 {
            let v = settings[e.name]
            switch e.dimension {
            case .uniform(let lo, let hi):
                u.append(min(1, max(0, (Self.number(v) - lo) / (hi - lo))))
            case .logUniform(let lo, let hi):
                u.append(min(1, max(0, (log(max(Self.number(v), .leastNormalMagnitude)) - log(lo)) / (log(hi) - log(lo)))))
            case .integers(let lo, _, let step):
                let m = e.dimension.count!
                let i = min(m - 1, max(0, Int(((Self.number(v) - Double(lo)) / Double(step)).rounded())))
                u.append((Double(i) + 0.5) / Double(m))
            case .values(let vs):
                let i = v.flatMap { vs.firstIndex(of: $0) } ?? 0
                if e.dimension.isCategorical {
                    for j in vs.indices { u.append(j == i ? 1 : 0) }
                } else {
                    let rank = e.dimension.numericOrder.firstIndex(of: i)!
                    u.append((Double(rank) + 0.5) / Double(vs.count))
                }
            }
        }
        return u
    }

    /// The settings at point `u` of the unit cube (coordinates clamped to [0, 1]).
    package func fromUnit(_ u: [Double]) -> [String: HyperValue] {
        precondition(u.count == unitDimensions, "a point of the unit cube needs \(unitDimensions) coordinates")
        var out: [String: HyperValue] = [:]
        var at = 0
        func cell(_ x: Double, _ m: Int) -> Int { min(m - 1, max(0, Int((x * Double(m)).rounded(.down)))) }
        for e in entries {
            let d = e.dimension
            guard d.width > 0 else { out[e.name] = d.value(at: 0); continue }
            let x = min(1, max(0, u[at].isNaN ? 0 : u[at]))
            switch d {
            case .uniform(let lo, let hi): out[e.name] = .number(min(hi, lo + x * (hi - lo)))
            case .logUniform(let lo, let hi): out[e.name] = .number(Self.logValue(x, lo, hi))
            case .integers: out[e.name] = d.value(at: cell(x, d.count!))
            case .values(let vs):
                if d.isCategorical {
                    var best = 0
                    for j in 1..<vs.count where u[at + j] > u[at + best] { best = j }
                    out[e.name] = vs[best]
                } else {
                    out[e.name] = vs[d.numericOrder[cell(x, vs.count)]]
                }
            }
            at += d.width
        }
        return out
    }

    /// `u` moved to the point its setting encodes to: toUnit(fromUnit(u)) for discrete
    /// dimensions (cell centres, one-hot vectors), clamped for real ranges; cheaper, and
    /// equal to toUnit(fromUnit(u)) wherever a dimension is discrete.
    package func snap(_ u: [Double]) -> [Double] {
        precondition(u.count == unitDimensions, "a point of the unit cube needs \(unitDimensions) coordinates")
        var out = u
        var at = 0
        for e in entries {
            let d = e.dimension
            guard d.width > 0 else { continue }
            let x = min(1, max(0, u[at].isNaN ? 0 : u[at]))
            switch d {
            case .uniform, .logUniform: out[at] = x
            case .integers, .values:
                if d.isCategorical {
                    var best = 0
                    for j in 1..<d.width where u[at + j] > u[at + best] { best = j }
                    for j in 0..<d.width { out[at + j] = j == best ? 1 : 0 }
                } else {
                    let m = d.count!
                    let i = min(m - 1, max(0, Int((x * Double(m)).rounded(.down))))
                    out[at] = (Double(i) + 0.5) / Double(m)
                }
            }
            at += d.width
        }
        return out
    }

    private static func number(_ v: HyperValue?) -> Double {
        switch v {
        case .int(let n): Double(n)
        case .number(let x): x
        default: 0
        }
    }

    // MARK: - Against a model's hyperparameters

    /// The space with each value put in its hyperparameter's type, after checking that every
    /// name is a hyperparameter of the model and every value, or range end, is in its domain.
    package func checked(against hyperparameters: [HyperparameterInfo]) throws(LearnError) -> SearchSpace {
        var out: [Entry] = []
        for e in entries {
            guard let info = hyperparameters.first(where: { $0.name == e.name }) else {
                throw .invalidParameter(name: e.name, reason: "is not a hyperparameter of this model (hyperparameters: \(hyperparameters.map(\.name).joined(separator: ", ")))")
            }
            let domain = info.domain
            func check(_ v: HyperValue) throws(LearnError) -> HyperValue {
                let c = domain.coerced(v)
                if let p = domain.problem(c) { throw .invalidParameter(name: e.name, reason: "\(p) (in the search space)") }
                return c
            }
            switch e.dimension {
            case .values(let vs):
                var coerced: [HyperValue] = []
                for v in vs { coerced.append(try check(v)) }
                out.append(Entry(name: e.name, dimension: .values(coerced)))
            case .integers(let lo, let hi, _):
                guard case .integer = domain else {
                    let hint = if case .number = domain { "; use uniform(lo, hi), log(lo, hi) or a list" } else { "" }
                    throw .invalidParameter(name: e.name, reason: "takes \(domain.text), not an integer range\(hint)")
                }
                _ = try check(.int(lo))
                _ = try check(.int(hi))
                out.append(e)
            case .uniform(let lo, let hi), .logUniform(let lo, let hi):
                guard case .number = domain else {
                    throw .invalidParameter(name: e.name, reason: "takes \(domain.text), not a real range; use int(lo, hi) or a list")
                }
                _ = try check(.number(lo))
                _ = try check(.number(hi))
                out.append(e)
            }
        }
        return try SearchSpace(out)
    }
}
