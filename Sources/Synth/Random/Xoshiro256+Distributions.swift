// The generator's draws on top of Frame's xoshiro256** (its uniform, below and gaussian),
// written out so that every platform and Swift version produces the same numbers (the
// standard library's `random(in:)` makes no such promise).
//
// - chance(p): uniform() < p.
// - lognormal(mu, sigma) = exp(mu + sigma N); exponential(mean) = -mean ln(1 - U).
// - shuffle: Fisher-Yates with below(n).

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Xoshiro256 {
    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A normal variate with the given mean and standard deviation.
    mutating func gaussian(mean: Double, deviation: Double) -> Double {
        mean + deviation * gaussian()
    }

    /// A log-normal variate: exp of a normal with parameters `mu`, `sigma`.
    mutating func lognormal(mu: Double, sigma: Double) -> Double {
        exp(mu + sigma * gaussian())
    }

    /// An exponential variate with the given mean.
    mutating func exponential(mean: Double) -> Double {
        -mean * log(1.0 - uniform())
    }

    /// Fisher-Yates shuffle of `array` in place.
    mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            array.swapAt(i, below(i + 1))
            i -= 1
        }
    }
}
