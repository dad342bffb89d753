// The layers one at a time: each forward pass against the formula of its file comment written
// plainly in Doubles, and each backward pass against central differences of a fixed linear
// read-out of the output (Σ c·y, whose gradient with respect to y is exactly c). Parameters
// and inputs are Floats, so the differences take h = 1e-2 (or 1e-3 where noted) and are
// compared with a relative tolerance of 1e-2. Also: dropout's mask, the embedding's sparse
// gradient, and concatenation's split as the inverse of its join.

import Foundation
import Testing
import Frame
import Neural

@Suite struct DenseTests {
    /// Y = X W + b against a plain Double product; ∂W, ∂b and ∂X against central differences.
    @Test func forwardIsTheProductAndBackwardMatchesFiniteDifferences() throws {
        var rng = Xoshiro256(seed: 11)
        let dense = Dense(4, 3, rng: &rng)
        dense.bias.values = randomValues(&rng, 3)
        let x = randomTensor(&rng, rows: 5, columns: 4)
        let y = dense.forward(x)
        #expect(y.rows == 5 && y.columns == 3)
        let w = dense.kernel.values, b = dense.bias.values
        for r in 0..<5 {
            for j in 0..<3 {
                let expected = Double(b[j]) + (0..<4).reduce(0.0) { $0 + Double(x[r, $1]) * Double(w[$1 * 3 + j]) }
                #expect(abs(Double(y[r, j]) - expected) < 1e-5, "y[\(r), \(j)]")
            }
        }

        let c = randomValues(&rng, 15)
        func loss() -> Double { readout(dense.forward(x), c) }
        _ = loss()
        let dx = try #require(dense.backward(Tensor(rows: 5, columns: 3, values: c))).values
        let dw = dense.kernel.gradients, db = dense.bias.gradients
        for k in 0..<12 {
            let n = centralDifference(dense.kernel.value, k, h: 1e-2, loss)
            #expect(agrees(dw[k], n), "kernel[\(k)]: backprop \(dw[k]), difference \(n)")
        }
        for k in 0..<3 {
            let n = centralDifference(dense.bias.value, k, h: 1e-2, loss)
            #expect(agrees(db[k], n), "bias[\(k)]: backprop \(db[k]), difference \(n)")
        }
        for k in 0..<20 {
            let n = centralDifference(x.data, k, h: 1e-2, loss)
            #expect(agrees(dx[k], n), "input[\(k)]: backprop \(dx[k]), difference \(n)")
        }
    }

    /// The gradients are overwritten, not accumulated, by each backward pass; without
    /// needsInputGradient the parameters' gradients are still written and nil is returned.
    @Test func backwardOverwritesGradientsAndCanSkipTheInputGradient() throws {
        var rng = Xoshiro256(seed: 12)
        let dense = Dense(3, 2, rng: &rng)
        let x = randomTensor(&rng, rows: 4, columns: 3)
        let g = randomTensor(&rng, rows: 4, columns: 2)
        _ = dense.forward(x)
        _ = dense.backward(g)
        let first = dense.kernel.gradients + dense.bias.gradients
        _ = dense.forward(x)
        _ = dense.backward(g)
        #expect(dense.kernel.gradients + dense.bias.gradients == first)
        dense.needsInputGradient = false
        _ = dense.forward(x)
        #expect(dense.backward(g) == nil)
        #expect(dense.kernel.gradients + dense.bias.gradients == first)
    }
}

@Suite struct ActivationTests {
    /// Each kind's values against the Double formula and its input gradient against central
    /// differences. Inputs keep at least 0.05 from 0, so no difference straddles ReLU's kink;
    /// 35 values exercise the eight-lane loops and their tails.
    @Test(arguments: ActivationKind.allCases)
    func valuesAndGradientsMatchTheFormula(_ kind: ActivationKind) throws {
        var rng = Xoshiro256(seed: 13)
        let layer = ActivationLayer(kind, width: 7)
        let values = randomValues(&rng, 35, scale: 3).map { $0 < 0 ? $0 - 0.05 : $0 + 0.05 }
        let x = Tensor(rows: 5, columns: 7, values: values)
        let y = layer.forward(x)
        for k in 0..<35 {
            let v = Double(values[k])
            let expected = switch kind {
            case .relu: max(v, 0)
            case .tanh: tanh(v)
            case .sigmoid: 1 / (1 + exp(-v))
            }
            #expect(abs(Double(y.data[k]) - expected) < 1e-6, "\(kind)(\(v))")
        }
        let c = randomValues(&rng, 35)
        func loss() -> Double { readout(layer.forward(x), c) }
        _ = loss()
        let dx = try #require(layer.backward(Tensor(rows: 5, columns: 7, values: c))).values
        for k in 0..<35 {
            let n = centralDifference(x.data, k, h: 1e-2, loss)
            #expect(agrees(dx[k], n), "\(kind) input[\(k)]: backprop \(dx[k]), difference \(n)")
        }
    }

    /// The sigmoid neither overflows nor flushes the far tails to a wrong value.
    @Test func sigmoidIsFiniteAndMonotoneAtExtremes() {
        #expect(ActivationKind.sigmoid(1e30) == 1 && ActivationKind.sigmoid(-1e30) == 0)
        #expect(ActivationKind.sigmoid(0) == 0.5)
        #expect(abs(Double(ActivationKind.sigmoid(-20)) - sigmoid(-20)) < 1e-6 * sigmoid(-20))
        #expect(ActivationKind.sigmoid(-88) > 0 && ActivationKind.sigmoid(-88) < 1e-37)
    }
}

@Suite struct BatchNormGradientTests {
    /// Training mode, with γ and β away from 1 and 0: ∂γ, ∂β and ∂x against central
    /// differences. Each difference runs a fresh training forward; it moves the moving
    /// statistics, which the training output does not read.
    @Test func trainingGradientsMatchFiniteDifferences() throws {
        var rng = Xoshiro256(seed: 14)
        let bn = BatchNorm(width: 3)
        bn.scale.values = randomValues(&rng, 3).map { 1 + 0.5 * $0 }
        bn.offset.values = randomValues(&rng, 3)
        let x = randomTensor(&rng, rows: 6, columns: 3, scale: 2)
        let c = randomValues(&rng, 18)
        func loss() -> Double { readout(bn.forward(x), c) }
        _ = loss()
        let dx = try #require(bn.backward(Tensor(rows: 6, columns: 3, values: c))).values
        let dgamma = bn.scale.gradients, dbeta = bn.offset.gradients
        for k in 0..<3 {
            let ng = centralDifference(bn.scale.value, k, h: 1e-2, loss)
            #expect(agrees(dgamma[k], ng), "gamma[\(k)]: backprop \(dgamma[k]), difference \(ng)")
            let nb = centralDifference(bn.offset.value, k, h: 1e-2, loss)
            #expect(agrees(dbeta[k], nb), "beta[\(k)]: backprop \(dbeta[k]), difference \(nb)")
        }
        for k in 0..<18 {
            let n = centralDifference(x.data, k, h: 1e-2, loss)
            #expect(agrees(dx[k], n), "input[\(k)]: backprop \(dx[k]), difference \(n)")
        }
        // ∂x sums to zero down each column: shifting a column leaves the output unchanged.
        for j in 0..<3 {
            let s = (0..<6).reduce(0.0) { $0 + Double(dx[$1 * 3 + j]) }
            #expect(abs(s) < 1e-5, "column \(j)")
        }
    }
}

@Suite struct DropoutTests {
    /// Every value is 0 or x / (1 - rate); backward multiplies by exactly the last forward's
    /// mask (not an earlier one); about 1 - rate of 20 000 values are kept.
    @Test func backwardAppliesTheLastMaskAndKeptValuesAreScaled() throws {
        let rate: Float = 0.3
        let dropout = Dropout(rate: rate, width: 9, seed: 42)
        let rows = 2001  // 18 009 values: odd, so the last 64-bit draw is half used
        var rng = Xoshiro256(seed: 15)
        let x = Tensor(rows: rows, columns: 9, values: randomValues(&rng, rows * 9).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 })
        let first = dropout.forward(x).values
        let y = dropout.forward(x).values
        #expect(first != y, "each forward draws a new mask")
        let scale = 1 / (1 - rate)
        let kept = y.indices.filter { y[$0] != 0 }
        let misscaled = kept.filter { y[$0] != x.data[$0] * scale }
        #expect(misscaled.isEmpty, "kept values not scaled by 1 / (1 - rate), first at \(misscaled.prefix(5))")
        let share = Double(kept.count) / Double(y.count)
        // Binomial standard deviation sqrt(0.21 / 18 009) ≈ 0.0034: five of them.
        #expect(abs(share - 0.7) < 0.017, "kept \(share)")
        let g = randomTensor(&rng, rows: rows, columns: 9)
        let dx = try #require(dropout.backward(g)).values
        let wrong = y.indices.filter { dx[$0] != (y[$0] != 0 ? g.data[$0] * scale : 0) }
        #expect(wrong.isEmpty, "gradient not the last mask times g, first at \(wrong.prefix(5))")
    }

    /// Inference passes values through; the same seed drops the same units; rate 0 keeps all.
    @Test func inferenceSeedAndRateZero() {
        var rng = Xoshiro256(seed: 16)
        let x = randomTensor(&rng, rows: 7, columns: 5)
        let a = Dropout(rate: 0.5, width: 5, seed: 3), b = Dropout(rate: 0.5, width: 5, seed: 3)
        #expect(a.forward(x).values == b.forward(x).values)
        #expect(a.forward(x).values != Dropout(rate: 0.5, width: 5, seed: 4).forward(x).values)
        let y = Tensor(rows: 0, columns: 5)
        a.infer(x, into: y)
        #expect(y.values == x.values)
        #expect(Dropout(rate: 0, width: 5, seed: 3).forward(x).values == x.values)
    }
}

@Suite struct EmbeddingTests {
    /// Indices 2, 0, 2, -1, 7 (out of a 5-row table), 2, 4: rows of the table, zeros for -1 and
    /// 7; the gradient of row 2 is the sum of its three examples' rows, rows 1 and 3 (and the
    /// missing ids) get nothing, and the touched rows are 0, 2, 4.
    @Test func duplicatesAccumulateAndMissingIdsGetNoGradient() {
        var rng = Xoshiro256(seed: 17)
        let e = Embedding(count: 5, width: 3, rng: &rng)
        let table = e.table.values
        #expect(table.allSatisfy { abs($0) <= 0.05 } && Set(table).count == 15, "uniform on ±0.05")
        let idx: [Int32] = [2, 0, 2, -1, 7, 2, 4]
        let y = idx.withUnsafeBufferPointer { e.forward($0) }
        for (r, i) in idx.enumerated() {
            let expected = (0...4).contains(i) ? Array(table[Int(i) * 3..<Int(i) * 3 + 3]) : [0, 0, 0]
            #expect(Array(y.values[r * 3..<r * 3 + 3]) == expected, "row \(r)")
        }
        // A sentinel in every gradient value: untouched rows must keep it.
        e.table.gradient.update(repeating: 99, count: 15)
        let g = randomTensor(&rng, rows: 7, columns: 3)
        e.backward(g)
        #expect(e.table.touchedRows == [0, 2, 4])
        let grad = e.table.gradients
        for j in 0..<3 {
            #expect(grad[0 * 3 + j] == g[1, j])
            #expect(abs(grad[2 * 3 + j] - (g[0, j] + g[2, j] + g[5, j])) < 1e-6)
            #expect(grad[4 * 3 + j] == g[6, j])
            #expect(grad[1 * 3 + j] == 99 && grad[3 * 3 + j] == 99)
        }
    }

    /// A second batch starts its rows afresh (no leftover of the first batch's sums) and lists
    /// only its own rows, ascending and once each.
    @Test func eachBatchStartsItsRowsAfresh() {
        var rng = Xoshiro256(seed: 18)
        let e = Embedding(count: 6, width: 2, rng: &rng)
        let first: [Int32] = [1, 1, 3]
        _ = first.withUnsafeBufferPointer { e.forward($0) }
        e.backward(Tensor(rows: 3, columns: 2, values: [1, 1, 1, 1, 1, 1]))
        #expect(e.table.touchedRows == [1, 3])
        let second: [Int32] = [5, 1, 0, 5, 1]
        _ = second.withUnsafeBufferPointer { e.forward($0) }
        let g = Tensor(rows: 5, columns: 2, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        e.backward(g)
        #expect(e.table.touchedRows == [0, 1, 5])
        let grad = e.table.gradients
        #expect(Array(grad[0..<2]) == [5, 6] as [Float])
        #expect(Array(grad[2..<4]) == [12, 14] as [Float], "rows 1 and 4 of the batch")
        #expect(Array(grad[10..<12]) == [8, 10] as [Float], "rows 0 and 3 of the batch")
        // Only missing ids: nothing touched.
        let none: [Int32] = [-1, 6, 100]
        _ = none.withUnsafeBufferPointer { e.forward($0) }
        e.backward(Tensor(rows: 3, columns: 2, values: [1, 1, 1, 1, 1, 1]))
        #expect(e.table.touchedRows.isEmpty)
    }

    /// The table's gradient against central differences of Σ c·y (the lookup is linear, so
    /// the difference is exact up to rounding).
    @Test func gradientMatchesFiniteDifferences() {
        var rng = Xoshiro256(seed: 19)
        let e = Embedding(count: 4, width: 2, initializer: .uniform(1), rng: &rng)
        let idx: [Int32] = [3, 0, 3, 3, -1, 1]
        let c = randomValues(&rng, 12)
        func loss() -> Double { readout(idx.withUnsafeBufferPointer { e.forward($0) }, c) }
        _ = loss()
        e.backward(Tensor(rows: 6, columns: 2, values: c))
        let grad = e.table.gradients
        for k in 0..<8 {
            let n = centralDifference(e.table.value, k, h: 1e-2, loss)
            if e.table.touchedRows.contains(Int32(k / 2)) {
                #expect(agrees(grad[k], n), "table[\(k)]: backprop \(grad[k]), difference \(n)")
            } else {
                #expect(n == 0, "row \(k / 2) is never read")
            }
        }
    }
}

@Suite struct ConcatenateTests {
    /// Parts of widths 2, 4 and 1 side by side, and the split of the joined tensor gives the
    /// parts back exactly.
    @Test func splitIsTheInverseOfJoin() {
        var rng = Xoshiro256(seed: 20)
        let widths = [2, 4, 1]
        let parts = widths.map { randomTensor(&rng, rows: 3, columns: $0) }
        let c = Concatenate(widths: widths)
        #expect(c.outputWidth == 7)
        let y = c.forward(parts)
        #expect(y.rows == 3 && y.columns == 7)
        for r in 0..<3 {
            #expect(Array(y.values[r * 7..<r * 7 + 7]) == parts.flatMap { Array($0.values[r * $0.columns..<(r + 1) * $0.columns]) })
        }
        let back = c.backward(y)
        #expect(back.count == 3)
        for (b, p) in zip(back, parts) { #expect(b.values == p.values && b.columns == p.columns) }
        let into = Tensor(rows: 0, columns: 7)
        c.join(parts, into: into)
        #expect(into.values == y.values)
    }
}
