// Search: the grid's order, random draws in range (log ranges log-uniform by a quantile), the
// unit cube's encoding, successive halving's schedule and promotions, Bayesian search beating
// random search on smooth functions with the same trials, the Gaussian process against
// scikit-learn's, failed and interrupted trials, and a seed that fixes the whole sequence.

import Foundation
import Testing
import Frame
import Learn

private func number(_ v: HyperValue?) -> Double {
    switch v {
    case .int(let n): Double(n)
    case .number(let x): x
    default: .nan
    }
}

/// The trials' settings, scores and budgets in the order they ran (seconds left out).
private func sequence(_ r: SearchResult) -> [String] {
    r.inOrder.map { t in
        t.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            + " @\(t.budget.map(String.init) ?? "-") \(t.foldScores)"
    }
}

private struct ToyParameters: Sendable {
    enum Loss: String, Sendable, CaseIterable { case squared, logistic }
    var c = 1.0
    var depth = 6
    var loss = Loss.squared
}

@Suite struct SearchSpaceTests {
    @Test func gridIsTheProductLastDimensionFastest() throws {
        let space = try SearchSpace([("a", .values([.int(1), .int(2)])),
                                     ("b", .values([.choice("x"), .choice("y")])),
                                     ("c", .integers(lo: 2, hi: 8, step: 3))])
        #expect(space.gridSize == 12)
        let grid = try space.grid()
        #expect(grid.prefix(4).map { "\($0["a"]!)\($0["b"]!)\($0["c"]!)" } == ["1x2", "1x5", "1x8", "1y2"])
        #expect(grid.map { "\($0["a"]!)\($0["b"]!)\($0["c"]!)" }.last == "2y8")
        var called: [[String: HyperValue]] = []
        let result = try Search.run(space: space, strategy: .grid, trials: 5, seed: 1, higherIsBetter: true) { s, budget in
            #expect(budget == nil)
            called.append(s)
            return [number(s["c"])]
        }
        #expect(called == grid)
        #expect(result.notes == ["grid search tries all 12 combinations; trials=5 is ignored (strategy=random tries 5)"])
        // Best: c = 8, the first of them (trial 3) ranked first.
        #expect(result.trials.prefix(4).map(\.number) == [3, 6, 9, 12])
    }

    @Test func gridRefusesRealRanges() throws {
        let space = try SearchSpace([("C", .logUniform(lo: 1e-4, hi: 1))])
        #expect(throws: LearnError.invalidParameter(name: "C", reason: "is the range log(0.0001, 1); a grid needs a list of values, e.g. [0.001, 0.01, 0.1], or an int(lo, hi) range; or use strategy=random or bayes")) {
            try space.grid()
        }
    }

    @Test func malformedDimensionsAreRefused() {
        #expect(throws: LearnError.invalidParameter(name: "C", reason: "needs a lower bound above 0 (a log range), not 0; use uniform(lo, hi) for ranges that reach 0")) {
            try SearchSpace([("C", .logUniform(lo: 0, hi: 1))])
        }
        #expect(throws: LearnError.invalidParameter(name: "a", reason: "appears twice in the search space")) {
            try SearchSpace([("a", .values([.int(1)])), ("a", .values([.int(2)]))])
        }
        #expect(throws: LearnError.invalidParameter(name: "d", reason: "has step=0; the step must be at least 1")) {
            try SearchSpace([("d", .integers(lo: 1, hi: 5, step: 0))])
        }
        #expect(throws: LearnError.invalidParameter(name: "d", reason: "lists no values")) {
            try SearchSpace([("d", .values([]))])
        }
        #expect(throws: LearnError.invalidParameter(name: "x", reason: "needs its lower bound below its upper bound, not 1 and 1")) {
            try SearchSpace([("x", .uniform(lo: 1, hi: 1))])
        }
    }

    @Test func drawsStayInRangeAndLogRangesAreLogUniform() throws {
        let space = try SearchSpace([("C", .logUniform(lo: 1e-4, hi: 1)), ("x", .uniform(lo: -1, hi: 3)),
                                     ("d", .integers(lo: 2, hi: 64, step: 2))])
        var rng = Xoshiro256(seed: 42)
        let draws = (0..<4000).map { _ in space.sample(&rng) }
        let cs = draws.map { number($0["C"]) }, xs = draws.map { number($0["x"]) }, ds = draws.map { number($0["d"]) }
        #expect(cs.allSatisfy { $0 >= 1e-4 && $0 <= 1 })
        #expect(xs.allSatisfy { $0 >= -1 && $0 <= 3 })
        #expect(ds.allSatisfy { $0 >= 2 && $0 <= 64 && Int($0) % 2 == 0 })
        #expect(Set(ds).count == 32)
        // Log-uniform: a quarter below 1e-3, half below 1e-2 (a uniform draw puts 0.1% and 1% there).
        let belowMilli = Double(cs.filter { $0 < 1e-3 }.count) / 4000, belowCenti = Double(cs.filter { $0 < 1e-2 }.count) / 4000
        #expect(abs(belowMilli - 0.25) < 0.03)
        #expect(abs(belowCenti - 0.5) < 0.03)
        #expect(abs(Double(xs.filter { $0 < 1 }.count) / 4000 - 0.5) < 0.03)
    }

    @Test func unitCubeEncoding() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 2)), ("C", .logUniform(lo: 1e-3, hi: 10)),
                                     ("d", .integers(lo: 2, hi: 10, step: 4)),
                                     ("r", .values([.number(10), .number(0.1), .number(1)])),
                                     ("loss", .values([.choice("a"), .choice("b")])),
                                     ("fixed", .values([.int(3)]))])
        #expect(space.unitDimensions == 6)
        let s: [String: HyperValue] = ["x": .number(0.5), "C": .number(0.1), "d": .int(6), "r": .number(10),
                                       "loss": .choice("b"), "fixed": .int(3)]
        let u = space.toUnit(s)
        let expected = [0.25, 0.5, 0.5, 2.5 / 3, 0, 1]
        #expect(zip(u, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let back = space.fromUnit(u)
        #expect(abs(number(back["C"]) - 0.1) < 1e-12)
        #expect(back["x"] == .number(0.5) && back["d"] == .int(6) && back["r"] == .number(10))
        #expect(back["loss"] == .choice("b") && back["fixed"] == .int(3))
        // Every cell of the ordinal list and the integer range reads back as its value.
        #expect(space.fromUnit([0, 0, 0, 0, 0.7, 0.2])["r"] == .number(0.1))
        #expect(space.fromUnit([1, 1, 1, 1, 0.7, 0.2]) == ["x": .number(2), "C": .number(10), "d": .int(10),
                                                           "r": .number(10), "loss": .choice("a"), "fixed": .int(3)])
        var rng = Xoshiro256(seed: 5)
        for _ in 0..<50 {
            let p = space.sample(&rng)
            let q = space.fromUnit(space.toUnit(p))
            #expect(q["d"] == p["d"] && q["r"] == p["r"] && q["loss"] == p["loss"])
            #expect(abs(number(q["C"]) / number(p["C"]) - 1) < 1e-12)
            // snap, the shortcut, against decoding and encoding again.
            let u = (0..<6).map { _ in rng.uniform() }
            let (snapped, reference) = (space.snap(u), space.toUnit(space.fromUnit(u)))
            #expect(snapped[2...] == reference[2...])
            #expect(zip(snapped, reference).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }

    @Test func checkedAgainstAModel() throws {
        let declared: [Hyperparameter<ToyParameters>] = [
            .number("C", \.c, min: 0, openMin: true, logScale: true, "cost"),
            .integer("depth", \.depth, 1...32, "depth"),
            .choice("loss", \.loss, "loss"),
        ]
        let infos = declared.map { $0.info(defaults: ToyParameters()) }
        let space = try SearchSpace([("C", .values([.int(1), .number(0.5)])), ("depth", .integers(lo: 2, hi: 8, step: 2)),
                                     ("loss", .values([.choice("logistic")]))])
        #expect(try space.checked(against: infos).entries[0].dimension == .values([.number(1), .number(0.5)]))
        #expect(throws: LearnError.invalidParameter(name: "depht", reason: "is not a hyperparameter of this model (hyperparameters: C, depth, loss)")) {
            try SearchSpace([("depht", .values([.int(1)]))]).checked(against: infos)
        }
        #expect(throws: LearnError.invalidParameter(name: "depth", reason: "must be at least 1, not 0 (in the search space)")) {
            try SearchSpace([("depth", .integers(lo: 0, hi: 5, step: 1))]).checked(against: infos)
        }
        #expect(throws: LearnError.invalidParameter(name: "C", reason: "takes (0, inf), not an integer range; use uniform(lo, hi), log(lo, hi) or a list")) {
            try SearchSpace([("C", .integers(lo: 1, hi: 5, step: 1))]).checked(against: infos)
        }
        #expect(throws: LearnError.invalidParameter(name: "loss", reason: "must be one of squared, logistic, not 'hinge' (in the search space)")) {
            try SearchSpace([("loss", .values([.choice("hinge")]))]).checked(against: infos)
        }
    }
}

@Suite struct SearchTests {
    /// A smooth function with its maximum 0 at x = 0.3.
    static func bump(_ s: [String: HyperValue]) -> Double { -pow(number(s["x"]) - 0.3, 2) }

    /// Two dimensions, one on a log scale: maximum 0 at x = 0.7, C = 0.01.
    static func bowl(_ s: [String: HyperValue]) -> Double {
        -(pow(number(s["x"]) - 0.7, 2) + pow((log10(number(s["C"])) + 2) / 4, 2))
    }

    @Test func randomSearchDrawsTrialsAndScoresFolds() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 1)), ("k", .values([.int(1), .int(2), .int(3)]))])
        var seen: [Int] = []
        let result = try Search.run(space: space, strategy: .random, trials: 7, seed: 3, higherIsBetter: false,
                                    evaluate: { s, _ in [number(s["x"]) - 0.1, number(s["x"]) + 0.1] },
                                    onTrial: { seen.append($0.number) })
        #expect(seen == Array(1...7))
        #expect(result.trials.count == 7 && result.best == result.trials[0])
        #expect(result.trials.allSatisfy { abs($0.std - 0.1) < 1e-12 && abs($0.mean - number($0.settings["x"])) < 1e-12 })
        // Lower is better: ascending means.
        #expect(result.trials.map(\.mean) == result.trials.map(\.mean).sorted())
    }

    @Test func randomSearchTriesASmallSpaceOnceEach() throws {
        let space = try SearchSpace([("a", .values([.int(1), .int(2)])), ("b", .values([.bool(true), .bool(false)]))])
        let result = try Search.run(space: space, strategy: .random, trials: 10, seed: 3, higherIsBetter: true) { s, _ in
            [number(s["a"])]
        }
        #expect(result.trials.count == 4)
        #expect(Set(result.trials.map { "\($0.settings)" }).count == 4)
        #expect(result.notes == ["the space has only 4 combinations; each is tried once"])
    }

    /// 10..270 with factor 3: 27 candidates at 10, the best 9 at 30, 3 at 90, 1 at 270.
    @Test func halvingPromotesOnlyTheBest() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 1))])
        let result = try Search.run(space: space, strategy: .halving, seed: 8, higherIsBetter: true, budget: 10...270) { s, budget in
            #expect(budget! <= 270)
            return [Self.bump(s) + Double(budget!) * 1e-9]
        }
        let runs = result.inOrder
        #expect(runs.count == 40)
        #expect(runs.map { $0.budget! } == [Int](repeating: 10, count: 27) + [Int](repeating: 30, count: 9)
                    + [Int](repeating: 90, count: 3) + [270])
        #expect(runs.map { $0.rung! } == [Int](repeating: 0, count: 27) + [Int](repeating: 1, count: 9)
                    + [Int](repeating: 2, count: 3) + [3])
        for (rung, keep) in [(1, 9), (2, 3), (3, 1)] {
            let before = runs.filter { $0.rung == rung - 1 }.sorted { $0.mean > $1.mean }.prefix(keep).map { "\($0.settings)" }
            #expect(Set(before) == Set(runs.filter { $0.rung == rung }.map { "\($0.settings)" }))
        }
        #expect(result.best?.budget == 270)
        #expect(result.best?.settings == runs.filter { $0.rung == 0 }.max { $0.mean < $1.mean }?.settings)
        // 10..200: ⌊200 / 10⌋ = 20 candidates, rounds at 200/9, 200/3, 200.
        let other = try Search.run(space: space, strategy: .halving, seed: 8, higherIsBetter: true, budget: 10...200) { s, _ in
            [Self.bump(s)]
        }
        #expect(other.inOrder.map { $0.budget! } == [Int](repeating: 22, count: 20) + [Int](repeating: 67, count: 7)
                    + [Int](repeating: 200, count: 3))
    }

    @Test func halvingNeedsABudgetWideEnough() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 1))])
        #expect(throws: LearnError.invalidParameter(name: "budget", reason: "10..20 leaves room for one round only; successive halving needs the largest budget at least 3 times the smallest")) {
            try Search.run(space: space, strategy: .halving, seed: 1, higherIsBetter: true, budget: 10...20) { _, _ in [0] }
        }
        #expect(throws: LearnError.invalidParameter(name: "budget", reason: "is needed by strategy=halving: the smallest and largest resource (trees, epochs or rows) to give a trial")) {
            try Search.run(space: space, strategy: .halving, seed: 1, higherIsBetter: true) { _, _ in [0] }
        }
    }

    /// Same seed, same trials: Bayesian search starts with random search's first draws, then
    /// lands nearer the optimum than random search does with all of its draws.
    @Test(arguments: [UInt64(1), 2, 3])
    func bayesBeatsRandomOnSmoothFunctions(_ seed: UInt64) throws {
        let line = try SearchSpace([("x", .uniform(lo: 0, hi: 1))])
        let plane = try SearchSpace([("x", .uniform(lo: 0, hi: 1)), ("C", .logUniform(lo: 1e-5, hi: 10))])
        for (space, f, trials) in [(line, Self.bump, 12), (plane, Self.bowl, 20)] {
            let bayes = try Search.run(space: space, strategy: .bayes, trials: trials, seed: seed, higherIsBetter: true) { s, _ in [f(s)] }
            let random = try Search.run(space: space, strategy: .random, trials: trials, seed: seed, higherIsBetter: true) { s, _ in [f(s)] }
            #expect(bayes.trials.count == trials)
            let initial = min(5, trials / 2)
            #expect(Array(sequence(bayes).prefix(initial)) == Array(sequence(random).prefix(initial)))
            #expect(bayes.best!.mean > random.best!.mean)
            #expect(bayes.best!.mean > -(trials == 12 ? 1e-4 : 2e-3))
        }
    }

    @Test func bayesHandlesDiscreteAndCategoricalSpaces() throws {
        let space = try SearchSpace([("d", .integers(lo: 1, hi: 9, step: 1)),
                                     ("loss", .values([.choice("a"), .choice("b"), .choice("c")]))])
        let result = try Search.run(space: space, strategy: .bayes, trials: 15, seed: 4, higherIsBetter: false) { s, _ in
            [abs(number(s["d"]) - 6) + (s["loss"] == .choice("c") ? 0 : 1)]
        }
        #expect(Set(result.trials.map { "\($0.settings)" }).count == 15)   // never the same setting twice
        #expect(result.best?.settings == ["d": .int(6), "loss": .choice("c")])
        // A space of 4 settings is exhausted after 4 trials.
        let small = try SearchSpace([("a", .values([.int(1), .int(2)])), ("b", .values([.int(1), .int(2)]))])
        let r = try Search.run(space: small, strategy: .bayes, trials: 10, seed: 4, higherIsBetter: true) { s, _ in [number(s["a"])] }
        #expect(r.trials.count == 4)
    }

    @Test(arguments: SearchStrategy.allCases)
    func aSeedFixesTheWholeSequence(_ strategy: SearchStrategy) throws {
        let space = strategy == .grid
            ? try SearchSpace([("x", .values([.number(0.1), .number(0.5)])), ("C", .values([.number(0.01), .number(1)]))])
            : try SearchSpace([("x", .uniform(lo: 0, hi: 1)), ("C", .logUniform(lo: 1e-5, hi: 10))])
        func go(_ seed: UInt64) throws -> [String] {
            sequence(try Search.run(space: space, strategy: strategy, trials: 8, seed: seed, higherIsBetter: true,
                                    budget: 1...9) { s, b in [Self.bowl(s) + Double(b ?? 0), Self.bowl(s)] })
        }
        #expect(try go(5) == go(5))
        if strategy != .grid { #expect(try go(5) != go(6)) }
    }

    @Test func interruptionKeepsTheFinishedTrials() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 1))])
        var calls = 0
        let result = try Search.run(space: space, strategy: .random, trials: 10, seed: 1, higherIsBetter: true) { s, _ throws(LearnError) in
            calls += 1
            if calls == 4 { throw .cancelled }
            return [Self.bump(s)]
        }
        #expect(result.interrupted && result.trials.count == 3 && result.best != nil)
        #expect(result.notes == ["interrupted after 3 trials"])
        // Cancelled through the context between trials.
        let flag = CancellationFlag()
        let viaFlag = try Search.run(space: space, strategy: .bayes, trials: 10, seed: 1, higherIsBetter: true,
                                     context: FitContext(cancellation: flag),
                                     evaluate: { s, _ in [Self.bump(s)] },
                                     onTrial: { if $0.number == 6 { flag.cancel() } })
        #expect(viaFlag.interrupted && viaFlag.trials.count == 6)
        // Cancelled before the first trial ends: nothing to rank, no error.
        let none = try Search.run(space: space, strategy: .random, trials: 3, seed: 1,
                                  higherIsBetter: true) { _, _ throws(LearnError) in throw .cancelled }
        #expect(none.interrupted && none.trials.isEmpty && none.best == nil)
    }

    @Test func failedTrialsAreRecordedAndRankedLast() throws {
        let space = try SearchSpace([("x", .uniform(lo: 0, hi: 1))])
        let result = try Search.run(space: space, strategy: .random, trials: 12, seed: 2, higherIsBetter: true) { s, _ throws(LearnError) in
            if number(s["x"]) > 0.5 { throw .numerical("diverged; lower the learning rate") }
            return number(s["x"]) < 0.1 ? [.nan] : [Self.bump(s)]
        }
        let failed = result.trials.filter { $0.status == .failed }
        #expect(!failed.isEmpty && failed.count < 12)
        #expect(result.trials.suffix(failed.count).allSatisfy { $0.status == .failed })
        #expect(failed.allSatisfy { $0.message == "diverged; lower the learning rate" || $0.message == "the score of fold 1 is not a finite number" })
        #expect(throws: LearnError.numerical("always")) {
            try Search.run(space: space, strategy: .random, trials: 3, seed: 2, higherIsBetter: true) { _, _ throws(LearnError) in throw .numerical("always") }
        }
    }

    /// Posterior and marginal likelihood against scikit-learn's GaussianProcessRegressor
    /// (Matern(length_scale=0.3, nu=2.5) fixed, alpha=1e-3 + 1e-9, normalize_y=True).
    @Test func gaussianProcessMatchesScikitLearn() {
        let points = [[0.1, 0.2], [0.4, 0.9], [0.8, 0.5], [0.3, 0.3]], values = [1.0, 3.0, 2.0, 1.5]
        var distances = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 { distances[i * 4 + j] = GaussianProcess.distance(points[i], points[j]) } }
        let gp = GaussianProcess(points: points, values: values, distances: distances, lengthScale: 0.3, noise: 1e-3)!
        let (mean, sd) = gp.posterior([0.5, 0.6])
        #expect(abs(mean - 2.3403612449720583) < 1e-9)
        #expect(abs(sd - 0.5171348428157178) < 1e-9)
        #expect(abs(gp.logMarginalLikelihood - -5.319552893509318) < 1e-9)
        // EI against scipy's norm.cdf and norm.pdf.
        #expect(abs(GaussianProcess.expectedImprovement(mean: 0.5, sd: 0.7, best: 0.2, margin: 0.01) - 0.44788765781023343) < 1e-12)
        #expect(GaussianProcess.expectedImprovement(mean: 0.1, sd: 0, best: 0.2, margin: 0.01) == 0)
    }
}
