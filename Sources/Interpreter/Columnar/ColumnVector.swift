// ColumnVector: the value of an expression evaluated over every row of a frame — a whole
// column of integers, floats, booleans or strings (each with the rows that are null), or one
// scalar that stands for every row. Filters and derived columns are computed with these.

import Frame

/// Values of an expression over all rows.
package enum ColumnVector {
    case int([Int64], nulls: Bitmap?)
    case double([Double], nulls: Bitmap?)
    case bool([Bool], nulls: Bitmap?)
    /// Dictionary codes and the dictionary, as string columns store them.
    case string(codes: [UInt32], dictionary: [String], nulls: Bitmap?)
    /// One value for every row; `.none` is null.
    case scalar(Value)

    /// A vector holding `column`'s values. `nulls` marks null rows (set bit = null).
    package init(_ column: Column) {
        let nulls = column.validity.map { $0.inverted }
        switch column.data {
        case .int8, .int16, .int32, .int64: self = .int(column.int64Values()!, nulls: nulls)
        case .float64(let b): self = .double(b.array, nulls: nulls)
        case .bool(let b): self = .bool(b.array, nulls: nulls)
        case .string(let codes, let dictionary): self = .string(codes: codes.array, dictionary: dictionary.values, nulls: nulls)
        }
    }

    /// Null rows (set bit = null), or nil when no row is null.
    package var nulls: Bitmap? {
        switch self {
        case .int(_, let n), .double(_, let n), .bool(_, let n), .string(_, _, let n): n
        case .scalar: nil
        }
    }

    /// What users call the type, for messages.
    package var typeName: String {
        switch self {
        case .int: "integers"
        case .double: "numbers"
        case .bool: "booleans"
        case .string: "text"
        case .scalar(let v): v.typeName
        }
    }

    /// The vector as a column named `name`, with `rowCount` rows (scalars are repeated).
    package func column(named name: String, rowCount: Int) -> Column {
        func validity(_ nulls: Bitmap?) -> Bitmap? { nulls?.inverted }
        switch self {
        case .int(let values, let nulls): return .integers(name, values, validity: validity(nulls))
        case .double(let values, let nulls): return .doubles(name, values, validity: validity(nulls))
        case .bool(let values, let nulls): return .bools(name, values, validity: validity(nulls))
        case .string(let codes, let dictionary, let nulls):
            return Column(name: name, data: .string(codes: ColumnBuffer(codes), dictionary: StringDictionary(dictionary)),
                          validity: validity(nulls))
        case .scalar(let v):
            switch v {
            case .int(let x): return .integers(name, [Int64](repeating: x, count: rowCount))
            case .double(let x): return .doubles(name, [Double](repeating: x, count: rowCount))
            case .bool(let x): return .bools(name, [Bool](repeating: x, count: rowCount))
            case .string(let s):
                return Column(name: name, data: .string(codes: ColumnBuffer(repeating: 0, count: rowCount),
                                                        dictionary: StringDictionary([s])))
            default:
                return .integers(name, [Int64](repeating: 0, count: rowCount),
                                 validity: Bitmap(count: rowCount, allSet: false))
            }
        }
    }
}

extension Bitmap {
    /// Every bit flipped (validity to nulls and back); bits past `count` stay clear.
    var inverted: Bitmap {
        var words = self.words.map { ~$0 }
        if count % 64 != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(count % 64)) - 1 }
        return Bitmap(words: words, count: count)
    }

    /// Rows null in either operand (set bit = null); nil when neither has nulls.
    static func union(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        guard let a else { return b }
        guard let b else { return a }
        return Bitmap(words: zip(a.words, b.words).map { $0 | $1 }, count: a.count)
    }
}
