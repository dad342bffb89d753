// CSVPrelude: everything the fast reader settles before the data: byte-order mark, delimiter,
// the first record (header or first data record), the plan, and where the data starts and
// (with `maxRows`) ends.

/// The start of a read: where the data is and what to make of it.
struct CSVPrelude {
    let delimiter: UInt8
    let plan: CSVPlan
    /// Offset of the first data byte (after the header), and its physical line.
    let dataStart: Int
    let dataLine: Int
    /// Offset where reading stops: the input's end, or just after the `maxRows`-th record.
    let end: Int

    init(source: CSVSource, options: CSVOptions) throws(CSVError) {
        let name = source.name
        let bytes = source.bytes
        let bom = CSVSniffer.byteOrderMarkLength(bytes)
        delimiter = options.delimiter ?? CSVSniffer.sniff(UnsafeBufferPointer(rebasing: bytes[bom...]))
        let scanner = CSVScanner(base: source.base, end: source.count, delimiter: delimiter)
        guard let first = scanner.record(at: bom) else {
            throw CSVError(kind: .empty, file: name,
                           message: options.hasHeader ? "file is empty; expected a header line" : "file is empty")
        }
        if let quote = first.unterminatedQuoteAt {
            throw CSVError(kind: .unterminatedQuote, file: name, line: 1 + scanner.countNewlines(0..<quote),
                           column: first.fields.count + 1, message: CSVError.unterminatedQuoteMessage)
        }
        var headerNames: [String]? = nil
        var dataStart = first.start
        if options.hasHeader {
            let line = 1 + scanner.countNewlines(0..<first.start)
            var names: [String] = []
            for (k, span) in first.fields.enumerated() {
                names.append(try Self.headerName(source.base, span, file: name, line: line, field: k))
            }
            headerNames = names
            dataStart = first.next
        }
        plan = try CSVPlan(headerNames: headerNames, fieldCount: first.fields.count, options: options, file: name)
        self.dataStart = dataStart
        dataLine = 1 + scanner.countNewlines(0..<dataStart)
        end = options.maxRows.map { scanner.offsetAfterRecords($0, from: dataStart) } ?? source.count
    }

    /// A header cell as a name: unquoted and checked to be UTF-8.
    static func headerName(_ base: UnsafePointer<UInt8>, _ span: Range<Int>, file: String, line: Int, field: Int)
        throws(CSVError) -> String
    {
        var bytes = Array(UnsafeBufferPointer(start: base + span.lowerBound, count: span.count))
        if bytes.first == CSVScanner.quote {
            let n = bytes.count
            var out = [UInt8](repeating: 0, count: n)
            let m = bytes.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { CSVCellParser.unquote(b.baseAddress!, n, into: $0.baseAddress!) }
            }
            bytes = Array(out.prefix(m))
        }
        let bad: (Int, UInt8)? = bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return nil }
            return CSVCellParser.firstInvalidUTF8(p, b.count).map { ($0, b[$0]) }
        }
        if let (offset, byte) = bad {
            throw CSVError(kind: .invalidUTF8, file: file, line: line, column: field + 1,
                           message: CSVError.invalidUTF8Message(byte: byte, at: offset).replacingOccurrences(
                               of: "in cell", with: "in header name"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation
