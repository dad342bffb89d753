// Search: hyperparameter search over a SearchSpace. The caller owns the data and the folds: its
// `evaluate` closure fits and scores one setting (at a budget, for halving and hyperband) and
// returns one score per fold (or a TrialOutcome: the scores and the epoch of the best one, for
// trainings stopped early); the search decides which settings to try, in which order and at
// what budget.
//
//   grid       every combination of the space (SearchSpace.grid's order); `trials` is ignored
//   random     `trials` independent draws (SearchSpace.sample); a draw that repeats an earlier
//              setting is redrawn (up to maxRedraws times); a discrete space with no more
//              combinations than `trials` is tried whole, once each, in a seeded random order
//   halving    successive halving (SuccessiveHalving.swift)
//   hyperband  brackets of successive halving from different budgets (Hyperband.swift)
//   bayes      Gaussian-process Bayesian optimisation (BayesianSearch.swift)
//
// A trial's score is the mean of its fold scores; its spread is their population standard
// deviation (ddof 0, as scikit-learn's std_test_score). Trials run one after another (each
// fit already uses every core), so a seed fixes the whole sequence of settings. A trial whose
// evaluation throws (a diverging learning rate, say) is recorded as failed and the search goes
// on; when every trial fails, the first error is thrown. `.cancelled`, from `evaluate` or
// seen on the context between trials, stops the search: the result keeps the trials finished
// so far and says it was interrupted. Ranking: finished trials by mean (best first; ties by
// trial number), for halving and hyperband first by the budget reached; failed trials last.
//
// Resuming (TrialJournal.swift): every strategy's next setting depends only on the seed and the
// results of the trials before it. So a search given a journal that already records trials
// 1 ... m replays them: when the strategy asks for trial k <= m, the recorded result is used
// (after checking that its settings and budget are the ones asked for) instead of calling
// `evaluate`, and the strategy makes the same choices it made the first time; trials m + 1 ...
// are evaluated and appended. The final ranking equals an uninterrupted run's.

import Foundation
import Frame

/// How a search chooses the settings to try.
package enum SearchStrategy: String, Sendable, CaseIterable {
    case grid, random, halving, hyperband, bayes
}

/// What one evaluation found: a score per fold and, for a training stopped early, the budget
/// (epoch) at which its best score was reached.
package struct TrialOutcome: Sendable, Equatable {
    /// One score per fold.
    package var scores: [Double]
    /// The budget at which the best score was reached (early-stopped trainings), or nil.
    package var bestEpoch: Int?

    package init(scores: [Double], bestEpoch: Int? = nil) {
        self.scores = scores
        self.bestEpoch = bestEpoch
    }
}

/// One evaluated setting.
package struct SearchTrial: Sendable, Equatable {
    /// How the evaluation ended.
    package enum Status: String, Sendable {
        case completed, failed
    }

    /// 1, 2, ... in the order trials ran.
    package var number: Int
    package var settings: [String: HyperValue]
    /// The resource given to `evaluate` (halving, hyperband), nil for the caller's full budget.
    package var budget: Int?
    /// The round of successive halving (0 first; within its bracket for hyperband), nil for the
    /// other strategies.
    package var rung: Int?
    /// Hyperband's bracket s (s_max first, 0 last: see Hyperband.swift), nil for the others.
    package var bracket: Int? = nil
    /// One score per fold; empty when the trial failed.
    package var foldScores: [Double]
    /// The mean of the fold scores (0 when failed).
    package var mean: Double
    /// Their population standard deviation (0 when failed).
    package var std: Double
    package var seconds: Double
    package var status: Status
    /// Why the trial failed.
    package var message: String?
    /// The budget at which the best score was reached, when `evaluate` reported one.
    package var bestEpoch: Int? = nil
    /// True when the result was read back from a journal instead of evaluated in this run.
    package var replayed: Bool = false
}

/// Everything a search found.
package struct SearchResult: Sendable {
    package var strategy: SearchStrategy
    /// Every trial, best first (see the ranking rule at the top of Search.swift).
    package var trials: [SearchTrial]
    /// The best finished trial; nil only when interrupted before any trial finished.
    package var best: SearchTrial?
    /// Wall-clock seconds of the whole search.
    package var seconds: Double
    /// True when cancelled: `trials` holds those that finished before.
    package var interrupted: Bool
    /// Remarks for the user: an ignored `trials`, a space exhausted early, trials replayed.
    package var notes: [String]

    /// The best trial's settings.
    package var bestSettings: [String: HyperValue]? { best?.settings }

    /// The trials in the order they ran.
    package var inOrder: [SearchTrial] { trials.sorted { $0.number < $1.number } }
}

/// Knobs of the strategies; the defaults are the usual ones.
package struct SearchOptions: Sendable, Equatable {
    /// Successive halving (and hyperband's brackets) keep the best 1/factor of each round at
    /// factor times the budget.
    package var factor: Int = 3
    /// Bayesian search: random trials before the Gaussian process steers; nil for
    /// max(1, min(5, trials / 2)).
    package var initialTrials: Int? = nil
    /// Bayesian search: uniform random candidates scored by expected improvement per trial.
    package var candidates: Int = 2000
    /// Bayesian search: candidates drawn near the best point so far, per trial.
    package var localCandidates: Int = 500

    package init(factor: Int = 3, initialTrials: Int? = nil, candidates: Int = 2000, localCandidates: Int = 500) {
        self.factor = factor
        self.initialTrials = initialTrials
        self.candidates = candidates
        self.localCandidates = localCandidates
    }
}

/// Hyperparameter search: the driver and the grid and random strategies.
package enum Search {
    /// Trials of random and Bayesian search when the caller gives none.
    package static let defaultTrials = 20
    /// More trials than this is a mistake, not a search (each one is a cross-validated fit).
    package static let maxTrials = 10_000
    /// Bayesian search refits a Gaussian process (cubic in the trials) before every trial.
    package static let maxBayesTrials = 300
    /// Attempts to draw a setting not tried before, before accepting a repeat.
    static let maxRedraws = 100

    /// Runs one trial of a strategy at a budget and round; nil when the search must stop.
    typealias RunTrial = (_ settings: [String: HyperValue], _ budget: Int?, _ rung: Int?) -> SearchTrial?

    /// Evaluates one setting at a budget (nil: the caller's full budget); one score per fold.
    package typealias Evaluate = (_ settings: [String: HyperValue], _ budget: Int?) throws(LearnError) -> [Double]

    /// Evaluates one setting at a budget (nil: the caller's full budget): the fold scores and
    /// the epoch of the best one.
    package typealias EvaluateOutcome = (_ settings: [String: HyperValue], _ budget: Int?) throws(LearnError) -> TrialOutcome

    /// Runs a search whose evaluations return only fold scores; see the other `run`.
    package static func run(space: SearchSpace, strategy: SearchStrategy, trials: Int? = nil, seed: UInt64,
                            higherIsBetter: Bool, budget: ClosedRange<Int>? = nil,
                            options: SearchOptions = SearchOptions(), context: FitContext = FitContext(),
                            journal: TrialJournal? = nil,
                            evaluate: Evaluate,
                            onTrial: (SearchTrial) -> Void = { _ in }) throws(LearnError) -> SearchResult {
        try run(space: space, strategy: strategy, trials: trials, seed: seed, higherIsBetter: higherIsBetter,
                budget: budget, options: options, context: context, journal: journal,
                evaluateOutcome: { settings, b throws(LearnError) in TrialOutcome(scores: try evaluate(settings, b)) },
                onTrial: onTrial)
    }

    /// Runs a search: tries settings from `space` by `strategy`, calling `evaluateOutcome` for
    /// each and `onTrial` as each trial ends. `trials`: random and bayes draws (default
    /// `defaultTrials`), halving's first-round candidates (default max(factor, max / min
    /// budget)), hyperband's most evaluations (default: one pass of its brackets), ignored by
    /// grid. `budget`: the (min, max) resource of halving and hyperband, ignored by the other
    /// strategies (they pass nil to `evaluate`). `higherIsBetter`: AUC yes, RMSE no.
    /// `journal`: a file that records each finished trial; the trials it already holds for
    /// this search are replayed instead of evaluated (onTrial sees them with `replayed` set).
    /// (Disfavoured, so that a trailing closure that only throws still picks the scores-only form.)
    @_disfavoredOverload
    package static func run(space: SearchSpace, strategy: SearchStrategy, trials: Int? = nil, seed: UInt64,
                            higherIsBetter: Bool, budget: ClosedRange<Int>? = nil,
                            options: SearchOptions = SearchOptions(), context: FitContext = FitContext(),
                            journal: TrialJournal? = nil,
                            evaluateOutcome evaluate: EvaluateOutcome,
                            onTrial: (SearchTrial) -> Void = { _ in }) throws(LearnError) -> SearchResult {
        if let trials {
            guard trials >= 1 else { throw .invalidParameter(name: "trials", reason: "must be at least 1, not \(trials)") }
            guard trials <= maxTrials else { throw .invalidParameter(name: "trials", reason: "must be at most \(maxTrials), not \(trials)") }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var recorded: [SearchTrial] = []
        var interrupted = false
        var firstError: LearnError?
        var notes: [String] = []
        var planned = 1
        // The journal, opened at the first trial (so a search refused before it starts leaves
        // no file behind); its trials are replayed, and a journal error stops the search.
        var opened: TrialJournal.Opened?
        var journalError: LearnError?
        let facts = journalFacts(space: space, strategy: strategy, budget: budget, options: options)

        /// Runs one trial; nil when the search must stop (cancelled, or a journal error).
        func trial(_ settings: [String: HyperValue], budget: Int?, rung: Int?, bracket: Int? = nil) -> SearchTrial? {
            if journalError != nil { return nil }
            if interrupted || context.cancellation?.isCancelled == true { interrupted = true; return nil }
            let number = recorded.count + 1
            if let journal, opened == nil {
                do throws(LearnError) {
                    opened = try journal.open(strategy: strategy, seed: seed, search: facts)
                    notes += opened!.notes
                } catch { journalError = error; return nil }
            }
            if let opened, number <= opened.trials.count {
                var t = opened.trials[number - 1]
                guard t.settings == settings, t.budget == budget else {
                    journalError = opened.mismatch(at: t, settings: settings, budget: budget)
                    return nil
                }
                (t.rung, t.bracket, t.replayed) = (rung, bracket, true)
                if t.status == .failed, firstError == nil { firstError = .unsupported(t.message ?? "failed") }
                recorded.append(t)
                onTrial(t)
                return t
            }
            context.report(Double(number - 1) / Double(max(planned, number)), "trial \(number) of \(max(planned, number))")
            let began = clock.now
            var t = SearchTrial(number: number, settings: settings, budget: budget, rung: rung, bracket: bracket, foldScores: [],
                                mean: 0, std: 0, seconds: 0, status: .completed, message: nil)
            do {
                let outcome = try evaluate(settings, budget)
                let scores = outcome.scores
                if scores.isEmpty {
                    t.status = .failed
                    t.message = "the evaluation returned no scores"
                } else if let bad = scores.firstIndex(where: { !$0.isFinite }) {
                    t.status = .failed
                    t.message = "the score of fold \(bad + 1) is not a finite number"
                } else {
                    t.foldScores = scores
                    (t.mean, t.std) = meanAndStd(scores)
                    t.bestEpoch = outcome.bestEpoch
                }
            } catch .cancelled {
                interrupted = true
                return nil
            } catch {
                t.status = .failed
                t.message = error.description
                if firstError == nil { firstError = error }
            }
            t.seconds = seconds(clock.now - began)
            if let opened {
                do throws(LearnError) { try opened.append(t) } catch { journalError = error; return nil }
            }
            recorded.append(t)
            onTrial(t)
            return t
        }

        switch strategy {
        case .grid:
            let points = try space.grid()
            planned = points.count
            if let trials, trials != points.count {
                notes.append("grid search tries all \(points.count) combinations; trials=\(trials) is ignored (strategy=random tries \(trials))")
            }
            for p in points {
                if trial(p, budget: nil, rung: nil) == nil { break }
            }
        case .random:
            let n = trials ?? defaultTrials
            planned = n
            var rng = Xoshiro256(seed: seed)
            var draws = Draws(space: space)
            for _ in 0..<n {
                guard let p = draws.next(&rng, count: n) else { break }
                if trial(p, budget: nil, rung: nil) == nil { break }
            }
            notes += draws.notes
        case .halving:
            let plan = try SuccessiveHalving.Plan(space: space, candidates: trials, budget: budget, factor: options.factor)
            planned = plan.evaluations
            notes += SuccessiveHalving.run(plan, space: space, seed: seed, higherIsBetter: higherIsBetter) { s, b, r in
                trial(s, budget: b, rung: r)
            }
        case .hyperband:
            let plan = try Hyperband.Plan(space: space, evaluations: trials, budget: budget, factor: options.factor)
            planned = plan.evaluations
            notes += Hyperband.run(plan, space: space, seed: seed, higherIsBetter: higherIsBetter) { s, b, r, bracket in
                trial(s, budget: b, rung: r, bracket: bracket)
            }
        case .bayes:
            let n = trials ?? defaultTrials
            guard n <= maxBayesTrials else {
                throw .invalidParameter(name: "trials", reason: "must be at most \(maxBayesTrials) for strategy=bayes, not \(n) (its Gaussian process grows with the cube of the trials); use strategy=random for more")
            }
            planned = n
            notes += BayesianSearch.run(space: space, trials: n, seed: seed, higherIsBetter: higherIsBetter,
                                        options: options) { s, b, r in trial(s, budget: b, rung: r) }
        }
        if let journalError { throw journalError }
        if let opened {
            let replayed = recorded.count(where: \.replayed)
            if replayed > 0 { notes.append("\(replayed) trial\(replayed == 1 ? "" : "s") replayed from the journal \(opened.path)") }
            if opened.trials.count > recorded.count, !interrupted {
                let extra = opened.trials.count - recorded.count
                notes.append("the journal \(opened.path) holds \(extra) more trial\(extra == 1 ? "" : "s") than this search ran; \(extra == 1 ? "it was" : "they were") ignored")
            }
        }

        let finished = recorded.filter { $0.status == .completed }
        if finished.isEmpty, !interrupted, let firstError { throw firstError }
        let ranked = rank(recorded, higherIsBetter: higherIsBetter)
        if interrupted { notes.append("interrupted after \(recorded.count) trial\(recorded.count == 1 ? "" : "s")") }
        context.report(1, "\(recorded.count) trial\(recorded.count == 1 ? "" : "s")")
        return SearchResult(strategy: strategy, trials: ranked, best: ranked.first { $0.status == .completed },
                            seconds: seconds(clock.now - start), interrupted: interrupted, notes: notes)
    }

    /// What fixes a strategy's sequence besides the seed and the results, for a journal's
    /// header: the space, and the budget range and options the strategy reads. (Not `trials`:
    /// rerunning with more extends a search.)
    static func journalFacts(space: SearchSpace, strategy: SearchStrategy, budget: ClosedRange<Int>?,
                             options: SearchOptions) -> [(name: String, value: String)] {
        var facts = [(name: "space", value: "{" + space.entries.map { "\($0.name): \($0.dimension)" }.joined(separator: ", ") + "}")]
        switch strategy {
        case .grid, .random: break
        case .halving, .hyperband:
            facts.append((name: "budget", value: budget.map { "\($0.lowerBound)..\($0.upperBound)" } ?? "none"))
            facts.append((name: "options", value: "factor=\(options.factor)"))
        case .bayes:
            facts.append((name: "options", value: "initial=\(options.initialTrials.map(String.init) ?? "auto"), candidates=\(options.candidates), local=\(options.localCandidates)"))
        }
        return facts
    }

    /// Finished trials best first (by budget reached, then mean, then number); failed ones last.
    package static func rank(_ trials: [SearchTrial], higherIsBetter: Bool) -> [SearchTrial] {
        trials.sorted { a, b in
            if (a.status == .completed) != (b.status == .completed) { return a.status == .completed }
            if a.status == .completed {
                if (a.budget ?? 0) != (b.budget ?? 0) { return (a.budget ?? 0) > (b.budget ?? 0) }
                if a.mean != b.mean { return higherIsBetter ? a.mean > b.mean : a.mean < b.mean }
            }
            return a.number < b.number
        }
    }

    /// Mean and population standard deviation.
    static func meanAndStd(_ xs: [Double]) -> (Double, Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        return (mean, variance.squareRoot())
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// A text key of a setting, for spotting repeats.
    static func key(_ settings: [String: HyperValue]) -> String {
        settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }
}

/// Random settings without repeats where the space allows: the whole grid, shuffled, when it
/// has no more points than wanted; otherwise fresh draws, redrawn when they repeat.
struct Draws {
    let space: SearchSpace
    private var seen: Set<String> = []
    private var shuffled: [Int]?
    private var at = 0
    private(set) var notes: [String] = []

    init(space: SearchSpace) { self.space = space }

    /// Marks `settings` as tried (so later draws avoid it).
    mutating func remember(_ settings: [String: HyperValue]) { seen.insert(Search.key(settings)) }

    /// Whether `settings` was drawn or remembered before.
    func contains(_ settings: [String: HyperValue]) -> Bool { seen.contains(Search.key(settings)) }

    /// The next setting of `count` wanted, or nil when a small space is exhausted.
    mutating func next(_ rng: inout Xoshiro256, count: Int) -> [String: HyperValue]? {
        if shuffled == nil, let size = space.gridSize, size <= count {
            var order = Array(0..<size)
            var i = size - 1
            while i > 0 { order.swapAt(i, rng.below(i + 1)); i -= 1 }
            shuffled = order
            if size < count {
                notes.append("the space has only \(size) combination\(size == 1 ? "" : "s"); each is tried once")
            }
        }
        if let order = shuffled {
            while at < order.count {
                let p = space.gridPoint(order[at])
                at += 1
                if !contains(p) { remember(p); return p }
            }
            return nil
        }
        var p = space.sample(&rng)
        var tries = 0
        while contains(p) && tries < Search.maxRedraws {
            p = space.sample(&rng)
            tries += 1
        }
        remember(p)
        return p
    }
}
