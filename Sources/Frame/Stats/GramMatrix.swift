// GramMatrix: in one pass over the rows, the sums every pairwise-complete correlation needs.
//
// Columns are shifted by a constant each (their mean, from a first pass), so the sums stay near
// zero and the classic formula cov = Σxy - ΣxΣy/n keeps its digits on timestamps near 1.5e9.
// Rows are read in tiles of `tileRows`: each column's tile is converted to Doubles, x - shift,
// with 0 where the value is missing (null or NaN) and a 0/1 mask m beside it. For columns a, b:
//   N[a][b] = Σ m_a m_b,  X[a][b] = Σ x_a m_b,  Q[a][b] = Σ x_a² m_b,  P[a][b] = Σ x_a x_b
// so the rows where both are present give n = N[a][b], Σx = X[a][b], Σy = X[b][a],
// Σx² = Q[a][b], Σy² = Q[b][a], Σxy = P[a][b]. When no selected column has a missing value
// only P (upper triangle) and the column sums are accumulated, since N = n, X[a][b] = Σ x_a and
// Q[a][b] = P[a][a]. Each product is a dot product of two tiles with SIMD accumulators.
// Row chunks run in parallel, each with its own sums; partial sums add up (same shifts).

/// Pairwise sums of shifted columns: count, sums, sums of squares and cross products.
struct GramMatrix {
    /// Rows per tile: a tile of 8 columns' values and masks stays in L1.
    static let tileRows = 256
    /// The fewest rows a parallel chunk gets (a few tiles, so chunking pays off).
    static let minimumChunkRows = 4 * tileRows

    let k: Int
    var n: [Double]
    var x: [Double]
    var q: [Double]
    var p: [Double]

    init(k: Int) {
        self.k = k
        n = [Double](repeating: 0, count: k * k)
        x = n
        q = n
        p = n
    }

    /// Rows where both a and b are present, and their sums over those rows.
    func pair(_ a: Int, _ b: Int) -> (n: Double, sx: Double, sy: Double, sxx: Double, syy: Double, sxy: Double) {
        (n[a * k + b], x[a * k + b], x[b * k + a], q[a * k + b], q[b * k + a], p[Swift.min(a, b) * k + Swift.max(a, b)])
    }

    mutating func add(_ other: GramMatrix) {
        for i in 0..<(k * k) {
            n[i] += other.n[i]
            x[i] += other.x[i]
            q[i] += other.q[i]
            p[i] += other.p[i]
        }
    }

    /// The sums over every row of `sources` (shifted by `shifts`), in parallel row chunks.
    static func accumulate(_ sources: [TileSource], shifts: [Double], rows: Int) -> GramMatrix {
        let k = sources.count
        let complete = sources.allSatisfy { !$0.hasMissing }
        let parts = Parallel.mapChunks(rows, minimum: minimumChunkRows) { range -> GramMatrix in
            var g = GramMatrix(k: k)
            let t = tileRows
            let values = UnsafeMutablePointer<Double>.allocate(capacity: k * t)
            let masks = UnsafeMutablePointer<Double>.allocate(capacity: k * t)
            let squares = UnsafeMutablePointer<Double>.allocate(capacity: k * t)
            defer {
                values.deallocate()
                masks.deallocate()
                squares.deallocate()
            }
            var start = range.lowerBound
            while start < range.upperBound {
                let count = Swift.min(t, range.upperBound - start)
                for a in 0..<k {
                    let v = values + a * t, m = masks + a * t
                    sources[a].fill(start, count, shifts[a], v, m)
                    for i in count..<t {
                        v[i] = 0
                        m[i] = 0
                    }
                }
                if complete {
                    for a in 0..<k {
                        let va = values + a * t
                        g.n[a * k + a] += Double(count)
                        g.x[a * k + a] += Dot.sum(va, t)
                        for b in a..<k { g.p[a * k + b] += Dot.product(va, values + b * t, t) }
                    }
                } else {
                    for a in 0..<k {
                        let va = values + a * t, sa = squares + a * t
                        for i in 0..<t { sa[i] = va[i] * va[i] }
                    }
                    for a in 0..<k {
                        let va = values + a * t, ma = masks + a * t, sa = squares + a * t
                        for b in 0..<k {
                            let mb = masks + b * t
                            if b >= a {
                                g.n[a * k + b] += Dot.product(ma, mb, t)
                                g.p[a * k + b] += Dot.product(va, values + b * t, t)
                            }
                            g.x[a * k + b] += Dot.product(va, mb, t)
                            g.q[a * k + b] += Dot.product(sa, mb, t)
                        }
                    }
                }
                start += count
            }
            return g
        }
        var total = GramMatrix(k: k)
        for part in parts { total.add(part) }
        if complete {
            // Fill in what the complete case leaves implicit.
            for a in 0..<k {
                let count = total.n[a * k + a], sum = total.x[a * k + a], square = total.p[a * k + a]
                for b in 0..<k {
                    total.n[a * k + b] = count
                    total.x[a * k + b] = sum
                    total.q[a * k + b] = square
                }
            }
        } else {
            for a in 0..<k { for b in 0..<a { total.n[a * k + b] = total.n[b * k + a] } }
        }
        return total
    }
}

/// One column's values, converted tile by tile for `GramMatrix`. The closures are made inside
/// the element type's specialised code (`TileSourceVisitor.visit`), so each runs specialised; a
/// protocol existential over a generic struct would run unspecialised through witness thunks
/// (measured 2x slower).
struct TileSource {
    /// True when some row is null or NaN.
    let hasMissing: Bool
    /// Writes x - shift (0 when missing) and the presence mask (1 or 0) of rows start..<start+count.
    let fill: (_ start: Int, _ count: Int, _ shift: Double, _ values: UnsafeMutablePointer<Double>, _ masks: UnsafeMutablePointer<Double>) -> Void
    /// The mean of the present values (0 when there is none).
    let mean: () -> Double
}

/// Tile sources of numeric columns.
struct TileSourceVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> TileSource {
        let hasMissing = view.hasMissing
        return TileSource(hasMissing: hasMissing, fill: { start, count, shift, values, masks in
            let base = view.values + start
            if !hasMissing {
                for i in 0..<count {
                    values[i] = base[i].kernelDouble - shift
                    masks[i] = 1
                }
                return
            }
            for i in 0..<count {
                let present = view.hasValue(start + i)
                values[i] = present ? base[i].kernelDouble - shift : 0
                masks[i] = present ? 1 : 0
            }
        }, mean: {
            let parts = Parallel.mapChunks(view.count) { range -> (Double, Int) in
                var sum = 0.0, n = 0
                for i in range where view.hasValue(i) {
                    sum += view.values[i].kernelDouble
                    n += 1
                }
                return (sum, n)
            }
            let n = parts.reduce(0) { $0 + $1.1 }
            return n == 0 ? 0 : parts.reduce(0) { $0 + $1.0 } / Double(n)
        })
    }
}

/// Dot products and sums of Double arrays with SIMD accumulators.
enum Dot {
    /// Σ a[i] b[i] over n values (n a multiple of 8).
    @inline(__always)
    static func product(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        let a4 = UnsafeRawPointer(a), b4 = UnsafeRawPointer(b)
        var i = 0
        while i < n {
            let x0 = a4.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let y0 = b4.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let x1 = a4.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            let y1 = b4.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            s0 += x0 * y0
            s1 += x1 * y1
            i += 8
        }
        return (s0 + s1).sum()
    }

    /// Σ a[i] over n values (n a multiple of 8).
    @inline(__always)
    static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        let a4 = UnsafeRawPointer(a)
        var i = 0
        while i < n {
            s0 += a4.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            s1 += a4.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        return (s0 + s1).sum()
    }
}
