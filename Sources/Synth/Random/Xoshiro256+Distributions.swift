// Continuous and discrete draws on top of Xoshiro256**, written out so that every platform
// and Swift version produces the same numbers (the standard library's `random(in:)` makes no
// such promise).
//
// - uniform: the top 53 bits scaled by 2^-53, in [0, 1).
// - below(n): Lemire's multiply-high, floor(u64 * n / 2^64); its bias is at most n / 2^64.
// - gaussian: Box-Muller, one variate per call (the sine half is dropped to keep the generator
//   a plain value with no cache).
// - lognormal(mu, sigma) = exp(mu + sigma N); exponential(mean) = -mean ln(1 - U).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Xoshiro256 {
    /// A uniform double in [0, 1).
    @inline(__always)
    mutating func uniform() -> Double {
        Double(next() &>> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0..<n (n > 0).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A standard normal variate (Box-Muller).
    mutating func gaussian() -> Double {
        let u1 = 1.0 - uniform()  // (0, 1]: log is finite
        let u2 = uniform()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

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
