// CSVIntegerChunkParser: the fused fast path of the reader, for chunks whose cells are all
// integers or empty. One pass over the bytes finds the field ends and reads each field's value
// into column slots at once, with no offset arrays in between. Anything unexpected (a quote, a
// letter, a wrong field count, an overflow, a chunk entered inside quotes) returns nil, and the
// reader parses the chunk with the general two-stage path (CSVIndexer + CSVChunkParser) instead,
// so results, messages and counts are always the general path's.
//
// Blocks: from the chunk's first record on, the bytes are taken 64 at a time. `classify` gives
// the mask of structural bytes (delimiter or '\n'), the number of '\n' bytes, and whether the
// block is clean: digits and structural bytes only. The structural bits are walked in order
// (trailing-zero count); each ends the field [fieldStart, pos).
//  - A clean block after a clean block (so a field of up to 16 bytes holds only digits): fields
//    are read unchecked, 1 to 8 digits from one word, 9 to 16 from two. Only a record's last
//    field checks that it ends at '\n'; at the end of the block its '\n' count must equal the
//    records and blank lines ended in it, which proves every other structural byte was a
//    delimiter.
//  - Any other block (signs, '\r', quotes, letters, or the block after one): each structural
//    byte's kind is checked and each field is read by CSVCellParser.parseInt, the grammar's own
//    integer reader; '\r' before '\n' is dropped and blank lines skipped, as in CSVIndexer.
//  - The last bytes, where a block or a word load would pass the end, go byte by byte through
//    the checked handler; a last record without '\n' ends at the end of input.
// Empty fields are null (slot 0). Fields over 16 bytes are read by parseInt.
//
// Word reading (`digits`): the little-endian word holds the first digit in its low byte; shifted
// left by 8 * (8 - n) bits it holds the n digits in its top bytes and zero bytes (leading zeros)
// below; masking with 0x0F gives digit values, and three multiply-shifts combine neighbouring
// digits into pairs, quads and the octet: v = 10 d0 + d1 per 16 bits, 100 p0 + p1 per 32 bits,
// 10^4 q0 + q1.
//
// Invariants:
// - Slots are column-major: field c of row r is at slots[c * stride + r]. stride bounds the rows
//   a chunk can own: every record starts before the chunk's end and spans at least fieldCount
//   bytes (fieldCount - 1 delimiters and a newline), also when the structure is wrong.
// - Nothing is allocated in the arenas before the chunk is known to succeed.
// - Integer pieces carry bounds that fit exactly the widths their values fit, not their extrema:
//   with m the OR over the column of u = v ^ (v >> 63) (v, or -v - 1 for a negative v), the
//   bounds are [~m, m]. A value fits 8, 16 or 32 bits iff its u is below 2^7, 2^15 or 2^31, and
//   an OR is below a power of two iff every term is, so the assembler picks the same width.

/// The fused parser of integer-only chunks.
struct CSVIntegerChunkParser {
    /// Bytes classified at once.
    static let blockSize = 64
    /// Bytes of one word load: the digits read at once, and how far a field read may load
    /// past the field's start.
    static let wordSize = 8
    /// Longest field read from words: two words of digits; longer ones go to parseInt.
    static let maxWordDigits = 16

    /// End of the records to read (the input's end or a `maxRows` cut).
    let end: Int
    let delimiter: UInt8
    let fieldCount: Int
    /// Field of each output column.
    let selected: [Int]
    /// Forced integer type of each output column (nil: inferred).
    let forced: [DataType?]

    /// The parser for a read, or nil when no chunk of it can take the fast path: a selected
    /// column forced to a non-integer type, a null token that reads as an integer (it would
    /// have to be matched before parsing), or a delimiter that could be part of a number.
    init?(end: Int, delimiter: UInt8, plan: CSVPlan, nulls: CSVNullTokens) {
        if nulls.looksInteger { return nil }
        if delimiter &- UInt8(ascii: "0") < 10 || delimiter == UInt8(ascii: "+") || delimiter == UInt8(ascii: "-") {
            return nil
        }
        var forced: [DataType?] = []
        for field in plan.selected {
            let type = plan.forced[field]
            if let type, !type.isInteger { return nil }
            forced.append(type)
        }
        self.end = end
        self.delimiter = delimiter
        self.fieldCount = plan.fieldCount
        self.selected = plan.selected
        self.forced = forced
    }

    /// True when the general path would read every output column in integer mode: the fused
    /// path yields only integer and null pieces.
    static func accepts(_ hints: [CSVPieceKind]) -> Bool {
        hints.allSatisfy { $0 == .null || $0 == .int }
    }

    /// Parses `chunk`, entered in `state`, into pieces in `arenas`; nil when the chunk needs the
    /// general path. The pieces are those the general path would make, up to integer bounds
    /// (see the file comment). The bytes are read from `bytes` (the whole input, or a copy of
    /// part of it starting at the chunk: a chunk whose last record runs past the copy is
    /// declined); offsets in and out are the input's.
    func parse(_ chunk: Range<Int>, state: CSVState, bytes: CSVByteWindow, scratch: CSVScratch,
               arenas: [CSVPieceArena]) -> (origin: Int, recordsEnd: Int, output: CSVChunkOutput)? {
        if state == .quoted || state == .quoteInQuoted { return nil }
        // Offsets relative to the window from here on.
        let lo = chunk.lowerBound - bytes.start, hi = chunk.upperBound - bytes.start
        guard lo >= 0, hi <= bytes.count else { return nil }
        let inputEnds = end <= bytes.start + bytes.count
        let recordsEnd = min(end, bytes.start + bytes.count) - bytes.start
        let scanner = CSVScanner(base: bytes.base, end: recordsEnd, delimiter: delimiter)
        let origin = scanner.firstRecordStart(in: lo..<hi, state: state)
        if origin >= hi { return nil }
        let stride = (hi - origin) / fieldCount + 1
        let slotCount = stride * fieldCount
        if scratch.slots.count < slotCount { scratch.slots = [UInt64](repeating: 0, count: slotCount) }
        return scratch.slots.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Int64.self)
            var walk = CSVIntegerWalk(base: bytes.base, delimiter: delimiter, fieldCount: fieldCount, recordsLimit: hi,
                                      slots: slots, stride: stride, origin: origin)
            guard walk.run(end: recordsEnd, limit: bytes.count, inputEnds: inputEnds), walk.row > 0,
                  walk.fieldStart - origin <= CSVIndexer.maxRecordSpan else { return nil }
            guard let output = pack(walk, arenas: arenas) else { return nil }
            return (origin + bytes.start, walk.fieldStart + bytes.start, output)
        }
    }

    /// The pieces of a finished walk, or nil when a value is out of its column's forced range.
    private func pack(_ walk: CSVIntegerWalk, arenas: [CSVPieceArena]) -> CSVChunkOutput? {
        let rows = walk.row
        var bounds: [Int64?] = []
        for (j, field) in selected.enumerated() {
            if walk.nullRows[field].count == rows { bounds.append(nil); continue }
            let column = walk.slots + field * walk.stride
            var m: UInt64 = 0
            for r in 0..<rows {
                let v = column[r]
                m |= UInt64(bitPattern: v ^ (v >> 63))
            }
            let bound = Int64(bitPattern: m)
            if let type = forced[j], DataType.narrowestInteger(min: ~bound, max: bound).byteWidth > type.byteWidth {
                return nil
            }
            bounds.append(bound)
        }
        var out = CSVChunkOutput()
        out.rows = rows
        out.pieces = selected.indices.map { j -> CSVPiece? in
            let field = selected[j]
            let nullRows = walk.nullRows[field]
            guard let bound = bounds[j] else { return CSVPiece(kind: .null, values: .null, nullRows: nullRows) }
            let column = walk.slots + field * walk.stride
            let width = DataType.narrowestInteger(min: ~bound, max: bound)
            func make<T: FixedWidthInteger>(_: T.Type) -> CSVRawPiece {
                let piece = arenas[j].allocate(T.self, count: rows)
                let target = piece.values(T.self).baseAddress!
                for r in 0..<rows { target[r] = T(truncatingIfNeeded: column[r]) }
                return piece
            }
            let raw: CSVRawPiece
            switch width {
            case .int8: raw = make(Int8.self)
            case .int16: raw = make(Int16.self)
            case .int32: raw = make(Int32.self)
            default: raw = make(Int64.self)
            }
            return CSVPiece(kind: .int, values: .int(raw, width: width, min: ~bound, max: bound), nullRows: nullRows)
        }
        return out
    }
}

extension DataType {
    /// Bytes per value of an integer type (8 for any other type).
    fileprivate var byteWidth: Int {
        switch self {
        case .int8: 1
        case .int16: 2
        case .int32: 4
        default: 8
        }
    }
}

/// The walk over one chunk's records: the position reached, the slots written, null rows.
struct CSVIntegerWalk {
    let base: UnsafePointer<UInt8>
    let delimiter: UInt8
    let fieldCount: Int
    /// Records starting at or after this offset belong to the next chunk.
    let recordsLimit: Int
    let slots: UnsafeMutablePointer<Int64>
    let stride: Int
    /// Start of the current field; at the end, just past the last record (or blank line) read.
    var fieldStart: Int
    /// Rows finished.
    var row = 0
    /// Field index in the current record, and its offset in the slots (column * stride).
    var column = 0
    var columnOffset = 0
    /// Rows whose cell is empty, by field.
    var nullRows: [[UInt32]]
    /// Set when the walk reached `recordsLimit` or the end of input.
    var done = false

    init(base: UnsafePointer<UInt8>, delimiter: UInt8, fieldCount: Int, recordsLimit: Int,
         slots: UnsafeMutablePointer<Int64>, stride: Int, origin: Int) {
        self.base = base
        self.delimiter = delimiter
        self.fieldCount = fieldCount
        self.recordsLimit = recordsLimit
        self.slots = slots
        self.stride = stride
        self.fieldStart = origin
        self.nullRows = [[UInt32]](repeating: [], count: fieldCount)
    }

    /// Walks the records from `fieldStart` (a record start) until one starts at or after
    /// `recordsLimit` or the bytes end at `end` (the end of input when `inputEnds`, else where
    /// the walk cannot go on); word loads stay below `limit`. False: the chunk needs the
    /// general path.
    mutating func run(end: Int, limit: Int, inputEnds: Bool = true) -> Bool {
        var b = fieldStart
        var previousClean = true
        let pattern = SIMD16<UInt8>(repeating: delimiter)
        while b &+ CSVIntegerChunkParser.blockSize <= end
                && b &+ CSVIntegerChunkParser.blockSize &+ CSVIntegerChunkParser.wordSize <= limit {
            let (mask, newlines, clean) = Self.classify(UnsafeRawPointer(base + b), delimiter: pattern)
            if clean && previousClean {
                guard cleanBlock(at: b, mask: mask, newlines: newlines) else { return false }
            } else {
                var m = mask
                while m != 0 && !done {
                    guard checkedStructural(at: b &+ m.trailingZeroBitCount) else { return false }
                    m &= m &- 1
                }
            }
            if done { return true }
            previousClean = clean
            b &+= CSVIntegerChunkParser.blockSize
        }
        // The tail, byte by byte.
        while b < end {
            let byte = base[b]
            if byte == delimiter || byte == CSVScanner.newline {
                guard checkedStructural(at: b) else { return false }
                if done { return true }
            }
            b &+= 1
        }
        return inputEnds && finishInput(at: end)
    }

    // MARK: clean blocks

    /// Reads the fields ending in a clean block (after a clean block) without checking their
    /// bytes; see the file comment for why the structure checks suffice.
    @inline(__always)
    private mutating func cleanBlock(at b: Int, mask: UInt64, newlines: Int) -> Bool {
        var m = mask
        var fs = fieldStart
        var r = row
        var c = column
        var co = columnOffset
        var ended = 0   // records and blank lines ended in this block
        let last = fieldCount &- 1
        let word = CSVIntegerChunkParser.wordSize
        defer {
            fieldStart = fs
            row = r
            column = c
            columnOffset = co
        }
        while m != 0 {
            let pos = b &+ m.trailingZeroBitCount
            m &= m &- 1
            let n = pos &- fs
            let p = base + fs
            var v: Int64
            if UInt(bitPattern: n &- 1) < UInt(word) {
                v = Int64(bitPattern: Self.digits(p, count: n))
            } else if UInt(bitPattern: n &- (word &+ 1)) < UInt(CSVIntegerChunkParser.maxWordDigits &- word) {
                // The leading digits, then the last eight.
                v = Int64(bitPattern: Self.digits(p, count: n &- word) &* 100_000_000 &+ Self.digits(p + (n &- word), count: word))
            } else if n == 0 {
                if c == 0 && base[pos] == CSVScanner.newline {
                    // A blank line.
                    fs = pos &+ 1
                    ended &+= 1
                    if fs >= recordsLimit {
                        done = true
                        return Self.newlineCount(base + b, pos &- b &+ 1) == ended
                    }
                    continue
                }
                nullRows[c].append(UInt32(truncatingIfNeeded: r))
                v = 0
            } else {
                guard let x = CSVCellParser.parseInt(p, n) else { return false }
                v = x
            }
            slots[co &+ r] = v
            fs = pos &+ 1
            if c == last {
                if base[pos] != CSVScanner.newline { return false }
                r &+= 1
                c = 0
                co = 0
                ended &+= 1
                if fs >= recordsLimit {
                    done = true
                    return Self.newlineCount(base + b, pos &- b &+ 1) == ended
                }
            } else {
                c &+= 1
                co &+= stride
            }
        }
        return newlines == ended
    }

    /// The value of the `count` (1...8) digits at `p`, which are known to be digits; loads 8 bytes.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        var v = (word &<< (UInt64(truncatingIfNeeded: 8 &- count) &* 8)) & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* (10 << 8 + 1)) >> 8                                   // pairs
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16       // quads
        return ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32 // the octet
    }

    // MARK: checked bytes

    /// Handles the delimiter or newline at `pos` with every check: its kind against the field
    /// count, blank lines, '\r' before '\n', and the field's bytes through parseInt.
    private mutating func checkedStructural(at pos: Int) -> Bool {
        let isNewline = base[pos] == CSVScanner.newline
        if isNewline && column == 0
            && (pos == fieldStart || (pos == fieldStart &+ 1 && base[fieldStart] == CSVScanner.carriageReturn)) {
            fieldStart = pos &+ 1
            if fieldStart >= recordsLimit { done = true }
            return true
        }
        if isNewline != (column == fieldCount &- 1) { return false }
        var fieldEnd = pos
        if isNewline && pos > fieldStart && base[pos &- 1] == CSVScanner.carriageReturn { fieldEnd = pos &- 1 }
        guard store(fieldEnd) else { return false }
        advance(next: pos &+ 1)
        return true
    }

    /// The input ended at `end` inside the current record (or between records).
    private mutating func finishInput(at end: Int) -> Bool {
        done = true
        if column == 0 && fieldStart >= end { return true }
        if column != fieldCount &- 1 { return false }
        guard store(end) else { return false }
        advance(next: end)
        return true
    }

    /// Stores the field [fieldStart, fieldEnd) read by parseInt; false when it is no integer.
    private mutating func store(_ fieldEnd: Int) -> Bool {
        let n = fieldEnd &- fieldStart
        var v: Int64 = 0
        if n == 0 {
            nullRows[column].append(UInt32(truncatingIfNeeded: row))
        } else {
            guard let x = CSVCellParser.parseInt(base + fieldStart, n) else { return false }
            v = x
        }
        slots[columnOffset &+ row] = v
        return true
    }

    /// Moves past the field just stored, whose terminator ends at `next`.
    @inline(__always)
    private mutating func advance(next: Int) {
        fieldStart = next
        if column == fieldCount &- 1 {
            row &+= 1
            column = 0
            columnOffset = 0
            if next >= recordsLimit { done = true }
        } else {
            column &+= 1
            columnOffset &+= stride
        }
    }

    // MARK: classification

    /// The structural mask, the '\n' count and cleanliness of the 64 bytes at `p`. SSE2 has no
    /// byte-mask move reachable from Swift, so each 16-byte comparison is ANDed with the bit
    /// weights 1, 2, ..., 128 and each 8-byte half summed by one multiplication (its distinct
    /// bits cannot carry).
    @inline(__always)
    static func classify(_ p: UnsafeRawPointer, delimiter: SIMD16<UInt8>) -> (mask: UInt64, newlines: Int, clean: Bool) {
        let newline = SIMD16<UInt8>(repeating: CSVScanner.newline)
        let zero = SIMD16<UInt8>(repeating: UInt8(ascii: "0"))
        let ten = SIMD16<UInt8>(repeating: 10)
        let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
        let none = SIMD16<UInt8>(repeating: 0)
        var good = SIMD16<UInt8>(repeating: 0xFF)
        var newlineCounts = SIMD16<UInt8>(repeating: 0)
        var mask: UInt64 = 0
        var i = 0
        while i < 4 {
            let v = p.loadUnaligned(fromByteOffset: i &* 16, as: SIMD16<UInt8>.self)
            let isNewline = v .== newline
            let structural = (v .== delimiter) .| isNewline
            good &= none.replacing(with: 0xFF, where: structural .| ((v &- zero) .< ten))
            newlineCounts &+= none.replacing(with: 1, where: isNewline)
            let bits = unsafeBitCast(none.replacing(with: weights, where: structural), to: SIMD2<UInt64>.self)
            let low = (bits[0] &* 0x0101_0101_0101_0101) >> 56
            let high = (bits[1] &* 0x0101_0101_0101_0101) >> 56
            mask |= (low | high << 8) << UInt64(i &* 16)
            i &+= 1
        }
        let counts = unsafeBitCast(newlineCounts, to: SIMD2<UInt64>.self)
        let newlines = Int(((counts[0] &+ counts[1]) &* 0x0101_0101_0101_0101) >> 56)
        let g = unsafeBitCast(good, to: SIMD2<UInt64>.self)
        return (mask, newlines, g[0] & g[1] == UInt64.max)
    }

    /// Number of '\n' in the `n` bytes at `p`.
    static func newlineCount(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var count = 0
        for i in 0..<n where p[i] == CSVScanner.newline { count &+= 1 }
        return count
    }
}
