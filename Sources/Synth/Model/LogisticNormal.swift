// LogisticNormal: the mean listen rate E[sigmoid(d + Z)] over the model's random terms Z, and
// its inverse in the offset d.
//
// Z = b_u + b_i + <p_u, q_i>. Given the user's factor vector, the dot product is normal with
// variance s^2 |p_u|^2, and |p_u|^2 / s^2 is chi-squared with k degrees of freedom. So Z is a
// scale mixture of normals:
//
//   Z | c ~ N(0, sigma_u^2 + sigma_i^2 + s^4 c),   c ~ chi2(k),
//
// which has the same variance as one normal but heavier tails; ignoring that overstates how
// much the averaging pulls rates towards 0.5. The mixture is integrated with c at the
// midpoints of 16 equal-probability bins of chi2(k) (its CDF is closed-form for even k), and
// each normal by the trapezoidal rule on [-8 sd, 8 sd] with 101 points (mass outside below
// 1e-15; the integrand is smooth, so the rule converges very fast). m(d) is increasing, so
// `offset(forRate:)` inverts it by bisection.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logistic-normal-mixture integral of the label model.
struct LogisticNormal {
    /// Integration points per normal, and the half-width of the range in deviations.
    static let points = 101
    static let halfWidth = 8.0
    /// Equal-probability bins of the chi-squared mixing variable.
    static let mixtureBins = 16
    /// Bisection bounds and steps: 48 halvings of [-30, 30] give d to about 2e-13.
    static let bound = 30.0
    static let steps = 48

    private let nodes: [Double]
    private let weights: [Double]

    /// The integral for Z | c ~ N(0, baseVariance + dotScale c), c ~ chi2(k) with even k.
    init(baseVariance: Double, dotScale: Double, degrees k: Int) {
        precondition(k > 0 && k % 2 == 0, "chi-squared CDF below is for even degrees")
        var nodes: [Double] = []
        var weights: [Double] = []
        let h = 2 * Self.halfWidth / Double(Self.points - 1)
        for bin in 0..<Self.mixtureBins {
            let c = Self.chiSquaredQuantile((Double(bin) + 0.5) / Double(Self.mixtureBins), degrees: k)
            let sd = (baseVariance + dotScale * c).squareRoot()
            for j in 0..<Self.points {
                let x = -Self.halfWidth + Double(j) * h
                let end = j == 0 || j == Self.points - 1
                nodes.append(sd * x)
                weights.append((end ? 0.5 : 1) * h * exp(-x * x / 2) / (2 * Double.pi).squareRoot()
                               / Double(Self.mixtureBins))
            }
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// E[sigmoid(d + Z)].
    func meanRate(offset d: Double) -> Double {
        var sum = 0.0
        for j in nodes.indices { sum += weights[j] * ListenModel.sigmoid(d + nodes[j]) }
        return sum
    }

    /// The d with E[sigmoid(d + Z)] = rate (0 < rate < 1).
    func offset(forRate rate: Double) -> Double {
        var lo = -Self.bound, hi = Self.bound
        for _ in 0..<Self.steps {
            let mid = (lo + hi) / 2
            if meanRate(offset: mid) < rate { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// P(chi2(k) <= x) for even k: 1 - e^(-x/2) sum_{j < k/2} (x/2)^j / j!.
    static func chiSquaredCDF(_ x: Double, degrees k: Int) -> Double {
        let half = x / 2
        var term = 1.0, sum = 1.0
        for j in 1..<(k / 2) {
            term *= half / Double(j)
            sum += term
        }
        return 1 - exp(-half) * sum
    }

    /// The p-quantile of chi2(k) for even k, by bisection.
    static func chiSquaredQuantile(_ p: Double, degrees k: Int) -> Double {
        var lo = 0.0, hi = Double(k) * 20 + 100
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if chiSquaredCDF(mid, degrees: k) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
