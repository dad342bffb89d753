// BayesianSearch: Gaussian-process Bayesian optimisation (Snoek, Larochelle and Adams, 2012)
// over the space's unit cube (SearchSpace: log ranges in log space, integers and numeric
// lists by cell, words one-hot).
//
//   1. `initial` trials drawn at random (max(1, min(5, trials / 2)) unless given);
//   2. then, before each trial: fit a GaussianProcess to every trial so far (the score, negated
//      when lower is better; a failed trial counts as the worst score seen, so the search
//      moves away from it), and take the candidate with the largest expected improvement
//      (margin ξ = 0.01 standard deviations) among `candidates` uniform points of the cube
//      and `localCandidates` Gaussian perturbations of the best point (half with σ = 0.05,
//      half with σ = 0.15, clipped to the cube). Each candidate is snapped to the setting it
//      decodes to (SearchSpace.snap), and points already tried are skipped; ties go to the
//      first candidate.
// Every draw comes from one Xoshiro256 seeded with `seed`, so a seed fixes the sequence.

import Frame

/// The loop of Bayesian search.
enum BayesianSearch {
    /// ξ: how much better than the best a point must promise, in standard deviations.
    static let margin = 0.01
    /// Spreads of the perturbations around the best point (half the local candidates each).
    static let localSpreads = [0.05, 0.15]

    /// Runs `trials` trials; returns notes for the user.
    static func run(space: SearchSpace, trials n: Int, seed: UInt64, higherIsBetter: Bool,
                    options: SearchOptions, trial: Search.RunTrial) -> [String] {
        let d = space.unitDimensions
        if d == 0 {
            _ = trial(space.fromUnit([]), nil, nil)
            return n > 1 ? ["the space holds a single setting; it is tried once"] : []
        }
        var rng = Xoshiro256(seed: seed)
        var draws = Draws(space: space)
        let initial = min(n, max(1, options.initialTrials ?? min(5, n / 2)))
        var points: [[Double]] = []
        var scores: [Double?] = []
        for i in 0..<n {
            var settings: [String: HyperValue]?
            if i >= initial, scores.contains(where: { $0 != nil }) {
                settings = propose(space: space, points: points, scores: scores, options: options, rng: &rng)
                if let s = settings { draws.remember(s) }
            }
            if settings == nil { settings = draws.next(&rng, count: n) }
            // Only a small discrete space, drawn whole, runs out.
            guard let s = settings else { return draws.notes }
            guard let t = trial(s, nil, nil) else { break }
            points.append(space.toUnit(s))
            scores.append(t.status == .completed ? (higherIsBetter ? t.mean : -t.mean) : nil)
        }
        return draws.notes
    }

    /// The untried setting with the largest expected improvement, or nil when every candidate
    /// was tried before.
    static func propose(space: SearchSpace, points: [[Double]], scores: [Double?],
                        options: SearchOptions, rng: inout Xoshiro256) -> [String: HyperValue]? {
        let worst = scores.compactMap { $0 }.min()!
        let values = scores.map { $0 ?? worst }
        let gp = GaussianProcess.fit(points: points, values: values)
        let bestIndex = values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
        let best = gp.standardise(values[bestIndex])
        let d = space.unitDimensions
        let tried = Set(points)
        var top: (ei: Double, point: [Double])?
        let total = options.candidates + options.localCandidates
        for c in 0..<total {
            var u = [Double](repeating: 0, count: d)
            if c < options.candidates {
                for j in 0..<d { u[j] = rng.uniform() }
            } else {
                let spread = localSpreads[(c - options.candidates) * localSpreads.count / max(1, options.localCandidates)]
                for j in 0..<d { u[j] = min(1, max(0, points[bestIndex][j] + spread * rng.gaussian())) }
            }
            let point = space.snap(u)
            if tried.contains(point) { continue }
            let (mean, sd) = gp.standardisedPosterior(point)
            let ei = GaussianProcess.expectedImprovement(mean: mean, sd: sd, best: best, margin: margin)
            if top == nil || ei > top!.ei { top = (ei, point) }
        }
        return top.map { space.fromUnit($0.point) }
    }
}
