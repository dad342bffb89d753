// Histogram trees: the regression tree that gradient boosting and the random forest share, and
// how it is grown on binned features (Binning.swift) from per-row first and second derivatives
// of a loss, g_r and h_r (Friedman 2001; Chen and Guestrin 2016; LightGBM, Ke et al. 2017).
//
// A leaf with row set I has G = Σ_I g, H = Σ_I h and value w = -G / (H + λ) (the Newton step of
// the loss, L2-regularised by λ). Splitting it into L and R at "code of feature f <= b" gains
//   gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) - G² / (H + λ),
// allowed when both sides keep at least `minLeaf` rows and a hessian sum of at least
// `minHessian`; a leaf splits only on a gain > 0. For the forest, g = -w·y and h = w (w = the
// row's bootstrap count), so w is the leaf's weighted label mean and the gain is half the
// weighted Gini decrease (for a 0/1 label, Gini = 2 p (1 - p) = 2 variance).
//
// Histograms: for a leaf and a feature, one slot per bin holding (Σ g, Σ h, rows) over the
// leaf's rows in that bin; the best split of the feature is one scan over the slots. The sums
// are 64-bit integers: g and h are quantised once per tree to multiples of 1 / `scale`
// (2^-39 for six million rows, far below a Float's resolution), so histograms add in any
// order to the same bits (a model does not depend on the number of cores), and the
// subtraction trick is exact: the histogram of the larger child is the parent's minus the
// smaller child's, so each split builds only the smaller child's histogram from rows.
//
// Growth (GrowthSettings):
//   - leaf-wise (LightGBM): repeatedly split the leaf of largest gain (ties: the lower leaf
//     number) until `maxLeaves` leaves or no leaf has a positive gain; a leaf at depth
//     `maxDepth` is not split (the root is at depth 0, so maxDepth = 1 gives a stump). Every
//     split considers the tree's features, with the subtraction trick.
//   - per-split features (random forest, scikit-learn's rule): at each node draw features
//     without replacement, building only their histograms, until `featuresPerSplit` drawn
//     features have not been constant in the node (or every feature is drawn); no leaf limit,
//     so nodes are grown depth first, which gives the same tree as any order. Nodes of at
//     most `sortedNodeRows` rows sort their rows by code instead of filling 256 slots (the
//     same sums in the same order, so the same split).
// Rows of a leaf are a contiguous range of `order`; a split partitions the range stably, so
// each leaf's rows stay ascending (near-sequential reads of the row-major codes).

import Frame

/// A regression tree on binned features: internal nodes send a row left when its code in
/// `feature` is at most `bin` (its value at most `threshold`); leaves hold values.
package struct HistogramTree: Sendable, Equatable {
    /// An internal node.
    package struct Node: Sendable, Equatable {
        package var feature: Int32
        package var bin: UInt8
        /// The upper bound of bin `bin`: a raw value goes left when it is at most this.
        package var threshold: Float
        /// A child: a node index when >= 0, otherwise the leaf ~child.
        package var left: Int32
        package var right: Int32
    }

    /// Internal nodes, the root first; empty when the tree is one leaf.
    package var nodes: [Node]
    package var leafValues: [Double]

    package init(nodes: [Node], leafValues: [Double]) {
        self.nodes = nodes
        self.leafValues = leafValues
    }

    /// The leaf of a row whose code in feature f is codes[f * stride] (stride 1 for a
    /// row-major row, the row count for a column-major matrix).
    @inline(__always)
    package func leaf(codes: UnsafePointer<UInt8>, stride: Int) -> Int {
        nodes.withUnsafeBufferPointer { ns in
            if ns.isEmpty { return 0 }
            var i: Int32 = 0
            while i >= 0 {
                let n = ns[Int(i)]
                i = codes[Int(n.feature) &* stride] <= n.bin ? n.left : n.right
            }
            return Int(~i)
        }
    }

    /// The leaf of a row of raw feature values (NaN goes right, as its bin does).
    package func leaf(raw row: some RandomAccessCollection<Float>) -> Int {
        if nodes.isEmpty { return 0 }
        var i: Int32 = 0
        while i >= 0 {
            let n = nodes[Int(i)]
            let v = row[row.index(row.startIndex, offsetBy: Int(n.feature))]
            i = v <= n.threshold ? n.left : n.right
        }
        return Int(~i)
    }

    /// The value of a row of raw feature values.
    package func value(raw row: some RandomAccessCollection<Float>) -> Double { leafValues[leaf(raw: row)] }

    /// The value of row `r` of a binned matrix.
    package func value(_ x: BinnedMatrix, row r: Int) -> Double {
        x.codes.withUnsafeBufferPointer { leafValues[leaf(codes: $0.baseAddress! + r, stride: x.rows)] }
    }

    /// The number of leaves.
    package var leafCount: Int { leafValues.count }

    /// The depth of the deepest leaf (0 for a single leaf).
    package var depth: Int {
        func down(_ i: Int32) -> Int { i < 0 ? 0 : 1 + max(down(nodes[Int(i)].left), down(nodes[Int(i)].right)) }
        return nodes.isEmpty ? 0 : down(0)
    }
}

/// The sums of one histogram slot (or of a leaf): quantised Σ g, Σ h and the row count.
package struct HistogramBin: Sendable, Equatable {
    package var g: Int64 = 0
    package var h: Int64 = 0
    package var n: Int64 = 0

    package init(g: Int64 = 0, h: Int64 = 0, n: Int64 = 0) {
        self.g = g
        self.h = h
        self.n = n
    }

    @inline(__always) package static func + (a: Self, b: Self) -> Self { Self(g: a.g &+ b.g, h: a.h &+ b.h, n: a.n &+ b.n) }
    @inline(__always) package static func - (a: Self, b: Self) -> Self { Self(g: a.g &- b.g, h: a.h &- b.h, n: a.n &- b.n) }
    @inline(__always) package static func += (a: inout Self, b: Self) { a = a + b }
}

/// Training rows of a tree learner: row-major bin codes and each column's histogram slots.
package final class TreeData: @unchecked Sendable {
    // @unchecked Sendable: the buffer is written once in init and only read afterwards.
    package let rows: Int
    package let columns: Int
    /// Row r's code in column c is codes[r * columns + c].
    let codes: UnsafeMutablePointer<UInt8>
    /// Histogram slots per column (its bins and the NaN bin), and where each column's start.
    package let binCounts: [Int]
    package let offsets: [Int]
    package let totalBins: Int
    /// The bounds, for the raw thresholds of splits.
    package let bins: FeatureBins

    package init(_ binned: BinnedMatrix, bins: FeatureBins) {
        precondition(binned.columns == bins.columns, "binned matrix and bins disagree on columns")
        let count = binned.rows * binned.columns
        let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, count))
        binned.rowMajor().withUnsafeBufferPointer { if count > 0 { codes.initialize(from: $0.baseAddress!, count: count) } }
        self.codes = codes
        rows = binned.rows
        columns = binned.columns
        binCounts = bins.binCounts
        offsets = binCounts.reduce(into: [0]) { $0.append($0.last! + $1) }
        totalBins = offsets.last!
        self.bins = bins
    }

    deinit { codes.deallocate() }

    package subscript(r: Int, c: Int) -> UInt8 { codes[r * columns + c] }

    /// The leaf of training row r in `tree`.
    @inline(__always)
    func leaf(_ tree: HistogramTree, row r: Int) -> Int { tree.leaf(codes: codes + r &* columns, stride: 1) }
}

/// How a tree grows (the file-top comment says what each limit does).
package struct GrowthSettings: Sendable, Equatable {
    /// The most leaves; `Int.max` for no limit (then nodes are grown depth first).
    package var maxLeaves: Int = Int.max
    /// The deepest a leaf may be; 0 for no limit.
    package var maxDepth: Int = 0
    /// The fewest rows a leaf may keep (at least 1).
    package var minLeaf: Int = 1
    /// L2 regularisation λ of the leaf values.
    package var lambda: Double = 0
    /// The smallest hessian sum a leaf may keep.
    package var minHessian: Double = 0
    /// Features drawn per split (random forest); nil: every feature of the tree at every split.
    package var featuresPerSplit: Int? = nil
    /// Whether a leaf's rows are spread over cores (false inside a forest's parallel trees).
    package var parallel: Bool = false

    package init() {}
}

/// A tree just grown, with where its leaves' rows are in `order` and its gains per feature.
package struct GrownTree: Sendable {
    package var tree: HistogramTree
    /// Leaf i's rows are order[leafRanges[i]].
    package var leafRanges: [Range<Int>]
    /// The sum of the gains of the splits on each feature.
    package var gains: [Double]
}

/// Per-row quantised derivatives: g_r = g[r] / scale, h_r = h[r] / scale.
package struct Gradients {
    package let g: UnsafePointer<Int64>
    package let h: UnsafePointer<Int64>
    package let scale: Double

    package init(g: UnsafePointer<Int64>, h: UnsafePointer<Int64>, scale: Double) {
        self.g = g
        self.h = h
        self.scale = scale
    }

    /// The scale 2^k at which `rows` values of magnitude at most `bound` (a power of two at
    /// least 1) sum within Int64: k = 62 - bits(rows) - log2(bound), at most 50.
    package static func scale(rows: Int, bound: Int = 1) -> Double {
        let bits = Int.bitWidth - max(rows, 1).leadingZeroBitCount
        let boundBits = Int.bitWidth - 1 - max(bound, 1).leadingZeroBitCount
        return Double(sign: .plus, exponent: min(50, 62 - bits - boundBits), significand: 1)
    }

    /// `x` quantised at `scale`.
    @inline(__always)
    package static func quantise(_ x: Double, _ scale: Double) -> Int64 { Int64((x * scale).rounded()) }
}
