// FactorScores: how every factorisation model scores, with the parts it has:
//   score(u, i) = offset + userOffset[u] + itemOffset[i] + <P[u], Q[i]>
// (SVD: the user's mean and U·diag(σ), Vᵀ; biased MF: μ, b_u, b_i, p_u, q_i; ALS: x_u, y_i
// only). Scoring every item for a block of users is one matrix product through BLAS, then the
// offsets; an unknown user or item contributes zeros.

/// The factors and offsets of a fitted factorisation.
package struct FactorScores: Sendable {
    /// Users x factors and items x factors.
    package let userFactors: Matrix
    package let itemFactors: Matrix
    package var offset: Float = 0
    package var userOffsets: [Float]? = nil
    package var itemOffsets: [Float]? = nil

    package init(userFactors: Matrix, itemFactors: Matrix, offset: Float = 0,
                 userOffsets: [Float]? = nil, itemOffsets: [Float]? = nil) {
        precondition(userFactors.columns == itemFactors.columns, "user and item factors differ in width")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.offset = offset
        self.userOffsets = userOffsets
        self.itemOffsets = itemOffsets
    }

    package var factors: Int { userFactors.columns }

    /// The score of (u, i); -1 stands for an unknown user or item.
    package func score(user u: Int32, item i: Int32) -> Double {
        var s = offset
        if u >= 0, let userOffsets { s += userOffsets[Int(u)] }
        if i >= 0, let itemOffsets { s += itemOffsets[Int(i)] }
        if u >= 0 && i >= 0 { s += userFactors.dot(Int(u), itemFactors, Int(i)) }
        return Double(s)
    }

    /// Scores of every item for the user vector `p` with offset `userOffset`.
    package func scoreItems(vector p: [Float], userOffset: Float, into scores: UnsafeMutableBufferPointer<Float>) {
        products(p, into: scores)
        addOffsets(userOffset, scores)
    }

    /// <p, Q[i]> for every item i.
    private func products(_ p: [Float], into out: UnsafeMutableBufferPointer<Float>) {
        let n = itemFactors.rows, k = factors
        p.withUnsafeBufferPointer { pv in
            itemFactors.values.withUnsafeBufferPointer { q in
                BLAS.sgemm(transposeB: true, m: 1, n: n, k: k, a: pv.baseAddress!, lda: k,
                           b: q.baseAddress!, ldb: k, c: out.baseAddress!, ldc: n)
            }
        }
    }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        scoreItems(vector: userFactors.row(u), userOffset: userOffsets?[u] ?? 0, into: scores)
    }

    /// Scores of every item for each of `users`, row after row: one GEMM.
    package func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>) {
        scoreItems(users: users, items: 0..<itemFactors.rows, into: scores)
    }

    /// Scores of the items in `items` for each of `users`: one GEMM against a contiguous slice
    /// of the item factors, then the offsets.
    package func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        let w = items.count, k = factors
        var block = [Float](repeating: 0, count: users.count * k)
        userFactors.values.withUnsafeBufferPointer { x in
            for (r, u) in users.enumerated() {
                for c in 0..<k { block[r * k + c] = x[u * k + c] }
            }
        }
        block.withUnsafeBufferPointer { a in
            itemFactors.values.withUnsafeBufferPointer { q in
                BLAS.sgemm(transposeB: true, m: users.count, n: w, k: k, a: a.baseAddress!, lda: k,
                           b: q.baseAddress! + items.lowerBound * k, ldb: k, c: scores.baseAddress!, ldc: w)
            }
        }
        for (r, u) in users.enumerated() {
            let base = offset + (userOffsets?[u] ?? 0)
            let row = scores.baseAddress! + r * w
            if let itemOffsets {
                for j in 0..<w { row[j] += base + itemOffsets[items.lowerBound + j] }
            } else if base != 0 {
                for j in 0..<w { row[j] += base }
            }
        }
    }

    private func addOffsets(_ userOffset: Float, _ scores: UnsafeMutableBufferPointer<Float>) {
        let base = offset + userOffset
        if let itemOffsets {
            for i in 0..<scores.count { scores[i] += base + itemOffsets[i] }
        } else if base != 0 {
            for i in 0..<scores.count { scores[i] += base }
        }
    }

    /// The `top` items whose factor vectors have the highest cosine with item `i`'s.
    package func similarItems(to i: Int, top: Int, rawIDs: [Int64]) -> [ItemScore] {
        let norms = itemFactors.rowNorms()
        var sims = [Float](repeating: 0, count: itemFactors.rows)
        let qi = itemFactors.row(i)
        sims.withUnsafeMutableBufferPointer { products(qi, into: $0) }
        for j in 0..<sims.count {
            let d = norms[i] * norms[j]
            sims[j] = d > 0 ? sims[j] / d : 0
        }
        let picked = sims.withUnsafeBufferPointer { s in
            rawIDs.withUnsafeBufferPointer { ids in TopK.select(top, scores: s, rawIDs: ids, excluding: [Int32(i)]) }
        }
        return picked.map { ItemScore(item: $0, score: Double(sims[$0])) }
    }
}

/// A recommender whose scores are a `FactorScores`: its scoring, batched scoring of users and
/// items, and the cosine of item factors come from there (a model overrides what it changes,
/// as biased MF squashes its scores).
package protocol FactorModel: ItemSimilarity {
    var factors: FactorScores { get }
}

extension FactorModel {
    package var batchScoring: Bool { true }

    package func score(user u: Int32, item i: Int32) -> Double { factors.score(user: u, item: i) }

    package func scoreItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(user: u, into: scores)
    }

    package func scoreItems(users: [Int], into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(users: users, into: scores)
    }

    package func scoreItems(users: [Int], items: Range<Int>, into scores: UnsafeMutableBufferPointer<Float>) {
        factors.scoreItems(users: users, items: items, into: scores)
    }

    package func similarItems(to i: Int, top: Int) -> [ItemScore] {
        factors.similarItems(to: i, top: top, rawIDs: index.items.raw)
    }
}
