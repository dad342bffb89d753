// Truncated SVD of the centred user x item preference matrix: the original study's method,
// without ever building the dense pivot.
//
//   M = A - μ 1ᵀ,  μ_u = (Σ_i A_ui) / items   (each user's row de-meaned over ALL items,
//                                              zeros included, as the dense pivot was)
//   M ≈ U_k Σ_k V_kᵀ,   r̂(u, i) = μ_u + Σ_j σ_j U_uj V_ij
//
// M is dense but never formed: M x = A x - μ (1ᵀx) and Mᵀ y = Aᵀ y - 1 (μᵀ y) cost one sparse
// product each. The top k eigenpairs of the Gram operator on the smaller side (M Mᵀ when
// users <= items, else MᵀM) come from `Lanczos` with full reorthogonalisation: σ_j = √λ_j and
// the other side's vectors are Mᵀ u_j / σ_j (or M v_j / σ_j). This is what scipy's `svds`
// does with ARPACK on the same operator. The error over every cell of the pivot needs no
// dense pass either: ‖M - U_k Σ_k V_kᵀ‖²_F = ‖M‖²_F - Σ_j σ_j², and
// ‖M‖²_F = ‖A‖²_F - items Σ_u μ_u².

import Frame

/// Rank-k truncated SVD of the (centred) preference matrix.
package struct TruncatedSVD: FactorModel, FittableModel, FoldIn {
    /// Whether each user's row is de-meaned first.
    package enum Centering: String, Sendable, CaseIterable { case user, none }

    package struct Parameters: Sendable, Equatable {
        /// Singular triplets kept.
        package var k: Int = 6
        package var center: Centering = .user
        /// Seed of the Lanczos starting vector (the result does not depend on it beyond rounding).
        package var seed: Int = 1
        package init() {}
    }

    /// Ritz residuals below this share of σ₁² count as converged: each eigenvalue of M Mᵀ is
    /// then within about (1e-8 σ₁²)² / gap, far inside the 1e-6 relative accuracy promised.
    static let lanczosTolerance = 1e-8

    package static let kindName = "svd"
    package static let summary = "truncated SVD of the user x item preference matrix, each user's row de-meaned (the original study)"
    package static let details = [
        "M = A - μ1ᵀ, where A is the user x item matrix of the preference (default: listens) and μ_u the mean of user u's row over every item, zeros included, as the original's dense pivot; M ≈ U Σ Vᵀ with the k largest singular values, and r̂(u, i) = μ_u + Σ_j σ_j U_uj V_ij. The dense pivot is never built: Lanczos with full reorthogonalisation on M Mᵀ (or MᵀM, the smaller side) finds the same singular values as scipy's svds.",
        "The fit reports the singular values, the RMSE of the reconstruction over the stored entries and over every cell of the pivot, and the Lanczos steps taken. Scores reconstruct the preference, so they rank items; log loss and accuracy do not apply.",
    ]
    package static let examples = ["m = fit svd on train k=6", "m = fit svd on train k=32 center=none"]
    package static let input = ModelInput.preferences
    package static let defaults = Parameters()
    package static let hyperparameters: [Hyperparameter<Parameters>] = [
        .integer("k", \.k, 1...1000, "singular values and vectors kept"),
        .choice("center", \.center, "de-mean each user's row (user) or factor the matrix as it is (none)"),
        .integer("seed", \.seed, 0...Int(Int32.max), "seed of the Lanczos starting vector"),
    ]

    package let parameters: Parameters
    package let index: InteractionIndex
    package let preference: Preference
    /// σ_1 >= ... >= σ_k.
    package let singularValues: [Double]
    /// User factors U diag(σ), item factors V, user offsets μ.
    package let factors: FactorScores
    package let storedRMSE: Double
    package let cellRMSE: Double
    package let lanczosSteps: Int
    /// Stored entries of the preference matrix.
    package let storedEntries: Int
    package var scoreKind: ScoreKind { .ranking }

    package static func fit(_ data: TrainingData, parameters: Parameters,
                            context: FitContext) throws(LearnError) -> TruncatedSVD {
        let a = data.matrix
        let users = a.rows, items = a.columns
        let k = parameters.k
        guard k < Swift.min(users, items) else {
            throw .invalidParameter(name: "k", reason: "must be below the smaller side of the \(users) x \(items) matrix (at most \(Swift.min(users, items) - 1)), not \(k)")
        }
        let at = a.transposed()
        let rowSums = a.rowSums()
        let mu = parameters.center == .user ? rowSums.map { $0 / Double(items) } : [Double](repeating: 0, count: users)
        // M x (items -> users) and Mᵀ y (users -> items).
        func m(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
            var total = 0.0
            for i in 0..<items { total += x[i] }
            multiply(a, x, y)
            for u in 0..<users { y[u] -= mu[u] * total }
        }
        func mt(_ y: UnsafePointer<Double>, _ x: UnsafeMutablePointer<Double>) {
            var dot = 0.0
            for u in 0..<users { dot += mu[u] * y[u] }
            multiply(at, y, x)
            for i in 0..<items { x[i] -= dot }
        }
        let userSide = users <= items
        let n = userSide ? users : items, other = userSide ? items : users
        var scratch = [Double](repeating: 0, count: other)
        let result = try Lanczos.largest(k, dimension: n, seed: UInt64(parameters.seed), tolerance: lanczosTolerance,
                                         context: context) { x, y in
            scratch.withUnsafeMutableBufferPointer { s in
                if userSide { mt(x, s.baseAddress!); m(s.baseAddress!, y) } else { m(x, s.baseAddress!); mt(s.baseAddress!, y) }
            }
        }
        let sigma = result.values.map { Swift.max($0, 0).squareRoot() }
        guard let smallest = sigma.last, smallest > 1e-12 * Swift.max(sigma[0], 1e-300) else {
            throw .numerical("the matrix has fewer than \(k) nonzero singular values; use a smaller k")
        }
        // Vectors of the smaller side, then the other side's by one product each.
        var userFactors = Matrix(rows: users, columns: k), itemFactors = Matrix(rows: items, columns: k)
        var otherVector = [Double](repeating: 0, count: other)
        for j in 0..<k {
            let v = Array(result.vectors[(j * n)..<((j + 1) * n)])
            v.withUnsafeBufferPointer { vp in
                otherVector.withUnsafeMutableBufferPointer { o in
                    if userSide { mt(vp.baseAddress!, o.baseAddress!) } else { m(vp.baseAddress!, o.baseAddress!) }
                }
            }
            for r in 0..<n {
                // User factors carry σ: U diag(σ).
                if userSide { userFactors[r, j] = Float(v[r] * sigma[j]) } else { itemFactors[r, j] = Float(v[r]) }
            }
            for r in 0..<other {
                let x = otherVector[r] / sigma[j]
                if userSide { itemFactors[r, j] = Float(x) } else { userFactors[r, j] = Float(x * sigma[j]) }
            }
        }
        let factors = FactorScores(userFactors: userFactors, itemFactors: itemFactors,
                                   userOffsets: mu.map { Float($0) })
        // Errors: stored entries directly, every cell from the Frobenius identity.
        // Users in parallel, each summing its own row; the partial sums are added in user order.
        let errors: [(Double, Double)] = factors.userFactors.values.withUnsafeBufferPointer { uf in
            factors.itemFactors.values.withUnsafeBufferPointer { vf in
                a.offsets.withUnsafeBufferPointer { off in
                    a.indices.withUnsafeBufferPointer { ix in
                        a.values.withUnsafeBufferPointer { av in
                            Parallel.array(users, minimum: 256) { u -> (Double, Double) in
                                var se = 0.0, squares = 0.0
                                for p in off[u]..<off[u + 1] {
                                    let value = Double(av[p])
                                    squares += value * value
                                    let dot = Vector.dot(uf.baseAddress! + u * k, vf.baseAddress! + Int(ix[p]) * k, k)
                                    let e = value - (mu[u] + Double(dot))
                                    se += e * e
                                }
                                return (se, squares)
                            }
                        }
                    }
                }
            }
        }
        let storedSE = errors.reduce(0) { $0 + $1.0 }, frobeniusA = errors.reduce(0) { $0 + $1.1 }
        let frobeniusM = frobeniusA - 2 * zip(mu, rowSums).reduce(0) { $0 + $1.0 * $1.1 }
            + Double(items) * mu.reduce(0) { $0 + $1 * $1 }
        let residual = Swift.max(0, frobeniusM - sigma.reduce(0) { $0 + $1 * $1 })
        return TruncatedSVD(parameters: parameters, index: InteractionIndex(data), preference: data.preference.preference,
                            singularValues: sigma, factors: factors,
                            storedRMSE: (storedSE / Double(Swift.max(a.nonZeros, 1))).squareRoot(),
                            cellRMSE: (residual / (Double(users) * Double(items))).squareRoot(),
                            lanczosSteps: result.steps, storedEntries: a.nonZeros)
    }

    /// y = A x for a CSR matrix, rows in parallel.
    private static func multiply(_ a: CSRMatrix, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        let out = SharedPointer(y)
        a.offsets.withUnsafeBufferPointer { off in
            a.indices.withUnsafeBufferPointer { ix in
                a.values.withUnsafeBufferPointer { v in
                    let chunks = Parallel.chunks(a.rows, minimum: 2048)
                    Parallel.forEach(chunks.count) { c in
                        for r in chunks[c] {
                            var s = 0.0
                            for p in off[r]..<off[r + 1] { s += Double(v[p]) * x[Int(ix[p])] }
                            out.base[r] = s
                        }
                    }
                }
            }
        }
    }

    package var similarityName: String { "cosine of the items' singular vectors" }

    /// A new row r is centred by its mean over every item and projected on V: p = (r - μ) V,
    /// which is U diag(σ) for a training row.
    package func scores(forHistory history: [ItemScore]) -> [Float] {
        let items = index.items.count, k = parameters.k
        let mean = parameters.center == .user ? history.reduce(0) { $0 + $1.score } / Double(items) : 0
        var p = [Float](repeating: 0, count: k)
        // (r - μ1) V = r V - μ (1ᵀ V)
        var columnSums = [Double](repeating: 0, count: k)
        for i in 0..<items { for j in 0..<k { columnSums[j] += Double(factors.itemFactors[i, j]) } }
        for j in 0..<k {
            var s = -mean * columnSums[j]
            for h in history { s += h.score * Double(factors.itemFactors[h.item, j]) }
            p[j] = Float(s)
        }
        var out = [Float](repeating: 0, count: items)
        out.withUnsafeMutableBufferPointer { factors.scoreItems(vector: p, userOffset: Float(mean), into: $0) }
        return out
    }

    package var arrays: [(String, [Double])] { [("singular_values", singularValues)] }

    package var facts: [(String, SummaryValue)] {
        [("preference", .text(preference.rawValue)), ("users", .int(index.users.count)), ("items", .int(index.items.count)),
         ("stored entries", .int(storedEntries)),
         ("singular values", .text(singularValues.map { HyperValue.format(($0 * 1e4).rounded() / 1e4) }.joined(separator: ", "))),
         ("rmse, stored entries", .number(storedRMSE)), ("rmse, every cell", .number(cellRMSE)),
         ("lanczos steps", .int(lanczosSteps))]
    }
}
