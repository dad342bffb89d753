// Join: a hash join on equal key columns, rows in the left frame's order.
//
// Keys become one UInt64 per row, comparable across the two frames: integers as their Int64 bits
// (any widths mix), booleans 0/1, floats as normalised bits (-0.0 = 0.0), strings as the code of
// the left frame's dictionary (a right-only string gets a code past it). Several key columns are
// folded into one id through a `KeyTable` shared by both frames. A null (or NaN) in any key
// column never matches, as in SQL.
// The hash table is built on the side with fewer rows (and read through an array when its keys
// span a small range, e.g. user ids). Either way the result is, for each left
// row in order, its matching right rows in right order (a left join emits one row with nulls
// when there is none), so the output does not depend on which side was built. Output rows are
// counted per chunk, then written in parallel; when every left row appears once, in order, the
// left columns are shared, not copied.

/// Which rows a join keeps.
package enum JoinKind: String, Sendable, CaseIterable {
    /// Only left rows with at least one matching right row.
    case inner
    /// Every left row; right columns are null where no right row matches.
    case left
}

extension DataFrame {
    /// The left rows joined with every right row of equal `keys`: all left columns, then the
    /// right frame's other columns (suffixed `_right` where a name clashes); left row order.
    package func joined(with other: DataFrame, on keys: [String], kind: JoinKind) throws(FrameError) -> DataFrame {
        guard !keys.isEmpty else { throw .invalidArgument("join needs at least one key column") }
        var leftKeys: [Column] = [], rightKeys: [Column] = []
        for key in keys {
            let l = try column(key), r = try other.column(key)
            guard JoinKeys.family(l.type) == JoinKeys.family(r.type) else {
                throw .invalidArgument("join key '\(key)' is \(l.type.rawValue) on the left but \(r.type.rawValue) on the right; the types must match")
            }
            leftKeys.append(l)
            rightKeys.append(r)
        }
        let (left, right) = JoinKeys.encode(leftKeys, rightKeys)
        let pairs = HashJoin.pairs(left: left, right: right, keepUnmatched: kind == .left)

        var names = Set(columnNames)
        let keySet = Set(keys)
        var out = pairs.leftIsIdentity ? columns : pairs.left.withUnsafeBufferPointer { rows in columns.map { $0.gatherParallel(rows) } }
        pairs.right.withUnsafeBufferPointer { rows in
            for c in other.columns where !keySet.contains(c.name) {
                var name = c.name
                while names.contains(name) { name += "_right" }
                names.insert(name)
                out.append(c.gatherNullable(rows).renamed(name))
            }
        }
        var frame = try DataFrame(out)
        frame.schema = schema
        return frame
    }
}

/// Join keys as one comparable UInt64 per row, and whether the row can match at all.
struct JoinKeys {
    var words: [UInt64]
    /// nil when every row has a complete key.
    var present: [Bool]?

    /// The type family whose values compare equal across frames.
    static func family(_ type: DataType) -> String {
        type.isInteger ? "integer" : type.rawValue
    }

    /// Keys of both frames, encoded consistently.
    static func encode(_ left: [Column], _ right: [Column]) -> (JoinKeys, JoinKeys) {
        var l = JoinKeys.column(left[0], right[0], left: true)
        var r = JoinKeys.column(left[0], right[0], left: false)
        guard left.count > 1 else { return (l, r) }
        // Fold columns into dense ids shared by both sides: id(previous id, id of this word).
        let words = KeyTable(), pairs = KeyTable()
        func densify(_ k: inout JoinKeys, _ next: JoinKeys, first: Bool) {
            for i in 0..<k.words.count {
                let w = UInt64(words.id(next.words[i]))
                k.words[i] = first ? w : UInt64(pairs.id(k.words[i] &<< 32 | w))
            }
        }
        let l0 = l, r0 = r
        densify(&l, l0, first: true)
        densify(&r, r0, first: true)
        for j in 1..<left.count {
            let lj = JoinKeys.column(left[j], right[j], left: true)
            let rj = JoinKeys.column(left[j], right[j], left: false)
            densify(&l, lj, first: false)
            densify(&r, rj, first: false)
            l.present = JoinKeys.both(l.present, lj.present)
            r.present = JoinKeys.both(r.present, rj.present)
        }
        return (l, r)
    }

    /// One key column of the left (or right) frame, strings coded by the left dictionary.
    private static func column(_ leftColumn: Column, _ rightColumn: Column, left: Bool) -> JoinKeys {
        let c = left ? leftColumn : rightColumn
        if case .string(let codes, let dictionary) = c.data {
            let view = ColumnView(codes, validity: c.validity)
            var present: [Bool]? = nil
            if c.validity != nil { present = Parallel.array(c.count) { view.isValid($0) } }
            if left { return JoinKeys(words: Parallel.array(c.count) { UInt64(view.values[$0]) }, present: present) }
            guard case .string(_, let leftDictionary) = leftColumn.data else { preconditionFailure("families checked") }
            var index: [String: Int] = [:]
            for (code, value) in leftDictionary.values.enumerated() { index[value] = code }
            let base = leftDictionary.values.count
            let translated = dictionary.values.enumerated().map { UInt64(index[$0.element] ?? base + $0.offset) }
            return JoinKeys(words: Parallel.array(c.count) { i in
                let code = Int(view.values[i])
                return code < translated.count ? translated[code] : UInt64.max
            }, present: present)
        }
        return c.visitNumeric(JoinWordVisitor())!
    }

    private static func both(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
        guard let a else { return b }
        guard let b else { return a }
        return Parallel.array(a.count) { a[$0] && b[$0] }
    }
}

/// Key words of a numeric column; NaN is not present (it matches nothing).
private struct JoinWordVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> JoinKeys {
        let words = Parallel.array(view.count) { KeyBits.of(view.values[$0]) }
        return JoinKeys(words: words, present: view.presence())
    }
}

/// The matching (left row, right row) pairs of two key sets, in left order.
enum HashJoin {
    /// Output row indices; `right[j] == -1` means "no match". `leftIsIdentity` when every left
    /// row appears exactly once, in order: then `left` is left empty and the left columns are
    /// shared, not gathered.
    struct Pairs {
        var left: [Int]
        var right: [Int]
        var leftIsIdentity: Bool
    }

    static func pairs(left: JoinKeys, right: JoinKeys, keepUnmatched: Bool) -> Pairs {
        let nl = left.words.count, nr = right.words.count
        // For each left row its group (-1: none); a group's right rows are rows[starts[g]..<starts[g + 1]].
        let groupOfLeft: [Int32]
        let rows: [Int], starts: [Int]
        let table = KeyTable()
        if nr <= nl {
            let ids = (0..<nr).map { r -> Int in (right.present?[r] ?? true) ? Int(table.id(right.words[r])) : -1 }
            (rows, starts) = bucket(ids, groups: table.count)
            let lookup = WordLookup(table)
            groupOfLeft = Parallel.array(nl) { l in (left.present?[l] ?? true) ? lookup.group(left.words[l]) : -1 }
        } else {
            groupOfLeft = (0..<nl).map { l -> Int32 in (left.present?[l] ?? true) ? Int32(table.id(left.words[l])) : -1 }
            let lookup = WordLookup(table)
            let rightIds = Parallel.array(nr) { r -> Int in (right.present?[r] ?? true) ? Int(lookup.group(right.words[r])) : -1 }
            (rows, starts) = bucket(rightIds, groups: table.count)
        }
        // Pass 1: output rows per chunk; pass 2: each chunk fills its own slice.
        let ranges = Parallel.chunks(nl)
        let emitted = groupOfLeft.withUnsafeBufferPointer { g in
            Parallel.map(ranges.count) { c -> (count: Int, identity: Bool) in
                var count = 0, identity = true
                for l in ranges[c] {
                    let m = g[l] >= 0 ? starts[Int(g[l]) + 1] - starts[Int(g[l])] : 0
                    let e = m > 0 ? m : (keepUnmatched ? 1 : 0)
                    count += e
                    identity = identity && e == 1
                }
                return (count, identity)
            }
        }
        var offsets = [0]
        for e in emitted { offsets.append(offsets.last! + e.count) }
        let total = offsets.last!
        let identity = emitted.allSatisfy(\.identity) && total == nl
        // An identity left side is not written out.
        var outLeft = [Int](repeating: 0, count: identity ? 0 : total), outRight = [Int](repeating: 0, count: total)
        groupOfLeft.withUnsafeBufferPointer { g in
            outLeft.withUnsafeMutableBufferPointer { ol in
                outRight.withUnsafeMutableBufferPointer { orr in
                    guard total > 0 else { return }
                    let lp = SharedPointer(ol.baseAddress ?? orr.baseAddress!), rp = SharedPointer(orr.baseAddress!)
                    // Chunk c writes only outputs offsets[c]..<offsets[c + 1].
                    Parallel.forEach(ranges.count) { c in
                        var at = offsets[c]
                        for l in ranges[c] {
                            let group = Int(g[l])
                            if group >= 0 && starts[group] < starts[group + 1] {
                                for j in starts[group]..<starts[group + 1] {
                                    if !identity { lp[at] = l }
                                    rp[at] = rows[j]
                                    at += 1
                                }
                            } else if keepUnmatched {
                                if !identity { lp[at] = l }
                                rp[at] = -1
                                at += 1
                            }
                        }
                    }
                }
            }
        }
        return Pairs(left: outLeft, right: outRight, leftIsIdentity: identity)
    }

    /// Rows grouped by id (a counting sort, stable): rows[starts[g]..<starts[g + 1]] have id g;
    /// rows with id -1 are left out.
    private static func bucket(_ ids: [Int], groups: Int) -> (rows: [Int], starts: [Int]) {
        var starts = [Int](repeating: 0, count: groups + 1)
        for id in ids where id >= 0 { starts[id + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var next = starts
        var rows = [Int](repeating: 0, count: starts[groups])
        for (row, id) in ids.enumerated() where id >= 0 {
            rows[next[id]] = row
            next[id] += 1
        }
        return (rows, starts)
    }
}

/// Finds the group of a key word: an array indexed by word - min when the built keys' range is
/// small (integer ids, string codes, folded ids; the group-by's `RowGroups.directLimit`), the
/// hash table otherwise.
struct WordLookup {
    private let table: KeyTable
    private let direct: ColumnBuffer<Int32>?
    private let lo: Int64

    init(_ table: KeyTable) {
        self.table = table
        let keys = table.keys.map { Int64(bitPattern: $0) }
        if let lo = keys.min(), let hi = keys.max(), let width = IntegerRange.width(lo, hi),
           width < RowGroups.directLimit(rows: keys.count) {
            self.lo = lo
            direct = ColumnBuffer(count: width + 1) { d in
                d.initialize(repeating: -1)
                for (id, key) in keys.enumerated() { d[Int(key &- lo)] = Int32(id) }
            }
        } else {
            lo = 0
            direct = nil
        }
    }

    /// The group of `word`, or -1.
    @inline(__always)
    func group(_ word: UInt64) -> Int32 {
        if let direct {
            let d = UInt64(bitPattern: Int64(bitPattern: word) &- lo)
            return d < UInt64(direct.count) ? direct.storage.base[Int(d)] : -1
        }
        return table.find(word).map { Int32($0) } ?? -1
    }
}
