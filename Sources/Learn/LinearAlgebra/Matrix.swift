// Matrix: a dense row-major matrix of Floats, the storage of factor models (users x factors,
// items x factors). Row r is values[r * columns ..< (r + 1) * columns], so a row is one
// contiguous vector for dot products and a block of rows is a BLAS operand as it stands.

import Frame

/// A dense row-major Float matrix.
package struct Matrix: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    package var values: [Float]

    /// A matrix of zeros.
    package init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        values = [Float](repeating: 0, count: rows * columns)
    }

    package init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "matrix values do not match its shape")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Rows drawn together from one generator; each block has its own, so blocks fill in parallel.
    static let randomBlockRows = 4096

    /// Entries drawn from N(0, scale²): block b of `randomBlockRows` rows from a generator
    /// seeded with a hash of (seed, b), so the matrix is the same on any number of cores.
    package static func gaussian(rows: Int, columns: Int, scale: Double, seed: UInt64) -> Matrix {
        random(rows: rows, columns: columns, seed: seed) { Float($0.gaussian() * scale) }
    }

    /// Entries drawn uniformly from [0, scale) (implicit's initialisation of ALS factors), by
    /// blocks as `gaussian`.
    package static func uniform(rows: Int, columns: Int, scale: Double, seed: UInt64) -> Matrix {
        random(rows: rows, columns: columns, seed: seed) { Float($0.uniform() * scale) }
    }

    private static func random(rows: Int, columns: Int, seed: UInt64, _ draw: (inout Xoshiro256) -> Float) -> Matrix {
        let blocks = (rows + randomBlockRows - 1) / randomBlockRows
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { v in
            let out = SharedPointer(v.baseAddress!)
            Parallel.forEach(blocks) { b in
                var rng = Xoshiro256(seed: SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(b) &+ 0x632B_E59B_D9B4_E019)))
                let lo = b * randomBlockRows * columns, hi = Swift.min(rows, (b + 1) * randomBlockRows) * columns
                for i in lo..<hi { out.base[i] = draw(&rng) }
            }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }

    package subscript(r: Int, c: Int) -> Float {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Row `r` as an array.
    package func row(_ r: Int) -> [Float] { Array(values[(r * columns)..<((r + 1) * columns)]) }

    /// The dot product of row `r` of this matrix and row `s` of `other` (same width).
    @inline(__always)
    package func dot(_ r: Int, _ other: Matrix, _ s: Int) -> Float {
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                Vector.dot(a.baseAddress! + r * columns, b.baseAddress! + s * columns, columns)
            }
        }
    }

    /// The Euclidean norm of every row.
    package func rowNorms() -> [Float] {
        values.withUnsafeBufferPointer { a in
            (0..<rows).map { r in Vector.dot(a.baseAddress! + r * columns, a.baseAddress! + r * columns, columns).squareRoot() }
        }
    }
}

/// Small vector kernels on raw pointers: eight lanes at a time, then the tail.
package enum Vector {
    /// Σ a[i] b[i].
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc += x * y  // not addingProduct: without FMA in the baseline ISA it calls fmaf per lane
            i &+= 8
        }
        var s = acc.sum()
        while i < n {
            s += a[i] * b[i]
            i &+= 1
        }
        return s
    }

    /// y += alpha x.
    @inline(__always)
    package static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i &+ 8 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i &+= 1
        }
    }
}
