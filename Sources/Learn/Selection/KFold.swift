// KFold: k-fold cross-validation folds as row indices, plain, stratified by a 0/1 label, and
// grouped so that no group (a user, say) is split between training and validation.
//
//   plain       rows shuffled, then dealt round-robin: row at shuffled position p goes to fold
//               p mod k, so fold sizes differ by at most one.
//   stratified  scikit-learn's StratifiedKFold(shuffle=True): the rows of class 0, shuffled,
//               then the rows of class 1, shuffled, dealt round-robin as above. Each class is
//               a contiguous run of the deal, so every fold holds ⌊n_c / k⌋ or ⌈n_c / k⌉ rows
//               of class c and ⌊n / k⌋ or ⌈n / k⌉ rows in all: each fold's positive count is
//               within one row of its share.
//   grouped     scikit-learn's GroupKFold: groups from largest to smallest (equal sizes in a
//               seeded random order), each to the fold with the fewest rows so far (ties: the
//               lowest fold). With labels, StratifiedGroupKFold's rule instead: each group to
//               the fold that minimises the mean over the two classes of the standard
//               deviation across folds of (fold's rows of the class / all rows of the class),
//               ties (equal within numpy's isclose) to the fold with fewer rows, then the
//               lowest fold. A group never straddles two folds.
//
// Repeats: repeat r uses the r-th output of SplitMix64 seeded with `seed`, so repeats differ
// and one seed fixes them all. Folds are numbered from 0 in the API and from 1 in messages.
// Invariants checked: 2 <= k <= rows (or distinct groups), no fold is empty, and with labels
// every fold's training part holds both classes (else a LearnError naming the fold).

import Frame

/// Cross-validation folds: which rows each fold holds out.
package enum KFold {
    /// One fold of one repeat: the rows held out for validation; every other row trains.
    package struct Fold: Sendable, Equatable {
        /// Which repeat (0-based) this fold belongs to.
        package var repeatIndex: Int
        /// The fold's number within its repeat (0-based).
        package var index: Int
        /// Folds per repeat.
        package var count: Int
        /// Validation rows, ascending.
        package var validation: [Int]
        /// Rows in the data (validation and training together).
        package var rowCount: Int

        /// Training rows, ascending: every row not in `validation` (computed on each access).
        package var train: [Int] {
            var out: [Int] = []
            out.reserveCapacity(rowCount - validation.count)
            var next = 0
            for v in validation {
                while next < v { out.append(next); next += 1 }
                next = v + 1
            }
            while next < rowCount { out.append(next); next += 1 }
            return out
        }

        /// `fold 3 of 5`, with the repeat when there are several: `fold 3 of 5 (repeat 2)`.
        package func name(repeats: Int = 1) -> String {
            "fold \(index + 1) of \(count)" + (repeats > 1 ? " (repeat \(repeatIndex + 1))" : "")
        }
    }

    /// The seeds of `count` repeats, all derived from `seed` (SplitMix64 outputs).
    package static func repeatSeeds(_ seed: UInt64, count: Int) -> [UInt64] {
        var mixer = SplitMix64(state: seed)
        return (0..<count).map { _ in mixer.next() }
    }

    /// Plain k-fold over `rows` rows, shuffled with `seed`: fold sizes differ by at most one.
    package static func plain(rows: Int, folds: Int, repeats: Int = 1, seed: UInt64) throws(LearnError) -> [Fold] {
        try checkCounts(rows: rows, folds: folds, repeats: repeats, units: rows, unitName: "rows")
        var out: [Fold] = []
        for (r, s) in repeatSeeds(seed, count: repeats).enumerated() {
            var rng = Xoshiro256(seed: s)
            var order = Array(0..<rows)
            shuffle(&order, &rng)
            out += foldsOf(deal(order, rows: rows, folds: folds), folds: folds, repeatIndex: r)
        }
        return out
    }

    /// Stratified k-fold by a 0/1 label: each fold keeps the label's share within one row.
    package static func stratified(labels: [Float], folds: Int, repeats: Int = 1,
                                   seed: UInt64) throws(LearnError) -> [Fold] {
        let n = labels.count
        try checkCounts(rows: n, folds: folds, repeats: repeats, units: n, unitName: "rows")
        let positive = try classes(labels)
        var out: [Fold] = []
        for (r, s) in repeatSeeds(seed, count: repeats).enumerated() {
            var rng = Xoshiro256(seed: s)
            var negatives = (0..<n).filter { !positive[$0] }, positives = (0..<n).filter { positive[$0] }
            shuffle(&negatives, &rng)
            shuffle(&positives, &rng)
            out += foldsOf(deal(negatives + positives, rows: n, folds: folds), folds: folds, repeatIndex: r)
        }
        try checkBothClasses(out, positive: positive, repeats: repeats)
        return out
    }

    /// Grouped k-fold: every row of a group lands in the same fold, rows balanced across
    /// folds; with `labels`, the label's share is kept as well as whole groups allow.
    package static func grouped(groups: [Int64], labels: [Float]? = nil, folds: Int, repeats: Int = 1,
                                seed: UInt64) throws(LearnError) -> [Fold] {
        let n = groups.count
        if let labels, labels.count != n {
            throw .invalidParameter(name: "labels", reason: "has \(labels.count) values for \(n) rows")
        }
        // Dense group codes in order of first appearance.
        var code: [Int64: Int] = [:]
        var rowGroup = [Int](repeating: 0, count: n)
        var size: [Int] = [], positives: [Int] = []
        let positive = try labels.map { (l) throws(LearnError) in try classes(l) }
        for (r, g) in groups.enumerated() {
            let c: Int
            if let known = code[g] { c = known } else {
                c = size.count
                code[g] = c
                size.append(0)
                positives.append(0)
            }
            rowGroup[r] = c
            size[c] += 1
            if positive?[r] == true { positives[c] += 1 }
        }
        try checkCounts(rows: n, folds: folds, repeats: repeats, units: size.count, unitName: "groups")
        var out: [Fold] = []
        for (r, s) in repeatSeeds(seed, count: repeats).enumerated() {
            var rng = Xoshiro256(seed: s)
            var order = Array(size.indices)
            shuffle(&order, &rng)
            let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            // Largest first; equal sizes in the shuffled order (an explicit key: sort is not stable).
            order.sort { size[$0] != size[$1] ? size[$0] > size[$1] : rank[$0]! < rank[$1]! }
            let foldOfGroup = positive == nil
                ? leastFilled(order, size: size, folds: folds)
                : balancedClasses(order, size: size, positives: positives, folds: folds)
            out += foldsOf(rowGroup.map { foldOfGroup[$0] }, folds: folds, repeatIndex: r)
        }
        for f in out where f.validation.isEmpty {
            throw .invalidParameter(name: "folds", reason: "= \(folds) leaves \(f.name(repeats: repeats)) empty: the \(size.count) groups cannot fill every fold while keeping the label's share; use fewer folds")
        }
        if let positive { try checkBothClasses(out, positive: positive, repeats: repeats) }
        return out
    }

    // MARK: - Assignment

    /// GroupKFold: each group, in `order`, to the fold with the fewest rows (ties: lowest fold).
    private static func leastFilled(_ order: [Int], size: [Int], folds: Int) -> [Int] {
        var filled = [Int](repeating: 0, count: folds)
        var foldOf = [Int](repeating: 0, count: size.count)
        for g in order {
            var best = 0
            for f in 1..<folds where filled[f] < filled[best] { best = f }
            foldOf[g] = best
            filled[best] += size[g]
        }
        return foldOf
    }

    /// StratifiedGroupKFold's rule: each group, in `order`, to the fold that keeps the two
    /// classes' shares most even across folds; ties to the fold with fewer rows, then lowest.
    private static func balancedClasses(_ order: [Int], size: [Int], positives: [Int], folds: Int) -> [Int] {
        let totalPositive = Double(positives.reduce(0, +))
        let totalNegative = Double(size.reduce(0, +)) - totalPositive
        var neg = [Double](repeating: 0, count: folds), pos = [Double](repeating: 0, count: folds)
        var foldOf = [Int](repeating: 0, count: size.count)
        for g in order {
            let gp = Double(positives[g]), gn = Double(size[g] - positives[g])
            var best = -1
            var bestEval = Double.infinity, bestRows = Double.infinity
            for f in 0..<folds {
                neg[f] += gn
                pos[f] += gp
                let eval = (populationStd(neg.map { $0 / totalNegative }) + populationStd(pos.map { $0 / totalPositive })) / 2
                neg[f] -= gn
                pos[f] -= gp
                let rows = neg[f] + pos[f]
                // numpy.isclose(eval, bestEval): |a - b| <= 1e-8 + 1e-5 |b|.
                let close = bestEval.isFinite && abs(eval - bestEval) <= 1e-8 + 1e-5 * abs(bestEval)
                if eval < bestEval && !close || close && rows < bestRows {
                    best = f
                    bestEval = eval
                    bestRows = rows
                }
            }
            foldOf[g] = best
            neg[best] += gn
            pos[best] += gp
        }
        return foldOf
    }

    private static func populationStd(_ xs: [Double]) -> Double {
        let mean = xs.reduce(0, +) / Double(xs.count)
        return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)).squareRoot()
    }

    /// Fold of each row when the rows in `order` are dealt round-robin.
    private static func deal(_ order: [Int], rows: Int, folds: Int) -> [Int] {
        var foldOf = [Int](repeating: 0, count: rows)
        for (p, row) in order.enumerated() { foldOf[row] = p % folds }
        return foldOf
    }

    /// The folds of one repeat from each row's fold.
    private static func foldsOf(_ foldOf: [Int], folds: Int, repeatIndex: Int) -> [Fold] {
        var validation = [[Int]](repeating: [], count: folds)
        for (row, f) in foldOf.enumerated() { validation[f].append(row) }
        return validation.enumerated().map {
            Fold(repeatIndex: repeatIndex, index: $0, count: folds, validation: $1, rowCount: foldOf.count)
        }
    }

    /// Fisher-Yates, drawing from the end down.
    private static func shuffle(_ a: inout [Int], _ rng: inout Xoshiro256) {
        var i = a.count - 1
        while i > 0 {
            a.swapAt(i, rng.below(i + 1))
            i -= 1
        }
    }

    // MARK: - Checks

    private static func checkCounts(rows: Int, folds: Int, repeats: Int, units: Int, unitName: String) throws(LearnError) {
        guard rows > 0 else { throw .emptyData("the data to fold") }
        guard folds >= 2 else {
            throw .invalidParameter(name: "folds", reason: "must be at least 2, not \(folds)")
        }
        guard repeats >= 1 else {
            throw .invalidParameter(name: "repeats", reason: "must be at least 1, not \(repeats)")
        }
        guard folds <= units else {
            throw .invalidParameter(name: "folds", reason: "= \(folds) is more than the \(units) \(unitName); use at most \(units) folds")
        }
    }

    /// Whether each row is positive; throws unless every label is 0 or 1 and both occur.
    private static func classes(_ labels: [Float]) throws(LearnError) -> [Bool] {
        var positive = [Bool](repeating: false, count: labels.count)
        var ones = 0
        for (r, l) in labels.enumerated() {
            guard l == 0 || l == 1 else {
                throw .invalidParameter(name: "label", reason: "must be 0 or 1, but row \(r + 1) holds \(l)")
            }
            positive[r] = l == 1
            if l == 1 { ones += 1 }
        }
        if ones == 0 || ones == labels.count {
            throw .invalidParameter(name: "label", reason: "has one class only (every row is \(ones == 0 ? 0 : 1)); stratified folds need rows labelled 0 and 1")
        }
        return positive
    }

    /// Throws, naming the first fold whose training rows lack a class.
    private static func checkBothClasses(_ folds: [Fold], positive: [Bool], repeats: Int) throws(LearnError) {
        let ones = positive.reduce(0) { $0 + ($1 ? 1 : 0) }, zeros = positive.count - ones
        for f in folds {
            let held = f.validation.reduce(0) { $0 + (positive[$1] ? 1 : 0) }
            for (label, total, inFold) in [(1, ones, held), (0, zeros, f.validation.count - held)] where total == inFold {
                throw .invalidParameter(name: "folds", reason: "= \(f.count) leaves \(f.name(repeats: repeats)) with no training row labelled \(label) (the data has \(total)); use fewer folds or more data")
            }
        }
    }
}
