// Hyperband: the brackets' schedule against hand-computed ones (Li et al.'s table for 1..81),
// promotions inside each bracket, `trials` as a cap on the evaluations, a small discrete space,
// a noisy objective whose noise shrinks with the budget, failed rounds, the outcome's best
// epoch, and a seed that fixes the sequence.

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

/// The trials in the order they ran, as runs of equal (bracket, rung, budget): [s, rung, budget, count].
private func schedule(_ r: SearchResult) -> [[Int]] {
    var out: [[Int]] = []
    for t in r.inOrder {
        let key = [t.bracket ?? -1, t.rung ?? -1, t.budget ?? -1]
        if let last = out.last, Array(last.prefix(3)) == key { out[out.count - 1][3] += 1 } else { out.append(key + [1]) }
    }
    return out
}

@Suite struct HyperbandTests {
    static let line = try! SearchSpace([("x", .uniform(lo: 0, hi: 1))])

    static func bump(_ s: [String: HyperValue]) -> Double { -pow(number(s["x"]) - 0.3, 2) }

    /// Li et al. (2017), table 1: R = 81, η = 3.
    @Test func scheduleFollowsLiEtAlsTable() throws {
        let r = try Search.run(space: Self.line, strategy: .hyperband, seed: 2, higherIsBetter: true, budget: 1...81) { s, b in
            [Self.bump(s) + Double(b!) * 1e-9]
        }
        #expect(schedule(r) == [[4, 0, 1, 81], [4, 1, 3, 27], [4, 2, 9, 9], [4, 3, 27, 3], [4, 4, 81, 1],
                                [3, 0, 3, 34], [3, 1, 9, 11], [3, 2, 27, 3], [3, 3, 81, 1],
                                [2, 0, 9, 15], [2, 1, 27, 5], [2, 2, 81, 1],
                                [1, 0, 27, 8], [1, 1, 81, 2],
                                [0, 0, 81, 5]])
        #expect(r.trials.count == 206 && r.notes.isEmpty)
        // Inside a bracket, round i + 1 takes the best of round i; brackets draw fresh candidates.
        let runs = r.inOrder
        for s in 1...4 {
            for rung in 1...s {
                let before = runs.filter { $0.bracket == s && $0.rung == rung - 1 }
                let after = runs.filter { $0.bracket == s && $0.rung == rung }
                let best = before.sorted { $0.mean > $1.mean }.prefix(after.count).map { "\($0.settings)" }
                #expect(Set(best) == Set(after.map { "\($0.settings)" }))
            }
        }
        let firsts = runs.filter { $0.rung == 0 }.map { "\($0.settings)" }
        #expect(Set(firsts).count == 81 + 34 + 15 + 8 + 5)
        // Ranked by the budget reached first: the 10 evaluations at 81 lead.
        #expect(r.trials.prefix(10).allSatisfy { $0.budget == 81 } && r.trials[10].budget == 27)
        #expect(r.best == runs.filter { $0.budget == 81 }.max { $0.mean < $1.mean })
    }

    /// Budgets rounded, the last one exactly the maximum; another factor through the options.
    @Test func scheduleWithRoundedBudgetsAndAnotherFactor() throws {
        let r = try Search.run(space: Self.line, strategy: .hyperband, seed: 2, higherIsBetter: true, budget: 10...200) { s, _ in [Self.bump(s)] }
        // ⌊log₃ 20⌋ = 2; n = 9, ⌈3·3/2⌉ = 5, 3; budgets 200/9 → 22, 200/3 → 67, 200.
        #expect(schedule(r) == [[2, 0, 22, 9], [2, 1, 67, 3], [2, 2, 200, 1], [1, 0, 67, 5], [1, 1, 200, 1], [0, 0, 200, 3]])
        let halves = try Search.run(space: Self.line, strategy: .hyperband, seed: 2, higherIsBetter: true, budget: 1...8,
                                    options: SearchOptions(factor: 2)) { s, _ in [Self.bump(s)] }
        // s_max = 3: n = 8, ⌈4·4/3⌉ = 6, ⌈4·2/2⌉ = 4, 4.
        #expect(schedule(halves) == [[3, 0, 1, 8], [3, 1, 2, 4], [3, 2, 4, 2], [3, 3, 8, 1],
                                     [2, 0, 2, 6], [2, 1, 4, 3], [2, 2, 8, 1],
                                     [1, 0, 4, 4], [1, 1, 8, 2],
                                     [0, 0, 8, 4]])
    }

    /// trials= caps the evaluations: whole brackets only, then passes again with new candidates.
    @Test func trialsCapsTheEvaluations() throws {
        // One pass over 1..9 takes 13 + 6 + 3 = 22 evaluations.
        let capped = try Search.run(space: Self.line, strategy: .hyperband, trials: 10, seed: 4, higherIsBetter: true, budget: 1...9) { s, _ in [Self.bump(s)] }
        #expect(schedule(capped) == [[1, 0, 3, 5], [1, 1, 9, 1], [0, 0, 9, 3]])
        #expect(capped.notes == ["trials=10 leaves out bracket s=2 (13 evaluations); one pass of every bracket takes 22"])
        let more = try Search.run(space: Self.line, strategy: .hyperband, trials: 50, seed: 4, higherIsBetter: true, budget: 1...9) { s, _ in [Self.bump(s)] }
        #expect(more.trials.count == 50)
        #expect(schedule(more).filter { $0[1] == 0 }.map { $0[0] } == [2, 1, 0, 2, 1, 0, 1])
        let candidates = Set(more.inOrder.filter { $0.rung == 0 }.map { "\($0.settings)" })
        #expect(candidates.count == 39, "2 × (9 + 5 + 3) + 5, all fresh")
        #expect(more.notes.isEmpty)
        #expect(throws: LearnError.invalidParameter(name: "trials", reason: "is 2, fewer than the 3 evaluations of hyperband's smallest bracket over budget 1..9; give at least 3, or leave trials out for one pass of every bracket (22 evaluations)")) {
            try Search.run(space: Self.line, strategy: .hyperband, trials: 2, seed: 4, higherIsBetter: true, budget: 1...9) { _, _ in [0] }
        }
    }

    @Test func budgetRefusals() throws {
        #expect(throws: LearnError.invalidParameter(name: "budget", reason: "10..20 leaves room for one round only; hyperband needs the largest budget at least 3 times the smallest")) {
            try Search.run(space: Self.line, strategy: .hyperband, seed: 1, higherIsBetter: true, budget: 10...20) { _, _ in [0] }
        }
        #expect(throws: LearnError.invalidParameter(name: "budget", reason: "is needed by strategy=hyperband: the smallest and largest resource (trees, epochs or rows) to give a trial")) {
            try Search.run(space: Self.line, strategy: .hyperband, seed: 1, higherIsBetter: true) { _, _ in [0] }
        }
        #expect(throws: LearnError.tooLarge("hyperband over budget 1..100000 runs 140418 evaluations in one pass of its brackets, more than 10000; raise the smallest budget, or cap the evaluations with trials=")) {
            try Search.run(space: Self.line, strategy: .hyperband, seed: 1, higherIsBetter: true, budget: 1...100_000) { _, _ in [0] }
        }
    }

    /// A space of 4 settings: each bracket starts all of them, and one still reaches the maximum.
    @Test func aSmallDiscreteSpaceCapsTheCandidates() throws {
        let small = try SearchSpace([("a", .values([.int(1), .int(2)])), ("b", .values([.choice("p"), .choice("q")]))])
        let r = try Search.run(space: small, strategy: .hyperband, seed: 3, higherIsBetter: true, budget: 1...9) { s, b in
            [number(s["a"]) + (s["b"] == .choice("q") ? 0.5 : 0) + Double(b!) * 1e-3]
        }
        #expect(schedule(r) == [[2, 0, 1, 4], [2, 1, 3, 1], [2, 2, 9, 1], [1, 0, 3, 4], [1, 1, 9, 1], [0, 0, 9, 3]])
        #expect(r.notes == ["the space has only 4 combinations; a bracket starts each of them once"])
        for s in 1...2 { #expect(Set(r.inOrder.filter { $0.bracket == s && $0.rung == 0 }.map { "\($0.settings)" }).count == 4) }
        #expect(r.best?.settings == ["a": .int(2), "b": .choice("q")] && r.best?.budget == 9)
    }

    /// The score's noise shrinks as 1 / budget (more epochs, a steadier estimate): the small
    /// budgets only sort out the bad settings, and the full budget finds the optimum.
    @Test(arguments: [UInt64(1), 2, 3])
    func findsTheOptimumWhenBudgetReducesNoise(_ seed: UInt64) throws {
        func noisy(_ s: [String: HyperValue], _ b: Int) -> Double {
            var rng = Xoshiro256(seed: number(s["x"]).bitPattern ^ UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
            return Self.bump(s) + 0.1 / Double(b) * rng.gaussian()
        }
        var calls: [Int: Int] = [:]
        let r = try Search.run(space: Self.line, strategy: .hyperband, seed: seed, higherIsBetter: true, budget: 1...81) { s, b in
            calls[b!, default: 0] += 1
            return [noisy(s, b!), noisy(s, b! + 1000)]
        }
        let best = try #require(r.best)
        #expect(best.budget == 81)
        #expect(abs(number(best.settings["x"]) - 0.3) < 0.05)
        #expect(calls == [1: 81, 3: 61, 9: 35, 27: 19, 81: 10])
        #expect(r.trials.prefix(10).allSatisfy { $0.budget == 81 })
    }

    /// A round where every trial fails ends its bracket; the other brackets go on.
    @Test func aFailedRoundEndsItsBracketOnly() throws {
        let r = try Search.run(space: Self.line, strategy: .hyperband, seed: 5, higherIsBetter: true, budget: 1...9) { s, b throws(LearnError) in
            if b! < 3 { throw .numerical("too few epochs") }
            return [Self.bump(s)]
        }
        #expect(schedule(r) == [[2, 0, 1, 9], [1, 0, 3, 5], [1, 1, 9, 1], [0, 0, 9, 3]])
        #expect(r.notes == ["every trial of round 1 of bracket s=2 failed; none of its candidates goes on"])
        #expect(r.trials.suffix(9).allSatisfy { $0.status == .failed && $0.message == "too few epochs" })
    }

    @Test func aSeedFixesTheSequence() throws {
        func go(_ seed: UInt64) throws -> [String] {
            try Search.run(space: Self.line, strategy: .hyperband, seed: seed, higherIsBetter: false, budget: 2...54) { s, b in
                [Self.bump(s) * Double(b!)]
            }.inOrder.map { "\($0.settings) \($0.bracket!) \($0.rung!) \($0.budget!) \($0.foldScores)" }
        }
        #expect(try go(7) == go(7))
        #expect(try go(7) != go(8))
    }

    /// evaluateOutcome's best epoch is kept on the trial; the scores-only form still works.
    @Test func theOutcomeCarriesTheBestEpoch() throws {
        let r = try Search.run(space: Self.line, strategy: .hyperband, seed: 1, higherIsBetter: true, budget: 3...27,
                               evaluateOutcome: { s, b in TrialOutcome(scores: [Self.bump(s)], bestEpoch: max(1, b! - 2)) })
        #expect(r.trials.allSatisfy { $0.bestEpoch == $0.budget! - 2 })
        let plain = try Search.run(space: Self.line, strategy: .random, trials: 3, seed: 1, higherIsBetter: true) { s, _ in [Self.bump(s)] }
        #expect(plain.trials.allSatisfy { $0.bestEpoch == nil && !$0.replayed && $0.bracket == nil })
    }
}
