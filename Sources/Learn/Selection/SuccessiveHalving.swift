// Successive halving (Jamieson and Talwalkar, 2016; scikit-learn's HalvingRandomSearchCV):
// many random candidates on a small budget, and only the best on larger ones.
//
// With factor η, budget range [r_min, r_max] and n first-round candidates:
//   rounds   R = min(1 + ⌊log_η(r_max / r_min)⌋, 1 + ⌊log_η n⌋)
//   budgets  r_i = max(r_min, round(r_max / η^(R - 1 - i))), i = 0 ..< R, so the last round
//            runs at exactly r_max (scikit-learn's rounds instead start at r_min and may stop
//            below r_max; a tuned model should be judged at the budget it will be fitted with)
//   counts   n_0 = n, n_{i+1} = ⌈n_i / η⌉: the best ⌈n_i / η⌉ of round i (by mean score,
//            ties by trial number; failed trials never go on) are evaluated again at r_{i+1}
// By default n = max(η, ⌊r_max / r_min⌋) (scikit-learn's 'exhaust': the first round costs
// about as much as one candidate at full budget), capped by the size of a discrete space.
// No evaluation gets more than r_max, and every larger budget goes to a survivor of all the
// smaller ones.

import Frame

/// The schedule and the loop of successive halving.
enum SuccessiveHalving {
    /// Rounds, budgets and candidates of one run.
    struct Plan: Equatable {
        /// Candidates in each round (first: all of them).
        var counts: [Int]
        /// The budget of each round, ascending, the last one the maximum.
        var budgets: [Int]
        var notes: [String] = []

        var candidates: Int { counts[0] }
        /// Evaluations in all rounds.
        var evaluations: Int { counts.reduce(0, +) }

        init(space: SearchSpace, candidates: Int?, budget: ClosedRange<Int>?, factor: Int) throws(LearnError) {
            guard factor >= 2 else { throw .invalidParameter(name: "factor", reason: "must be at least 2, not \(factor)") }
            guard let budget else {
                throw .invalidParameter(name: "budget", reason: "is needed by strategy=halving: the smallest and largest resource (trees, epochs or rows) to give a trial")
            }
            let (lo, hi) = (budget.lowerBound, budget.upperBound)
            guard lo >= 1 else { throw .invalidParameter(name: "budget", reason: "must start at 1 or more, not \(lo)") }
            guard hi / lo >= factor else {
                throw .invalidParameter(name: "budget", reason: "\(lo)..\(hi) leaves room for one round only; successive halving needs the largest budget at least \(factor) times the smallest")
            }
            var n = candidates ?? max(factor, hi / lo)
            var notes: [String] = []
            if let size = space.gridSize, size < n {
                notes.append("the space has only \(size) combination\(size == 1 ? "" : "s"); the first round tries each once")
                n = size
            }
            var byBudget = 1, ratio = hi / lo
            while ratio >= factor { ratio /= factor; byBudget += 1 }
            var byCandidates = 1, left = n
            while left >= factor { left /= factor; byCandidates += 1 }
            let rounds = min(byBudget, byCandidates)
            var counts = [n]
            while counts.count < rounds { counts.append((counts.last! + factor - 1) / factor) }
            var budgets: [Int] = []
            for i in 0..<rounds {
                var r = Double(hi)
                for _ in 0..<(rounds - 1 - i) { r /= Double(factor) }
                budgets.append(max(lo, Int(r.rounded())))
            }
            self.counts = counts
            self.budgets = budgets
            self.notes = notes
        }
    }

    /// Runs the rounds of `plan`; returns notes for the user.
    static func run(_ plan: Plan, space: SearchSpace, seed: UInt64, higherIsBetter: Bool,
                    trial: Search.RunTrial) -> [String] {
        var rng = Xoshiro256(seed: seed)
        var draws = Draws(space: space)
        var candidates: [[String: HyperValue]] = []
        for _ in 0..<plan.candidates {
            guard let p = draws.next(&rng, count: plan.candidates) else { break }
            candidates.append(p)
        }
        switch rounds(candidates, counts: plan.counts, budgets: plan.budgets, higherIsBetter: higherIsBetter, trial: trial) {
        case .finished, .stopped: return plan.notes
        case .allFailed(let round): return plan.notes + ["every trial of round \(round + 1) failed; no candidate goes on"]
        }
    }

    /// How a run of rounds ended.
    enum Ending: Equatable {
        case finished
        /// The search must stop (cancelled).
        case stopped
        /// Every trial of this round (0 first) failed, so none went on.
        case allFailed(round: Int)
    }

    /// Evaluates `candidates` at `budgets[0]`, then the best `counts[i]` of round i - 1 at
    /// `budgets[i]` (by mean score, ties by trial number; failed trials never go on).
    static func rounds(_ candidates: [[String: HyperValue]], counts: [Int], budgets: [Int], higherIsBetter: Bool,
                       trial: Search.RunTrial) -> Ending {
        var survivors = candidates
        for (rung, budget) in budgets.enumerated() {
            var results: [SearchTrial] = []
            for s in survivors {
                guard let t = trial(s, budget, rung) else { return .stopped }
                results.append(t)
            }
            guard rung + 1 < budgets.count else { break }
            survivors = Search.rank(results, higherIsBetter: higherIsBetter)
                .filter { $0.status == .completed }
                .prefix(counts[rung + 1])
                .map(\.settings)
            if survivors.isEmpty { return .allFailed(round: rung) }
        }
        return .finished
    }
}
