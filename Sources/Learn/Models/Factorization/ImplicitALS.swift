// Implicit-feedback ALS (Hu, Koren and Volinsky, "Collaborative filtering for implicit feedback
// datasets", 2008) with the conjugate-gradient solver of Takács, Pilászy and Tikk (2011), as
// implicit's AlternatingLeastSquares does.
//
// Every user-item pair has a preference p_ui (1 if the pair has a positive value r_ui, else 0)
// and a confidence c_ui = 1 + α |r_ui| (1 for the pairs not stored). Minimise
//   Σ_{u,i} c_ui (p_ui - x_uᵀ y_i)² + λ (Σ ‖x_u‖² + Σ ‖y_i‖²)
// by alternating exact-in-principle solves. Given Y, each user's normal equations are
//   (YᵀY + Yᵀ(C_u - I)Y + λI) x_u = Yᵀ C_u p_u,
// and YᵀY is shared by all users, so only the user's stored pairs cost anything:
//   A x = YᵀY x + Σ_{i ∈ u} (c_ui - 1)(y_iᵀ x) y_i,   b = Σ_{i ∈ u, p = 1} c_ui y_i.
// solver=cg takes `cg_steps` conjugate-gradient steps from the previous x_u (cheap: no k x k
// matrix is formed); solver=cholesky forms A and solves exactly (the reference). Items are the
// same with X and the transposed matrix.
//
// Skips as negative evidence (skips=negative): a pair whose rows are all skips (no row with
// label 1) gets p = 0 with confidence 1 + α · (its skips): "I played it and skipped it" says
// more than "never played". It is stored with a negative value, as implicit reads negative
// entries. With skips=ignore (the default) such pairs are like unplayed ones.

import Frame

/// x_u · y_i, fitted by weighted alternating least squares.
package struct ImplicitALS: FactorModel, FittableModel, FoldIn, Explaining {
    package enum Solver: String, Sendable, CaseIterable { case cg, cholesky }
    package enum Skips: String, Sendable, CaseIterable { case ignore, negative }

    package struct Parameters: Sendable, Equatable {
        package var factors: Int = 64
        package var reg: Double = 0.01
        package var alpha: Double = 1
        package var iterations: Int = 15
        package var solver: Solver = .cg
        package var cgSteps: Int = 3
        package var skips: Skips = .ignore
        package var seed: Int = 1
        package init() {}
    }

    /// Initial factors are uniform in [0, initialScale).
    static let initialScale = 0.01

    package static let kindName = "als"
    package static let summary = "implicit-feedback ALS with confidence weights (Hu, Koren and Volinsky 2008)"
    package static let details = [
        "Minimises Σ c_ui (p_ui - x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over every user-item pair, where p_ui = 1 when the pair's preference r_ui (default: its listens) is positive and c_ui = 1 + α·r_ui (1 for pairs never played). Users and items are solved in turn; solver=cg takes cg_steps conjugate-gradient steps per solve (implicit's method), solver=cholesky solves exactly.",
        "skips=negative treats a pair that was only ever skipped as negative evidence: p = 0 with confidence 1 + α·skips, where skips=ignore treats it as never played. Scores are ranking scores.",
    ]
    package static let examples = ["m = fit als on train factors=64 iterations=15", "m = fit als on train alpha=10 skips=negative"]
    package static let input = ModelInput.preferences
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("factors", \.factors, 1...1024, "latent factors per user and item"),
        .number("reg", \.reg, min: 0, max: 1e6, openMin: true, logScale: true, "L2 regularisation λ (keeps every solve positive definite)"),
        .number("alpha", \.alpha, min: 0, max: 1e6, logScale: true, "confidence slope α: c = 1 + α·r"),
        .integer("iterations", \.iterations, 1...1000, "alternating passes (users, then items)"),
        .choice("solver", \.solver, "conjugate gradient (cg) or an exact Cholesky solve per user and item"),
        .integer("cg_steps", \.cgSteps, 1...100, "conjugate-gradient steps per solve"),
        .choice("skips", \.skips, "pairs only ever skipped: like unplayed (ignore) or negative evidence (negative)"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the initial factors"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let preference: Preference
    /// Confidence of every stored pair, by user (negative for skipped-only pairs).
    package let confidence: CSRMatrix
    package let factors: FactorScores
    package var scoreKind: ScoreKind { .ranking }

    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> ImplicitALS {
        let k = parameters.factors
        let conf = confidences(data, parameters)
        // The solves number items by decreasing stored pairs: the factors of the items most
        // users touch sit together, so the users' passes find them in cache. Undone at the end.
        let items = conf.columns
        let byItem = conf.transposed()
        let order = (0..<items).sorted {
            let a = byItem.range(of: $0).count, b = byItem.range(of: $1).count
            return a > b || (a == b && $0 < $1)
        }
        let confT = byItem.permutedRows(order)
        let solveConf = confT.transposed()
        // Uniform in [0, 0.01), as implicit initialises.
        var x = Matrix.uniform(rows: data.users.count, columns: k, scale: initialScale, seed: UInt64(parameters.seed))
        var y = Matrix.uniform(rows: items, columns: k, scale: initialScale, seed: UInt64(parameters.seed) &+ 0x9E37_79B9)
        for iteration in 0..<parameters.iterations {
            try context.checkCancelled()
            let failedUsers = solve(&x, given: y, solveConf, parameters)
            try context.checkCancelled()
            let failedItems = solve(&y, given: x, confT, parameters)
            guard failedUsers + failedItems == 0 else {
                throw .numerical("als could not solve the least-squares systems of \(failedUsers) users and \(failedItems) items in iteration \(iteration + 1) (they are not positive definite); raise reg (now \(HyperValue.format(parameters.reg))) or use fewer factors")
            }
            guard x.values.allSatisfy(\.isFinite) && y.values.allSatisfy(\.isFinite) else {
                throw .numerical("als diverged in iteration \(iteration + 1); try increasing reg (now \(HyperValue.format(parameters.reg)))")
            }
            context.report(Double(iteration + 1) / Double(parameters.iterations), "iteration \(iteration + 1) of \(parameters.iterations)")
        }
        var itemFactors = Matrix(rows: items, columns: k)
        for (j, i) in order.enumerated() {
            for c in 0..<k { itemFactors.values[i * k + c] = y.values[j * k + c] }
        }
        return ImplicitALS(parameters: parameters, index: InteractionIndex(data), preference: data.preference.preference,
                           confidence: conf, factors: FactorScores(userFactors: x, itemFactors: itemFactors))
    }

    /// c = 1 + α r for stored pairs; -(1 + α · skips) for skipped-only pairs with skips=negative.
    static func confidences(_ data: TrainingData, _ parameters: Parameters) -> CSRMatrix {
        let pairs = data.pairs, preference = data.preference.preference
        let alpha = Float(parameters.alpha)
        var offsets = [Int](repeating: 0, count: pairs.userCount + 1)
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        for u in 0..<pairs.userCount {
            for p in pairs.offsets[u]..<pairs.offsets[u + 1] {
                let r = pairs.preference(p, preference)
                if r > 0 {
                    indices.append(pairs.items[p])
                    values.append(1 + alpha * r)
                } else if parameters.skips == .negative && pairs.positives[p] == 0 {
                    indices.append(pairs.items[p])
                    values.append(-(1 + alpha * Float(pairs.rows[p])))
                }
            }
            offsets[u + 1] = indices.count
        }
        return CSRMatrix(rows: pairs.userCount, columns: pairs.itemCount, offsets: offsets, indices: indices, values: values)
    }

    /// Rows solved together by the blocked conjugate gradient: their G·p products are one GEMM.
    static let cgBlockRows = 1024
    /// A row with at least k / `heavyRowDivisor` stored pairs is solved on its own: its sparse
    /// work outweighs the dense G·p, and its passes then reuse the factors it gathered while
    /// they are in cache. Lighter rows (most items) go through the blocked solver.
    static let heavyRowDivisor = 2
    /// A heavy row whose factors take more than this many bytes (half an L2 cache) is gathered
    /// into contiguous memory before its passes; smaller ones stay in cache as they are.
    static let gatherBytes = 256 * 1024

    /// Solves every row of `x` given the other side's factors `y` (x_u for the rows of `conf`).
    /// Returns the number of rows whose exact solve failed (Cholesky of a matrix that is not
    /// positive definite); those rows keep their previous values.
    @discardableResult
    static func solve(_ x: inout Matrix, given y: Matrix, _ conf: CSRMatrix, _ parameters: Parameters) -> Int {
        let k = x.columns
        var gram = BLAS.gram(y)
        for d in 0..<k { gram[d * k + d] += Float(parameters.reg) }
        let rows = conf.rows
        let count = { (u: Int) -> Int in conf.offsets[u + 1] - conf.offsets[u] }
        let threshold = Swift.max(1, k / heavyRowDivisor)
        let heavy = (0..<rows).filter { count($0) >= threshold }.sorted { count($0) > count($1) }
        var isHeavy = [Bool](repeating: false, count: rows)
        for u in heavy { isHeavy[u] = true }
        let light = (0..<rows).filter { !isHeavy[$0] }
        var failures = 0
        x.values.withUnsafeMutableBufferPointer { xb in
            let out = SharedPointer(xb.baseAddress!)
            y.values.withUnsafeBufferPointer { yb in
                gram.withUnsafeBufferPointer { g in
                    conf.offsets.withUnsafeBufferPointer { off in
                        conf.indices.withUnsafeBufferPointer { ix in
                            conf.values.withUnsafeBufferPointer { cv in
                                let entries = { (u: Int) in
                                    Entries(items: ix.baseAddress! + off[u], confidence: cv.baseAddress! + off[u], count: off[u + 1] - off[u])
                                }
                                guard parameters.solver == .cg else {
                                    let chunks = Parallel.chunks(rows, parts: Parallel.threadCount * 8, minimum: 64)
                                    let counts = Parallel.map(chunks.count) { c -> Int in
                                        var failed = 0
                                        for u in chunks[c] where !exact(out.base + u * k, entries(u), yb.baseAddress!, g.baseAddress!, k: k) {
                                            failed += 1
                                        }
                                        return failed
                                    }
                                    failures = counts.reduce(0, +)
                                    return
                                }
                                // Heaviest first, one row per task, so the slowest rows start early.
                                Parallel.forEach(heavy.count) { h in
                                    let u = heavy[h]
                                    let e = entries(u)
                                    guard e.count * k * MemoryLayout<Float>.stride > gatherBytes else {
                                        // Small enough to stay in cache between the passes.
                                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * k)
                                        defer { scratch.deallocate() }
                                        conjugateGradient(out.base + u * k, e, yb.baseAddress!, g.baseAddress!, k: k,
                                                          steps: parameters.cgSteps, scratch: scratch)
                                        return
                                    }
                                    // The row's factors gathered once: the passes then stream through
                                    // contiguous memory instead of waiting on scattered rows of y.
                                    let gathered = UnsafeMutablePointer<Float>.allocate(capacity: e.count * k + 3 * k)
                                    let local = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(e.count, 1))
                                    defer { gathered.deallocate(); local.deallocate() }
                                    for t in 0..<e.count {
                                        (gathered + t * k).update(from: yb.baseAddress! + Int(e.items[t]) * k, count: k)
                                        local[t] = Int32(t)
                                    }
                                    conjugateGradient(out.base + u * k, Entries(items: local, confidence: e.confidence, count: e.count),
                                                      gathered, g.baseAddress!, k: k, steps: parameters.cgSteps,
                                                      scratch: gathered + e.count * k)
                                }
                                // Blocks on every core, each block's GEMM on its own thread.
                                let blocks = (light.count + cgBlockRows - 1) / cgBlockRows
                                BLAS.withThreads(1) {
                                    Parallel.forEach(blocks) { b in
                                        let slice = light[(b * cgBlockRows)..<Swift.min(light.count, (b + 1) * cgBlockRows)]
                                        blockedConjugateGradient(rows: slice, x: out.base, entries: entries, y: yb.baseAddress!,
                                                                 g: g.baseAddress!, k: k, steps: parameters.cgSteps)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return failures
    }

    /// `steps` conjugate-gradient steps for every row of a block at once: the same iteration
    /// as `conjugateGradient`, row by row, except that the dense part G·p of A·p is one
    /// matrix product (BLAS, on the calling thread) for the whole block. Blocks run in parallel.
    static func blockedConjugateGradient(rows: ArraySlice<Int>, x: UnsafeMutablePointer<Float>, entries: (Int) -> Entries,
                                         y: UnsafePointer<Float>, g: UnsafePointer<Float>, k: Int, steps: Int) {
        let n = rows.count
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 4 * n * k)
        defer { buffer.deallocate() }
        let r = buffer, p = buffer + n * k, ap = buffer + 2 * n * k, xb = buffer + 3 * n * k
        var rsOld = [Float](repeating: 0, count: n)
        var active = [Bool](repeating: true, count: n)
        // The block's rows of x, contiguous for the GEMM; written back at the end.
        for (j, u) in rows.enumerated() { (xb + j * k).update(from: x + u * k, count: k) }
        defer { for (j, u) in rows.enumerated() { (x + u * k).update(from: xb + j * k, count: k) } }
        // r = b - A x, p = r.
        BLAS.sgemm(m: n, n: k, k: k, a: xb, lda: k, b: g, ldb: k, c: ap, ldc: k)
        for (j, u) in rows.enumerated() {
            let rj = r + j * k, apj = ap + j * k
            for d in 0..<k { rj[d] = -apj[d] }
            addResidual(xb + j * k, rj, entries(u), y, k: k)
            (p + j * k).update(from: rj, count: k)
            rsOld[j] = Vector.dot(rj, rj, k)
            if rsOld[j] < 1e-20 { deactivate(j, p + j * k, &active, k) }
        }
        for _ in 0..<steps {
            guard active.contains(true) else { return }
            BLAS.sgemm(m: n, n: k, k: k, a: p, lda: k, b: g, ldb: k, c: ap, ldc: k)
            for (j, u) in rows.enumerated() where active[j] {
                let pj = p + j * k, apj = ap + j * k, rj = r + j * k
                addSparse(pj, apj, entries(u), y, k: k)
                let pap = Vector.dot(pj, apj, k)
                guard pap > 0 else { deactivate(j, pj, &active, k); continue }
                let a = rsOld[j] / pap
                Vector.axpy(a, pj, xb + j * k, k)
                Vector.axpy(-a, apj, rj, k)
                let rsNew = Vector.dot(rj, rj, k)
                if rsNew < 1e-20 { deactivate(j, pj, &active, k); continue }
                let beta = rsNew / rsOld[j]
                for d in 0..<k { pj[d] = rj[d] + beta * pj[d] }
                rsOld[j] = rsNew
            }
        }
    }

    /// A row that has converged: no more updates, and p = 0 so the block's GEMM ignores it.
    @inline(__always)
    private static func deactivate(_ j: Int, _ p: UnsafeMutablePointer<Float>, _ active: inout [Bool], _ k: Int) {
        active[j] = false
        for d in 0..<k { p[d] = 0 }
    }

    /// out += Σ (|c| - 1)(y_iᵀ v) y_i over a row's stored pairs.
    @inline(__always)
    static func addSparse(_ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ e: Entries,
                          _ y: UnsafePointer<Float>, k: Int) {
        for j in 0..<e.count {
            let yi = y + Int(e.items[j]) * k
            let w = (abs(e.confidence[j]) - 1) * Vector.dot(yi, v, k)
            Vector.axpy(w, yi, out, k)
        }
    }

    /// out += Σ (b_i - (|c| - 1)(y_iᵀ v)) y_i over a row's stored pairs, with b_i = c when
    /// c > 0 and 0 for a skip: the sparse part of b - A v in one pass over the pairs (as
    /// implicit's least_squares_cg), not one for A v and another for b.
    @inline(__always)
    static func addResidual(_ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ e: Entries,
                            _ y: UnsafePointer<Float>, k: Int) {
        for j in 0..<e.count {
            let yi = y + Int(e.items[j]) * k
            let c = e.confidence[j]
            let w = (c > 0 ? c : 0) - (abs(c) - 1) * Vector.dot(yi, v, k)
            Vector.axpy(w, yi, out, k)
        }
    }

    /// One row's stored pairs: other-side indices and signed confidences.
    struct Entries {
        let items: UnsafePointer<Int32>
        let confidence: UnsafePointer<Float>
        let count: Int
    }

    /// A = G + Σ (|c| - 1) y yᵀ applied to v, into out (G = YᵀY + λI).
    @inline(__always)
    static func applyA(_ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ e: Entries,
                       _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, k: Int) {
        for r in 0..<k { out[r] = Vector.dot(g + r * k, v, k) }
        addSparse(v, out, e, y, k: k)
    }

    /// `steps` conjugate-gradient steps on A x = b from the current x (implicit's
    /// least_squares_cg), where b = Σ_{c > 0} c y: the row-by-row reference of
    /// `blockedConjugateGradient`.
    static func conjugateGradient(_ x: UnsafeMutablePointer<Float>, _ e: Entries, _ y: UnsafePointer<Float>,
                                  _ g: UnsafePointer<Float>, k: Int, steps: Int, scratch: UnsafeMutablePointer<Float>) {
        let r = scratch, p = scratch + k, ap = scratch + 2 * k
        // r = b - A x = -G x + Σ (b_i - (|c| - 1) y_iᵀ x) y_i
        for d in 0..<k { r[d] = -Vector.dot(g + d * k, x, k) }
        addResidual(x, r, e, y, k: k)
        for d in 0..<k { p[d] = r[d] }
        var rsOld = Vector.dot(r, r, k)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            applyA(p, ap, e, y, g, k: k)
            let pap = Vector.dot(p, ap, k)
            guard pap > 0 else { return }
            let a = rsOld / pap
            Vector.axpy(a, p, x, k)
            Vector.axpy(-a, ap, r, k)
            let rsNew = Vector.dot(r, r, k)
            if rsNew < 1e-20 { return }
            let beta = rsNew / rsOld
            for d in 0..<k { p[d] = r[d] + beta * p[d] }
            rsOld = rsNew
        }
    }

    /// The exact solution of A x = b by Cholesky, in Double; false (x unchanged) when A is not
    /// positive definite.
    @discardableResult
    static func exact(_ x: UnsafeMutablePointer<Float>, _ e: Entries, _ y: UnsafePointer<Float>,
                      _ g: UnsafePointer<Float>, k: Int) -> Bool {
        let (a, b) = normalEquations(e, y, g, k: k)
        guard let chol = Cholesky(a, n: k) else { return false }
        let solution = chol.solve(b)
        for d in 0..<k { x[d] = Float(solution[d]) }
        return true
    }

    /// A and b of one row's normal equations, in Double.
    static func normalEquations(_ e: Entries, _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
                                k: Int) -> (a: [Double], b: [Double]) {
        var a = (0..<(k * k)).map { Double(g[$0]) }
        var b = [Double](repeating: 0, count: k)
        for j in 0..<e.count {
            let yi = y + Int(e.items[j]) * k
            let c = Double(e.confidence[j])
            let w = abs(c) - 1
            for r in 0..<k {
                let yr = Double(yi[r])
                if c > 0 { b[r] += c * yr }
                if w != 0 { for s in 0..<k { a[r * k + s] += w * yr * Double(yi[s]) } }
            }
        }
        return (a, b)
    }

    package var similarityName: String { "cosine of the item factors" }

    /// The exact solve for a user whose stored pairs would be `history` (implicit's
    /// recalculate_user): x = (YᵀY + Yᵀ(C - I)Y + λI)⁻¹ Yᵀ C p.
    package func scores(forHistory history: [ItemScore]) -> [Float] {
        let k = parameters.factors
        let conf = history.map { Float(1 + parameters.alpha * $0.score) }
        let items = history.map { Int32($0.item) }
        var x = [Float](repeating: 0, count: k)
        var gram = BLAS.gram(factors.itemFactors)
        for d in 0..<k { gram[d * k + d] += Float(parameters.reg) }
        _ = items.withUnsafeBufferPointer { ix in
            conf.withUnsafeBufferPointer { cv in
                factors.itemFactors.values.withUnsafeBufferPointer { yb in
                    gram.withUnsafeBufferPointer { g in
                        x.withUnsafeMutableBufferPointer { xp in
                            Self.exact(xp.baseAddress!, Entries(items: ix.baseAddress!, confidence: cv.baseAddress!, count: items.count),
                                       yb.baseAddress!, g.baseAddress!, k: k)
                        }
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: index.items.count)
        out.withUnsafeMutableBufferPointer { factors.scoreItems(vector: x, userOffset: 0, into: $0) }
        return out
    }

    package var explanationNote: String {
        "contributions c_uj · y_iᵀ W_u y_j with W_u = (YᵀC_uY + λI)⁻¹ (implicit's explain); they add up to the score of an exact solve for the user, which the model's own score approximates"
    }

    /// The score of item i for user u split over u's stored pairs j: c_uj p_uj y_iᵀ W_u y_j.
    package func explain(user u: Int, item i: Int) -> [ItemScore] {
        let k = parameters.factors
        var gram = BLAS.gram(factors.itemFactors)
        for d in 0..<k { gram[d * k + d] += Float(parameters.reg) }
        let range = confidence.range(of: u)
        let y = factors.itemFactors
        let (a, _) = confidence.indices.withUnsafeBufferPointer { ix in
            confidence.values.withUnsafeBufferPointer { cv in
                y.values.withUnsafeBufferPointer { yb in
                    gram.withUnsafeBufferPointer { g in
                        Self.normalEquations(Entries(items: ix.baseAddress! + range.lowerBound, confidence: cv.baseAddress! + range.lowerBound,
                                                     count: range.count), yb.baseAddress!, g.baseAddress!, k: k)
                    }
                }
            }
        }
        guard let chol = Cholesky(a, n: k) else { return [] }
        let z = chol.solve((0..<k).map { Double(y[i, $0]) })
        var out: [ItemScore] = []
        for p in range where confidence.values[p] > 0 {
            let j = Int(confidence.indices[p])
            var dot = 0.0
            for d in 0..<k { dot += z[d] * Double(y[j, d]) }
            out.append(ItemScore(item: j, score: Double(confidence.values[p]) * dot))
        }
        return out.sorted { $0.score > $1.score || ($0.score == $1.score && index.items.raw[$0.item] < index.items.raw[$1.item]) }
    }

    package var facts: [(String, SummaryValue)] {
        [("preference", .text(preference.rawValue)), ("users", .int(index.users.count)), ("items", .int(index.items.count)),
         ("stored pairs", .int(confidence.nonZeros))]
    }
}
