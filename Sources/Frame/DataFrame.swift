// DataFrame: an ordered set of equally long, uniquely named columns.
//
// Frames are values. Selecting columns shares their storage; slicing rows shares storage too;
// only gathers (filters, samples, splits) copy, and only the columns they produce.

/// An error in the use of a frame: a missing column, a wrong type, a length mismatch.
package enum FrameError: Error, Equatable, Sendable {
    /// `name` is not a column; `available` lists the frame's columns.
    case unknownColumn(name: String, available: [String])
    /// Column `name` has type `actual` where `expected` was needed.
    case wrongType(column: String, expected: String, actual: DataType)
    case duplicateColumn(String)
    case lengthMismatch(column: String, expected: Int, actual: Int)
    /// An argument out of its domain; the message names it and says what is allowed.
    case invalidArgument(String)
}

extension FrameError: CustomStringConvertible {
    /// The error as a lowercase message that names the offending thing.
    package var description: String {
        switch self {
        case .unknownColumn(let name, let available):
            "column '\(name)' not found (columns: \(available.joined(separator: ", ")))"
        case .wrongType(let column, let expected, let actual):
            "column '\(column)' is \(actual.rawValue); \(expected) is needed"
        case .duplicateColumn(let name):
            "column '\(name)' appears twice; rename one"
        case .lengthMismatch(let column, let expected, let actual):
            "column '\(column)' has \(actual) rows where \(expected) are needed"
        case .invalidArgument(let message):
            message
        }
    }
}

/// A table of typed columns.
package struct DataFrame: Sendable {
    package private(set) var columns: [Column]
    package let rowCount: Int
    /// Roles of columns (user, item, label, time); carried over to frames derived from this one.
    package var schema = Schema()

    /// A frame of `columns`, which must be equally long and uniquely named.
    package init(_ columns: [Column]) throws(FrameError) {
        let rows = columns.first?.count ?? 0
        var seen = Set<String>()
        for column in columns {
            guard seen.insert(column.name).inserted else { throw .duplicateColumn(column.name) }
            guard column.count == rows else {
                throw .lengthMismatch(column: column.name, expected: rows, actual: column.count)
            }
        }
        self.columns = columns
        self.rowCount = rows
    }

    /// A frame with no columns and no rows.
    package init() {
        columns = []
        rowCount = 0
    }

    package var columnCount: Int { columns.count }
    package var columnNames: [String] { columns.map(\.name) }

    /// The position of column `name`, if present.
    package func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Column `name`, or an error naming the available columns.
    package func column(_ name: String) throws(FrameError) -> Column {
        guard let i = index(of: name) else { throw .unknownColumn(name: name, available: columnNames) }
        return columns[i]
    }

    package subscript(name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The columns `names`, in that order, sharing storage.
    package func selecting(_ names: [String]) throws(FrameError) -> DataFrame {
        var out: [Column] = []
        for name in names { out.append(try column(name)) }
        var frame = try DataFrame(out)
        frame.schema = schema.restricted(to: names)
        return frame
    }

    /// All columns but `names`.
    package func dropping(_ names: [String]) throws(FrameError) -> DataFrame {
        for name in names where index(of: name) == nil {
            throw .unknownColumn(name: name, available: columnNames)
        }
        let drop = Set(names)
        var frame = try DataFrame(columns.filter { !drop.contains($0.name) })
        frame.schema = schema.restricted(to: frame.columnNames)
        return frame
    }

    /// Rows `range` (clamped to the frame), sharing storage.
    package func slice(_ range: Range<Int>) -> DataFrame {
        let r = Swift.max(0, range.lowerBound)..<Swift.min(rowCount, Swift.max(range.upperBound, 0))
        let clamped = r.lowerBound <= r.upperBound ? r : r.lowerBound..<r.lowerBound
        return DataFrame(unchecked: columns.map { $0.slice(clamped) }, rowCount: clamped.count, schema: schema)
    }

    /// The first `n` rows.
    package func head(_ n: Int) -> DataFrame { slice(0..<Swift.min(n, rowCount)) }

    /// The last `n` rows.
    package func tail(_ n: Int) -> DataFrame { slice(Swift.max(0, rowCount - n)..<rowCount) }

    /// Rows at `indices`, in that order.
    package func gather(_ indices: [Int]) -> DataFrame {
        indices.withUnsafeBufferPointer { idx in
            DataFrame(unchecked: columns.map { $0.gatherParallel(idx) }, rowCount: indices.count, schema: schema)
        }
    }

    /// This frame with `column` added, or replacing the column of the same name.
    package func with(_ column: Column) throws(FrameError) -> DataFrame {
        guard column.count == rowCount || columns.isEmpty else {
            throw .lengthMismatch(column: column.name, expected: rowCount, actual: column.count)
        }
        var out = columns
        if let i = index(of: column.name) { out[i] = column } else { out.append(column) }
        var frame = try DataFrame(out)
        frame.schema = schema
        return frame
    }

    /// Builds a frame without checking invariants the caller guarantees.
    package init(unchecked columns: [Column], rowCount: Int, schema: Schema = Schema()) {
        self.columns = columns
        self.rowCount = rowCount
        self.schema = schema
    }
}
