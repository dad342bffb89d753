// Column: a named, typed, contiguous array of values with an optional validity bitmap.
//
// Integers are stored in the narrowest signed width that holds every value of the column;
// strings are dictionary-encoded (a code a row, each distinct string stored once).

/// The logical type of a column, as users see it.
package enum DataType: String, Sendable, CaseIterable {
    case int8, int16, int32, int64, float64, bool, string

    /// True for the integer types.
    package var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: true
        default: false
        }
    }

    /// True for types that `describe` summarises with means and quantiles.
    package var isNumeric: Bool { isInteger || self == .float64 || self == .bool }

    /// The narrowest integer type holding every value in `min...max`.
    package static func narrowestInteger(min: Int64, max: Int64) -> DataType {
        if min >= Int64(Int8.min) && max <= Int64(Int8.max) { return .int8 }
        if min >= Int64(Int16.min) && max <= Int64(Int16.max) { return .int16 }
        if min >= Int64(Int32.min) && max <= Int64(Int32.max) { return .int32 }
        return .int64
    }
}

/// Unique strings of a dictionary-encoded column; a row stores an index into `values`.
package final class StringDictionary: Sendable {
    package let values: [String]
    package init(_ values: [String]) { self.values = values }
}

/// Physical storage of a column.
package enum ColumnData: Sendable {
    case int8(ColumnBuffer<Int8>)
    case int16(ColumnBuffer<Int16>)
    case int32(ColumnBuffer<Int32>)
    case int64(ColumnBuffer<Int64>)
    case float64(ColumnBuffer<Double>)
    case bool(ColumnBuffer<Bool>)
    case string(codes: ColumnBuffer<UInt32>, dictionary: StringDictionary)

    package var count: Int {
        switch self {
        case .int8(let b): b.count
        case .int16(let b): b.count
        case .int32(let b): b.count
        case .int64(let b): b.count
        case .float64(let b): b.count
        case .bool(let b): b.count
        case .string(let codes, _): codes.count
        }
    }

    package var type: DataType {
        switch self {
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        }
    }

    /// Rows `range`, sharing storage.
    package func slice(_ range: Range<Int>) -> ColumnData {
        switch self {
        case .int8(let b): .int8(b.slice(range))
        case .int16(let b): .int16(b.slice(range))
        case .int32(let b): .int32(b.slice(range))
        case .int64(let b): .int64(b.slice(range))
        case .float64(let b): .float64(b.slice(range))
        case .bool(let b): .bool(b.slice(range))
        case .string(let codes, let dict): .string(codes: codes.slice(range), dictionary: dict)
        }
    }

    /// Rows at `indices`, copied.
    package func gather(_ indices: UnsafeBufferPointer<Int>) -> ColumnData {
        switch self {
        case .int8(let b): .int8(b.gather(indices))
        case .int16(let b): .int16(b.gather(indices))
        case .int32(let b): .int32(b.gather(indices))
        case .int64(let b): .int64(b.gather(indices))
        case .float64(let b): .float64(b.gather(indices))
        case .bool(let b): .bool(b.gather(indices))
        case .string(let codes, let dict): .string(codes: codes.gather(indices), dictionary: dict)
        }
    }
}

/// One value of a column, for display and for row-at-a-time code that is not hot.
package enum Cell: Sendable, Equatable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case string(String)

    /// The value as a Double, if it is numeric.
    package var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .bool(let v): v ? 1 : 0
        default: nil
        }
    }
}

/// A named column.
package struct Column: Sendable {
    package var name: String
    package let data: ColumnData
    /// Validity of each row; `nil` when the column has no nulls.
    package let validity: Bitmap?

    package init(name: String, data: ColumnData, validity: Bitmap? = nil) {
        if let validity { precondition(validity.count == data.count, "validity length mismatch") }
        self.name = name
        self.data = data
        // A bitmap with no clear bit carries no information.
        self.validity = (validity?.clearCount ?? 0) > 0 ? validity : nil
    }

    package var count: Int { data.count }
    package var type: DataType { data.type }
    package var nullCount: Int { validity?.clearCount ?? 0 }

    /// True when row `i` holds no value.
    package func isNull(_ i: Int) -> Bool { validity.map { !$0[i] } ?? false }

    /// The value at row `i`.
    package subscript(i: Int) -> Cell {
        if isNull(i) { return .null }
        switch data {
        case .int8(let b): return .int(Int64(b[i]))
        case .int16(let b): return .int(Int64(b[i]))
        case .int32(let b): return .int(Int64(b[i]))
        case .int64(let b): return .int(b[i])
        case .float64(let b): return .double(b[i])
        case .bool(let b): return .bool(b[i])
        case .string(let codes, let dict): return .string(dict.values[Int(codes[i])])
        }
    }

    /// The value at row `i` as a Double (NaN for nulls and strings).
    package func double(at i: Int) -> Double {
        if isNull(i) { return .nan }
        switch data {
        case .int8(let b): return Double(b[i])
        case .int16(let b): return Double(b[i])
        case .int32(let b): return Double(b[i])
        case .int64(let b): return Double(b[i])
        case .float64(let b): return b[i]
        case .bool(let b): return b[i] ? 1 : 0
        case .string: return .nan
        }
    }

    /// Rows `range`, sharing storage.
    package func slice(_ range: Range<Int>) -> Column {
        Column(name: name, data: data.slice(range), validity: validity?.slice(range))
    }

    /// Rows at `indices`, copied.
    package func gather(_ indices: UnsafeBufferPointer<Int>) -> Column {
        Column(name: name, data: data.gather(indices), validity: validity?.gather(indices))
    }

    /// A copy of this column under another name, sharing storage.
    package func renamed(_ newName: String) -> Column {
        var copy = self
        copy.name = newName
        return copy
    }
}
