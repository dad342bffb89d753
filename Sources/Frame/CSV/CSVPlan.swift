// CSVPlan: what to read, decided from the first record and the options before any data is
// parsed: every field's name, which fields to keep and in what order, forced types.
//
// Names: the header's (after unquoting), replaced by `options.names` when given; a header
// without names gets `column_N`. Empty header names become `column_N` and repeated names get
// `_2`, `_3`... so a frame's names stay unique, like pandas' mangling; `options.names` must be
// unique (it is the caller's choice). Both readers build the same plan through this type.

/// The resolved schema of one read.
struct CSVPlan: Sendable {
    /// Name of every field of a record, in file order.
    let names: [String]
    /// Field indices to output, in output order.
    let selected: [Int]
    /// `selected`, sorted: the order in which cells are parsed (row-major error order).
    let parseOrder: [Int]
    /// Forced type of each field (nil: inferred).
    let forced: [DataType?]

    var fieldCount: Int { names.count }

    /// Plans a read of records of `fieldCount` fields, the first of which (the header) named them
    /// `headerNames` (nil without header).
    init(headerNames: [String]?, fieldCount: Int, options: CSVOptions, file: String) throws(CSVError) {
        var names: [String]
        if let given = options.names {
            guard given.count == fieldCount else {
                let source = headerNames == nil ? "the first record has" : "the header has"
                throw CSVError(kind: .badOption, file: file,
                               message: "\(given.count) names given but \(source) \(fieldCount) fields; give one name per field")
            }
            var seen = Set<String>()
            for name in given where !seen.insert(name).inserted {
                throw CSVError(kind: .badOption, file: file, message: "name '\(name)' given twice in names")
            }
            names = given
        } else if let headerNames {
            names = Self.uniqued(headerNames)
        } else {
            names = (1...max(fieldCount, 1)).prefix(fieldCount).map { "column_\($0)" }
        }
        self.names = names

        var selected = Array(0..<fieldCount)
        if let wanted = options.columns {
            var seen = Set<String>()
            selected = []
            for name in wanted {
                guard seen.insert(name).inserted else {
                    throw CSVError(kind: .badOption, file: file, message: "column '\(name)' listed twice in columns")
                }
                guard let i = names.firstIndex(of: name) else {
                    throw Self.unknownColumn(name, names: names, file: file, context: "columns")
                }
                selected.append(i)
            }
        }
        self.selected = selected
        self.parseOrder = selected.sorted()

        var forced = [DataType?](repeating: nil, count: fieldCount)
        for (name, type) in options.types.sorted(by: { $0.key < $1.key }) {
            guard let i = names.firstIndex(of: name) else {
                throw Self.unknownColumn(name, names: names, file: file, context: "types")
            }
            forced[i] = type
        }
        self.forced = forced
    }

    /// Header names made non-empty and unique.
    static func uniqued(_ raw: [String]) -> [String] {
        var used = Set<String>()
        var out: [String] = []
        for (i, name) in raw.enumerated() {
            let base = name.isEmpty ? "column_\(i + 1)" : name
            var candidate = base
            var k = 2
            while used.contains(candidate) {
                candidate = "\(base)_\(k)"
                k += 1
            }
            used.insert(candidate)
            out.append(candidate)
        }
        return out
    }

    /// An unknown-column error with a did-you-mean suggestion and the available names.
    static func unknownColumn(_ name: String, names: [String], file: String, context: String) -> CSVError {
        var message = "unknown column '\(name)' in \(context)"
        if let best = names.min(by: { editDistance($0, name) < editDistance($1, name) }),
           editDistance(best, name) <= max(2, name.count / 3) {
            message += "; did you mean '\(best)'?"
        }
        let shown = names.prefix(maxListedColumns).joined(separator: ", ")
        message += " (columns: \(shown)\(names.count > maxListedColumns ? ", ..." : ""))"
        return CSVError(kind: .unknownColumn, file: file, message: message)
    }

    /// Columns listed in an unknown-column message; wider files are cut with "...".
    static let maxListedColumns = 20

    /// Levenshtein distance between two names, over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}

extension CSVError {
    /// The message of a record with the wrong number of fields.
    static func raggedMessage(expected: Int, found: Int) -> String {
        "expected \(expected) field\(expected == 1 ? "" : "s"), found \(found)"
    }

    static let unterminatedQuoteMessage =
        "unterminated quoted field: the quote opened here is never closed; close it or escape it as \"\""

    /// The message of a cell that is not UTF-8, naming the offending byte.
    static func invalidUTF8Message(byte: UInt8, at offset: Int) -> String {
        let hex = String(byte, radix: 16)
        return "invalid utf-8 in cell (byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(offset)); re-encode the file as utf-8"
    }

    /// Cell text shown in messages is cut to this many characters.
    static let maxQuotedCellLength = 40

    /// The message of a cell that does not read as the forced type.
    static func badValueMessage(_ text: String, type: DataType, outOfRange: Bool) -> String {
        let shown = text.count > maxQuotedCellLength ? String(text.prefix(maxQuotedCellLength)) + "..." : text
        if outOfRange { return "value \(shown) is out of range for \(type.rawValue)" }
        return "cannot read '\(shown)' as \(type.rawValue)"
    }

    static let cancelledMessage = "reading was cancelled"
}

extension CSVOptions {
    /// Checks the options that do not depend on the file.
    func validate(file: String) throws(CSVError) {
        if let d = delimiter {
            if d == CSVScanner.quote || d == CSVScanner.newline || d == CSVScanner.carriageReturn || d >= 0x80 {
                throw CSVError(kind: .badOption, file: file,
                               message: "delimiter byte 0x\(String(d, radix: 16)) cannot separate fields; use an ascii byte other than quote, cr or lf")
            }
        }
        if let m = maxRows, m < 0 {
            throw CSVError(kind: .badOption, file: file, message: "maxRows must be 0 or more, not \(m)")
        }
        if let c = chunkSize, c < 1 {
            throw CSVError(kind: .badOption, file: file, message: "chunkSize must be at least 1 byte, not \(c)")
        }
    }
}
