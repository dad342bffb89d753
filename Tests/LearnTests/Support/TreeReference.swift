// The simple reference of the histogram trees: splits found by trying every feature and every
// threshold between the distinct codes of a leaf's rows, sums taken row by row from scratch,
// on the same quantised derivatives and with the same gain expression as TreeGrower (so equal
// gains tie the same way). No histograms, no subtraction, no partitions, no heap.

import Learn

/// Growth limits of the reference (GrowthSettings' meaning).
struct ReferenceLimits {
    var maxLeaves = Int.max
    var maxDepth = 0
    var minLeaf = 1
    var lambda = 0.0
    var minHessian = 0.0
}

/// The training rows as the reference sees them: codes[r][f], quantised g and h.
struct ReferenceData {
    var codes: [[Int]]
    var g: [Int64]
    var h: [Int64]
    var scale: Double

    var columns: Int { codes.first?.count ?? 0 }

    func sums(_ rows: [Int]) -> (g: Int64, h: Int64, n: Int) {
        rows.reduce((Int64(0), Int64(0), 0)) { ($0.0 + g[$1], $0.1 + h[$1], $0.2 + 1) }
    }

    func score(_ s: (g: Int64, h: Int64, n: Int), _ lambda: Double) -> Double {
        let gg = Double(s.g) / scale, hh = Double(s.h) / scale + lambda
        return hh > 0 ? gg * gg / hh : 0
    }

    /// The gain of sending `left` of `rows` left.
    func gain(_ rows: [Int], left: [Int], _ limits: ReferenceLimits) -> Double? {
        let total = sums(rows), l = sums(left)
        let r = (g: total.g - l.g, h: total.h - l.h, n: total.n - l.n)
        guard l.n >= limits.minLeaf, r.n >= limits.minLeaf else { return nil }
        let hl = Double(l.h) / scale, hr = Double(r.h) / scale
        guard hl >= limits.minHessian, hr >= limits.minHessian else { return nil }
        let gl = Double(l.g) / scale, gr = Double(r.g) / scale
        return gl * gl / (hl + limits.lambda) + gr * gr / (hr + limits.lambda) - score(total, limits.lambda)
    }

    /// The best split of a leaf by exhaustive search: (gain, feature, bin), the first of equal
    /// gains in (feature, bin) order, only a gain > 0.
    func bestSplit(_ rows: [Int], depth: Int, _ limits: ReferenceLimits) -> (gain: Double, feature: Int, bin: Int)? {
        if rows.count < 2 * limits.minLeaf || (limits.maxDepth > 0 && depth >= limits.maxDepth) { return nil }
        if Double(sums(rows).h) / scale < 2 * limits.minHessian { return nil }
        var best: (gain: Double, feature: Int, bin: Int)?
        for f in 0..<columns {
            let distinct = Set(rows.map { codes[$0][f] }).sorted()
            for t in distinct.dropLast() {
                guard let gain = gain(rows, left: rows.filter { codes[$0][f] <= t }, limits) else { continue }
                if gain > (best?.gain ?? 0) { best = (gain, f, t) }
            }
        }
        return best
    }

    /// Leaf-wise growth: split the leaf of largest gain (the lowest number on ties; a split
    /// leaf's left child keeps its number, the right one is numbered next) until the limit.
    /// Returns each row's leaf value -G / (H + λ).
    func growLeafWise(_ rows: [Int], _ limits: ReferenceLimits) -> [Int: Double] {
        var leaves: [(rows: [Int], depth: Int)] = [(rows, 0)]
        while leaves.count < limits.maxLeaves {
            var pick: (leaf: Int, split: (gain: Double, feature: Int, bin: Int))?
            for (i, leaf) in leaves.enumerated() {
                if let s = bestSplit(leaf.rows, depth: leaf.depth, limits), s.gain > (pick?.split.gain ?? 0) { pick = (i, s) }
            }
            guard let (i, s) = pick else { break }
            let leaf = leaves[i]
            leaves[i] = (leaf.rows.filter { codes[$0][s.feature] <= s.bin }, leaf.depth + 1)
            leaves.append((leaf.rows.filter { codes[$0][s.feature] > s.bin }, leaf.depth + 1))
        }
        var out = [Int: Double]()
        for leaf in leaves {
            let s = sums(leaf.rows)
            let value = -(Double(s.g) / scale) / (Double(s.h) / scale + limits.lambda)
            for r in leaf.rows { out[r] = value }
        }
        return out
    }

    /// Checks a depth-first tree whose splits may tie differently: every internal node's gain
    /// is the best exhaustive gain of its rows, every leaf has no split of positive gain (or is
    /// pure), and every leaf value is -G / H. Returns the number of problems found.
    func verify(_ tree: HistogramTree, _ rows: [Int], _ limits: ReferenceLimits, pureStops: Bool) -> Int {
        func walk(_ i: Int32, _ rows: [Int], _ depth: Int) -> Int {
            let s = sums(rows)
            if i < 0 {
                let value = -(Double(s.g) / scale) / (Double(s.h) / scale + limits.lambda)
                let pure = s.g == 0 || s.g == -s.h
                let unsplit = (pureStops && pure) || bestSplit(rows, depth: depth, limits) == nil
                return (abs(tree.leafValues[Int(~i)] - value) < 1e-12 ? 0 : 1) + (unsplit ? 0 : 1)
            }
            let node = tree.nodes[Int(i)]
            let f = Int(node.feature), b = Int(node.bin)
            let left = rows.filter { codes[$0][f] <= b }, right = rows.filter { codes[$0][f] > b }
            let best = bestSplit(rows, depth: depth, limits)?.gain ?? -1
            let mine = gain(rows, left: left, limits) ?? -2
            return (abs(best - mine) <= 1e-12 * max(1, abs(best)) ? 0 : 1)
                + walk(node.left, left, depth + 1) + walk(node.right, right, depth + 1)
        }
        return walk(tree.nodes.isEmpty ? ~0 : 0, rows, 0)
    }
}
