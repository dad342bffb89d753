// Histogram binning for the tree learners (LightGBM's approach, Ke et al. 2017): each feature
// column is cut once into at most `bins` intervals, and trees then split on bin codes (one byte
// per value) instead of on the Floats, so a split search scans at most 255 histogram bins.
//
// Bounds of column c, learned from a sample of at most `sampleRows` training rows (drawn with a
// fixed seed, the same rows for every column), NaN left out:
//   - k distinct values v_0 < ... < v_{k-1} with counts n_i. When k <= bins every value has its
//     own bin, and the bound between v_i and v_{i+1} is their midpoint.
//   - Otherwise LightGBM's GreedyFindBin: a value with n_i >= N / bins is "big" and gets a bin of
//     its own; the others are accumulated in ascending order, closing a bin when it holds the
//     mean size of the bins still to fill ((N - big counts) / remaining bins, recomputed after
//     each bin), when the next value is big and the bin holds at least half that mean, or
//     before a big value. The bound of a closed bin is the midpoint of its last value and the
//     next distinct value.
//   - The last bound is +inf. Bounds are strictly ascending; a midpoint that rounds to one of
//     its ends in Float becomes the lower end, so lower <= bound < upper always.
// Codes: a number v gets the first bin b with v <= bound[b] (so codes keep the order of the
// values, and "code <= b" is the same test as "v <= bound[b]"); NaN gets the code
// `bounds.count`, one past the last number's bin: NaN sorts after every number, so a split
// sends NaN rows the way it sends the largest values, on binned and raw rows alike (a raw
// test `v <= threshold` is false for NaN). Histograms keep a slot for that NaN bin in every
// column, so codes fit one byte when bins <= 255.
//
// Fitting the bounds runs in parallel over columns; coding a matrix runs in parallel over row
// chunks (every column of a row at once: a row-major source is read once). Both depend only
// on the data and the seed, never on the number of cores.

import Frame

/// The bin bounds of each feature column, learned from training rows, which code any matrix
/// with the same columns the same way.
package struct FeatureBins: Sendable, Equatable {
    /// Per column, the ascending upper bounds of its bins; the last is +inf. A number v falls in
    /// the first bin b with v <= upperBounds[c][b]; NaN in bin upperBounds[c].count.
    package let upperBounds: [[Float]]

    /// The most bins of numbers a column may have: one byte holds them and the NaN bin.
    package static let maximumBins = 255
    /// Rows sampled to place the bounds (LightGBM's bin_construct_sample_cnt): quantiles of
    /// 200,000 values are as good as of millions, and sorting them is quick.
    package static let sampleRows = 200_000

    /// Bins with the given bounds (each ascending, ending in +inf).
    package init(upperBounds: [[Float]]) {
        precondition(upperBounds.allSatisfy { !$0.isEmpty && $0.count <= Self.maximumBins && $0.last == .infinity },
                     "every column needs 1 to 255 bounds ending in +inf")
        self.upperBounds = upperBounds
    }

    /// Bounds for every column of `x`, at most `bins` bins of numbers per column, placed on a
    /// sample of rows drawn with `seed`.
    package init(fitting x: FeatureMatrix, bins: Int, seed: UInt64 = 1) {
        precondition((2...Self.maximumBins).contains(bins), "bins must be from 2 to 255")
        let sample = Self.sample(rows: x.rows, seed: seed)
        let d = x.columns
        let bounds: [[Float]] = x.values.withUnsafeBufferPointer { v in
            Parallel.map(d) { c in
                var column = [Float]()
                column.reserveCapacity(sample.count)
                for r in sample {
                    let value = v[r * d + c]
                    if !value.isNaN { column.append(value) }
                }
                column.sort()
                return Self.bounds(sorted: column, bins: bins)
            }
        }
        self.init(upperBounds: bounds)
    }

    /// The rows whose values place the bounds: all of them when there are at most
    /// `sampleRows`, else `sampleRows` rows drawn uniformly (with replacement), ascending.
    package static func sample(rows count: Int, seed: UInt64) -> [Int] {
        if count <= sampleRows { return Array(0..<count) }
        var rng = Xoshiro256(seed: SplitMix64.mix(seed ^ 0xB1_4B_1A_5E))
        return (0..<sampleRows).map { _ in rng.below(count) }.sorted()
    }

    /// The bounds of one column from its sorted values (no NaN), as the file-top comment says.
    package static func bounds(sorted values: [Float], bins: Int) -> [Float] {
        var distinct = [Float](), counts = [Int]()
        for v in values {
            if let last = distinct.last, last == v { counts[counts.count - 1] += 1 } else {
                distinct.append(v)
                counts.append(1)
            }
        }
        var bounds = [Float]()
        func close(_ lower: Float, _ upper: Float) {
            var mid = Float((Double(lower) + Double(upper)) / 2)
            if mid >= upper { mid = lower }
            if bounds.last.map({ $0 < mid }) ?? true { bounds.append(mid) }
        }
        if distinct.count <= bins {
            for i in 0..<max(0, distinct.count - 1) { close(distinct[i], distinct[i + 1]) }
        } else {
            let total = values.count
            var mean = Double(total) / Double(bins)
            var big = [Bool](repeating: false, count: distinct.count)
            var restBins = bins, restCount = total
            for i in 0..<distinct.count where Double(counts[i]) >= mean {
                big[i] = true
                restBins -= 1
                restCount -= counts[i]
            }
            mean = Double(restCount) / Double(restBins)
            var inBin = 0, closed = 0
            for i in 0..<(distinct.count - 1) {
                if !big[i] { restCount -= counts[i] }
                inBin += counts[i]
                if big[i] || Double(inBin) >= mean || (big[i + 1] && Double(inBin) >= max(1, mean * 0.5)) {
                    close(distinct[i], distinct[i + 1])
                    closed += 1
                    if closed >= bins - 1 { break }
                    inBin = 0
                    if !big[i] {
                        restBins -= 1
                        mean = Double(restCount) / Double(max(restBins, 1))
                    }
                }
            }
        }
        bounds.append(.infinity)
        return bounds
    }

    /// The number of feature columns.
    package var columns: Int { upperBounds.count }

    /// Histogram slots of each column: its bins of numbers and the NaN bin.
    package var binCounts: [Int] { upperBounds.map { $0.count + 1 } }

    /// The code of `value` in column `c`.
    package func code(_ value: Float, column c: Int) -> UInt8 {
        upperBounds[c].withUnsafeBufferPointer { Self.code(value, bounds: $0) }
    }

    /// The first b with value <= bounds[b] (binary search); NaN gives bounds.count.
    static func code(_ value: Float, bounds: UnsafeBufferPointer<Float>) -> UInt8 {
        if value.isNaN { return UInt8(truncatingIfNeeded: bounds.count) }
        var lo = 0, hi = bounds.count - 1
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if value <= bounds[mid] { hi = mid } else { lo = mid &+ 1 }
        }
        return UInt8(truncatingIfNeeded: lo)
    }

    /// The codes of every value of `x`, which must have these columns.
    package func bin(_ x: FeatureMatrix) -> BinnedMatrix {
        precondition(x.columns == columns, "the matrix has \(x.columns) columns, the bins \(columns)")
        let n = x.rows, d = columns
        var codes = [UInt8](repeating: 0, count: n * d)
        // Flat bounds, one slice per column, so the loop reads one buffer.
        let starts = upperBounds.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let flat = upperBounds.flatMap { $0 }
        x.values.withUnsafeBufferPointer { v in
            flat.withUnsafeBufferPointer { bounds in
                codes.withUnsafeMutableBufferPointer { out in
                    let target = SharedPointer(out.baseAddress!)
                    let chunks = Parallel.chunks(n, minimum: 16_384)
                    // Each chunk writes the codes of its own rows.
                    Parallel.forEach(chunks.count) { k in
                        for c in 0..<d {
                            let b = UnsafeBufferPointer(rebasing: bounds[starts[c]..<starts[c + 1]])
                            let column = target.base + c * n
                            for r in chunks[k] { column[r] = Self.code(v[r &* d &+ c], bounds: b) }
                        }
                    }
                }
            }
        }
        return BinnedMatrix(rows: n, columns: d, codes: codes)
    }
}

/// The bin codes of a feature matrix, column-major.
package struct BinnedMatrix: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    /// The code of (r, c) is codes[c * rows + r].
    package var codes: [UInt8]

    package init(rows: Int, columns: Int, codes: [UInt8]) {
        precondition(codes.count == rows * columns, "codes do not match the shape")
        self.rows = rows
        self.columns = columns
        self.codes = codes
    }

    package subscript(r: Int, c: Int) -> UInt8 { codes[c * rows + r] }

    /// The codes row-major (row r is [r * columns, (r + 1) * columns)), which the tree learners
    /// read: one row's codes share a cache line when a node's rows are scattered.
    package func rowMajor() -> [UInt8] {
        let n = rows, d = columns
        var out = [UInt8](repeating: 0, count: n * d)
        codes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let target = SharedPointer(dst.baseAddress!)
                let chunks = Parallel.chunks(n, minimum: 16_384)
                // Each chunk writes its own rows.
                Parallel.forEach(chunks.count) { k in
                    for c in 0..<d {
                        let column = src.baseAddress! + c * n
                        for r in chunks[k] { target.base[r &* d &+ c] = column[r] }
                    }
                }
            }
        }
        return out
    }
}
