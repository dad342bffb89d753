// KFold: every row in exactly one fold per repeat, stratified shares within one row, groups
// never split and rows balanced (exact fold sizes for a hand-worked case), repeats that differ
// and seeds that reproduce, and the errors: too few or too many folds, one class, a class too
// small for a fold's training part.

import Testing
import Frame
import Learn

@Suite struct KFoldTests {
    /// Each repeat's validation parts partition the rows, and train is the complement.
    func expectPartition(_ folds: [KFold.Fold], rows: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for r in Set(folds.map(\.repeatIndex)) {
            let mine = folds.filter { $0.repeatIndex == r }
            #expect(mine.flatMap(\.validation).sorted() == Array(0..<rows), sourceLocation: sourceLocation)
            for f in mine {
                #expect(f.validation == f.validation.sorted(), sourceLocation: sourceLocation)
                #expect(Set(f.train).union(f.validation).count == rows && f.train.count + f.validation.count == rows,
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test func plainFoldSizesDifferByOneAtMost() throws {
        let folds = try KFold.plain(rows: 23, folds: 5, seed: 1)
        #expect(folds.map(\.validation.count) == [5, 5, 5, 4, 4])
        expectPartition(folds, rows: 23)
    }

    /// 6 rows labelled 0 dealt first (folds 0, 1, 2, 0, 1, 2), then 4 labelled 1 (folds 0, 1,
    /// 2, 0): fold sizes 4, 3, 3 with 2, 1, 1 positives, whatever the seed.
    @Test(arguments: [UInt64(0), 1, 99])
    func stratifiedCountsByHand(_ seed: UInt64) throws {
        let labels: [Float] = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]
        let folds = try KFold.stratified(labels: labels, folds: 3, seed: seed)
        #expect(folds.map(\.validation.count) == [4, 3, 3])
        #expect(folds.map { $0.validation.filter { labels[$0] == 1 }.count } == [2, 1, 1])
        expectPartition(folds, rows: 10)
    }

    @Test func stratifiedKeepsTheShareWithinOneRow() throws {
        var labels = [Float](repeating: 0, count: 1003)
        for i in stride(from: 0, to: 1003, by: 7) { labels[i] = 1 }   // 144 positives
        for k in [2, 5, 10] {
            let folds = try KFold.stratified(labels: labels, folds: k, repeats: 2, seed: 3)
            #expect(folds.count == 2 * k)
            expectPartition(folds, rows: 1003)
            let share = Double(144) / 1003
            for f in folds {
                let positives = Double(f.validation.filter { labels[$0] == 1 }.count)
                #expect(abs(positives - share * Double(f.validation.count)) <= 1)
            }
        }
    }

    @Test func repeatsDifferAndASeedReproduces() throws {
        let labels = (0..<200).map { Float($0 % 3 == 0 ? 1 : 0) }
        let a = try KFold.stratified(labels: labels, folds: 4, repeats: 3, seed: 11)
        let b = try KFold.stratified(labels: labels, folds: 4, repeats: 3, seed: 11)
        let c = try KFold.stratified(labels: labels, folds: 4, repeats: 3, seed: 12)
        #expect(a == b)
        #expect(a != c)
        #expect(a[0].validation != a[4].validation && a[4].validation != a[8].validation)
        #expect(a.map(\.repeatIndex) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(KFold.repeatSeeds(11, count: 3).count == Set(KFold.repeatSeeds(11, count: 3)).count)
    }

    /// Groups of 5, 3, 3, 2, 1, 1 rows into 3 folds, largest first to the emptiest fold:
    /// 5 → f1; 3 → f2; 3 → f3; 2 → f2 (tie with f3, lower first); 1 → f3; 1 → f3: 5, 5, 5.
    @Test(arguments: [UInt64(0), 5])
    func groupedByHand(_ seed: UInt64) throws {
        let sizes = [1, 3, 5, 2, 3, 1]
        let groups = sizes.enumerated().flatMap { g, n in [Int64](repeating: Int64(100 + g), count: n) }
        let folds = try KFold.grouped(groups: groups, folds: 3, seed: seed)
        #expect(folds.map(\.validation.count) == [5, 5, 5])
        #expect(folds[0].validation == Array(4..<9))   // the group of 5
        expectPartition(folds, rows: 15)
        for f in folds {
            let held = Set(f.validation.map { groups[$0] })
            #expect(f.train.allSatisfy { !held.contains(groups[$0]) })
        }
    }

    @Test func groupedNeverSplitsAGroupAndBalancesRows() throws {
        var rng = SplitMix64(state: 4)
        let groups = (0..<2000).map { _ in Int64(rng.next() % 97) }
        let labels: [Float] = groups.map { $0 % 4 == 0 || rng.next() % 5 == 0 ? 1 : 0 }
        for withLabels in [false, true] {
            let folds = try KFold.grouped(groups: groups, labels: withLabels ? labels : nil, folds: 5, repeats: 2, seed: 9)
            expectPartition(folds, rows: 2000)
            for f in folds {
                let held = Set(f.validation.map { groups[$0] })
                #expect(f.train.allSatisfy { !held.contains(groups[$0]) })
                #expect(abs(f.validation.count - 400) < 60)
                if withLabels {
                    let share = Double(labels.filter { $0 == 1 }.count) / 2000
                    let mine = Double(f.validation.filter { labels[$0] == 1 }.count) / Double(f.validation.count)
                    #expect(abs(mine - share) < 0.03)
                }
            }
        }
    }

    @Test func badFoldCountsAreRefused() {
        #expect(throws: LearnError.invalidParameter(name: "folds", reason: "must be at least 2, not 1")) {
            try KFold.plain(rows: 10, folds: 1, seed: 0)
        }
        #expect(throws: LearnError.invalidParameter(name: "folds", reason: "= 4 is more than the 3 rows; use at most 3 folds")) {
            try KFold.stratified(labels: [0, 1, 0], folds: 4, seed: 0)
        }
        #expect(throws: LearnError.invalidParameter(name: "folds", reason: "= 3 is more than the 2 groups; use at most 2 folds")) {
            try KFold.grouped(groups: [1, 1, 2, 2, 2], folds: 3, seed: 0)
        }
        #expect(throws: LearnError.emptyData("the data to fold")) { try KFold.plain(rows: 0, folds: 2, seed: 0) }
        #expect(throws: LearnError.invalidParameter(name: "repeats", reason: "must be at least 1, not 0")) {
            try KFold.plain(rows: 10, folds: 2, repeats: 0, seed: 0)
        }
    }

    @Test func labelsMustBeZeroOrOneAndHoldBothClasses() {
        #expect(throws: LearnError.invalidParameter(name: "label", reason: "must be 0 or 1, but row 2 holds 0.5")) {
            try KFold.stratified(labels: [0, 0.5, 1], folds: 2, seed: 0)
        }
        #expect(throws: LearnError.invalidParameter(name: "label", reason: "has one class only (every row is 1); stratified folds need rows labelled 0 and 1")) {
            try KFold.stratified(labels: [1, 1, 1], folds: 2, seed: 0)
        }
    }

    /// The only positive row is dealt after the four negatives, to fold 4 mod 2 = 0.
    @Test func aFoldWhoseTrainingLacksAClassIsNamed() {
        let error = LearnError.invalidParameter(name: "folds", reason: "= 2 leaves fold 1 of 2 with no training row labelled 1 (the data has 1); use fewer folds or more data")
        #expect(throws: error) { try KFold.stratified(labels: [0, 0, 1, 0, 0], folds: 2, seed: 7) }
        #expect(error.description.hasPrefix("folds = 2 leaves fold 1 of 2"))
        // Grouped: the positives all sit in one group, which some fold holds whole.
        #expect(throws: LearnError.self) {
            try KFold.grouped(groups: [1, 1, 2, 2, 3, 3], labels: [1, 1, 0, 0, 0, 0], folds: 3, seed: 0)
        }
    }
}
