// CategoryLevels: the distinct values of a categorical column seen in training, numbered
// densely (integers in order of first appearance, through the frame's group kernels; text by
// its value), so any frame's column maps to level numbers with -1 for a value never seen.
// A pair of columns is a category per combination: its levels are the distinct pairs of the
// two columns' level numbers.

import Frame

/// The levels of a categorical column, or of a pair of columns.
package struct CategoryLevels: Sendable {
    private enum Levels: Sendable {
        case integers(IDMap)
        case text([String: Int32])
    }

    private let parts: [Levels]
    /// For a pair: the levels of (first level * second count + second level).
    private let pairs: IDMap?
    /// Levels in all.
    package let count: Int
    /// How each level reads, for `show m`: the value, or `a*b`.
    package let labels: [String]

    /// Learns the levels of `columns` (one or two) and returns the level of each row.
    package static func fit(_ columns: [Column]) throws(LearnError) -> (CategoryLevels, [Int32]) {
        var parts: [Levels] = []
        var codes: [[Int32]] = []
        var labels: [[String]] = []
        for c in columns {
            guard c.nullCount == 0 else { throw .missingValues(column: c.name, role: nil, count: c.nullCount) }
            if case .string(let rowCodes, let dictionary) = c.data {
                // Text: the dictionary's values are the levels, numbered by first appearance.
                var table: [String: Int32] = [:]
                var byCode = [Int32](repeating: -1, count: dictionary.values.count)
                var names: [String] = []
                let rows = rowCodes.array.map { code -> Int32 in
                    if byCode[Int(code)] < 0 {
                        let text = dictionary.values[Int(code)]
                        if let known = table[text] { byCode[Int(code)] = known } else {
                            byCode[Int(code)] = Int32(table.count)
                            table[text] = Int32(table.count)
                            names.append(text)
                        }
                    }
                    return byCode[Int(code)]
                }
                parts.append(.text(table))
                codes.append(rows)
                labels.append(names)
            } else {
                guard let dense = c.denseCodes() else {
                    throw .invalidParameter(name: "features", reason: "'\(c.name)' holds real numbers; categories need integer or text codes")
                }
                parts.append(.integers(IDMap(rawIDs: dense.values)))
                codes.append(dense.codes)
                labels.append(dense.values.map(String.init))
            }
        }
        if columns.count == 1 {
            return (CategoryLevels(parts: parts, pairs: nil, count: labels[0].count, labels: labels[0]), codes[0])
        }
        let second = Int64(labels[1].count)
        let keys = Column.integers("pair", Parallel.array(codes[0].count) { Int64(codes[0][$0]) * second + Int64(codes[1][$0]) })
        let dense = keys.denseCodes()!
        let pairLabels = dense.values.map { "\(labels[0][Int($0 / second)])*\(labels[1][Int($0 % second)])" }
        return (CategoryLevels(parts: parts, pairs: IDMap(rawIDs: dense.values), count: dense.values.count, labels: pairLabels),
                dense.codes)
    }

    /// The level of each row of `columns` (the same names as in training), -1 for a value or
    /// pair never seen in training.
    package func levels(of columns: [Column]) throws(LearnError) -> [Int32] {
        var codes: [[Int32]] = []
        for (c, part) in zip(columns, parts) {
            switch part {
            case .integers(let map):
                guard c.type.isInteger || c.type == .bool, let mapped = map.indices(of: c) else {
                    throw .nonNumeric(column: c.name, role: nil, type: c.type.rawValue)
                }
                guard c.nullCount == 0 else { throw .missingValues(column: c.name, role: nil, count: c.nullCount) }
                codes.append(mapped)
            case .text(let table):
                guard case .string(let rowCodes, let dictionary) = c.data else {
                    throw .invalidParameter(name: "features", reason: "'\(c.name)' was text in training but is \(c.type.rawValue) here")
                }
                guard c.nullCount == 0 else { throw .missingValues(column: c.name, role: nil, count: c.nullCount) }
                let byCode = dictionary.values.map { table[$0] ?? -1 }
                codes.append(rowCodes.array.map { byCode[Int($0)] })
            }
        }
        guard let pairs else { return codes[0] }
        let second = Int64(parts.count == 2 ? secondCount : 0)
        let (a, b) = (codes[0], codes[1])
        let keys = Parallel.array(a.count) { (a[$0] < 0 || b[$0] < 0) ? Int64(-1) : Int64(a[$0]) * second + Int64(b[$0]) }
        return pairs.indices(of: .integers("pair", keys)) ?? []
    }

    private var secondCount: Int {
        switch parts[1] {
        case .integers(let map): map.count
        case .text(let table): table.count
        }
    }

    private init(parts: [Levels], pairs: IDMap?, count: Int, labels: [String]) {
        self.parts = parts
        self.pairs = pairs
        self.count = count
        self.labels = labels
    }

    /// Distinct non-null values of a column (for choosing an encoding).
    package static func distinctCount(_ c: Column) -> Int {
        if case .string(let codes, let dictionary) = c.data {
            var seen = [Bool](repeating: false, count: dictionary.values.count)
            var n = 0
            for code in codes.array where !seen[Int(code)] { seen[Int(code)] = true; n += 1 }
            return Set(dictionary.values.indices.filter { seen[$0] }.map { dictionary.values[$0] }).count
        }
        if c.type == .float64 { return Set(c.doubleValues() ?? []).count }
        if c.nullCount > 0 {
            return Set((0..<c.count).compactMap { c.isNull($0) ? nil : c[$0] }).count
        }
        return c.denseCodes()?.values.count ?? 0
    }
}
