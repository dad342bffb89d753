// CSVColumnReader: reads one column of one chunk into 8-byte slots, widening its mode as cells
// demand (see CSVChunkParser for the rules), then packs the slots into a typed piece.
//
// The hot loops (`intLoop`, `floatLoop`, `boolLoop`, `textLoop`) handle the common cells inline
// and return the row of the first cell they cannot handle; `slowCell` decides what that cell is
// (null token, quoted number, bad UTF-8, a wider type) and the loop resumes after it.

/// The reading state of one column in one chunk.
struct CSVColumnReader {
    private enum Mode { case int, float, bool, text }

    let base: UnsafePointer<UInt8>
    /// End of the readable input: word loads must not pass it.
    let limit: UnsafePointer<UInt8>
    let recordStarts: UnsafeBufferPointer<UInt32>
    let fieldEnds: UnsafeBufferPointer<UInt32>
    let origin: Int
    let field: Int
    let fieldCount: Int
    let rows: Int
    let slots: UnsafeMutablePointer<UInt64>
    let forced: DataType?
    let nulls: CSVNullTokens
    let policy: CSVErrorPolicy
    let columnName: String

    private var mode: Mode
    private var nonNull = 0
    private var lo = Int64.max
    private var hi = Int64.min
    private var intRange: ClosedRange<Int64> = Int64.min...Int64.max
    private(set) var nullRows: [UInt32] = []
    private(set) var problems: [CSVProblem] = []
    private(set) var problemRows: [UInt32] = []
    private(set) var nulledCells = 0
    private(set) var failure: CSVProblem?
    private var table: CSVStringTable?

    init(base: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, recordStarts: UnsafeBufferPointer<UInt32>, fieldEnds: UnsafeBufferPointer<UInt32>,
         origin: Int, field: Int, fieldCount: Int, rows: Int, slots: UnsafeMutablePointer<UInt64>,
         forced: DataType?, hint: CSVPieceKind, nulls: CSVNullTokens, policy: CSVErrorPolicy, columnName: String) {
        self.base = base
        self.limit = limit
        self.recordStarts = recordStarts
        self.fieldEnds = fieldEnds
        self.origin = origin
        self.field = field
        self.fieldCount = fieldCount
        self.rows = rows
        self.slots = slots
        self.forced = forced
        self.nulls = nulls
        self.policy = policy
        self.columnName = columnName
        switch forced {
        case .int8: mode = .int; intRange = Int64(Int8.min)...Int64(Int8.max)
        case .int16: mode = .int; intRange = Int64(Int16.min)...Int64(Int16.max)
        case .int32: mode = .int; intRange = Int64(Int32.min)...Int64(Int32.max)
        case .int64: mode = .int
        case .float64: mode = .float
        case .bool: mode = .bool
        case .string: mode = .text
        case nil:
            switch hint {
            case .null, .int: mode = .int
            case .float: mode = .float
            case .bool: mode = .bool
            case .string: mode = .text
            }
        }
    }

    // MARK: spans

    @inline(__always)
    private func span(_ r: Int) -> (UnsafePointer<UInt8>, Int) {
        let i = r &* fieldCount &+ field
        let start = field == 0 ? Int(recordStarts[r]) : Int(fieldEnds[i &- 1]) &+ 1
        let end = Int(fieldEnds[i])
        return (base + start, end &- start)
    }

    @inline(__always)
    private mutating func setNull(_ r: Int) {
        slots[r] = 0
        nullRows.append(UInt32(truncatingIfNeeded: r))
    }

    // MARK: driver

    mutating func run(_ cellBuffer: inout [UInt8]) {
        var r = 0
        while r < rows && failure == nil {
            switch mode {
            case .int: r = intLoop(from: r)
            case .float: r = floatLoop(from: r)
            case .bool: r = boolLoop(from: r)
            case .text: r = textLoop(from: r, &cellBuffer)
            }
            if r < rows { r = slowCell(r, &cellBuffer) }
        }
    }

    private mutating func intLoop(from start: Int) -> Int {
        let early = nulls.looksInteger
        let range = intRange
        let checksRange = forced != nil && forced != .int64
        var r = start
        while r < rows {
            let (p, n) = span(r)
            if n == 0 { setNull(r); r &+= 1; continue }
            if early && nulls.contains(p, n) { setNull(r); r &+= 1; continue }
            let v: Int64
            if n <= 8 && p + 8 <= limit, let x = CSVCellParser.eightDigits(p, count: n) {
                v = Int64(bitPattern: x)   // the common case: up to 8 digits, no sign
            } else if n > 8 && n <= 16, let a = CSVCellParser.eightDigits(p, count: n &- 8),
                      let b = CSVCellParser.eightDigits(p + (n &- 8), count: 8) {
                v = Int64(bitPattern: a &* 100_000_000 &+ b)   // 9 to 16 digits (timestamps, ids)
            } else {
                guard let w = CSVCellParser.parseIntWide(p, n, limit: limit) else { return r }
                v = w
            }
            if checksRange && !range.contains(v) { return r }
            slots[r] = UInt64(bitPattern: v)
            if v < lo { lo = v }
            if v > hi { hi = v }
            nonNull &+= 1
            r &+= 1
        }
        return r
    }

    private mutating func floatLoop(from start: Int) -> Int {
        let early = nulls.looksFloat
        var r = start
        while r < rows {
            let (p, n) = span(r)
            if n == 0 { setNull(r); r &+= 1; continue }
            if early && nulls.contains(p, n) { setNull(r); r &+= 1; continue }
            guard let v = Self.readFloat(p, n) else { return r }
            slots[r] = v.bitPattern
            nonNull &+= 1
            r &+= 1
        }
        return r
    }

    /// A float cell: integers are read as Int64 and converted, others as decimal floats.
    @inline(__always)
    private static func readFloat(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        if let i = CSVCellParser.parseInt(p, n) { return Double(i) }
        return CSVCellParser.parseFloat(p, n)
    }

    private mutating func boolLoop(from start: Int) -> Int {
        let early = nulls.looksBool
        let numeric = forced == .bool
        var r = start
        while r < rows {
            let (p, n) = span(r)
            if n == 0 { setNull(r); r &+= 1; continue }
            if early && nulls.contains(p, n) { setNull(r); r &+= 1; continue }
            guard let v = CSVCellParser.parseBool(p, n, numeric: numeric) else { return r }
            slots[r] = v ? 1 : 0
            nonNull &+= 1
            r &+= 1
        }
        return r
    }

    /// Text cells, complete: nulls, quotes, UTF-8 and dictionary codes. Returns `rows`, or the
    /// row of a problem cell.
    private mutating func textLoop(from start: Int, _ cellBuffer: inout [UInt8]) -> Int {
        if table == nil { table = CSVStringTable() }
        let table = self.table!
        var r = start
        while r < rows {
            let (p, n) = span(r)
            if n == 0 { setNull(r); r &+= 1; continue }
            if p[0] == CSVScanner.quote {
                if cellBuffer.count < n { cellBuffer = [UInt8](repeating: 0, count: n * 2) }
                let decoded = cellBuffer.withUnsafeMutableBufferPointer { CSVCellParser.unquote(p, n, into: $0.baseAddress!) }
                let code: Int32? = cellBuffer.withUnsafeBufferPointer { b in
                    internValid(table, b.baseAddress!, decoded)
                }
                guard let code else { return r }
                slots[r] = UInt64(code)
            } else {
                if nulls.contains(p, n) { setNull(r); r &+= 1; continue }
                guard let code = internValid(table, p, n) else { return r }
                slots[r] = UInt64(code)
            }
            nonNull &+= 1
            r &+= 1
        }
        return r
    }

    /// The code of valid UTF-8 bytes (inserting them), or nil when they are not UTF-8.
    @inline(__always)
    private func internValid(_ table: CSVStringTable, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let h = CSVStringTable.hash(p, n)
        if let e = table.find(p, n, hash: h) {
            return table.invalid[Int(e)] ? nil : e
        }
        let valid = CSVCellParser.firstInvalidUTF8(p, n) == nil
        let e = table.insert(p, n, hash: h, isValid: valid)
        return valid ? e : nil
    }

    // MARK: the slow cell

    /// Handles the cell at row `r` that the current mode's loop stopped at; returns the row to
    /// resume from.
    private mutating func slowCell(_ r: Int, _ cellBuffer: inout [UInt8]) -> Int {
        let (p, n) = span(r)
        let quoted = p[0] == CSVScanner.quote
        if !quoted && nulls.contains(p, n) { setNull(r); return r + 1 }
        if cellBuffer.count < n { cellBuffer = [UInt8](repeating: 0, count: n * 2) }
        return cellBuffer.withUnsafeMutableBufferPointer { buffer -> Int in
            var vp = p, vn = n
            if quoted {
                vn = CSVCellParser.unquote(p, n, into: buffer.baseAddress!)
                vp = UnsafePointer(buffer.baseAddress!)
            }
            if let bad = CSVCellParser.firstInvalidUTF8(vp, vn) {
                problem(r, kind: .invalidUTF8, cell: p,
                        message: CSVError.invalidUTF8Message(byte: vp[bad], at: bad))
                return r + 1
            }
            if quoted && store(r, vp, vn) { return r + 1 }
            if let forced {
                let text = String(decoding: UnsafeBufferPointer(start: vp, count: vn), as: UTF8.self)
                let outOfRange = forced.isInteger && CSVCellParser.parseInt(vp, vn) != nil
                problem(r, kind: .badValue, cell: p,
                        message: CSVError.badValueMessage(text, type: forced, outOfRange: outOfRange))
                return r + 1
            }
            // Widen.
            let kind = Self.classify(vp, vn)
            if nonNull == 0 {
                mode = kind
                lo = .max
                hi = .min
                if mode == .text { return r }   // the text loop reads this cell
                _ = store(r, vp, vn)
                return r + 1
            }
            if mode == .int && kind == .float {
                for i in 0..<r where slots[i] != 0 {
                    slots[i] = Double(Int64(bitPattern: slots[i])).bitPattern
                }
                mode = .float
                _ = store(r, vp, vn)
                return r + 1
            }
            // Restart the column as text.
            mode = .text
            nonNull = 0
            nullRows.removeAll(keepingCapacity: true)
            problems.removeAll()
            problemRows.removeAll()
            nulledCells = 0
            return 0
        }
    }

    /// Stores a cell in the current (non-text) mode; false when it does not read as that mode.
    private mutating func store(_ r: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        switch mode {
        case .int:
            guard let v = CSVCellParser.parseInt(p, n), intRange.contains(v) else { return false }
            slots[r] = UInt64(bitPattern: v)
            lo = min(lo, v)
            hi = max(hi, v)
        case .float:
            guard let v = Self.readFloat(p, n) else { return false }
            slots[r] = v.bitPattern
        case .bool:
            guard let v = CSVCellParser.parseBool(p, n, numeric: forced == .bool) else { return false }
            slots[r] = v ? 1 : 0
        case .text:
            return false
        }
        nonNull += 1
        return true
    }

    private static func classify(_ p: UnsafePointer<UInt8>, _ n: Int) -> Mode {
        if CSVCellParser.parseInt(p, n) != nil { return .int }
        if CSVCellParser.parseFloat(p, n) != nil { return .float }
        if CSVCellParser.parseBool(p, n) != nil { return .bool }
        return .text
    }

    /// Records a problem at row `r` under the policy.
    private mutating func problem(_ r: Int, kind: CSVError.Kind, cell: UnsafePointer<UInt8>, message: String) {
        let recordOffset = origin + Int(recordStarts[r])
        let p = CSVProblem(kind: kind, recordOffset: recordOffset, offset: cell - base + origin, field: field,
                           message: message)
        switch policy {
        case .fail:
            failure = p
            return
        case .skip:
            slots[r] = 0
            problemRows.append(UInt32(truncatingIfNeeded: r))
        case .null:
            setNull(r)
            nulledCells += 1
        }
        if problems.count < CSVChunkParser.maxExamples { problems.append(p) }
    }

    // MARK: packing

    /// The kind this column reads as so far in this chunk.
    var kind: CSVPieceKind {
        if nonNull == 0 { return .null }
        switch mode {
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .text: return .string
        }
    }

    /// Packs the slots into a piece in `arena`, leaving out `drop` (ascending rows).
    func piece(slots: UnsafeMutablePointer<UInt64>, drop: [UInt32], arena: CSVPieceArena) -> CSVPiece {
        let kept = rows - drop.count
        // Null rows renumbered past the dropped rows.
        var nullsKept: [UInt32] = []
        if drop.isEmpty {
            nullsKept = nullRows
        } else {
            let sortedNulls = nullRows.sorted()
            var d = 0
            for row in sortedNulls {
                while d < drop.count && drop[d] < row { d += 1 }
                if d < drop.count && drop[d] == row { continue }
                nullsKept.append(row - UInt32(d))
            }
        }
        // Kept values, in order.
        func forEachKept(_ body: (Int, UInt64) -> Void) {
            if drop.isEmpty {
                for r in 0..<rows { body(r, slots[r]) }
                return
            }
            var d = 0, o = 0
            for r in 0..<rows {
                if d < drop.count && Int(drop[d]) == r { d += 1; continue }
                body(o, slots[r])
                o += 1
            }
        }
        switch kind {
        case .null:
            return CSVPiece(kind: .null, values: .null, nullRows: nullsKept)
        case .int:
            var lo = self.lo, hi = self.hi
            if !drop.isEmpty {
                // Recompute over the rows kept, nulls (stored as 0) excluded.
                lo = .max
                hi = .min
                var isNull = [Bool](repeating: false, count: kept)
                for r in nullsKept { isNull[Int(r)] = true }
                forEachKept { o, v in
                    if !isNull[o] {
                        let x = Int64(bitPattern: v)
                        if x < lo { lo = x }
                        if x > hi { hi = x }
                    }
                }
            }
            let width = lo > hi ? DataType.int8 : DataType.narrowestInteger(min: lo, max: hi)
            func make<T: FixedWidthInteger>(_: T.Type) -> CSVRawPiece {
                let piece = arena.allocate(T.self, count: kept)
                let target = piece.values(T.self)
                forEachKept { o, v in target[o] = T(truncatingIfNeeded: Int64(bitPattern: v)) }
                return piece
            }
            let raw: CSVRawPiece
            switch width {
            case .int8: raw = make(Int8.self)
            case .int16: raw = make(Int16.self)
            case .int32: raw = make(Int32.self)
            default: raw = make(Int64.self)
            }
            return CSVPiece(kind: .int, values: .int(raw, width: width, min: lo, max: hi), nullRows: nullsKept)
        case .float:
            let piece = arena.allocate(Double.self, count: kept)
            let target = piece.values(Double.self)
            forEachKept { o, v in target[o] = Double(bitPattern: v) }
            return CSVPiece(kind: .float, values: .float(piece), nullRows: nullsKept)
        case .bool:
            let piece = arena.allocate(Bool.self, count: kept)
            let target = piece.values(Bool.self)
            forEachKept { o, v in target[o] = v != 0 }
            return CSVPiece(kind: .bool, values: .bool(piece), nullRows: nullsKept)
        case .string:
            let piece = arena.allocate(UInt32.self, count: kept)
            let target = piece.values(UInt32.self)
            forEachKept { o, v in target[o] = UInt32(truncatingIfNeeded: v) }
            return CSVPiece(kind: .string, values: .string(piece, table ?? CSVStringTable()), nullRows: nullsKept)
        }
    }
}
