// TruncatedSVD against a dense reference: the centred matrix M = A - μ1ᵀ built naively from
// the rows, its singular values from the Jacobi eigenvalues of M Mᵀ (or MᵀM), the rank-k
// reconstruction from its eigenvectors (Eckart-Young), and the RMSEs over the stored entries
// and over every cell. Both Lanczos sides are covered: users <= items (M Mᵀ) and users > items.

import Testing
import Learn

/// The dense listens matrix of `rows` in the model's dense order, and M = A - μ1ᵀ.
func denseListens(_ rows: [LogRow], _ model: TruncatedSVD) -> (a: Dense, m: Dense, mu: [Double]) {
    let users = model.index.users, items = model.index.items
    var a = zeros(users.count, items.count)
    for row in rows where row.label > 0.5 {
        a[users.index(of: RawID(row.user))!.int][items.index(of: RawID(row.item))!.int] += 1
    }
    let centred = model.parameters.center == .user
    let mu = a.map { centred ? $0.reduce(0, +) / Double(items.count) : 0 }
    let m = a.indices.map { u in a[u].map { $0 - mu[u] } }
    return (a, m, mu)
}

func svdParameters(k: Int, center: TruncatedSVD.Centering = .user, seed: Int = 1) -> TruncatedSVD.Parameters {
    var p = TruncatedSVD.Parameters()
    p.k = k
    p.center = center
    p.seed = seed
    return p
}

@Suite struct TruncatedSVDTests {
    static let shapes: [(users: Int, items: Int, k: Int, center: TruncatedSVD.Centering)] = [
        (8, 12, 3, .user), (8, 12, 3, .none), (12, 8, 4, .user), (12, 8, 2, .none), (10, 10, 5, .user),
    ]

    @Test(arguments: shapes.indices)
    func agreesWithTheDenseSVD(_ shape: Int) throws {
        let (users, items, k, center) = Self.shapes[shape]
        let rows = randomLog(seed: 300 + UInt64(shape), users: users, items: items, rows: users * items / 2 + 20)
        let model = try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: k, center: center))
        #expect(model.index.users.count == users && model.index.items.count == items)
        let (a, m, mu) = denseListens(rows, model)

        // Singular values.
        let sigma = singularValues(m)
        #expect(model.singularValues.count == k)
        for j in 0..<k {
            #expect(abs(model.singularValues[j] - sigma[j]) <= 1e-6 * sigma[j], "σ_\(j + 1): \(model.singularValues[j]) vs \(sigma[j])")
        }
        // Reconstruction: r̂(u, i) = μ_u + (M_k)_ui, through every scoring path.
        let mk = rankApproximation(m, k: k)
        let scale = m.flatMap { $0 }.map(abs).max()!
        for u in 0..<users {
            var scores = [Float](repeating: 0, count: items)
            scores.withUnsafeMutableBufferPointer { model.scoreItems(user: u, into: $0) }
            for i in 0..<items {
                let expected = mu[u] + mk[u][i]
                #expect(abs(model.score(user: Int32(u), item: Int32(i)) - expected) <= 1e-5 * scale, "user \(u) item \(i)")
                #expect(abs(Double(scores[i]) - expected) <= 1e-5 * scale)
            }
        }
        // The errors: every cell of the dense residual, and the stored entries of A.
        var cellSE = 0.0, storedSE = 0.0, stored = 0
        for u in 0..<users {
            for i in 0..<items {
                let e = m[u][i] - mk[u][i]
                cellSE += e * e
                if a[u][i] != 0 {
                    stored += 1
                    storedSE += (a[u][i] - (mu[u] + mk[u][i])) * (a[u][i] - (mu[u] + mk[u][i]))
                }
            }
        }
        let cellRMSE = (cellSE / Double(users * items)).squareRoot()
        #expect(abs(model.cellRMSE - cellRMSE) <= 1e-6 * cellRMSE, "\(model.cellRMSE) vs \(cellRMSE)")
        #expect(model.storedEntries == stored)
        #expect(abs(model.storedRMSE - (storedSE / Double(stored)).squareRoot()) <= 1e-5 * scale)
        #expect(model.lanczosSteps >= k)
    }

    /// The same singular values through LAPACK: the reference itself is checked.
    @Test func theJacobiReferenceAgreesWithLAPACK() throws {
        let rows = randomLog(seed: 310, users: 9, items: 13, rows: 80)
        let model = try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: 2))
        let (_, m, _) = denseListens(rows, model)
        let gram = multiply(m, transpose(m))
        let lapack = try #require(BLAS.symmetricEigen(gram.flatMap { $0 }, n: gram.count))
        let jacobi = jacobiEigen(gram).values
        for (x, y) in zip(lapack.values.reversed(), jacobi) { #expect(abs(x - y) <= 1e-10 * jacobi[0]) }
    }

    @Test func theSeedDoesNotChangeTheFactorisationBeyondRounding() throws {
        let frame = try logFrame(randomLog(seed: 320, users: 10, items: 14, rows: 90))
        let a = try TruncatedSVD.fit(frame, parameters: svdParameters(k: 3, seed: 1))
        let b = try TruncatedSVD.fit(frame, parameters: svdParameters(k: 3, seed: 987))
        for (x, y) in zip(a.singularValues, b.singularValues) { #expect(abs(x - y) <= 1e-9 * x) }
        for u in 0..<10 { for i in 0..<14 {
            #expect(abs(a.score(user: Int32(u), item: Int32(i)) - b.score(user: Int32(u), item: Int32(i))) < 1e-5)
        } }
    }

    @Test(arguments: [8, 9, 50])
    func kMustBeBelowTheSmallerSide(_ k: Int) throws {
        let log = randomLog(seed: 330, users: 8, items: 12, rows: 60)
        let frame = try logFrame(log)
        let items = Set(log.map(\.item)).count
        #expect(items > 8)
        #expect(throws: LearnError.invalidParameter(name: "k", reason: "must be below the smaller side of the 8 x \(items) matrix (at most 7), not \(k)")) {
            try TruncatedSVD.fit(frame, parameters: svdParameters(k: k))
        }
        #expect(throws: Never.self) { try TruncatedSVD.fit(frame, parameters: svdParameters(k: 7)) }
    }

    /// Every user heard the same items the same number of times: without centring A has rank 1.
    @Test func aRankDeficientMatrixIsANumericalError() throws {
        let rows = (0..<5).flatMap { u in (0..<6).map { i in LogRow(user: Int64(u), item: Int64(i), label: 1, time: 0, weight: 1) } }
        #expect(throws: LearnError.numerical("the matrix has fewer than 2 nonzero singular values; use a smaller k")) {
            try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: 2, center: .none))
        }
        let one = try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: 1, center: .none))
        #expect(abs(one.singularValues[0] - 30.0.squareRoot()) < 1e-9)
        #expect(one.cellRMSE < 1e-6)
    }

    /// Two listening patterns among eight users: rank 2 with or without centring.
    @Test(arguments: [TruncatedSVD.Centering.user, .none])
    func kAboveTheRankIsANumericalError(_ center: TruncatedSVD.Centering) throws {
        var rows: [LogRow] = []
        for u in 0..<8 {
            for i: Int64 in u % 2 == 0 ? [1, 2, 3] : [3, 4, 5, 6] {
                for _ in 0..<(1 + Int(i) % 2) { rows.append(LogRow(user: Int64(u), item: i, label: 1, time: 0, weight: 1)) }
            }
        }
        let frame = try logFrame(rows)
        let two = try TruncatedSVD.fit(frame, parameters: svdParameters(k: 2, center: center))
        let (_, m, _) = denseListens(rows, two)
        let sigma = singularValues(m)
        #expect(sigma[2] < 1e-6 * sigma[0], "the reference: rank 2 (σ_3 is the square root of a rounding error)")
        for j in 0..<2 { #expect(abs(two.singularValues[j] - sigma[j]) <= 1e-9 * sigma[0]) }
        #expect(two.cellRMSE < 1e-6)
        #expect(throws: LearnError.numerical("the matrix has fewer than 3 nonzero singular values; use a smaller k")) {
            try TruncatedSVD.fit(frame, parameters: svdParameters(k: 3, center: center))
        }
    }

    /// Two groups of users with the same listening pattern on disjoint items: every singular
    /// value of the block-diagonal matrix comes twice, and the rank-2 factorisation must keep
    /// both copies of σ_1.
    @Test func repeatedSingularValuesAreAllFound() throws {
        let pattern: [[Double]] = [[3, 1, 0, 2], [0, 2, 1, 1], [1, 0, 4, 0]]
        var rows: [LogRow] = []
        for block in 0..<2 {
            for (u, line) in pattern.enumerated() {
                for (i, n) in line.enumerated() where n > 0 {
                    for _ in 0..<Int(n) {
                        rows.append(LogRow(user: Int64(10 * block + u), item: Int64(100 * block + i), label: 1, time: 0, weight: 1))
                    }
                }
            }
        }
        let sigma = singularValues(pattern)
        let model = try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: 2, center: .none))
        #expect(model.singularValues.count == 2)
        for s in model.singularValues { #expect(abs(s - sigma[0]) <= 1e-6 * sigma[0], "\(model.singularValues) vs \(sigma[0]) twice") }
    }

    /// A training user's own row, folded in, gets the user's scores: (r - μ1) V = U Σ.
    @Test(arguments: [TruncatedSVD.Centering.user, .none])
    func foldingInATrainingUsersRowGivesTheirScores(_ center: TruncatedSVD.Centering) throws {
        let rows = randomLog(seed: 340, users: 9, items: 12, rows: 80)
        let model = try TruncatedSVD.fit(try logFrame(rows), parameters: svdParameters(k: 8, center: center))
        let (a, _, _) = denseListens(rows, model)
        for u in 0..<9 {
            let history = a[u].enumerated().filter { $0.element != 0 }.map { ItemScore(item: $0.offset, score: $0.element) }
            let folded = model.scores(forHistory: history)
            for i in 0..<12 {
                #expect(abs(Double(folded[i]) - model.score(user: Int32(u), item: Int32(i))) < 1e-4, "user \(u) item \(i)")
            }
        }
    }

    /// Similar items: the cosine of the rows of V, best first, the item itself left out.
    @Test func similarItemsAreTheCosineOfTheItemFactors() throws {
        let model = try TruncatedSVD.fit(try logFrame(randomLog(seed: 350, users: 10, items: 12, rows: 90)), parameters: svdParameters(k: 4))
        let v = model.factors.itemFactors
        let rowsOfV = (0..<v.rows).map { r in v.row(r).map(Double.init) }
        for i in 0..<v.rows {
            let cos = rowsOfV.map { dot($0, rowsOfV[i]) / (dot($0, $0) * dot(rowsOfV[i], rowsOfV[i])).squareRoot() }
            let expected = referenceTopK(5, scores: cos, ids: model.index.items.raw, skip: [i])
            let similar = model.similarItems(to: i, top: 5)
            #expect(similar.map(\.item) == expected, "item \(i)")
            for s in similar { #expect(abs(s.score - cos[s.item]) < 1e-5) }
        }
    }
}
