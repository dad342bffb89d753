// ContextTable: context_type shares, the listen_type each context belongs to, and each
// context's effect on the listen rate.
//
// Shares: contexts 0..5 and 73 take their row counts from dsg17.md; the 858,828 remaining rows
// go to contexts 6..72 along a Zipf-Mandelbrot tail, share of context c proportional to
// 1 / (c - 5 + 4)^2: context 6 (2.0%) stays below context 5 (2.2%) and context 72 still gets
// about 750 rows at full scale, so every one of the 74 values is present.
//
// listen_type: contexts 1, 3 and 4 are Flow's (21.4% + 5.7% + 3.0% of rows). A context keeps
// its own listen_type with probability 1 - leak and the other one with probability `leak`,
// solved so the mean listen_type is dsg17.md's 0.307: F (1 - leak) + (1 - F) leak = 0.307.
// So each context "almost always" belongs to one listen_type (about 98.7% of its rows).

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Context shares, listen types and effects.
struct ContextTable: Sendable {
    /// Contexts whose rows are (almost always) inside Flow.
    static let flowContexts: Set<Int> = [1, 3, 4]
    /// Exponent and offset of the Zipf-Mandelbrot tail over contexts 6..72.
    static let tailExponent = 2.0
    static let tailOffset = 4.0
    /// Spread of the per-context listen-rate effects (logit units, uniform in +-0.25): where a
    /// listen starts changes how likely it is to be skipped, by a modest amount.
    static let effectSpread = 0.25
    /// Flow plays tracks the user did not pick, so they are skipped more often (logit units).
    /// dsg17.md does not publish per-listen_type rates; this is a modelling choice.
    static let flowEffect = -0.30

    /// Row share of each context 0..73.
    let shares: [Double]
    /// P(listen_type = 1 | context).
    let flowProbability: [Double]
    /// Draws a context with probability `shares`.
    let sampler: AliasTable
    /// Listen-rate effect of each context (logit units, row-weighted mean 0).
    let effect: [Double]
    /// Listen-rate effect of listen_type 0 and 1 (logit units, row-weighted mean 0).
    let listenTypeEffect: (Double, Double)

    init() {
        let n = DSG17.contextCount
        var shares = Array(repeating: 0.0, count: n)
        var fixed = 0
        for (context, rows) in DSG17.contextRows {
            shares[context] = Double(rows) / Double(DSG17.fullRows)
            fixed += rows
        }
        let rest = Double(DSG17.fullRows - fixed) / Double(DSG17.fullRows)
        let tail = Array(6..<73)
        let weights = tail.map { c in pow(Double(c - 5) + Self.tailOffset, -Self.tailExponent) }
        let total = weights.reduce(0, +)
        for (i, c) in tail.enumerated() { shares[c] = weights[i] / total * rest }
        self.shares = shares

        let flowShare = Self.flowContexts.reduce(0.0) { $0 + shares[$1] }
        let leak = (DSG17.flowShare - flowShare) / (1 - 2 * flowShare)
        precondition(leak >= 0 && leak < 0.05, "flow contexts must carry about 30.7% of rows")
        flowProbability = (0..<n).map { Self.flowContexts.contains($0) ? 1 - leak : leak }
        sampler = AliasTable(weights: shares)

        // A fixed effect per context from a hash of its value: a property of the service, the
        // same under every seed. Centred so it moves rows between contexts, not the mean.
        let raw = (0..<n).map { c -> Double in
            let u = Double(SplitMix64.mix(UInt64(c) &+ 0xC0FFEE) >> 11) * 0x1.0p-53
            return Self.effectSpread * (2 * u - 1)
        }
        let mean = zip(raw, shares).reduce(0) { $0 + $1.0 * $1.1 }
        effect = raw.map { $0 - mean }
        let flowMean = DSG17.flowShare
        listenTypeEffect = (-Self.flowEffect * flowMean, Self.flowEffect * (1 - flowMean))
    }
}
