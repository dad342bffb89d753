// Population: the users of a log and everything a row reads from its user.
//
// Size: U = 19,918 x rows / 7,558,834 users (dsg17.md), at least 50 and at most one per row;
// ids are dense 0..U-1.
//
// Activity. 7.5% of users (dsg17.md: about 1,500 of 19,918) have a single row; the others
// have at least two, plus a share of the remaining rows proportional to a log-normal weight
// (sigma 1.5: a few users with thousands of rows, a median near a third of the mean), split by
// largest remainder so the row total is exact. User 30, whom the analysis follows, is never a
// single-row user and has at least an 84th-percentile weight.
//
// Attributes. Age from weights rising quadratically from 537,853 rows at 18 to 725,423 at 30;
// gender 1 with probability 0.394; a primary platform from `PlatformTable`; all three steered
// so their row-weighted shares stay near target (a heavy user must not swing them, see
// `SteeredSampler`); a repeat share (how often a listen
// replays one of the user's earlier tracks) and a mean session length.
//
// Taste. Bias b_u ~ N(0, sigma_u^2), then standardised within each age group to row-weighted
// mean 0 and deviation sigma_u, so that the age curve, the overall rate and the spread of user
// rates are the model's and not the luck of a few heavy users; factors p_u ~ N(0, s^2 I) with
// s from `ListenModel`.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The users of one generated log.
struct Population: Sendable {
    /// Fewest users in a log (when there are that many rows), so small samples still have many.
    static let minimumUsers = 50
    /// Share of users with one row.
    static let singleRowShare = Double(DSG17.singleRowUsers) / Double(DSG17.fullUsers)
    /// Log-normal spread of the activity weights.
    static let activitySigma = 1.5
    /// The user the original analysis follows, and the z-score their activity weight has at least.
    static let featuredUser = 30
    static let featuredUserZ = 1.0
    /// Per-user repeat share: normal around 0.4 (s.d. 0.15), clamped to 0.05...0.8.
    static let repeatShareMean = 0.4
    static let repeatShareDeviation = 0.15
    static let repeatShareRange = 0.05...0.8
    /// Per-user mean session length in listens: log-normal around 10.
    static let sessionLengthMedian = 10.0
    static let sessionLengthSigma = 0.5
    /// How far (as a share of all rows) a category of age, gender or platform may run ahead of
    /// its target share before draws are steered back (`SteeredSampler`).
    static let steeringTolerance = 0.002

    /// Below this row-weighted deviation an age group (e.g. a single user) is only centred.
    static let minimumGroupDeviation = 0.05

    /// The number of users.
    let count: Int
    /// Rows of each user, and the index of each user's first row in the unsorted log.
    let rowCount: [Int]
    let firstRow: [Int]
    /// Per user: user_age, user_gender, primary platform (index into `PlatformTable.joint`).
    let age: [UInt8]
    let gender: [UInt8]
    let platform: [UInt8]
    /// Per user: repeat share and mean session length.
    let repeatShare: [Double]
    let sessionLength: [Double]
    /// Per user: bias (logit units) and latent factors.
    let bias: [Double]
    let factor: [SIMD8<Float>]

    /// The number of users for a log of `rows` rows.
    static func userCount(rows: Int) -> Int {
        let proportional = Int((Double(DSG17.fullUsers) * Double(rows) / Double(DSG17.fullRows)).rounded())
        return min(rows, max(minimumUsers, proportional))
    }

    init(rows: Int, seed: UInt64, model: ListenModel) {
        var rng = Xoshiro256(seed: seed, stream: .population)
        let users = Self.userCount(rows: rows)
        count = users

        // Activity.
        let floorWeight = exp(Self.activitySigma * Self.featuredUserZ)
        var weight = (0..<users).map { _ in rng.lognormal(mu: 0, sigma: Self.activitySigma) }
        if Self.featuredUser < users { weight[Self.featuredUser] = max(weight[Self.featuredUser], floorWeight) }
        var candidates = (0..<users).filter { $0 != Self.featuredUser }
        rng.shuffle(&candidates)
        let singles = Set(candidates.prefix(Int((Self.singleRowShare * Double(users)).rounded())))
        var counts = [Int](repeating: 1, count: users)
        var extra = rows - users
        let regulars = (0..<users).filter { !singles.contains($0) }
        if !regulars.isEmpty {
            if extra >= regulars.count {
                for u in regulars { counts[u] += 1 }
                extra -= regulars.count
            }
            let shares = Apportionment.largestRemainder(extra, weights: regulars.map { weight[$0] })
            for (i, u) in regulars.enumerated() { counts[u] += shares[i] }
        } else if extra > 0 {
            counts[0] += extra
        }
        rowCount = counts
        var first = [Int](repeating: 0, count: users)
        for u in 1..<max(users, 1) { first[u] = first[u - 1] + counts[u - 1] }
        firstRow = first

        // Attributes.
        let ages = Array(DSG17.ages)
        let span = Double(ages.count - 1)
        var ageSampler = SteeredSampler(weights: ages.indices.map { i in
            let t = Double(i) / span
            return Double(DSG17.rowsAtAge18) + Double(DSG17.rowsAtAge30 - DSG17.rowsAtAge18) * t * t
        }, tolerance: Self.steeringTolerance, totalRows: rows)
        var genderSampler = SteeredSampler(weights: [1 - DSG17.genderMean, DSG17.genderMean],
                                           tolerance: Self.steeringTolerance, totalRows: rows)
        var platformSampler = SteeredSampler(weights: PlatformTable.joint.map(\.probability),
                                             tolerance: Self.steeringTolerance, totalRows: rows)
        var age = [UInt8](repeating: 0, count: users)
        var gender = [UInt8](repeating: 0, count: users)
        var platform = [UInt8](repeating: 0, count: users)
        var repeatShare = [Double](repeating: 0, count: users)
        var sessionLength = [Double](repeating: 0, count: users)
        var bias = [Double](repeating: 0, count: users)
        var factor = [SIMD8<Float>](repeating: .zero, count: users)
        let s = Float(model.factorScale)
        for u in 0..<users {
            let r = rng.gaussian(mean: Self.repeatShareMean, deviation: Self.repeatShareDeviation)
            repeatShare[u] = min(max(r, Self.repeatShareRange.lowerBound), Self.repeatShareRange.upperBound)
            sessionLength[u] = max(1, rng.lognormal(mu: log(Self.sessionLengthMedian), sigma: Self.sessionLengthSigma))
            bias[u] = ListenModel.userBiasDeviation * rng.gaussian()
            factor[u] = s * Catalogue.gaussianVector(&rng)
        }
        // Steered attributes, heaviest users first: the many light users that come last can
        // then even out whatever the heavy ones left.
        let heaviestFirst = (0..<users).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        for u in heaviestFirst {
            age[u] = UInt8(ages[ageSampler.draw(rows: counts[u], &rng)])
            gender[u] = UInt8(genderSampler.draw(rows: counts[u], &rng))
            platform[u] = UInt8(platformSampler.draw(rows: counts[u], &rng))
        }
        // Standardise the biases within each age group: row-weighted mean 0 and deviation
        // sigma_u. With heavy-tailed activity a group's rows come from few users, and a plain
        // centring would remove much of the spread that the per-user rate is meant to find.
        var sum = [Double](repeating: 0, count: 256), square = sum, mass = sum
        for u in 0..<users {
            let a = Int(age[u]), w = Double(counts[u])
            sum[a] += bias[u] * w
            square[a] += bias[u] * bias[u] * w
            mass[a] += w
        }
        for u in 0..<users {
            let a = Int(age[u])
            let mean = sum[a] / mass[a]
            let deviation = max(square[a] / mass[a] - mean * mean, 0).squareRoot()
            let scale = deviation > Self.minimumGroupDeviation ? ListenModel.userBiasDeviation / deviation : 1
            bias[u] = (bias[u] - mean) * scale
        }

        self.age = age
        self.gender = gender
        self.platform = platform
        self.repeatShare = repeatShare
        self.sessionLength = sessionLength
        self.bias = bias
        self.factor = factor
    }
}
