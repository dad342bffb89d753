// ReferenceCSVReader: a deliberately simple, single-threaded reader with the same semantics as
// CSVReader, used as the oracle in tests (rust-csv's "two engines" idea).
//
// It reads the whole input into an array, splits it into records of decoded fields one byte at
// a time, infers each column's type from Swift strings (Int64(_:), a regex and Double(_:) for
// floats), and builds columns with the plain `Column` constructors. Nothing is shared with the
// fast path but file opening, delimiter sniffing and the plan (names, selection, messages).
// Quadratic corners (line numbers, UTF-8 error offsets) are fine here: inputs are small.

/// The simple, obviously correct CSV reader the fast one is tested against.
package enum ReferenceCSVReader {
    /// Reads the CSV (or gzip-compressed CSV) file at `path`.
    package static func read(path: String, options: CSVOptions = .init()) throws(CSVError) -> (DataFrame, CSVReport) {
        try options.validate(file: path)
        let source = try CSVSource.open(path: path)
        return try read(all: Array(source.bytes), name: path, options: options)
    }

    /// Reads CSV (or gzip) bytes held in memory; `name` is used in messages.
    package static func read(bytes: [UInt8], name: String, options: CSVOptions = .init()) throws(CSVError) -> (DataFrame, CSVReport) {
        try options.validate(file: name)
        let inflated: [UInt8] = try bytes.withUnsafeBufferPointer { b throws(CSVError) -> [UInt8] in
            guard GzipDecoder.isGzip(b) else { return bytes }
            let (p, n) = try GzipDecoder.inflate(b, name: name)
            defer { p.deallocate() }
            return Array(UnsafeBufferPointer(start: p, count: n))
        }
        return try read(all: inflated, name: name, options: options)
    }

    private struct Field {
        var bytes: [UInt8]
        var quoted: Bool
        var offset: Int
    }

    private struct Record {
        var offset: Int
        var fields: [Field]
    }

    private static func read(all bytes: [UInt8], name: String, options: CSVOptions) throws(CSVError) -> (DataFrame, CSVReport) {
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let delimiter = options.delimiter ?? bytes.withUnsafeBufferPointer {
            CSVSniffer.sniff(UnsafeBufferPointer(rebasing: $0[bom...]))
        }
        func line(_ offset: Int) -> Int { 1 + bytes[..<offset].filter { $0 == 10 }.count }

        // Records, one byte at a time.
        var records: [Record] = []
        var unterminated: CSVError? = nil
        var unterminatedField = 0
        // Records to read: the header (or, without one, the first record, which gives the field
        // count) and `maxRows` data records.
        let wanted = options.maxRows.map { max(1, $0 + (options.hasHeader ? 1 : 0)) }
        var endOffset = bytes.count
        var i = bom
        while i < bytes.count {
            if let wanted, records.count >= wanted { endOffset = i; break }
            let recordStart = i
            var fields: [Field] = []
            var field: [UInt8] = []
            var fieldStart = i
            var quoted = false
            var inQuotes = false
            var blank = false
            while true {
                if i == bytes.count {
                    if inQuotes {
                        unterminated = CSVError(kind: .unterminatedQuote, file: name, line: line(fieldStart),
                                                column: fields.count + 1, message: CSVError.unterminatedQuoteMessage)
                        unterminatedField = fields.count
                    } else {
                        fields.append(Field(bytes: field, quoted: quoted, offset: fieldStart))
                    }
                    break
                }
                let b = bytes[i]
                if inQuotes {
                    if b == 34 {
                        if i + 1 < bytes.count && bytes[i + 1] == 34 {
                            field.append(34)
                            i += 2
                        } else {
                            inQuotes = false
                            i += 1
                        }
                    } else {
                        field.append(b)
                        i += 1
                    }
                    continue
                }
                if b == 34 && i == fieldStart {
                    quoted = true
                    inQuotes = true
                    i += 1
                    continue
                }
                if b == delimiter {
                    fields.append(Field(bytes: field, quoted: quoted, offset: fieldStart))
                    field = []
                    quoted = false
                    i += 1
                    fieldStart = i
                    continue
                }
                if b == 10 {
                    if fields.isEmpty && (i == recordStart || (i == recordStart + 1 && bytes[recordStart] == 13)) {
                        blank = true
                    } else {
                        if i > fieldStart && bytes[i - 1] == 13 { field.removeLast() }
                        fields.append(Field(bytes: field, quoted: quoted, offset: fieldStart))
                    }
                    i += 1
                    break
                }
                field.append(b)
                i += 1
            }
            if unterminated != nil { break }
            if !blank { records.append(Record(offset: recordStart, fields: fields)) }
        }

        guard let first = records.first else {
            if let unterminated { throw unterminated }
            throw CSVError(kind: .empty, file: name,
                           message: options.hasHeader ? "file is empty; expected a header line" : "file is empty")
        }
        var headerNames: [String]? = nil
        if options.hasHeader {
            var names: [String] = []
            for (k, f) in first.fields.enumerated() {
                guard let s = String(validating: f.bytes, as: UTF8.self) else {
                    let at = firstInvalidOffset(f.bytes)
                    throw CSVError(kind: .invalidUTF8, file: name, line: line(first.offset), column: k + 1,
                                   message: CSVError.invalidUTF8Message(byte: f.bytes[at], at: at)
                                       .replacingOccurrences(of: "in cell", with: "in header name"))
                }
                names.append(s)
            }
            headerNames = names
        }
        let plan = try CSVPlan(headerNames: headerNames, fieldCount: first.fields.count, options: options, file: name)
        if unterminatedField < plan.fieldCount { unterminated?.columnName = plan.names[unterminatedField] }
        var data = options.hasHeader ? Array(records.dropFirst()) : records
        if let maxRows = options.maxRows {
            data = Array(data.prefix(maxRows))
            if maxRows == 0 && !options.hasHeader { endOffset = first.offset }
        }

        var report = CSVReport()
        report.delimiter = delimiter
        report.bytesRead = endOffset
        var examples: [CSVError] = []
        func note(_ e: CSVError) { if examples.count < CSVChunkParser.maxExamples { examples.append(e) } }

        // Records with the right number of fields.
        let complete = data.filter { $0.fields.count == plan.fieldCount }

        // Inference.
        let nullTokens = Set(options.nullTokens.filter { !$0.isEmpty })
        func isNull(_ f: Field) -> Bool {
            !f.quoted && (f.bytes.isEmpty || nullTokens.contains(String(decoding: f.bytes, as: UTF8.self)))
        }
        var types: [DataType] = []
        for field in plan.selected {
            if let forced = plan.forced[field] { types.append(forced); continue }
            var kind = CSVPieceKind.null
            for r in complete {
                let f = r.fields[field]
                guard !isNull(f), let s = String(validating: f.bytes, as: UTF8.self) else { continue }
                kind = kind.joined(classify(s))
            }
            switch kind {
            case .null, .string: types.append(.string)
            case .int: types.append(.int64)
            case .float: types.append(.float64)
            case .bool: types.append(.bool)
            }
        }

        // Values, row by row so problems come in file order.
        var cells = [[Cell]](repeating: [], count: plan.selected.count)
        let order = plan.selected.indices.sorted { plan.selected[$0] < plan.selected[$1] }
        rows: for r in data {
            if r.fields.count != plan.fieldCount {
                let e = CSVError(kind: .raggedRow, file: name, line: line(r.offset),
                                 message: CSVError.raggedMessage(expected: plan.fieldCount, found: r.fields.count))
                if options.onError == .fail { throw e }
                report.skippedRows += 1
                note(e)
                continue
            }
            var row = [Cell](repeating: .null, count: plan.selected.count)
            for j in order {
                let field = plan.selected[j]
                let f = r.fields[field]
                if isNull(f) { continue }
                let problem: CSVError
                if let s = String(validating: f.bytes, as: UTF8.self) {
                    if let cell = convert(s, to: types[j]) { row[j] = cell; continue }
                    problem = CSVError(kind: .badValue, file: name, line: line(f.offset), column: field + 1,
                                       columnName: plan.names[field],
                                       message: CSVError.badValueMessage(s, type: types[j],
                                                                         outOfRange: types[j].isInteger && Int64(s) != nil))
                } else {
                    let at = firstInvalidOffset(f.bytes)
                    problem = CSVError(kind: .invalidUTF8, file: name, line: line(f.offset), column: field + 1,
                                       columnName: plan.names[field],
                                       message: CSVError.invalidUTF8Message(byte: f.bytes[at], at: at))
                }
                switch options.onError {
                case .fail: throw problem
                case .skip:
                    report.skippedRows += 1
                    note(problem)
                    continue rows
                case .null:
                    report.nulledCells += 1
                    note(problem)
                }
            }
            for j in row.indices { cells[j].append(row[j]) }
        }
        if let unterminated { throw unterminated }
        report.examples = examples

        var columns: [Column] = []
        for j in plan.selected.indices {
            columns.append(column(plan.names[plan.selected[j]], cells[j], type: types[j], forced: plan.forced[plan.selected[j]] != nil))
        }
        return (DataFrame(unchecked: columns, rowCount: cells.first?.count ?? 0), report)
    }

    private static func classify(_ s: String) -> CSVPieceKind {
        if Int64(s) != nil { return .int }
        if isFloat(s) { return .float }
        if ["true", "True", "TRUE", "false", "False", "FALSE"].contains(s) { return .bool }
        return .string
    }

    private static func isFloat(_ s: String) -> Bool {
        s.wholeMatch(of: /[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/) != nil
            || s.wholeMatch(of: /[+-]?(inf|infinity|nan)/.ignoresCase()) != nil
    }

    private static func convert(_ s: String, to type: DataType) -> Cell? {
        switch type {
        case .int8, .int16, .int32, .int64:
            guard let v = Int64(s) else { return nil }
            let fits: Bool = switch type {
            case .int8: Int8(exactly: v) != nil
            case .int16: Int16(exactly: v) != nil
            case .int32: Int32(exactly: v) != nil
            default: true
            }
            return fits ? .int(v) : nil
        case .float64:
            if let v = Int64(s) { return .double(Double(v)) }
            guard isFloat(s) else { return nil }
            let lower = s.lowercased()
            if lower.hasSuffix("nan") { return .double(.nan) }
            if lower.hasSuffix("inf") || lower.hasSuffix("infinity") {
                return .double(s.hasPrefix("-") ? -.infinity : .infinity)
            }
            return Double(s).map(Cell.double)
        case .bool:
            // 1 and 0 only reach here for a forced bool: inferred, they make an integer column.
            if ["true", "True", "TRUE", "1"].contains(s) { return .bool(true) }
            if ["false", "False", "FALSE", "0"].contains(s) { return .bool(false) }
            return nil
        case .string:
            return .string(s)
        }
    }

    private static func column(_ name: String, _ cells: [Cell], type: DataType, forced: Bool) -> Column {
        let validity = Bitmap(cells.map { $0 != .null })
        switch type {
        case .int8, .int16, .int32, .int64:
            let values = cells.map { if case .int(let v) = $0 { v } else { Int64(0) } }
            if forced { return Column(name: name, data: .narrowed(values, type: type), validity: validity) }
            return Column.integers(name, values, validity: validity)
        case .float64:
            return Column.doubles(name, cells.map { if case .double(let v) = $0 { v } else { 0 } }, validity: validity)
        case .bool:
            return Column.bools(name, cells.map { $0 == .bool(true) }, validity: validity)
        case .string:
            return Column.strings(name, cells.map { if case .string(let s) = $0 { s } else { nil } })
        }
    }

    /// Length of the longest prefix of `bytes` that is valid UTF-8: where the first bad sequence starts.
    private static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var k = bytes.count
        while k > 0 && String(validating: bytes[..<k], as: UTF8.self) == nil { k -= 1 }
        return k
    }
}

import Foundation
