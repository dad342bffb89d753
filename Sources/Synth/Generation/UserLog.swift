// UserLog: generates the rows of one user, in time order, into that user's slice of the log.
//
// For a user with n rows:
// 1. Sessions: split n into sessions of geometric length (mean: the user's session length)
//    and draw each session's start with `ListenClock.sessionStart`, sorted.
// 2. Each listen: a context (and so, almost always, its listen_type), a platform (the
//    user's primary one 90% of the time), and a track: with the user's repeat share, the track
//    of a uniformly chosen earlier row of this user (so tracks heard often are replayed often,
//    a Polya urn), otherwise a fresh draw from the catalogue.
// 3. The label: p from `ListenModel` at the listen's hour, is_listened ~ Bernoulli(p).
// 4. The clock moves on by the time the listen played (the track, or a few seconds if skipped)
//    plus a gap; a session never runs past the end of the window.
//
// Invariant: everything is drawn from the user's own generator, keyed by (seed, user), and
// written only into rows firstRow[u] ..< firstRow[u] + rowCount[u], so users can be generated
// in any order, on any number of threads, with identical results.

import Frame

/// The generator of one user's listens.
struct UserLog {
    let catalogue: Catalogue
    let population: Population
    let model: ListenModel
    let contexts: ContextTable
    let platforms: PlatformTable

    /// Writes user `u`'s rows into `rows[firstRow[u]...]`.
    func generate(user u: Int, seed: UInt64, into rows: UnsafeMutableBufferPointer<ListenRow>) {
        var rng = Xoshiro256(seed: seed, stream: .userLog, index: u)
        let n = population.rowCount[u]
        let start = population.firstRow[u]

        // Sessions: lengths, then sorted start times.
        var lengths: [Int] = []
        var left = n
        let stop = 1 / population.sessionLength[u]
        while left > 0 {
            var length = 1
            while length < left && !rng.chance(stop) { length += 1 }
            lengths.append(length)
            left -= length
        }
        var starts = (0..<lengths.count).map { _ in ListenClock.sessionStart(&rng) }
        starts.sort()

        let age = Int(population.age[u]) - DSG17.ages.lowerBound
        let userBase = model.base + model.ageEffect[age] + population.bias[u]
        let taste = population.factor[u]
        let primary = Int(population.platform[u])
        let repeatShare = population.repeatShare[u]
        let end = DSG17.listenWindow.upperBound
        var i = start
        for (s, length) in lengths.enumerated() {
            var time = starts[s]
            for _ in 0..<length {
                let context = contexts.sampler.sample(&rng)
                let flow = rng.chance(contexts.flowProbability[context])
                let platform = rng.chance(PlatformTable.primaryShare) ? primary : platforms.sampler.sample(&rng)
                let track: Int
                if i > start && rng.chance(repeatShare) {
                    track = Int(rows[start + rng.below(i - start)].track)
                } else {
                    track = catalogue.sampleTrack(&rng)
                }
                let duration = Int(catalogue.trackDuration[track])
                var eta = userBase + model.hourEffect[ListenClock.hour(time)] + model.contextEffect[context]
                    + (flow ? model.listenTypeEffect.1 : model.listenTypeEffect.0)
                    + Double(catalogue.trackBias[track])
                    + Double((taste * catalogue.trackFactor[track]).sum())
                if duration >= 1 && duration <= 30 { eta += model.shortEffect }
                let p = ListenModel.sigmoid(eta)
                let listened = rng.chance(p)
                rows[i] = ListenRow(time: UInt32(time), track: UInt32(track), user: UInt32(u),
                                    probability: Float(p), context: UInt8(context),
                                    platform: UInt8(platform), listenType: flow ? 1 : 0,
                                    label: listened ? 1 : 0)
                i += 1
                let played = listened ? min(max(duration, 31), ListenClock.maxAdvance)
                    : 1 + rng.below(ListenClock.maxSkipSeconds)
                time = min(time + played + rng.below(ListenClock.maxGap + 1), end)
            }
        }
    }
}
