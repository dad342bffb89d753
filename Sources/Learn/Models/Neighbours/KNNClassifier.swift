// KNNClassifier: k nearest neighbours by exhaustive search (scikit-learn's KNeighborsClassifier
// with algorithm='brute'). P(label = 1 | a) is the (weighted) share of label 1 among the k
// training rows nearest to a.
//
// Distances (scikit-learn's):
//   euclidean  d(a, b) = ‖a - b‖
//   cosine     d(a, b) = 1 - cos(a, b) = ‖â - b̂‖² / 2 on the unit rows â, b̂; 1 when either row is 0
// Weights: uniform, p = (label-1 rows among the k) / k; distance, p = Σ y_i / d_i / Σ 1 / d_i,
// except that when some of the k are at distance exactly 0 they take all the weight and share
// it equally (scikit-learn's _get_weights).
//
// Search. The training rows are stored once with their squared norms n_b = ‖b‖² (cosine: the
// unit rows; a zero row stores n_b = 1). A block of Q query rows against a block of T training
// rows is one sgemm G = A Bᵀ, which gives every pair the key
//   k(a, b) = n_b - 2 a·b ≈ ‖a - b‖² - ‖a‖²
// in Floats, with a rounding error |e| <= E_b = γ (2 n_b + ‖a‖²), γ = 2 (d + 4)·2⁻²⁴ (a d-term dot
// product, a few more roundings, and a factor 2 to spare). Each query keeps a max-heap of its k
// best training rows by exact distance, measured in Doubles directly from the rows as
// s = Σ (a_i - b_i)² (cosine: s = 2 for a zero row, so d = s / 2 = 1). A row can only enter the heap
// if its lower bound k(a, b) - E_b + ‖a‖² does not exceed s of the heap's worst, that is if
//   k(a, b) - 2γ n_b  <=  s_worst - (1 - γ) ‖a‖²;
// the left side is one subtraction per pair from the stored n_b (1 - 2γ), the right side changes
// only when the heap does. The scan tests eight pairs at a time, and only the few rows that pass
// (the first k, improvements, and rounding-level near misses) are measured exactly. So the search
// is exact: identical rows are at distance exactly 0, and the heap orders (distance, training row),
// so equal distances go to the earlier training row (scikit-learn leaves such ties to its partial
// sort, in no documented order).
//
// Work: queries x training rows x (columns + scanCost) multiply-adds, at a rate measured on the
// development machine; probabilities refuses work estimated above `maximumSeconds` instead of
// running for hours. Query blocks run on every core (single-threaded BLAS in each: with tens of
// columns a block product is small, and its scan costs as much as it does); each query's result
// depends only on its own scan in training-row order, so it is the same on any number of cores.

import Frame

/// k nearest neighbours: the share of label 1 among a row's nearest training rows.
package struct KNNClassifier: Classifier {
    /// How the k neighbours' labels are combined.
    package enum Weights: String, Sendable, CaseIterable { case uniform, distance }
    /// How far apart two rows are.
    package enum Metric: String, Sendable, CaseIterable { case euclidean, cosine }

    /// The hyperparameters of a fit.
    package struct Parameters: Sendable, Equatable {
        package var k: Int = 5
        package var weights: Weights = .uniform
        package var metric: Metric = .euclidean
        package init() {}
    }

    package static let kindName = "knn"
    package static let summary = "k nearest neighbours: the share of label 1 among a row's k nearest training rows"
    package static let details = [
        "P(label = 1) is the share of label 1 among the k training rows nearest to a row (weights=uniform), or their share weighted by 1 / distance (weights=distance; training rows identical to the row, at distance 0, then take all the weight), as scikit-learn's KNeighborsClassifier. metric=euclidean measures ‖a - b‖ on the scaled features; metric=cosine measures 1 - cos(a, b) (1 from a zero row).",
        "The search is exhaustive and exact: blocks of rows against blocks of training rows as matrix products on every core, candidates re-measured in double precision, equal distances won by the earlier training row. Scoring n rows costs n x training rows x features multiply-adds; when that would take more than about ten minutes, scoring stops before it starts and says how long it would take: fit on a sample of the training frame or score fewer rows.",
    ]
    package static let examples = ["m = fit knn on train k=25 weights=distance",
                                   "m = fit knn on (sample train n=100000) k=50 metric=cosine"]
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("k", \.k, 1...10_000, "neighbours that vote"),
        .choice("weights", \.weights, "uniform: one vote each; distance: votes weighted by 1 / distance"),
        .choice("metric", \.metric, "euclidean distance, or cosine distance 1 - cos"),
    ]
    package static let defaultScaling = FeatureScaling.standard

    /// Work above which `probabilities` refuses to start: ten minutes on this machine.
    package static let maximumSeconds = 600.0
    /// Multiply-adds per second per core of the blocked search (sgemm plus the scan), at half the
    /// rate measured on the 2-core development machine (AMD EPYC, AVX2: 1.7e10 per CPU second
    /// scoring 20,000 rows against 100,000 rows of 17 features), for a busy machine and data where
    /// more pairs need measuring.
    package static let multiplyAddsPerSecondPerCore = 8e9
    /// The scan of one (query, training row) pair, in multiply-adds.
    static let scanCost = 8
    /// Query rows per block: a worker's unit of work.
    static let queryBlock = 128
    /// Training rows per block: with `queryBlock`, a product of 512 KB that stays in cache (256 x
    /// 512 and 64 x 2048 measured the same).
    static let trainingBlock = 1024

    package let parameters: Parameters
    /// Training rows, row-major (cosine: scaled to unit length).
    let training: [Float]
    /// ‖b‖² (1 - 2γ) of each training row (cosine: of the unit row, 1 for a zero row): the
    /// norm term of the lower bound on a key (see the file's comment).
    let loweredNorms: [Float]
    /// The label of each training row, 0 or 1.
    let labels: [UInt8]
    /// The number of training rows.
    package let rows: Int
    /// Features per row.
    package let columns: Int

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                            context: FitContext) throws(LearnError) -> KNNClassifier {
        guard x.rows > 0 else { throw .emptyData("the training frame of knn") }
        guard x.columns > 0 else { throw .unsupported("knn needs at least one feature column") }
        precondition(labels.count == x.rows, "one label per training row")
        let ones = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        if ones == 0 || ones == x.rows {
            throw .unsupported("every training row has label \(ones == 0 ? 0 : 1); knn needs rows of both labels")
        }
        if parameters.k > x.rows {
            throw .invalidParameter(name: "k", reason: "is \(parameters.k) but the training frame has only \(x.rows) rows; lower k")
        }
        var values = x.values
        if parameters.metric == .cosine { values = unitRows(values, columns: x.columns) }
        let gamma = Self.roundingBound(columns: x.columns)
        let norms = squaredNorms(values, rows: x.rows, columns: x.columns, cosine: parameters.metric == .cosine)
            .map { $0 - Float(2 * gamma) * $0 }
        return KNNClassifier(parameters: parameters, training: values, loweredNorms: norms,
                             labels: labels.map { $0 == 1 ? 1 : 0 }, rows: x.rows, columns: x.columns)
    }

    /// γ of the key's rounding error bound for `columns` features.
    static func roundingBound(columns d: Int) -> Double { 2 * Double(d + 4) * 0x1p-24 }

    /// Each row divided by its Euclidean norm (computed in Doubles); zero rows stay zero.
    static func unitRows(_ values: [Float], columns d: Int) -> [Float] {
        var out = values
        let n = d == 0 ? 0 : values.count / d
        out.withUnsafeMutableBufferPointer { v in
            let p = SharedPointer(v.baseAddress!)
            let chunks = Parallel.chunks(n, minimum: 8192)
            Parallel.forEach(chunks.count) { c in
                for r in chunks[c] {
                    var s = 0.0
                    for j in 0..<d { s += Double(p[r * d + j]) * Double(p[r * d + j]) }
                    guard s > 0 else { continue }
                    let scale = 1 / s.squareRoot()
                    for j in 0..<d { p[r * d + j] = Float(Double(p[r * d + j]) * scale) }
                }
            }
        }
        return out
    }

    /// ‖b‖² of each row in Floats; for cosine, 1 for a zero row (its distance to anything is 1).
    static func squaredNorms(_ values: [Float], rows n: Int, columns d: Int, cosine: Bool) -> [Float] {
        values.withUnsafeBufferPointer { v in
            Parallel.array(n, minimum: 8192) { r -> Float in
                let s = Vector.dot(v.baseAddress! + r * d, v.baseAddress! + r * d, d)
                return cosine && s == 0 ? 1 : s
            }
        }
    }

    /// Estimated seconds to score `queries` rows against `training` rows of `columns` features on
    /// `cores` cores at `rate` multiply-adds per second per core.
    package static func estimatedSeconds(queries: Int, training: Int, columns: Int, cores: Int = Parallel.threadCount,
                                         rate: Double = multiplyAddsPerSecondPerCore) -> Double {
        Double(queries) * Double(training) * Double(columns + scanCost) / (rate * Double(Swift.max(cores, 1)))
    }

    /// Throws `.tooLarge` when scoring `queries` rows would take longer than `limit` seconds.
    package func checkWork(queries: Int, limit: Double = maximumSeconds, cores: Int = Parallel.threadCount,
                           rate: Double = multiplyAddsPerSecondPerCore) throws(LearnError) {
        let seconds = Self.estimatedSeconds(queries: queries, training: rows, columns: columns, cores: cores, rate: rate)
        guard seconds > limit else { return }
        // Half the limit leaves room for a slower moment of the machine.
        let sample = Double(rows) * limit / seconds / 2
        let advice = sample >= Double(Self.smallestSuggestedSample)
            ? "fit on a sample of the training frame (sample train n=\(Self.roundedDown(sample, atLeast: 1))) or predict fewer rows"
            : "predict fewer rows at a time (about \(Self.roundedDown(Double(queries) * limit / seconds / 2, atLeast: 1)))"
        throw .tooLarge("knn would compare \(queries) rows with \(rows) training rows of \(columns) features, about \(Self.duration(seconds)) on this machine; \(advice)")
    }

    /// The smallest training sample worth suggesting (smaller, the votes are mostly noise); the
    /// advice is then to score fewer rows.
    static let smallestSuggestedSample = 1000

    /// `x` rounded down to one significant digit (123456 -> 100000), at least `floor`.
    static func roundedDown(_ x: Double, atLeast floor: Int) -> Int {
        let magnitude = pow10Below(x)
        return Swift.max(floor, Int((x / magnitude).rounded(.down) * magnitude))
    }

    private static func pow10Below(_ x: Double) -> Double {
        var p = 1.0
        while p * 10 <= x { p *= 10 }
        return p
    }

    /// `95 minutes`, `3.2 hours`, `40 seconds`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds.rounded())) seconds" }
        if seconds < 2 * 3600 { return "\(Int((seconds / 60).rounded())) minutes" }
        if seconds < 2 * 86_400 { return "\(HyperValue.format((seconds / 360).rounded() / 10)) hours" }
        return "\(HyperValue.format((seconds / 8640).rounded() / 10)) days"
    }

    package func probabilities(_ x: FeatureMatrix, context: FitContext) throws(LearnError) -> [Double] {
        guard x.columns == columns else {
            throw .unsupported("knn was fitted on \(columns) feature columns, but these rows have \(x.columns)")
        }
        if x.rows == 0 { return [] }
        try checkWork(queries: x.rows)
        var queries = x.values
        if parameters.metric == .cosine { queries = Self.unitRows(queries, columns: columns) }
        return try nearest(queries, count: x.rows, context: context, vote)
    }

    /// One query's k nearest training rows and their exact distances, nearest first.
    struct Neighbours {
        var rows: [Int32]
        var distances: [Double]
    }

    /// P(label = 1) from the k nearest.
    func vote(_ n: Neighbours) -> Double {
        let k = n.rows.count
        switch parameters.weights {
        case .uniform:
            var ones = 0
            for r in n.rows { ones += Int(labels[Int(r)]) }
            return Double(ones) / Double(k)
        case .distance:
            if n.distances.contains(0) {
                var ones = 0, exact = 0
                for (r, d) in zip(n.rows, n.distances) where d == 0 {
                    exact += 1
                    ones += Int(labels[Int(r)])
                }
                return Double(ones) / Double(exact)
            }
            var num = 0.0, den = 0.0
            for (r, d) in zip(n.rows, n.distances) {
                num += Double(labels[Int(r)]) / d
                den += 1 / d
            }
            return num / den
        }
    }

    /// The k nearest training rows of each of `count` query rows (cosine: unit rows), by blocks
    /// on every core; checks cancellation between rounds of blocks.
    func nearest<T>(_ queries: [Float], count: Int, context: FitContext,
                    _ result: (Neighbours) -> T) throws(LearnError) -> [T] {
        let qb = Self.queryBlock
        let blocks = (count + qb - 1) / qb
        // A round gives every core a few blocks; cancellation and progress between rounds.
        let perRound = Parallel.threadCount * 4
        var out = [T?](repeating: nil, count: count)
        let cancel = context.cancellation
        var cancelled = false
        queries.withUnsafeBufferPointer { qp in
            out.withUnsafeMutableBufferPointer { op in
                let target = SharedPointer(op.baseAddress!)
                let q = SharedPointer(UnsafeMutablePointer(mutating: qp.baseAddress!))
                BLAS.withThreads(1) {
                    var start = 0
                    while start < blocks {
                        if cancel?.isCancelled == true { cancelled = true; return }
                        let end = Swift.min(blocks, start + perRound)
                        // Block b writes only out[b * qb ..< (b + 1) * qb].
                        Parallel.forEach(end - start) { i in
                            let b = start + i
                            let lo = b * qb, hi = Swift.min(count, lo + qb)
                            let found = searchBlock(UnsafePointer(q.base) + lo * columns, rows: hi - lo, cancel: cancel)
                            for (j, n) in found.enumerated() { target[lo + j] = result(n) }
                        }
                        start = end
                        context.report(Double(start) / Double(blocks), "rows \(Swift.min(count, start * qb)) of \(count)")
                    }
                }
            }
        }
        if cancelled || cancel?.isCancelled == true { throw .cancelled }
        return out.map { $0! }
    }

    /// The k nearest of `m` contiguous query rows: sgemm against each training block, then the
    /// bounded scan; a partial answer when cancelled midway (the caller then throws).
    func searchBlock(_ a: UnsafePointer<Float>, rows m: Int, cancel: CancellationFlag?) -> [Neighbours] {
        let d = columns, n = rows, k = parameters.k
        let tb = Self.trainingBlock
        let cosine = parameters.metric == .cosine
        let gamma = Self.roundingBound(columns: d)
        return training.withUnsafeBufferPointer { tp in
            loweredNorms.withUnsafeBufferPointer { np in
                var states = (0..<m).map { i in
                    QueryState(k: k, query: a + i * d, training: tp.baseAddress!, columns: d, cosine: cosine, gamma: gamma)
                }
                let g = UnsafeMutablePointer<Float>.allocate(capacity: m * tb)
                defer { g.deallocate() }
                var t0 = 0
                while t0 < n {
                    if cancel?.isCancelled == true { break }
                    let tn = Swift.min(tb, n - t0)
                    BLAS.sgemm(transposeB: true, m: m, n: tn, k: d, a: a, lda: d, b: tp.baseAddress! + t0 * d, ldb: d,
                               c: g, ldc: tn)
                    for i in 0..<m { states[i].scan(g + i * tn, norms: np.baseAddress! + t0, count: tn, first: t0) }
                    t0 += tn
                }
                return states.map { $0.finish() }
            }
        }
    }
}

/// One query's search: a max-heap of its k nearest training rows so far by (distance, row).
struct QueryState {
    let query: UnsafePointer<Float>
    let training: UnsafePointer<Float>
    let columns: Int
    let cosine: Bool
    let capacity: Int
    /// ‖a‖² and γ, for the threshold.
    let queryNorm: Double
    let gamma: Double
    /// Heap entries: distance, s (see the file's comment) and training row; the worst at 0.
    var distances: [Double] = []
    var squares: [Double] = []
    var rows: [Int32] = []
    /// A pair whose lowered key is above it cannot enter the heap.
    var threshold: Float = .infinity

    init(k: Int, query: UnsafePointer<Float>, training: UnsafePointer<Float>, columns: Int, cosine: Bool, gamma: Double) {
        capacity = k
        self.query = query
        self.training = training
        self.columns = columns
        self.cosine = cosine
        self.gamma = gamma
        var n = 0.0
        for j in 0..<columns { n += Double(query[j]) * Double(query[j]) }
        queryNorm = n
        distances.reserveCapacity(k)
        squares.reserveCapacity(k)
        rows.reserveCapacity(k)
    }

    /// Offers training rows first..<first + count, with dots `g` and lowered norms `norms`.
    /// Sixteen pairs at a time are tested together: a pair can enter when t - (n - 2g) >= 0,
    /// which is a clear sign bit (the difference of two unequal Floats is never a zero), and
    /// the loop that ORs the complemented bits compiles to vector instructions (Swift's SIMD
    /// comparisons and pointwiseMin are built lane by lane here and were 5-10x slower). The
    /// pairs go one by one only when some pass.
    @inline(__always)
    mutating func scan(_ g: UnsafePointer<Float>, norms: UnsafePointer<Float>, count: Int, first: Int) {
        var j = 0
        while j &+ 16 <= count {
            let t = threshold
            var flags: UInt32 = 0
            for l in j..<(j &+ 16) { flags |= ~(t - (norms[l] - (g[l] + g[l]))).bitPattern }
            if flags >> 31 != 0 {
                for l in j..<(j &+ 16) where norms[l] - (g[l] + g[l]) <= threshold { offer(first &+ l) }
            }
            j &+= 16
        }
        while j < count {
            if norms[j] - (g[j] + g[j]) <= threshold { offer(first &+ j) }
            j &+= 1
        }
    }

    /// Measures training row `r` exactly and keeps it if it beats the worst kept; rows arrive in
    /// increasing order, so one at the same distance as the worst ranks below it.
    mutating func offer(_ r: Int) {
        let s = KNNClassifier.exactSquare(query, training + r * columns, columns, cosine: cosine)
        let distance = cosine ? s / 2 : s.squareRoot()
        if rows.count < capacity {
            distances.append(distance)
            squares.append(s)
            rows.append(Int32(r))
            siftUp(rows.count - 1)
            if rows.count == capacity { updateThreshold() }
        } else if distance < distances[0] {
            distances[0] = distance
            squares[0] = s
            rows[0] = Int32(r)
            siftDown(0)
            updateThreshold()
        }
    }

    /// s_worst - (1 - γ) ‖a‖², rounded up into a Float (with room for the heap's worst s not
    /// being the largest s among rows at its distance).
    private mutating func updateThreshold() {
        let t = squares[0] * (1 + 1e-12) - (1 - gamma) * queryNorm
        threshold = Float(t).nextUp
    }

    /// Whether heap entry i ranks below entry j: a larger distance, or the same and a later row.
    @inline(__always)
    private func worse(_ i: Int, _ j: Int) -> Bool {
        distances[i] > distances[j] || (distances[i] == distances[j] && rows[i] > rows[j])
    }

    private mutating func swapEntries(_ i: Int, _ j: Int) {
        distances.swapAt(i, j)
        squares.swapAt(i, j)
        rows.swapAt(i, j)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            guard worse(i, p) else { break }
            swapEntries(i, p)
            i = p
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = rows.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var w = i
            if l < n && worse(l, w) { w = l }
            if r < n && worse(r, w) { w = r }
            if w == i { return }
            swapEntries(i, w)
            i = w
        }
    }

    /// The kept rows, nearest first (equal distances: earlier row first).
    func finish() -> KNNClassifier.Neighbours {
        let order = rows.indices.sorted { distances[$0] < distances[$1] || (distances[$0] == distances[$1] && rows[$0] < rows[$1]) }
        return KNNClassifier.Neighbours(rows: order.map { rows[$0] }, distances: order.map { distances[$0] })
    }
}

extension KNNClassifier {
    /// s = Σ (a_i - b_i)² in Doubles; for cosine (unit or zero rows) 2 when either row is zero,
    /// so that the distance s / 2 is 1.
    static func exactSquare(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int, cosine: Bool) -> Double {
        var s = 0.0
        var za = true, zb = true
        for j in 0..<d {
            let t = Double(a[j]) - Double(b[j])
            s += t * t
            if a[j] != 0 { za = false }
            if b[j] != 0 { zb = false }
        }
        return cosine && (za || zb) ? 2 : s
    }

    package var facts: [(String, SummaryValue)] {
        [("training rows", .int(rows)), ("features", .int(columns))]
    }
}
