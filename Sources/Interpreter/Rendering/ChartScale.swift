// Axis scales for charts: a data range widened to round numbers, with ticks at 1, 2, 2.5 or 5
// times a power of ten (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
//
// Invariants: lower <= every value <= upper, lower and upper are multiples of step, and
// ticks run from lower to upper by step, so every tick label is a short round number.

import Foundation

/// A linear axis with round ticks.
package struct ChartScale: Sendable, Equatable {
    package var lower: Double
    package var upper: Double
    package var step: Double

    /// Mantissas a tick step may have.
    static let niceSteps: [Double] = [1, 2, 2.5, 5, 10]

    /// A scale covering `lo...hi` with about `ticks` intervals. A degenerate range (one value, or
    /// none) is widened around its value.
    package init(_ lo: Double, _ hi: Double, ticks: Int = 5) {
        var lo = lo.isFinite ? lo : 0, hi = hi.isFinite ? hi : 1
        if lo > hi { swap(&lo, &hi) }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) / 2
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / Double(max(1, ticks))
        let magnitude = pow(10, floor(log10(raw)))
        let mantissa = Self.niceSteps.first { $0 * magnitude >= raw * (1 - 1e-9) } ?? 10
        step = mantissa * magnitude
        lower = floor(lo / step + 1e-9) * step
        upper = ceil(hi / step - 1e-9) * step
        if upper <= lower { upper = lower + step }
    }

    /// A fixed scale, for axes whose range is known (rates in [0, 1]).
    package init(lower: Double, upper: Double, step: Double) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    /// The tick values from lower to upper.
    package var ticks: [Double] {
        let first = (lower / step).rounded()
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { (first + Double($0)) * step }
    }

    /// Where `x` falls, from 0 at lower to 1 at upper.
    package func fraction(_ x: Double) -> Double { (x - lower) / (upper - lower) }

    /// A tick label: as few decimals as the step needs (0.25 needs two, 2.5 one, 5 none).
    package func label(_ x: Double) -> String {
        if abs(x) >= NumberFormat.scientificAbove || (x != 0 && abs(x) < NumberFormat.scientificBelow) {
            return NumberFormat.general(x)
        }
        var decimals = 0
        while decimals < NumberFormat.maxDecimals {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { break }
            decimals += 1
        }
        return NumberFormat.fixed(x, decimals: decimals)
    }
}
