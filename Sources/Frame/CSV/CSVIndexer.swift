// CSVIndexer: stage 1 of the fast reader. Finds the records a chunk owns and the byte span of
// every field of them, without looking at what the fields hold.
//
// A chunk [lo, hi) owns the records that *start* inside it; the last one may run past `hi` (up to
// the end of input). Given the automaton's state at `lo` (from the composed transitions), the
// first owned record starts at `lo` when that state is "record start", else just after the first
// newline outside quotes at or after `lo`.
//
// Output, relative to the first record's offset `origin`: `recordStarts[r]` and
// `fieldEnds[r * fieldCount + c]`; field (r, c) spans [recordStarts[r] or fieldEnds[.. c-1] + 1,
// fieldEnds[r * fieldCount + c]). A trailing '\r' before the newline is outside the last field.
//
// Fast path: a 64-byte block without quote, entered outside a quoted field, is classified into
// masks of delimiters and newlines and walked bit by bit (trailing-zero count); other blocks go
// byte by byte through the automaton. Both paths call the same field/record handlers.

/// A problem met while reading, located by byte offsets until its line is worked out.
struct CSVProblem: Sendable {
    var kind: CSVError.Kind
    /// Offset of the record's first byte.
    var recordOffset: Int
    /// Offset the line number is taken from (the cell, the record or the opening quote).
    var offset: Int
    /// 0-based field index, nil for problems of a whole record.
    var field: Int?
    var message: String

    /// Row-major order: by record, then by field (whole-record problems first).
    func precedes(_ other: CSVProblem) -> Bool {
        if recordOffset != other.recordOffset { return recordOffset < other.recordOffset }
        return (field ?? -1) < (other.field ?? -1)
    }
}

/// The records and field spans of one chunk. The offsets live in the scratch the index was
/// built in and are valid while that scratch is not reused.
struct CSVChunkIndex {
    /// Absolute offset of the first owned record (field offsets are relative to it).
    var origin: Int
    var recordStarts = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
    var fieldEnds = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
    /// Absolute offset just past the last owned record.
    var recordsEnd: Int
    /// Records left out for having the wrong number of fields (skip and null policies), and
    /// under `fail` the one that stopped the chunk.
    var ragged: [CSVProblem] = []
    /// The problem that stopped indexing (fail policy, unterminated quote, oversized record).
    var stop: CSVProblem?

    var rowCount = 0
}

/// Stage 1 over one chunk.
struct CSVIndexer {
    /// Field offsets are 32-bit relative to the chunk's first record.
    static let maxRecordSpan = Int(UInt32.max)

    let scanner: CSVScanner
    let fieldCount: Int
    let failFast: Bool

    /// Indexes the records starting in `chunk`, entered in `state`, into `scratch`'s offsets.
    func index(_ chunk: Range<Int>, state: CSVState, scratch: CSVScratch) -> CSVChunkIndex {
        var starts = scratch.recordStarts
        var ends = scratch.fieldEnds
        starts.removeAll()
        ends.removeAll()
        var out = index(chunk, state: state, recordStarts: &starts, fieldEnds: &ends)
        scratch.recordStarts = starts
        scratch.fieldEnds = ends
        out.recordStarts = starts.buffer
        out.fieldEnds = ends.buffer
        return out
    }

    private func index(_ chunk: Range<Int>, state: CSVState, recordStarts: inout CSVOffsets,
                       fieldEnds: inout CSVOffsets) -> CSVChunkIndex {
        let base = scanner.base
        let end = scanner.end
        let origin = scanner.firstRecordStart(in: chunk, state: state)
        let out = CSVChunkIndex(origin: origin, recordsEnd: origin)
        if origin >= chunk.upperBound { return out }

        var walker = Walker(base: base, origin: origin, limit: chunk.upperBound, fieldCount: fieldCount,
                            failFast: failFast, out: out, recordStarts: recordStarts, fieldEnds: fieldEnds)
        defer {
            recordStarts = walker.recordStarts
            fieldEnds = walker.fieldEnds
        }
        var s = CSVState.recordStart
        var p = origin
        let delimiter = scanner.delimiter
        while !walker.done {
            if p >= end {
                walker.finishInput(at: end, quoted: s == .quoted)
                break
            }
            if s != .quoted && s != .quoteInQuoted && p &+ CSVScanner.blockSize <= end {
                let m = scanner.classify(p)
                if m.quotes == 0 {
                    walker.fieldEnds.reserve(CSVScanner.blockSize)
                    var structural = m.delimiters | m.newlines
                    while structural != 0 {
                        let bit = structural & (0 &- structural)
                        let pos = p &+ structural.trailingZeroBitCount
                        if m.newlines & bit != 0 {
                            walker.newline(at: pos)
                            if walker.done { break }
                        } else {
                            walker.delimiterReserved(at: pos)
                        }
                        structural &= structural &- 1
                    }
                    let last = base[p &+ CSVScanner.blockSize &- 1]
                    s = last == CSVScanner.newline ? .recordStart : (last == delimiter ? .fieldStart : .unquoted)
                    p &+= CSVScanner.blockSize
                    continue
                }
            }
            // Byte by byte through one block (or the tail).
            let stop = min(p &+ CSVScanner.blockSize, end)
            while p < stop && !walker.done {
                let b = base[p]
                switch s {
                case .recordStart, .fieldStart, .unquoted, .quoteInQuoted:
                    if b == delimiter {
                        walker.delimiter(at: p)
                        s = .fieldStart
                    } else if b == CSVScanner.newline {
                        walker.newline(at: p)
                        s = .recordStart
                    } else if b == CSVScanner.quote && (s == .recordStart || s == .fieldStart || s == .quoteInQuoted) {
                        s = .quoted
                    } else {
                        s = .unquoted
                    }
                case .quoted:
                    if b == CSVScanner.quote { s = .quoteInQuoted }
                }
                p &+= 1
            }
        }
        return walker.out
    }
}

/// The field and record handlers of stage 1, shared by the block and the byte paths.
private struct Walker {
    let base: UnsafePointer<UInt8>
    let origin: Int
    /// Records starting at or after this offset belong to the next chunk.
    let limit: Int
    let fieldCount: Int
    let failFast: Bool
    var out: CSVChunkIndex
    var recordStarts: CSVOffsets
    var fieldEnds: CSVOffsets
    var recordStart: Int
    var fieldStart: Int
    var fieldsInRecord = 0
    var done = false

    init(base: UnsafePointer<UInt8>, origin: Int, limit: Int, fieldCount: Int, failFast: Bool, out: CSVChunkIndex,
         recordStarts: CSVOffsets, fieldEnds: CSVOffsets) {
        self.recordStarts = recordStarts
        self.fieldEnds = fieldEnds
        self.base = base
        self.origin = origin
        self.limit = limit
        self.fieldCount = fieldCount
        self.failFast = failFast
        self.out = out
        self.recordStart = origin
        self.fieldStart = origin
    }

    @inline(__always)
    mutating func delimiter(at pos: Int) {
        fieldEnds.append(UInt32(truncatingIfNeeded: pos &- origin))
        fieldsInRecord &+= 1
        fieldStart = pos &+ 1
    }

    /// A delimiter in a block whose 64 offsets were reserved beforehand.
    @inline(__always)
    mutating func delimiterReserved(at pos: Int) {
        fieldEnds.appendReserved(UInt32(truncatingIfNeeded: pos &- origin))
        fieldsInRecord &+= 1
        fieldStart = pos &+ 1
    }

    @inline(__always)
    mutating func newline(at pos: Int) {
        if fieldsInRecord == 0 && (pos == recordStart || (pos == recordStart &+ 1 && base[recordStart] == CSVScanner.carriageReturn)) {
            // A blank line: no record.
            recordStart = pos &+ 1
            fieldStart = recordStart
            out.recordsEnd = recordStart
            if recordStart >= limit { done = true }
            return
        }
        var fieldEnd = pos
        if pos > fieldStart && base[pos &- 1] == CSVScanner.carriageReturn { fieldEnd = pos &- 1 }
        fieldEnds.append(UInt32(truncatingIfNeeded: fieldEnd &- origin))
        fieldsInRecord &+= 1
        finishRecord(next: pos &+ 1)
    }

    mutating func finishRecord(next: Int) {
        if next &- origin > CSVIndexer.maxRecordSpan {
            out.stop = CSVProblem(kind: .unreadable, recordOffset: recordStart, offset: recordStart, field: nil,
                                  message: "record longer than 4 GiB; such records are not supported")
            done = true
            return
        }
        if fieldsInRecord == fieldCount {
            recordStarts.append(UInt32(truncatingIfNeeded: recordStart &- origin))
            out.rowCount &+= 1
        } else {
            fieldEnds.removeLast(fieldsInRecord)
            let problem = CSVProblem(kind: .raggedRow, recordOffset: recordStart, offset: recordStart, field: nil,
                                     message: CSVError.raggedMessage(expected: fieldCount, found: fieldsInRecord))
            if failFast {
                out.stop = problem
                done = true
                return
            }
            out.ragged.append(problem)
        }
        fieldsInRecord = 0
        recordStart = next
        fieldStart = next
        out.recordsEnd = next
        if next >= limit { done = true }
    }

    /// The input ended at `end` inside the current record.
    mutating func finishInput(at end: Int, quoted: Bool) {
        if quoted {
            out.stop = CSVProblem(kind: .unterminatedQuote, recordOffset: recordStart, offset: fieldStart,
                                  field: fieldsInRecord, message: CSVError.unterminatedQuoteMessage)
            done = true
            return
        }
        if recordStart < end {
            fieldEnds.append(UInt32(truncatingIfNeeded: end &- origin))
            fieldsInRecord &+= 1
            finishRecord(next: end)
        }
        done = true
    }
}
