// ImplicitALS against its normal equations written naively in Double from the raw rows:
//   (YᵀY + Yᵀ(C_u - I)Y + λI) x_u = Yᵀ C_u p_u
// with c = 1 + α·r and p = 1 for a pair with r listens, and (skips=negative) p = 0 and
// c = 1 + α·skips for a pair only ever skipped. The conjugate-gradient solver with many steps
// is held equal to the exact Cholesky solve; explain and fold-in to the exact solve.

import Testing
import Learn

func alsParameters(factors: Int = 5, reg: Double = 0.1, alpha: Double = 2, iterations: Int = 3,
                   solver: ImplicitALS.Solver = .cholesky, cgSteps: Int = 3, skips: ImplicitALS.Skips = .ignore,
                   seed: Int = 1) -> ImplicitALS.Parameters {
    var p = ImplicitALS.Parameters()
    p.factors = factors
    p.reg = reg
    p.alpha = alpha
    p.iterations = iterations
    p.solver = solver
    p.cgSteps = cgSteps
    p.skips = skips
    p.seed = seed
    return p
}

/// One stored pair of the confidence matrix, from its definition.
struct Confidence: Equatable {
    var other: Int
    var c: Double
    var p: Double
}

/// Each user's (or, `byItem`, each item's) pairs with confidence and preference, from the rows.
func naiveConfidences(_ rows: [LogRow], _ model: ImplicitALS, byItem: Bool = false) -> [[Confidence]] {
    let users = model.index.users, items = model.index.items
    let alpha = model.parameters.alpha
    var listens: [Int: [Int: (rows: Int, positives: Int)]] = [:]
    for row in rows {
        let u = users.index(of: RawID(row.user))!.int, i = items.index(of: RawID(row.item))!.int
        let (a, b) = byItem ? (i, u) : (u, i)
        var s = listens[a, default: [:]][b, default: (0, 0)]
        s.rows += 1
        if row.label > 0.5 { s.positives += 1 }
        listens[a, default: [:]][b] = s
    }
    let count = byItem ? items.count : users.count
    return (0..<count).map { a in
        (listens[a] ?? [:]).sorted { $0.key < $1.key }.compactMap { other, s -> Confidence? in
            if s.positives > 0 { return Confidence(other: other, c: 1 + alpha * Double(s.positives), p: 1) }
            if model.parameters.skips == .negative { return Confidence(other: other, c: 1 + alpha * Double(s.rows), p: 0) }
            return nil
        }
    }
}

/// A and b of one row's normal equations given the other side's factors, in Double.
func normalEquations(_ pairs: [Confidence], _ y: Matrix, reg: Double) -> (a: Dense, b: [Double]) {
    let k = y.columns
    let rows = (0..<y.rows).map { r in y.row(r).map(Double.init) }
    var a = multiply(transpose(rows), rows)
    for d in 0..<k { a[d][d] += reg }
    var b = [Double](repeating: 0, count: k)
    for pair in pairs {
        let v = rows[pair.other]
        for r in 0..<k {
            b[r] += pair.c * pair.p * v[r]
            for s in 0..<k { a[r][s] += (pair.c - 1) * v[r] * v[s] }
        }
    }
    return (a, b)
}

func relativeDistance(_ x: [Double], _ y: [Double]) -> Double {
    let d = zip(x, y).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    return d / max(dot(y, y).squareRoot(), 1e-12)
}

@Suite struct ImplicitALSTests {
    static let log = randomLog(seed: 500, users: 10, items: 14, rows: 120)

    @Test(arguments: ImplicitALS.Skips.allCases)
    func theConfidenceMatrixFollowsItsDefinition(_ skips: ImplicitALS.Skips) throws {
        let model = try ImplicitALS.fit(try logFrame(Self.log), parameters: alsParameters(skips: skips))
        let expected = naiveConfidences(Self.log, model)
        for u in 0..<model.index.users.count {
            let stored = model.confidence.range(of: u).map {
                (Int(model.confidence.indices[$0]), Double(model.confidence.values[$0]))
            }
            // Stored with the sign of p: negative for pairs only ever skipped.
            #expect(stored.map(\.0) == expected[u].map(\.other), "user \(u)")
            #expect(zip(stored, expected[u]).allSatisfy { $0.1 == ($1.p == 1 ? $1.c : -$1.c) }, "user \(u)")
        }
        if skips == .negative { #expect(model.confidence.values.contains { $0 < 0 }, "the fixture has skipped-only pairs") }
    }

    /// After t + 1 exact iterations, each x_u solves its normal equations given the Y of t
    /// iterations (the same seed gives the same first t iterations), and each y_i solves its
    /// own given the final X.
    @Test(arguments: ImplicitALS.Skips.allCases)
    func exactSolvesSatisfyTheNormalEquations(_ skips: ImplicitALS.Skips) throws {
        let frame = try logFrame(Self.log)
        let before = try ImplicitALS.fit(frame, parameters: alsParameters(iterations: 2, skips: skips))
        let model = try ImplicitALS.fit(frame, parameters: alsParameters(iterations: 3, skips: skips))
        let reg = model.parameters.reg
        for (u, pairs) in naiveConfidences(Self.log, model).enumerated() {
            let (a, b) = normalEquations(pairs, before.factors.itemFactors, reg: reg)
            let x = model.factors.userFactors.row(u).map(Double.init)
            #expect(relativeDistance(x, solve(a, b)) < 1e-4, "user \(u)")
        }
        for (i, pairs) in naiveConfidences(Self.log, model, byItem: true).enumerated() {
            let (a, b) = normalEquations(pairs, model.factors.userFactors, reg: reg)
            let y = model.factors.itemFactors.row(i).map(Double.init)
            #expect(relativeDistance(y, solve(a, b)) < 1e-4, "item \(i)")
        }
    }

    /// With cg_steps at its maximum the conjugate gradient converges: after one iteration the
    /// factors equal those of the exact solver. The solver sends rows with many pairs for their
    /// factor count to a row-by-row CG and the others to a blocked CG; 2, 8 and 20 factors put
    /// this fixture's rows (2 to 9 pairs) all on one side, on both, and all on the other.
    @Test(arguments: [2, 8, 20], ImplicitALS.Skips.allCases)
    func conjugateGradientWithManyStepsEqualsCholesky(factors: Int, skips: ImplicitALS.Skips) throws {
        let frame = try logFrame(Self.log)
        let exact = try ImplicitALS.fit(frame, parameters: alsParameters(factors: factors, iterations: 1, solver: .cholesky, skips: skips))
        let cg = try ImplicitALS.fit(frame, parameters: alsParameters(factors: factors, iterations: 1, solver: .cg, cgSteps: 100, skips: skips))
        let few = try ImplicitALS.fit(frame, parameters: alsParameters(factors: factors, iterations: 1, solver: .cg, cgSteps: 1, skips: skips))
        for (name, e, c, f) in [("user", exact.factors.userFactors, cg.factors.userFactors, few.factors.userFactors),
                                ("item", exact.factors.itemFactors, cg.factors.itemFactors, few.factors.itemFactors)] {
            for r in 0..<e.rows {
                let target = e.row(r).map(Double.init)
                let distance = relativeDistance(c.row(r).map(Double.init), target)
                #expect(distance < 1e-3, "\(name) \(r): \(distance)")
            }
            let manySteps = (0..<e.rows).reduce(0.0) { $0 + relativeDistance(c.row($1).map(Double.init), e.row($1).map(Double.init)) }
            let oneStep = (0..<e.rows).reduce(0.0) { $0 + relativeDistance(f.row($1).map(Double.init), e.row($1).map(Double.init)) }
            #expect(manySteps < oneStep, "\(name): more steps come closer to the exact solve")
        }
    }

    /// explain's contributions c_uj · y_iᵀ A⁻¹ y_j, each, and their sum y_iᵀ x_exact, where
    /// x_exact solves the user's normal equations given the fitted Y.
    @Test(arguments: ImplicitALS.Skips.allCases)
    func explanationsSumToTheExactSolveScore(_ skips: ImplicitALS.Skips) throws {
        let model = try ImplicitALS.fit(try logFrame(Self.log), parameters: alsParameters(solver: .cg, skips: skips))
        let y = model.factors.itemFactors
        let rowsOfY = (0..<y.rows).map { y.row($0).map(Double.init) }
        for (u, pairs) in naiveConfidences(Self.log, model).enumerated() {
            let (a, b) = normalEquations(pairs, y, reg: model.parameters.reg)
            let x = solve(a, b)
            for i in [0, 5, 13] {
                let parts = model.explain(user: u, item: i)
                let z = solve(a, rowsOfY[i])      // A⁻¹ y_i (A is symmetric)
                let expected = pairs.filter { $0.p == 1 }.map { ItemScore(item: $0.other, score: $0.c * dot(z, rowsOfY[$0.other])) }
                #expect(Set(parts.map(\.item)) == Set(expected.map(\.item)), "user \(u) item \(i): heard items only")
                for part in parts {
                    let e = expected.first { $0.item == part.item }!.score
                    #expect(abs(part.score - e) <= 1e-4 * max(abs(e), 1e-3), "user \(u) item \(i) from \(part.item)")
                }
                #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.score >= $1.score }, "largest first")
                let total = parts.reduce(0) { $0 + $1.score }
                #expect(abs(total - dot(rowsOfY[i], x)) <= 1e-4 * max(abs(dot(rowsOfY[i], x)), 1e-3), "user \(u) item \(i)")
            }
        }
        #expect(!model.explanationNote.isEmpty)
    }

    /// A training user's own stored preferences, folded in, give the exact-solve scores.
    @Test func foldingInATrainingUsersHistoryIsTheExactSolve() throws {
        let model = try ImplicitALS.fit(try logFrame(Self.log), parameters: alsParameters(solver: .cg))
        let y = model.factors.itemFactors
        let rowsOfY = (0..<y.rows).map { y.row($0).map(Double.init) }
        for (u, pairs) in naiveConfidences(Self.log, model).enumerated() {
            let history = pairs.map { ItemScore(item: $0.other, score: ($0.c - 1) / model.parameters.alpha) }
            let folded = model.scores(forHistory: history)
            let (a, b) = normalEquations(pairs, y, reg: model.parameters.reg)
            let x = solve(a, b)
            let scale = max(rowsOfY.map { abs(dot($0, x)) }.max()!, 1e-3)
            for i in 0..<y.rows {
                #expect(abs(Double(folded[i]) - dot(rowsOfY[i], x)) <= 1e-4 * scale, "user \(u) item \(i)")
            }
        }
    }

    @Test func similarItemsAreTheCosineOfTheItemFactors() throws {
        let model = try ImplicitALS.fit(try logFrame(Self.log), parameters: alsParameters())
        let rowsOfY = (0..<14).map { model.factors.itemFactors.row($0).map(Double.init) }
        for i in 0..<14 {
            let cos = rowsOfY.map { dot($0, rowsOfY[i]) / (dot($0, $0) * dot(rowsOfY[i], rowsOfY[i])).squareRoot() }
            let similar = model.similarItems(to: i, top: 4)
            #expect(similar.map(\.item) == referenceTopK(4, scores: cos, ids: model.index.items.raw, skip: [i]), "item \(i)")
        }
    }

    /// The score is x_uᵀ y_i: no offsets.
    @Test func scoresAreDotProductsOfTheFactors() throws {
        let model = try ImplicitALS.fit(try logFrame(Self.log), parameters: alsParameters())
        for u in 0..<10 {
            for i in 0..<14 {
                let expected = dot(model.factors.userFactors.row(u).map(Double.init), model.factors.itemFactors.row(i).map(Double.init))
                #expect(abs(model.score(user: Int32(u), item: Int32(i)) - expected) < 1e-6)
            }
        }
        #expect(model.score(user: -1, item: 0) == 0 && model.score(user: 0, item: -1) == 0)
    }

    /// With reg = 0 (inside the domain) and more factors than items, YᵀY + Yᵀ(C - I)Y is
    /// singular and every Cholesky solve fails; the fit returns the random initial factors
    /// unchanged (checked by hand: every row equals Matrix.gaussian's start) without a word.
    /// It should throw `.numerical` saying to raise reg or lower factors.
    @Test func singularExactSolvesAreReported() throws {
        let frame = try logFrame(Self.log)
        let parameters = alsParameters(factors: 20, reg: 0, iterations: 2, solver: .cholesky)
        #expect(throws: LearnError.self) { try ImplicitALS.fit(frame, parameters: parameters) }
    }
}
