// Dual coordinate descent for the linear SVM (Hsieh, Chang, Lin, Keerthi and Sundararajan,
// ICML 2008), as liblinear's solve_l2r_l1l2_svc (scikit-learn's LinearSVC) runs it, shrinking
// included.
//
// Primal, with x̃ = (x, 1) and w̃ = (w, b) (the intercept is a feature of value 1, so it is
// penalised like any weight, exactly as in liblinear and scikit-learn's LinearSVC):
//   hinge:          min ½‖w̃‖² + C Σ_i max(0, 1 - y_i w̃ᵀx̃_i)
//   squared_hinge:  min ½‖w̃‖² + C Σ_i max(0, 1 - y_i w̃ᵀx̃_i)²,     y_i ∈ {-1, +1}
// Dual: min_α ½ αᵀ(Q + D)α - Σ α_i,  0 <= α_i <= U,  Q_ij = y_i y_j x̃_iᵀx̃_j,
//   hinge: U = C, D = 0;  squared_hinge: U = ∞, D_ii = 1 / (2C);  and w̃ = Σ α_i y_i x̃_i.
// One coordinate step: G = y_i w̃ᵀx̃_i - 1 + D_ii α_i (the dual gradient),
//   α_i ← min(max(α_i - G / (‖x̃_i‖² + D_ii), 0), U),  w̃ ← w̃ + (α_i' - α_i) y_i x̃_i.
// Epoch: the active rows in a fresh random order (Fisher-Yates from the seeded generator).
// Shrinking: a row at a bound whose projected gradient PG points out of the box by more than
// last epoch's extreme PG leaves the active set; when the active set's PG spread
// max PG - min PG <= tol, every row comes back for a final check, and the run stops when the
// full set also meets it (converged) or after maxEpochs.
// `warmStart` continues from given α (rows absent from the previous run start at α = 0, which
// leaves w̃ unchanged), for the refit on every row after Platt's held-out fit.
// The solver is sequential by nature (each step reads the w̃ of the last); it runs on one
// core, like liblinear.

import Frame

/// Dual coordinate descent for the l2-regularised hinge or squared-hinge SVM.
enum DualCoordinateDescent {
    /// |PG| below which a coordinate is taken as optimal and not updated (liblinear's 1e-12).
    static let stepThreshold = 1e-12

    struct Result {
        /// w then b (d + 1 values).
        var weights: [Double]
        /// One α per row of the matrix (0 for rows not trained on).
        var alpha: [Double]
        var epochs: Int
        var converged: Bool
    }

    /// Trains on the rows `rows` of `x` (row-major, `columns` wide) with labels y ∈ {0, 1}.
    static func solve(_ x: UnsafePointer<Float>, columns d: Int, labels: [Float], rows: [Int32], c: Double,
                      squaredHinge: Bool, tolerance: Double, maxEpochs: Int, seed: UInt64,
                      warmStart: (alpha: [Double], weights: [Double])? = nil,
                      context: FitContext) throws(LearnError) -> Result {
        let n = labels.count
        let diag = squaredHinge ? 0.5 / c : 0
        let upper = squaredHinge ? Double.infinity : c
        var alpha = warmStart?.alpha ?? [Double](repeating: 0, count: n)
        var w = warmStart?.weights ?? [Double](repeating: 0, count: d + 1)
        var qd = [Double](repeating: 0, count: n)
        for r in rows {
            let row = x + Int(r) * d
            var s = 1.0 // the intercept's feature
            for j in 0..<d { s += Double(row[j]) * Double(row[j]) }
            qd[Int(r)] = s + diag
        }
        var index = rows
        var active = index.count
        var rng = Xoshiro256(seed: seed)
        var pgMaxOld = Double.infinity, pgMinOld = -Double.infinity
        var epochs = 0
        var converged = false
        while epochs < maxEpochs {
            try context.checkCancelled()
            for i in 0..<active {
                let j = i + rng.below(active - i)
                index.swapAt(i, j)
            }
            var pgMax = -Double.infinity, pgMin = Double.infinity
            w.withUnsafeMutableBufferPointer { wp in
                alpha.withUnsafeMutableBufferPointer { ap in
                    index.withUnsafeMutableBufferPointer { ip in
                        var s = 0
                        while s < active {
                            let i = Int(ip[s])
                            let yi: Double = labels[i] > 0.5 ? 1 : -1
                            let row = x + i * d
                            let g = yi * dot(row, wp.baseAddress!, d) - 1 + ap[i] * diag
                            var pg = 0.0
                            if ap[i] == 0 {
                                if g > pgMaxOld {
                                    active -= 1
                                    ip.swapAt(s, active)
                                    continue
                                } else if g < 0 { pg = g }
                            } else if ap[i] == upper {
                                if g < pgMinOld {
                                    active -= 1
                                    ip.swapAt(s, active)
                                    continue
                                } else if g > 0 { pg = g }
                            } else {
                                pg = g
                            }
                            pgMax = Swift.max(pgMax, pg)
                            pgMin = Swift.min(pgMin, pg)
                            if abs(pg) > stepThreshold {
                                let old = ap[i]
                                ap[i] = Swift.min(Swift.max(old - g / qd[i], 0), upper)
                                let delta = (ap[i] - old) * yi
                                axpy(delta, row, wp.baseAddress!, d)
                            }
                            s += 1
                        }
                    }
                }
            }
            epochs += 1
            if pgMax - pgMin <= tolerance {
                if active == index.count { converged = true; break }
                active = index.count
                pgMaxOld = .infinity
                pgMinOld = -.infinity
                continue
            }
            pgMaxOld = pgMax <= 0 ? .infinity : pgMax
            pgMinOld = pgMin >= 0 ? -.infinity : pgMin
        }
        return Result(weights: w, alpha: alpha, epochs: epochs, converged: converged)
    }

    /// w̃ᵀx̃ = Σ_j w_j x_j + w_d, with four accumulators.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Double>, _ d: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j &+ 4 <= d {
            s0 += Double(x[j]) * w[j]
            s1 += Double(x[j &+ 1]) * w[j &+ 1]
            s2 += Double(x[j &+ 2]) * w[j &+ 2]
            s3 += Double(x[j &+ 3]) * w[j &+ 3]
            j &+= 4
        }
        while j < d { s0 += Double(x[j]) * w[j]; j &+= 1 }
        return (s0 + s1) + (s2 + s3) + w[d]
    }

    /// w̃ += a x̃.
    @inline(__always)
    static func axpy(_ a: Double, _ x: UnsafePointer<Float>, _ w: UnsafeMutablePointer<Double>, _ d: Int) {
        for j in 0..<d { w[j] += a * Double(x[j]) }
        w[d] += a
    }
}
