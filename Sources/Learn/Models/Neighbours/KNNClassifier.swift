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
// unit rows; a zero row stores n_b = 1, which puts it at cosine distance 1 from everything). A
// block of Q query rows against a block of T training rows is one sgemm G = A Bᵀ, and
//   key(a, b) = n_b - 2 a·b = ‖a - b‖² - ‖a‖²   (cosine: 2 d(a, b) - ‖â‖²)
// orders the training rows of one query as the distance does. Each query keeps a max-heap of its
// k best (key, training row) and scans G's row with one comparison per pair against the heap's
// worst key, eight at a time.
//
// Exactness. Float keys carry a rounding error |e| <= E = γ (‖a‖² + 2 max n_b), γ = (d + 4)·2⁻²⁴
// (a d-term dot product, then two more roundings). Besides the heap, a query keeps its near ties:
// rows whose key is within m = 2E of the heap's worst key R. A row left out of both has a key above
// R + m, so its true distance exceeds that of every row in the heap (true key <= R + E): it cannot
// be among the k nearest. The kept candidates are measured again exactly, in Doubles, directly as
// Σ (a_i - b_i)², and the k smallest (distance, training row) win. So identical rows are at
// distance exactly 0, and equal distances go to the earlier training row (scikit-learn leaves such
// ties to its partial sort).
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
    /// Multiply-adds per second per core of the blocked search (sgemm plus the heap scan), measured
    /// on the 2-core development machine (AMD EPYC, AVX2) scoring 20,000 rows against 100,000 rows
    /// of 17 features.
    package static let multiplyAddsPerSecondPerCore = 1.5e9
    /// The scan of one (query, training row) pair, in multiply-adds.
    static let scanCost = 8
    /// Query rows per block: a worker's unit of work.
    static let queryBlock = 128
    /// Training rows per block: with `queryBlock`, a product of 512 KB that stays in cache.
    static let trainingBlock = 1024

    package let parameters: Parameters
    /// Training rows, row-major (cosine: scaled to unit length).
    let training: [Float]
    /// ‖b‖² of each training row (cosine: of the unit row, 1 for a zero row).
    let squaredNorms: [Float]
    /// The label of each training row, 0 or 1.
    let labels: [UInt8]
    /// The number of training rows.
    package let rows: Int
    /// Features per row.
    package let columns: Int

    package static func fit(_ x: FeatureMatrix, labels: [Float], parameters: Parameters,
                            context: FitContext) throws(LearnError) -> KNNClassifier {
        guard x.rows > 0 else { throw .emptyData("the training frame of knn") }
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
        let norms = squaredNorms(values, rows: x.rows, columns: x.columns, cosine: parameters.metric == .cosine)
        return KNNClassifier(parameters: parameters, training: values, squaredNorms: norms,
                             labels: labels.map { $0 == 1 ? 1 : 0 }, rows: x.rows, columns: x.columns)
    }

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
    /// heap scan; an empty answer when cancelled midway.
    func searchBlock(_ a: UnsafePointer<Float>, rows m: Int, cancel: CancellationFlag?) -> [Neighbours] {
        let d = columns, n = rows, k = parameters.k
        let tb = Self.trainingBlock
        let gamma = Float(d + 4) * 0x1p-24
        let maxNorm = squaredNorms.max() ?? 0
        var states = (0..<m).map { i -> QueryState in
            let na = Vector.dot(a + i * d, a + i * d, d)
            return QueryState(k: k, margin: 4 * gamma * (na + 2 * maxNorm))
        }
        let g = UnsafeMutablePointer<Float>.allocate(capacity: m * tb)
        defer { g.deallocate() }
        training.withUnsafeBufferPointer { tp in
            squaredNorms.withUnsafeBufferPointer { np in
                var t0 = 0
                while t0 < n {
                    if cancel?.isCancelled == true { return }
                    let tn = Swift.min(tb, n - t0)
                    BLAS.sgemm(transposeB: true, m: m, n: tn, k: d, a: a, lda: d, b: tp.baseAddress! + t0 * d, ldb: d,
                               c: g, ldc: tn)
                    for i in 0..<m {
                        states[i].scan(g + i * tn, norms: np.baseAddress! + t0, count: tn, first: Int32(t0))
                    }
                    t0 += tn
                }
            }
        }
        return training.withUnsafeBufferPointer { tp in
            (0..<m).map { i in states[i].finish(query: a + i * d, training: tp.baseAddress!, columns: d, k: k,
                                                 cosine: parameters.metric == .cosine) }
        }
    }
}

/// One query's search state: a max-heap of its k best (key, row) and its near ties.
struct QueryState {
    var keys: [Float]
    var heapRows: [Int32]
    /// Rows whose key was within `margin` of the heap's worst when seen.
    var tieKeys: [Float] = []
    var tieRows: [Int32] = []
    let capacity: Int
    let margin: Float
    /// Keys above it cannot matter: the heap's worst + margin once the heap is full.
    var threshold: Float = .infinity
    /// Near ties at the last pruning; the list is pruned when it doubles.
    var prunedCount = 0

    init(k: Int, margin: Float) {
        capacity = k
        self.margin = margin
        keys = []
        heapRows = []
        keys.reserveCapacity(k)
        heapRows.reserveCapacity(k)
    }

    /// Offers training rows first..<first + count with dots `g` and squared norms `norms`.
    @inline(__always)
    mutating func scan(_ g: UnsafePointer<Float>, norms: UnsafePointer<Float>, count: Int, first: Int32) {
        var j = 0
        let two = SIMD8<Float>(repeating: 2)
        while j &+ 8 <= count {
            let gv = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD8<Float>.self)
            let nv = UnsafeRawPointer(norms + j).loadUnaligned(as: SIMD8<Float>.self)
            let key = nv - two * gv
            if any(key .<= SIMD8(repeating: threshold)) {
                for l in 0..<8 where key[l] <= threshold { offer(key[l], first &+ Int32(j &+ l)) }
            }
            j &+= 8
        }
        while j < count {
            let key = norms[j] - 2 * g[j]
            if key <= threshold { offer(key, first &+ Int32(j)) }
            j &+= 1
        }
    }

    /// Rows arrive in increasing order, so a key equal to the worst kept ranks below it.
    @inline(__always)
    mutating func offer(_ key: Float, _ row: Int32) {
        if keys.count < capacity {
            keys.append(key)
            heapRows.append(row)
            siftUp(keys.count - 1)
            if keys.count == capacity { threshold = keys[0] + margin }
        } else if key < keys[0] {
            tieKeys.append(keys[0])
            tieRows.append(heapRows[0])
            keys[0] = key
            heapRows[0] = row
            siftDown(0)
            threshold = keys[0] + margin
        } else {
            tieKeys.append(key)
            tieRows.append(row)
        }
        if tieKeys.count > 2 * prunedCount + 64 { prune() }
    }

    /// Drops near ties that fell above the threshold.
    mutating func prune() {
        var w = 0
        for i in 0..<tieKeys.count where tieKeys[i] <= threshold {
            tieKeys[w] = tieKeys[i]
            tieRows[w] = tieRows[i]
            w += 1
        }
        tieKeys.removeLast(tieKeys.count - w)
        tieRows.removeLast(tieRows.count - w)
        prunedCount = w
    }

    /// Whether heap entry i ranks below entry j: a larger key, or the same key and a later row.
    @inline(__always)
    private func worse(_ i: Int, _ j: Int) -> Bool {
        keys[i] > keys[j] || (keys[i] == keys[j] && heapRows[i] > heapRows[j])
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            guard worse(i, p) else { break }
            keys.swapAt(i, p)
            heapRows.swapAt(i, p)
            i = p
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = keys.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var w = i
            if l < n && worse(l, w) { w = l }
            if r < n && worse(r, w) { w = r }
            if w == i { return }
            keys.swapAt(i, w)
            heapRows.swapAt(i, w)
            i = w
        }
    }

    /// The k nearest among the heap and the near ties, measured exactly: (distance, row) ascending.
    func finish(query a: UnsafePointer<Float>, training: UnsafePointer<Float>, columns d: Int, k: Int,
                cosine: Bool) -> KNNClassifier.Neighbours {
        var candidates = heapRows
        for (key, row) in zip(tieKeys, tieRows) where key <= threshold { candidates.append(row) }
        var measured = candidates.map { r in
            (KNNClassifier.exactDistance(a, training + Int(r) * d, d, cosine: cosine), r)
        }
        measured.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let kept = measured.prefix(k)
        return KNNClassifier.Neighbours(rows: kept.map(\.1), distances: kept.map(\.0))
    }
}

extension KNNClassifier {
    /// The distance between two rows in Doubles: ‖a - b‖, or for cosine (unit or zero rows)
    /// ‖a - b‖² / 2, 1 when either is zero.
    static func exactDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int, cosine: Bool) -> Double {
        var s = 0.0
        for j in 0..<d {
            let t = Double(a[j]) - Double(b[j])
            s += t * t
        }
        if !cosine { return s.squareRoot() }
        var za = true, zb = true
        for j in 0..<d {
            if a[j] != 0 { za = false }
            if b[j] != 0 { zb = false }
        }
        return za || zb ? 1 : s / 2
    }

    package var facts: [(String, SummaryValue)] {
        [("training rows", .int(rows)), ("features", .int(columns))]
    }
}
