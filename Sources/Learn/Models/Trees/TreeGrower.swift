// TreeGrower: grows one HistogramTree at a time from quantised per-row derivatives, leaf-wise
// with the histogram subtraction trick or depth first with features drawn per split. The
// maths, the two growth orders and the invariants are in HistogramTree.swift's file-top
// comment; this file is the machinery: histogram buffers, row-parallel histogram builds with
// one histogram per chunk summed afterwards, stable (optionally parallel) partitions of a
// leaf's rows, the split scan shared by histograms and sorted small nodes, and a heap of
// leaves by gain.

import Frame

/// The best split found for a leaf.
package struct SplitCandidate: Sendable, Equatable {
    package var feature: Int
    /// Rows with code <= bin go left.
    package var bin: Int
    package var gain: Double
    /// The sums of the left side.
    package var left: HistogramBin
}

/// A leaf while its tree grows.
struct GrowingLeaf {
    var range: Range<Int>
    var depth: Int
    var total: HistogramBin
    var split: SplitCandidate?
    /// Its histogram buffer, when kept (leaf-wise growth).
    var histogram: Int?
    /// The node that points at it and on which side; nil for the root.
    var parent: (node: Int, left: Bool)?
}

/// Grows histogram trees on one `TreeData`, reusing its buffers from tree to tree. One grower
/// is used by one thread at a time (its row-parallel loops fan out and join inside a call).
package final class TreeGrower {
    package let data: TreeData
    package let settings: GrowthSettings

    /// Rows at which a histogram build or a partition is spread over cores.
    static let parallelRows = 65_536
    /// Nodes of at most this many rows sort their rows by code rather than fill histograms:
    /// for so few rows, zeroing and scanning 256 slots per feature costs more than a sort.
    static let sortedNodeRows = 96
    /// Memory for the histograms kept for the subtraction trick; past it a leaf's histogram
    /// is dropped and its children are both built from rows (same sums, more work).
    static let histogramMemory = 1 << 30

    private let threads: Int
    private let scratch: UnsafeMutablePointer<Int32>
    /// The right sides of a parallel partition (allocated only for row-parallel growth).
    private let rightScratch: UnsafeMutablePointer<Int32>
    private var sortKeys: [UInt64] = []
    private var buffers: [UnsafeMutablePointer<HistogramBin>] = []
    private var freeBuffers: [Int] = []
    private var keptHistograms = 0
    private let maxKept: Int
    private let threadHistograms: [UnsafeMutablePointer<HistogramBin>]
    private var drawPool: [Int] = []

    package init(data: TreeData, settings: GrowthSettings) {
        precondition(settings.minLeaf >= 1 && settings.maxLeaves >= 2, "a tree needs min_leaf >= 1 and at least 2 leaves")
        self.data = data
        self.settings = settings
        threads = settings.parallel ? Parallel.threadCount : 1
        scratch = .allocate(capacity: max(1, data.rows))
        rightScratch = .allocate(capacity: threads > 1 ? max(1, data.rows) : 1)
        maxKept = max(1, Self.histogramMemory / max(1, data.totalBins * MemoryLayout<HistogramBin>.stride))
        threadHistograms = (0..<(threads > 1 ? threads : 0)).map { _ in
            let p = UnsafeMutablePointer<HistogramBin>.allocate(capacity: max(1, data.totalBins))
            p.initialize(repeating: HistogramBin(), count: max(1, data.totalBins))
            return p
        }
    }

    deinit {
        scratch.deallocate()
        rightScratch.deallocate()
        for b in buffers { b.deallocate() }
        for b in threadHistograms { b.deallocate() }
    }

    // MARK: Growth

    /// Grows a tree on the rows order[0..<count] (reordered so each leaf's rows are a range),
    /// using the columns `features` (every split considers them all, or draws among them).
    package func grow(order: UnsafeMutableBufferPointer<Int32>, gradients: Gradients, features: [Int],
                      rng: inout Xoshiro256) -> GrownTree {
        var leaves = [GrowingLeaf(range: 0..<order.count, depth: 0, total: total(order, 0..<order.count, gradients))]
        var nodes = [HistogramTree.Node]()
        var gains = [Double](repeating: 0, count: data.columns)
        let leafWise = settings.featuresPerSplit == nil
        var heap = LeafHeap()
        var stack = [Int]()
        func push(_ id: Int) {
            guard leaves[id].split != nil else { return }
            if settings.maxLeaves == Int.max { stack.append(id) } else { heap.push(id, leaves) }
        }
        func pop() -> Int? { settings.maxLeaves == Int.max ? stack.popLast() : heap.pop(leaves) }

        if splittable(leaves[0], gradients.scale) {
            if leafWise {
                let h = acquire()
                build(order, leaves[0].range, features, gradients, into: buffers[h])
                evaluate(&leaves[0], histogram: h, features: features, gradients.scale)
            } else {
                evaluateDrawn(&leaves[0], order, gradients, features, &rng)
            }
        }
        push(0)
        while leaves.count < settings.maxLeaves, let id = pop() {
            let leaf = leaves[id], split = leaf.split!
            let mid = partition(order, leaf.range, feature: split.feature, bin: split.bin)
            let bounds = data.bins.upperBounds[split.feature]
            let node = nodes.count, right = leaves.count
            nodes.append(HistogramTree.Node(feature: Int32(split.feature), bin: UInt8(split.bin),
                                            threshold: bounds[split.bin], left: ~Int32(id), right: ~Int32(right)))
            if let (p, isLeft) = leaf.parent {
                if isLeft { nodes[p].left = Int32(node) } else { nodes[p].right = Int32(node) }
            }
            gains[split.feature] += split.gain
            var l = GrowingLeaf(range: leaf.range.lowerBound..<mid, depth: leaf.depth + 1, total: split.left,
                                parent: (node, true))
            var r = GrowingLeaf(range: mid..<leaf.range.upperBound, depth: leaf.depth + 1,
                                total: leaf.total - split.left, parent: (node, false))
            if leafWise {
                children(&l, &r, parentHistogram: leaf.histogram, order, gradients, features)
            } else {
                if splittable(l, gradients.scale) { evaluateDrawn(&l, order, gradients, features, &rng) }
                if splittable(r, gradients.scale) { evaluateDrawn(&r, order, gradients, features, &rng) }
            }
            leaves[id] = l
            leaves.append(r)
            // Depth first: the right child waits below the left.
            push(right)
            push(id)
        }
        for leaf in leaves { if let h = leaf.histogram { release(h) } }
        let scale = gradients.scale
        let values = leaves.map { leaf -> Double in
            let h = Double(leaf.total.h) / scale + settings.lambda
            return h > 0 ? -(Double(leaf.total.g) / scale) / h : 0
        }
        return GrownTree(tree: HistogramTree(nodes: nodes, leafValues: values), leafRanges: leaves.map(\.range),
                         gains: gains)
    }

    /// Whether a leaf may be split at all: rows for two leaves, depth left, hessian for two.
    private func splittable(_ leaf: GrowingLeaf, _ scale: Double) -> Bool {
        if leaf.total.n < 2 * Int64(settings.minLeaf) { return false }
        if settings.maxDepth > 0 && leaf.depth >= settings.maxDepth { return false }
        if Double(leaf.total.h) / scale < 2 * settings.minHessian { return false }
        return true
    }

    /// Histograms and best splits of two new leaves from their parent's histogram (the larger
    /// child's histogram is the parent's minus the smaller's), or from rows when it was dropped.
    private func children(_ l: inout GrowingLeaf, _ r: inout GrowingLeaf, parentHistogram: Int?,
                          _ order: UnsafeMutableBufferPointer<Int32>, _ gradients: Gradients, _ features: [Int]) {
        let canL = splittable(l, gradients.scale), canR = splittable(r, gradients.scale)
        guard canL || canR else {
            if let p = parentHistogram { release(p) }
            return
        }
        let leftSmaller = l.total.n <= r.total.n
        if let p = parentHistogram {
            let s = acquire()
            build(order, leftSmaller ? l.range : r.range, features, gradients, into: buffers[s])
            subtract(buffers[s], from: buffers[p], features)
            // The parent's buffer now belongs to the larger child.
            if leftSmaller { l.histogram = s; r.histogram = p } else { l.histogram = p; r.histogram = s }
        } else {
            if canL {
                l.histogram = acquire()
                build(order, l.range, features, gradients, into: buffers[l.histogram!])
            }
            if canR {
                r.histogram = acquire()
                build(order, r.range, features, gradients, into: buffers[r.histogram!])
            }
        }
        for leaf in [0, 1] {
            var c = leaf == 0 ? l : r
            if let h = c.histogram {
                if (leaf == 0 ? canL : canR) { evaluate(&c, histogram: h, features: features, gradients.scale) }
                // Kept only while the leaf may split and memory allows.
                if c.split == nil || keptHistograms > maxKept {
                    release(h)
                    c.histogram = nil
                }
            }
            if leaf == 0 { l = c } else { r = c }
        }
    }

    /// The best split of a leaf over `features` from its histogram.
    private func evaluate(_ leaf: inout GrowingLeaf, histogram h: Int, features: [Int], _ scale: Double) {
        var best: SplitCandidate?
        let parent = score(leaf.total, scale)
        for f in features {
            _ = scanHistogram(buffers[h] + data.offsets[f], count: data.binCounts[f], feature: f, total: leaf.total,
                              parent: parent, scale: scale, best: &best)
        }
        leaf.split = best
    }

    /// The best split of a node over features drawn per split (scikit-learn's rule: draw until
    /// `featuresPerSplit` drawn features are not constant in the node, or none is left).
    private func evaluateDrawn(_ leaf: inout GrowingLeaf, _ order: UnsafeMutableBufferPointer<Int32>,
                               _ gradients: Gradients, _ features: [Int], _ rng: inout Xoshiro256) {
        if leaf.total.g == 0 || leaf.total.g == -leaf.total.h { return }  // pure: every label the same
        let wanted = min(settings.featuresPerSplit!, features.count)
        // Any order of the features serves to draw from: the previous node's permutation is reused.
        if drawPool.count != features.count { drawPool = features }
        var drawn = 0, informative = 0
        var best: SplitCandidate?
        let parent = score(leaf.total, gradients.scale)
        let small = leaf.range.count <= Self.sortedNodeRows
        let work = small ? nil : acquire()
        while informative < wanted && drawn < drawPool.count {
            let first = drawn
            for _ in 0..<min(wanted - informative, drawPool.count - drawn) {
                drawPool.swapAt(drawn, drawn + rng.below(drawPool.count - drawn))
                drawn += 1
            }
            let batch = drawPool[first..<drawn]
            if let work {
                build(order, leaf.range, batch, gradients, into: buffers[work])
                for f in batch where scanHistogram(buffers[work] + data.offsets[f], count: data.binCounts[f], feature: f,
                                                   total: leaf.total, parent: parent, scale: gradients.scale, best: &best) {
                    informative += 1
                }
            } else {
                for f in batch where scanSorted(order, leaf.range, feature: f, gradients, total: leaf.total,
                                                parent: parent, best: &best) {
                    informative += 1
                }
            }
        }
        if let work { release(work) }
        leaf.split = best
    }

    // MARK: Split scans

    /// G² / (H + λ) of a leaf's sums.
    @inline(__always)
    private func score(_ s: HistogramBin, _ scale: Double) -> Double {
        let g = Double(s.g) / scale, h = Double(s.h) / scale + settings.lambda
        return h > 0 ? g * g / h : 0
    }

    /// Records the split "code <= bin" when its gain beats `best` (and 0).
    @inline(__always)
    private func consider(_ left: HistogramBin, bin: Int, feature: Int, total: HistogramBin, parent: Double,
                          scale: Double, best: inout SplitCandidate?) {
        let right = total - left
        let minLeaf = Int64(settings.minLeaf)
        guard left.n >= minLeaf, right.n >= minLeaf else { return }
        let hl = Double(left.h) / scale, hr = Double(right.h) / scale
        guard hl >= settings.minHessian, hr >= settings.minHessian else { return }
        let gl = Double(left.g) / scale, gr = Double(right.g) / scale
        let gain = gl * gl / (hl + settings.lambda) + gr * gr / (hr + settings.lambda) - parent
        if gain > (best?.gain ?? 0) { best = SplitCandidate(feature: feature, bin: bin, gain: gain, left: left) }
    }

    /// Scans one feature's histogram slots; returns whether the node's rows fall in more than
    /// one bin (the feature is not constant there). Empty slots are skipped: they split the rows
    /// as the slot before them does.
    private func scanHistogram(_ slots: UnsafeMutablePointer<HistogramBin>, count: Int, feature: Int,
                               total: HistogramBin, parent: Double, scale: Double,
                               best: inout SplitCandidate?) -> Bool {
        var left = HistogramBin()
        var informative = false
        for b in 0..<(count - 1) {
            let s = slots[b]
            if s.n == 0 { continue }
            left += s
            if left.n == total.n { break }
            informative = true
            consider(left, bin: b, feature: feature, total: total, parent: parent, scale: scale, best: &best)
        }
        return informative
    }

    /// The scan of `scanHistogram` over a small node's rows sorted by code (the same sums at
    /// the same bins, so the same split).
    private func scanSorted(_ order: UnsafeMutableBufferPointer<Int32>, _ range: Range<Int>, feature f: Int,
                            _ gradients: Gradients, total: HistogramBin, parent: Double,
                            best: inout SplitCandidate?) -> Bool {
        let count = range.count, d = data.columns
        if sortKeys.count < count { sortKeys = [UInt64](repeating: 0, count: Self.sortedNodeRows + 1) }
        for i in 0..<count {
            let r = Int(order[range.lowerBound + i])
            sortKeys[i] = UInt64(data.codes[r &* d &+ f]) << 32 | UInt64(r)
        }
        sortKeys[0..<count].sort()
        var left = HistogramBin()
        var informative = false
        var i = 0
        while i < count {
            let code = sortKeys[i] >> 32
            while i < count && sortKeys[i] >> 32 == code {
                let r = Int(sortKeys[i] & 0xFFFF_FFFF)
                left += HistogramBin(g: gradients.g[r], h: gradients.h[r], n: 1)
                i += 1
            }
            if i == count { break }
            informative = true
            consider(left, bin: Int(code), feature: f, total: total, parent: parent, scale: gradients.scale, best: &best)
        }
        return informative
    }

    // MARK: Histograms

    private func acquire() -> Int {
        keptHistograms += 1
        if let b = freeBuffers.popLast() { return b }
        let p = UnsafeMutablePointer<HistogramBin>.allocate(capacity: max(1, data.totalBins))
        p.initialize(repeating: HistogramBin(), count: max(1, data.totalBins))
        buffers.append(p)
        return buffers.count - 1
    }

    private func release(_ b: Int) {
        keptHistograms -= 1
        freeBuffers.append(b)
    }

    /// The sums of the rows order[range].
    private func total(_ order: UnsafeMutableBufferPointer<Int32>, _ range: Range<Int>, _ gradients: Gradients) -> HistogramBin {
        let chunks = settings.parallel ? Parallel.chunks(range.count, parts: threads, minimum: Self.parallelRows / 2) : [0..<range.count]
        let o = order.baseAddress! + range.lowerBound
        return Parallel.map(chunks.count) { c in
            var s = HistogramBin()
            for i in chunks[c] {
                let r = Int(o[i])
                s += HistogramBin(g: gradients.g[r], h: gradients.h[r], n: 1)
            }
            return s
        }.reduce(HistogramBin(), +)
    }

    /// The histogram of `features` over the rows order[range], into `hist` (other slots are
    /// left as they are). Large ranges are cut into chunks, one histogram each, summed after.
    package func build(_ order: UnsafeMutableBufferPointer<Int32>, _ range: Range<Int>, _ features: some RandomAccessCollection<Int>,
                       _ gradients: Gradients, into hist: UnsafeMutablePointer<HistogramBin>) {
        let o = order.baseAddress!
        if threads > 1 && range.count >= Self.parallelRows {
            let chunks = Parallel.chunks(range.count, parts: threads, minimum: Self.parallelRows / 2)
            let partial = threadHistograms
            // Chunk c writes only threadHistograms[c].
            Parallel.forEach(chunks.count) { c in
                let lo = range.lowerBound + chunks[c].lowerBound
                self.accumulate(o, lo..<(lo + chunks[c].count), features, gradients, into: partial[c])
            }
            for f in features {
                let start = data.offsets[f], end = start + data.binCounts[f]
                for j in start..<end {
                    var s = partial[0][j]
                    for c in 1..<chunks.count { s += partial[c][j] }
                    hist[j] = s
                }
            }
        } else {
            accumulate(o, range, features, gradients, into: hist)
        }
    }

    /// Zeroes the slots of `features` in `hist` and adds the rows order[range] into them.
    private func accumulate(_ order: UnsafeMutablePointer<Int32>, _ range: Range<Int>, _ features: some RandomAccessCollection<Int>,
                            _ gradients: Gradients, into hist: UnsafeMutablePointer<HistogramBin>) {
        let d = data.columns, codes = data.codes, g = gradients.g, h = gradients.h
        for f in features { (hist + data.offsets[f]).update(repeating: HistogramBin(), count: data.binCounts[f]) }
        if features.count == d {
            data.offsets.withUnsafeBufferPointer { offsets in
                for i in range {
                    let r = Int(order[i])
                    let gi = g[r], hi = h[r]
                    let row = codes + r &* d
                    for f in 0..<d {
                        let slot = hist + (offsets[f] &+ Int(row[f]))
                        slot.pointee.g &+= gi
                        slot.pointee.h &+= hi
                        slot.pointee.n &+= 1
                    }
                }
            }
        } else {
            let starts = features.map { data.offsets[$0] }, columns = Array(features)
            starts.withUnsafeBufferPointer { starts in
                columns.withUnsafeBufferPointer { fs in
                    for i in range {
                        let r = Int(order[i])
                        let gi = g[r], hi = h[r]
                        let row = codes + r &* d
                        for k in 0..<fs.count {
                            let slot = hist + (starts[k] &+ Int(row[fs[k]]))
                            slot.pointee.g &+= gi
                            slot.pointee.h &+= hi
                            slot.pointee.n &+= 1
                        }
                    }
                }
            }
        }
    }

    /// parent -= child over the slots of `features`.
    private func subtract(_ child: UnsafeMutablePointer<HistogramBin>, from parent: UnsafeMutablePointer<HistogramBin>,
                          _ features: [Int]) {
        for f in features {
            let start = data.offsets[f]
            for j in start..<(start + data.binCounts[f]) { parent[j] = parent[j] - child[j] }
        }
    }

    // MARK: Partition

    /// Reorders order[range] stably so rows with code <= bin in `feature` come first; returns
    /// where the right side starts.
    private func partition(_ order: UnsafeMutableBufferPointer<Int32>, _ range: Range<Int>, feature f: Int, bin: Int) -> Int {
        let d = data.columns, codes = data.codes, o = order.baseAddress!, tmp = scratch
        let cut = UInt8(bin)
        if threads > 1 && range.count >= Self.parallelRows {
            // One pass per chunk: its lefts to `scratch`, its rights to `rightScratch`, both
            // from the chunk's start; then every chunk copies its two runs to their places.
            let chunks = Parallel.chunks(range.count, parts: threads, minimum: Self.parallelRows / 2)
            let lefts = SharedPointer(tmp), rights = SharedPointer(rightScratch)
            // Chunk c writes only its own positions of the two scratch buffers.
            let counts = Parallel.map(chunks.count) { c -> Int in
                var l = range.lowerBound + chunks[c].lowerBound, r = l
                for i in chunks[c] {
                    let row = o[range.lowerBound + i]
                    if codes[Int(row) &* d &+ f] <= cut { lefts.base[l] = row; l += 1 } else { rights.base[r] = row; r += 1 }
                }
                return l - (range.lowerBound + chunks[c].lowerBound)
            }
            let totalLeft = counts.reduce(0, +)
            let target = SharedPointer(o)
            // Chunk c fills its own runs of `order`: after the lefts and the rights of the chunks before it.
            Parallel.forEach(chunks.count) { c in
                let before = counts[..<c].reduce(0, +), start = range.lowerBound + chunks[c].lowerBound
                (target.base + range.lowerBound + before).update(from: lefts.base + start, count: counts[c])
                (target.base + range.lowerBound + totalLeft + chunks[c].lowerBound - before)
                    .update(from: rights.base + start, count: chunks[c].count - counts[c])
            }
            return range.lowerBound + totalLeft
        }
        var w = range.lowerBound, k = 0
        for i in range {
            let row = o[i]
            if codes[Int(row) &* d &+ f] <= cut { o[w] = row; w += 1 } else { tmp[k] = row; k += 1 }
        }
        (o + w).update(from: tmp, count: k)
        return w
    }
}

/// Leaves waiting to be split, the largest gain first (ties: the lower leaf number).
struct LeafHeap {
    private var items: [Int] = []

    private static func before(_ a: Int, _ b: Int, _ leaves: [GrowingLeaf]) -> Bool {
        let ga = leaves[a].split!.gain, gb = leaves[b].split!.gain
        return ga > gb || (ga == gb && a < b)
    }

    mutating func push(_ id: Int, _ leaves: [GrowingLeaf]) {
        items.append(id)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.before(items[i], items[p], leaves) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop(_ leaves: [GrowingLeaf]) -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.before(items[l], items[m], leaves) { m = l }
                if r < items.count && Self.before(items[r], items[m], leaves) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
