// ListenModel: the hidden probability that a listen is not skipped.
//
//   p = sigmoid(eta),
//   eta = d(0.684) + A[age] + H[hour] + kappa (C[context] + L[listen_type] + S[short])
//         + b_u + b_i + <p_u, q_i> + calibration
//
// - b_u ~ N(0, 1.25^2) per user (`Population`), b_i ~ N(0, 0.85^2) per track (`Catalogue`),
//   and <p_u, q_i> the taste match of k = 8 latent factors, each side scaled so the dot
//   product has standard deviation 1.2. Tuned on 200,000- and 2,000,000-row logs so that on a
//   random 80/20 split a per-user rate scores AUC about 0.73 and shrunk user + item biases
//   about 0.77 (dsg17.md), while p itself scores about 0.86 and a rank-8 matrix factorisation
//   of the bias residuals about 0.79: there is collaborative structure to find.
// - A[age] moves the rate to r_age, rising from 0.641 at 18 to 0.748 at 30 along
//   0.641 + 0.107 t^1.8 (t = (age - 18) / 12); the exponent makes the row-weighted mean 0.684.
// - H[hour] moves the rate to r_hour, lowest at 22h UTC (0.626) and highest at 3h (0.764).
// - C and L: context and Flow effects (`ContextTable`); S: tracks of 1..30 s can hardly be
//   played for more than 30 s.
//
// Marginal rates. Averaging sigmoid over the random terms Z pulls rates towards 0.5, so a
// target rate r is reached by the offset d(r) that solves E[sigmoid(d + Z)] = r, found by
// bisection over a numerical integral over Z's distribution, a scale mixture of normals
// (`LogisticNormal`). Then A[age] = d(r_age) - d(0.684), H[hour] = d(r_hour) - d(0.684), and
// the base is d(0.684). The context and Flow effects, which have no published targets, are
// stretched by kappa = sqrt(1 + pi V / 8) (the probit approximation of the same pull, V the
// variance of Z) and join Z's normal part with their row-weighted variance. `calibration` is
// the small residual shift, measured on 2,000,000-row logs, that the remaining approximations
// leave (the fixed effects also vary around each other).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The label model: effects and their scale.
struct ListenModel: Sendable {
    /// Latent factors per user and track.
    static let factorCount = 8
    /// Standard deviations (logit units) of the user bias, the track bias and the taste match.
    static let userBiasDeviation = 1.25
    static let trackBiasDeviation = 0.85
    static let tasteDeviation = 1.2
    /// Logit effect for tracks of 1...30 s: such a track cannot play for more than 30 s, so it
    /// is nearly always a 0.
    static let shortTrackEffect = -4.0
    /// Exponent of the age curve; makes its row-weighted mean 0.684 (see `Population` weights).
    static let ageCurveExponent = 1.8
    /// Listen rate by UTC hour 0..23 before sessions mix hours; activity-weighted mean 0.684.
    /// At night activity falls hour by hour, so many rows of 1h-3h belong to sessions begun
    /// earlier and kept going by long listens, whose rates are higher; the night values are
    /// set about 0.01 below the targets so that the measured curve peaks at 0.764 at 3h; the
    /// same happens, less, in the falling evening hours, so 22h is set 0.007 below its 0.626.
    static let hourRates: [Double] = [
        0.676, 0.703, 0.738, 0.752, 0.748, 0.740, 0.725, 0.712, 0.706, 0.701, 0.698, 0.696,
        0.694, 0.692, 0.690, 0.688, 0.684, 0.680, 0.674, 0.667, 0.657, 0.640, 0.619, 0.647,
    ]
    /// Residual logit shift of the overall rate: 0.015 brings the mean of is_listened over
    /// three 2,000,000-row logs from 0.682 to 0.684 (see the file comment).
    static let calibration = 0.015

    /// Scale of each side's factors: the dot product of two k-vectors with N(0, s^2) entries
    /// has variance k s^4.
    let factorScale: Double
    /// kappa: how much the effects without targets are stretched to survive the averaging.
    let kappa: Double
    /// d(0.684) + calibration.
    let base: Double
    /// A[age - 18], H[hour], kappa C[context], kappa L[listen_type].
    let ageEffect: [Double]
    let hourEffect: [Double]
    let contextEffect: [Double]
    let listenTypeEffect: (Double, Double)
    /// kappa S for tracks of 1...30 s.
    let shortEffect: Double

    init(contexts: ContextTable) {
        let k = Double(Self.factorCount)
        factorScale = pow(Self.tasteDeviation * Self.tasteDeviation / k, 0.25)
        let variance = Self.userBiasDeviation * Self.userBiasDeviation
            + Self.trackBiasDeviation * Self.trackBiasDeviation
            + Self.tasteDeviation * Self.tasteDeviation
        let kappa = (1 + Double.pi * variance / 8).squareRoot()
        self.kappa = kappa
        // The context and Flow effects vary from row to row too: their row-weighted variance
        // joins the normal part of Z.
        let contextVariance = zip(contexts.effect, contexts.shares).reduce(0.0) { $0 + $1.1 * $1.0 * $1.0 }
        let (flowOff, flowOn) = contexts.listenTypeEffect
        let flowVariance = (1 - DSG17.flowShare) * flowOff * flowOff + DSG17.flowShare * flowOn * flowOn
        let s2 = factorScale * factorScale
        let averaging = LogisticNormal(
            baseVariance: Self.userBiasDeviation * Self.userBiasDeviation
                + Self.trackBiasDeviation * Self.trackBiasDeviation
                + kappa * kappa * (contextVariance + flowVariance),
            dotScale: s2 * s2, degrees: Self.factorCount)
        let center = averaging.offset(forRate: DSG17.listenRate)
        base = center + Self.calibration
        ageEffect = DSG17.ages.map { age in
            let t = Double(age - DSG17.ages.lowerBound) / Double(DSG17.ages.count - 1)
            let rate = DSG17.listenRateAge18
                + (DSG17.listenRateAge30 - DSG17.listenRateAge18) * pow(t, Self.ageCurveExponent)
            return averaging.offset(forRate: rate) - center
        }
        hourEffect = Self.hourRates.map { averaging.offset(forRate: $0) - center }
        contextEffect = contexts.effect.map { kappa * $0 }
        listenTypeEffect = (kappa * contexts.listenTypeEffect.0, kappa * contexts.listenTypeEffect.1)
        shortEffect = kappa * Self.shortTrackEffect
    }

    /// log(p / (1 - p)).
    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    /// 1 / (1 + e^-x).
    @inline(__always)
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
