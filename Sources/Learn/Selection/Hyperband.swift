// Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar, 2017): successive halving run
// in brackets of different aggressiveness, from many candidates on a small budget to a few on
// the full one, so a setting that only shines with a large budget is not always cut early.
//
// With factor η and budget range [r_min, r_max]:
//   brackets  s = s_max, s_max - 1, ..., 0, with s_max = ⌊log_η(r_max / r_min)⌋
//   bracket s starts n_s = ⌈(s_max + 1) η^s / (s + 1)⌉ fresh random candidates and runs s + 1
//             rounds of successive halving: round i = 0 ... s evaluates
//               n_{s,i} = max(1, ⌊n_s η^-i⌋) settings (round 0: the candidates; then the best of
//                         round i - 1 by mean score, ties by trial number; failed trials never
//                         go on)
//               at budget r_{s,i} = max(r_min, round(r_max η^(i - s))),
//             so every bracket's last round runs at exactly r_max (as in SuccessiveHalving).
// Bracket s_max is successive halving from r_min; bracket 0 is random search at r_max; each
// bracket spends about (s_max + 1) r_max. E.g. r = 1 ... 81, η = 3 (Li et al.'s table 1):
//   s = 4: 81 at 1, 27 at 3, 9 at 9, 3 at 27, 1 at 81      s = 1: 8 at 27, 2 at 81
//   s = 3: 34 at 3, 11 at 9, 3 at 27, 1 at 81              s = 0: 5 at 81
//   s = 2: 15 at 9, 5 at 27, 1 at 81                       206 evaluations in all
// Li et al. keep ⌊n_{s,i} / η⌋ of each round (Keras Tuner computes each round's size afresh
// from the bracket's formula); n_{s,i} = ⌊n_s η^-i⌋ gives the same counts, and the max(1, ·)
// only matters when a small discrete space caps n_s.
//
// Candidates: each bracket draws its own (the brackets are independent, as in Li et al.),
// without repeats inside the bracket, from one Xoshiro256 seeded with `seed`; a discrete space
// with fewer settings than n_s gives the bracket each of them once. So a setting may recur in
// different brackets, at different budgets.
// `trials`, when given, caps the evaluations: the brackets run in the order above and then
// over again with new candidates (Li et al.'s repeated Hyperband), each bracket only when all
// of its evaluations fit in what is left, so every bracket that runs reaches r_max; the search
// ends when no bracket fits. Without `trials`, one pass of every bracket.

import Frame

/// The schedule and the loop of Hyperband.
enum Hyperband {
    /// One bracket: successive halving from `budgets[0]`.
    struct Bracket: Equatable {
        /// s: the bracket's aggressiveness, rounds - 1.
        var s: Int
        /// Settings evaluated in each round (first: the bracket's candidates).
        var counts: [Int]
        /// The budget of each round, ascending, the last one the maximum.
        var budgets: [Int]

        /// Evaluations in all rounds.
        var evaluations: Int { counts.reduce(0, +) }
    }

    /// The brackets of one run.
    struct Plan: Equatable {
        /// One pass: brackets s_max ... 0.
        var pass: [Bracket]
        /// The brackets in the order they run: one pass, or as many as `trials` holds.
        var schedule: [Bracket]
        var notes: [String] = []

        /// Evaluations of the whole schedule.
        var evaluations: Int { schedule.reduce(0) { $0 + $1.evaluations } }

        init(space: SearchSpace, evaluations cap: Int?, budget: ClosedRange<Int>?, factor: Int) throws(LearnError) {
            guard factor >= 2 else { throw .invalidParameter(name: "factor", reason: "must be at least 2, not \(factor)") }
            guard let budget else {
                throw .invalidParameter(name: "budget", reason: "is needed by strategy=hyperband: the smallest and largest resource (trees, epochs or rows) to give a trial")
            }
            let (lo, hi) = (budget.lowerBound, budget.upperBound)
            guard lo >= 1 else { throw .invalidParameter(name: "budget", reason: "must start at 1 or more, not \(lo)") }
            guard hi / lo >= factor else {
                throw .invalidParameter(name: "budget", reason: "\(lo)..\(hi) leaves room for one round only; hyperband needs the largest budget at least \(factor) times the smallest")
            }
            var sMax = 0, ratio = hi / lo
            while ratio >= factor { ratio /= factor; sMax += 1 }
            var notes: [String] = []
            let size = space.gridSize
            var pass: [Bracket] = []
            for s in stride(from: sMax, through: 0, by: -1) {
                var power = 1
                for _ in 0..<s { power *= factor }
                var n = ((sMax + 1) * power + s) / (s + 1)
                if let size, size < n {
                    if notes.isEmpty {
                        notes.append("the space has only \(size) combination\(size == 1 ? "" : "s"); a bracket starts each of them once")
                    }
                    n = size
                }
                var counts: [Int] = [], budgets: [Int] = []
                var share = n
                for i in 0...s {
                    counts.append(max(1, share))
                    share /= factor
                    var r = Double(hi)
                    for _ in 0..<(s - i) { r /= Double(factor) }
                    budgets.append(i == s ? hi : max(lo, Int(r.rounded())))
                }
                pass.append(Bracket(s: s, counts: counts, budgets: budgets))
            }
            let perPass = pass.reduce(0) { $0 + $1.evaluations }
            var schedule: [Bracket] = []
            if let cap {
                var left = cap, ran = true
                while ran {
                    ran = false
                    for b in pass where b.evaluations <= left {
                        schedule.append(b)
                        left -= b.evaluations
                        ran = true
                    }
                }
                guard !schedule.isEmpty else {
                    let least = pass.map(\.evaluations).min()!
                    throw .invalidParameter(name: "trials", reason: "is \(cap), fewer than the \(least) evaluations of hyperband's smallest bracket over budget \(lo)..\(hi); give at least \(least), or leave trials out for one pass of every bracket (\(perPass) evaluations)")
                }
                let skipped = pass.filter { b in !schedule.contains { $0.s == b.s } }
                if !skipped.isEmpty {
                    notes.append("trials=\(cap) leaves out bracket\(skipped.count == 1 ? "" : "s") \(skipped.map { "s=\($0.s) (\($0.evaluations) evaluations)" }.joined(separator: ", ")); one pass of every bracket takes \(perPass)")
                }
            } else {
                guard perPass <= Search.maxTrials else {
                    throw .tooLarge("hyperband over budget \(lo)..\(hi) runs \(perPass) evaluations in one pass of its brackets, more than \(Search.maxTrials); raise the smallest budget, or cap the evaluations with trials=")
                }
                schedule = pass
            }
            self.pass = pass
            self.schedule = schedule
            self.notes = notes
        }
    }

    /// Runs one trial at a budget, round and bracket; nil when the search must stop.
    typealias RunTrial = (_ settings: [String: HyperValue], _ budget: Int?, _ rung: Int?, _ bracket: Int) -> SearchTrial?

    /// Runs the brackets of `plan`'s schedule; returns notes for the user.
    static func run(_ plan: Plan, space: SearchSpace, seed: UInt64, higherIsBetter: Bool, trial: RunTrial) -> [String] {
        var rng = Xoshiro256(seed: seed)
        var notes = plan.notes
        for bracket in plan.schedule {
            var draws = Draws(space: space)
            var candidates: [[String: HyperValue]] = []
            for _ in 0..<bracket.counts[0] {
                guard let p = draws.next(&rng, count: bracket.counts[0]) else { break }
                candidates.append(p)
            }
            let ending = SuccessiveHalving.rounds(candidates, counts: bracket.counts, budgets: bracket.budgets,
                                                  higherIsBetter: higherIsBetter) { s, b, r in trial(s, b, r, bracket.s) }
            switch ending {
            case .finished: continue
            case .stopped: return notes
            case .allFailed(let round):
                notes.append("every trial of round \(round + 1) of bracket s=\(bracket.s) failed; none of its candidates goes on")
            }
        }
        return notes
    }
}
