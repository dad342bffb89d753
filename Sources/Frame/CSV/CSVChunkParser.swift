// CSVChunkParser: stage 2 of the fast reader. Turns the field spans of one chunk into typed
// column pieces, one column at a time (a tight loop per type, over spans that stay in cache).
//
// Inference within a chunk: a column starts in the mode its global type has so far (`hint`,
// integer at first) and widens when a cell does not fit: integer -> float converts the values
// already read (an integer cell of a float column is the integer converted to double); any
// other change while values were seen restarts the column as text. A column with no value yet
// takes the mode of its first value. The reader joins the chunks' kinds into the column's type
// afterwards and converts or re-reads the pieces that disagree.
//
// Cells: empty, or equal to a null token when unquoted, are null. A quoted cell is decoded and
// never null. A cell whose bytes are not UTF-8 is a problem whatever the column's type (and
// counts as null for inference); with a forced type, a cell that does not read as that type is
// a problem too. Problems follow the policy: fail records the column's first and stops it; skip
// marks the row for removal; null nulls the cell.
//
// Invariant: values live in an 8-byte slot per row (Int64, Double bits, code or 0/1) until the
// chunk is done; rows removed under `skip` are dropped and integers narrowed to the chunk's
// narrowest width only then, when min and max of the kept rows are known.

/// How one chunk's column was read; the reader joins these into a column type.
enum CSVPieceKind: Sendable, Equatable {
    case null, int, float, bool, string
}

/// The values of one column in one chunk.
enum CSVPieceValues: Sendable {
    case null
    case int(CSVRawPiece, width: DataType, min: Int64, max: Int64)
    case float(CSVRawPiece)
    case bool(CSVRawPiece)
    case string(CSVRawPiece, CSVStringTable)
}

/// One column of one chunk.
struct CSVPiece: Sendable {
    var kind: CSVPieceKind
    var values: CSVPieceValues
    /// Rows (after removal of skipped rows) that are null.
    var nullRows: [UInt32]
}

/// What stage 2 made of one chunk.
struct CSVChunkOutput: Sendable {
    /// Rows kept.
    var rows = 0
    /// Pieces by output column (nil for columns not parsed in this pass).
    var pieces: [CSVPiece?] = []
    /// Index rows removed for bad cells (skip policy), ascending.
    var droppedRows: [UInt32] = []
    var skipped = 0
    var nulled = 0
    /// The first problems, in row-major order.
    var examples: [CSVProblem] = []
    /// The earliest problem under `fail`.
    var failure: CSVProblem?
}

/// Stage 2 over one chunk.
struct CSVChunkParser {
    /// Problems kept as examples per chunk and per read.
    static let maxExamples = 5

    let base: UnsafePointer<UInt8>
    /// End of the readable input (the source's end, not a `maxRows` cut).
    let limit: UnsafePointer<UInt8>
    let plan: CSVPlan
    let nulls: CSVNullTokens
    let policy: CSVErrorPolicy

    /// Parses the output columns `columns` of `index`. `hints` gives each output column's
    /// starting mode; `forceText` reads them all as text (the re-read of a column that turned
    /// out to be text); `dropRows` are rows to remove (a re-read repeats the first read's).
    func parse(_ index: CSVChunkIndex, columns: [Int], hints: [CSVPieceKind], arenas: [CSVPieceArena],
               forceText: Bool = false, dropRows: [UInt32]? = nil, scratch: CSVScratch? = nil) -> CSVChunkOutput {
        let slotCount = max(index.rowCount, 1) * max(columns.count, 1)
        let own = scratch ?? CSVScratch()
        if own.slots.count < slotCount { own.slots = [UInt64](repeating: 0, count: slotCount) }
        return own.slots.withUnsafeMutableBufferPointer { buffer in
            parse(index, columns: columns, hints: hints, arenas: arenas, forceText: forceText, dropRows: dropRows,
                  slots: buffer.baseAddress!)
        }
    }

    private func parse(_ index: CSVChunkIndex, columns: [Int], hints: [CSVPieceKind], arenas: [CSVPieceArena],
                       forceText: Bool, dropRows: [UInt32]?, slots: UnsafeMutablePointer<UInt64>) -> CSVChunkOutput {
        let rows = index.rowCount
        var out = CSVChunkOutput()
        out.pieces = [CSVPiece?](repeating: nil, count: plan.selected.count)
        var states: [CSVColumnReader] = []
        states.reserveCapacity(columns.count)
        var cellBuffer = [UInt8](repeating: 0, count: 256)
        let recordStarts = index.recordStarts
        let fieldEnds = index.fieldEnds
        do {
            do {
                // Parse in file order, so the problems of a row are met left to right.
                let order = columns.sorted { plan.selected[$0] < plan.selected[$1] }
                for (k, j) in order.enumerated() {
                    let field = plan.selected[j]
                    let forced: DataType? = forceText ? .string : plan.forced[field]
                    var reader = CSVColumnReader(
                        base: base + index.origin, limit: limit, recordStarts: recordStarts, fieldEnds: fieldEnds,
                        origin: index.origin, field: field, fieldCount: plan.fieldCount, rows: rows,
                        slots: slots + k * max(rows, 1), forced: forced, hint: hints[j], nulls: nulls,
                        policy: policy, columnName: plan.names[field])
                    reader.run(&cellBuffer)
                    states.append(reader)
                }
                // Rows to drop: given, or the union of the columns' problem rows.
                var drop: [UInt32]
                if let dropRows {
                    drop = dropRows
                } else {
                    drop = states.flatMap(\.problemRows)
                    drop.sort()
                    drop = dedupeSorted(drop)
                }
                out.droppedRows = drop
                out.rows = rows - drop.count
                for (k, j) in order.enumerated() {
                    out.pieces[j] = states[k].piece(slots: slots + k * max(rows, 1), drop: drop, arena: arenas[j])
                }
            }
        }
        // Problems: examples in row-major order, the earliest failure.
        var problems = index.ragged
        for state in states { problems.append(contentsOf: state.problems) }
        problems.sort { $0.precedes($1) }
        if policy == .skip {
            var seen = Set<Int>()
            problems = problems.filter { seen.insert($0.recordOffset).inserted }
        }
        out.examples = Array(problems.prefix(Self.maxExamples))
        out.skipped = index.ragged.count + out.droppedRows.count
        out.nulled = states.reduce(0) { $0 + $1.nulledCells }
        var failure = index.stop
        for state in states {
            if let f = state.failure, failure == nil || f.precedes(failure!) { failure = f }
        }
        out.failure = failure
        return out
    }

    private func dedupeSorted(_ a: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        for v in a where out.last != v { out.append(v) }
        return out
    }
}
