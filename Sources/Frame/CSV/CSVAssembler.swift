// CSVAssembler: joins the chunks' pieces into whole columns, one column at a time, freeing each
// column's pieces as soon as it is built (peak memory: the pieces plus one column).
//
// Types: a forced type wins; else the join of the chunks' kinds, where null joins anything,
// int + float = float and any other mix is text; a column with no value at all is text.
// Integers take the narrowest width holding the whole column's min and max. Pieces that read as
// numbers or booleans in a column that turned out to be text are re-read as text from the
// source (their exact spelling is needed); int pieces in a float column are converted.
// Text dictionaries are merged in chunk order, so codes follow first appearance in the file;
// when rows were dropped, entries no kept row uses are removed. A column's buffer is, when
// there is one, a region given up by the arena of a column built before (CSVRegionPool).

import Dispatch

/// What the reader keeps of one parsed chunk.
struct CSVChunk: Sendable {
    /// The first owned record and the end of the last: the re-read range.
    var origin: Int
    var recordsEnd: Int
    var output: CSVChunkOutput
}

/// The type join of pieces.
extension CSVPieceKind {
    func joined(_ other: CSVPieceKind) -> CSVPieceKind {
        if self == .null { return other }
        if other == .null || other == self { return self }
        if (self == .int && other == .float) || (self == .float && other == .int) { return .float }
        return .string
    }
}

/// Builds the frame's columns from chunk pieces.
struct CSVAssembler {
    let plan: CSVPlan
    let scanner: CSVScanner
    /// End of the readable input, for the parser's word loads.
    let limit: UnsafePointer<UInt8>
    let nulls: CSVNullTokens
    let policy: CSVErrorPolicy
    let threads: Int
    /// Memory given up by the arenas of columns already built, for the next columns' buffers.
    var regions: CSVRegionPool? = nil

    /// The final type of output column `j`.
    func type(of j: Int, chunks: [CSVChunk]) -> DataType {
        if let forced = plan.forced[plan.selected[j]] { return forced }
        var kind = CSVPieceKind.null
        for c in chunks { kind = kind.joined(c.output.pieces[j]!.kind) }
        switch kind {
        case .null, .string: return .string
        case .int: return .int64   // narrowed when built
        case .float: return .float64
        case .bool: return .bool
        }
    }

    /// Re-reads as text the pieces of text columns that were read as something else.
    func rereadTextPieces(_ chunks: inout [CSVChunk], types: [DataType], arenas: [CSVPieceArena]) {
        var work: [(chunk: Int, columns: [Int])] = []
        for (i, c) in chunks.enumerated() {
            var columns: [Int] = []
            for j in types.indices where types[j] == .string && plan.forced[plan.selected[j]] == nil {
                let k = c.output.pieces[j]!.kind
                if k != .string && k != .null { columns.append(j) }
            }
            if !columns.isEmpty { work.append((i, columns)) }
        }
        if work.isEmpty { return }
        let indexer = CSVIndexer(scanner: scanner, fieldCount: plan.fieldCount, failFast: false)
        let parser = CSVChunkParser(base: scanner.base, limit: limit, plan: plan, nulls: nulls, policy: policy)
        let hints = [CSVPieceKind](repeating: .string, count: plan.selected.count)
        let results = CSVParallel.map(work.count, threads: threads) { w -> CSVChunkOutput in
            let c = chunks[work[w].chunk]
            let scratch = CSVScratch()
            let index = indexer.index(c.origin..<c.recordsEnd, state: .recordStart, scratch: scratch)
            return withExtendedLifetime(scratch) {
                parser.parse(index, columns: work[w].columns, hints: hints, arenas: arenas, forceText: true,
                             dropRows: c.output.droppedRows, scratch: scratch)
            }
        }
        for (w, item) in work.enumerated() {
            for j in item.columns { chunks[item.chunk].output.pieces[j] = results[w].pieces[j] }
        }
    }

    /// Builds output column `j` of type `type` from its pieces (which the caller then frees).
    func column(_ j: Int, type: DataType, chunks: [CSVChunk], rows: Int) -> Column {
        let name = plan.names[plan.selected[j]]
        var validity: Bitmap? = nil
        var anyNull = false
        for c in chunks {
            let piece = c.output.pieces[j]!
            if !piece.nullRows.isEmpty || (piece.kind == .null && c.output.rows > 0) { anyNull = true; break }
        }
        if anyNull {
            var bits = Bitmap(count: rows, allSet: true)
            var at = 0
            for c in chunks {
                let piece = c.output.pieces[j]!
                if piece.kind == .null {
                    for r in 0..<c.output.rows { bits.clear(at + r) }
                } else {
                    for r in piece.nullRows { bits.clear(at + Int(r)) }
                }
                at += c.output.rows
            }
            validity = bits
        }
        let data: ColumnData
        switch type {
        case .int8, .int16, .int32, .int64:
            data = integers(j, type: type, chunks: chunks, rows: rows)
        case .float64:
            data = .float64(fill(j, chunks: chunks, rows: rows) { values, target in
                switch values {
                case .float(let b): _ = target.update(fromContentsOf: b.values(Double.self))
                case .int(let d, let width, _, _): Self.forEachInt(d, width: width) { i, v in target[i] = Double(v) }
                default: for i in target.indices { target[i] = 0 }
                }
            })
        case .bool:
            data = .bool(fill(j, chunks: chunks, rows: rows) { values, target in
                if case .bool(let b) = values {
                    _ = target.update(fromContentsOf: b.values(Bool.self))
                } else {
                    for i in target.indices { target[i] = false }
                }
            })
        case .string:
            data = strings(j, chunks: chunks, rows: rows, validity: validity)
        }
        return Column(name: name, data: data, validity: validity)
    }

    /// Copies every chunk's piece of column `j` into one buffer through `copy`.
    private func fill<T: BitwiseCopyable>(_ j: Int, chunks: [CSVChunk], rows: Int,
                                          _ copy: (CSVPieceValues, UnsafeMutableBufferPointer<T>) -> Void) -> ColumnBuffer<T> {
        let storage: BufferStorage<T>
        if rows > 0, let region = regions?.take(bytes: rows * MemoryLayout<T>.stride) {
            // The column owns the region: it is unmapped with the column.
            storage = BufferStorage(borrowing: region.prepare(T.self, count: rows), capacity: rows, owner: region)
        } else {
            storage = BufferStorage<T>(capacity: rows)
            CSVMemory.populate(UnsafeMutableRawPointer(storage.base), bytes: rows * MemoryLayout<T>.stride)
        }
        var at = 0
        for i in chunks.indices {
            let n = chunks[i].output.rows
            let target = UnsafeMutableBufferPointer(start: storage.base + at, count: n)
            copy(chunks[i].output.pieces[j]!.values, target)
            at += n
        }
        return ColumnBuffer(storage: storage, offset: 0, count: rows)
    }

    private static func forEachInt(_ d: CSVRawPiece, width: DataType, _ body: (Int, Int64) -> Void) {
        switch width {
        case .int8: for (i, v) in d.values(Int8.self).enumerated() { body(i, Int64(v)) }
        case .int16: for (i, v) in d.values(Int16.self).enumerated() { body(i, Int64(v)) }
        case .int32: for (i, v) in d.values(Int32.self).enumerated() { body(i, Int64(v)) }
        default: for (i, v) in d.values(Int64.self).enumerated() { body(i, v) }
        }
    }

    /// Widens a narrow integer piece into `target` (`T` at least as wide as the piece).
    private static func widen<T: FixedWidthInteger>(_ d: CSVRawPiece, width: DataType, into target: UnsafeMutableBufferPointer<T>) {
        func copy<S: FixedWidthInteger>(_: S.Type) {
            let s = d.values(S.self)
            if S.self == T.self {
                _ = target.update(fromContentsOf: UnsafeMutableRawBufferPointer(s).bindMemory(to: T.self))
                return
            }
            for i in s.indices { target[i] = T(truncatingIfNeeded: s[i]) }
        }
        switch width {
        case .int8: copy(Int8.self)
        case .int16: copy(Int16.self)
        case .int32: copy(Int32.self)
        default: copy(Int64.self)
        }
    }

    /// The integer type column `j` is built with: the forced one, or the narrowest holding the
    /// bounds of all its pieces.
    private func integerType(_ j: Int, type forcedOrInferred: DataType, chunks: [CSVChunk]) -> DataType {
        if plan.forced[plan.selected[j]] != nil { return forcedOrInferred }
        var lo = Int64.max, hi = Int64.min
        for c in chunks {
            if case .int(_, _, let a, let b) = c.output.pieces[j]!.values, a <= b {
                lo = min(lo, a)
                hi = max(hi, b)
            }
        }
        return lo > hi ? .int8 : DataType.narrowestInteger(min: lo, max: hi)
    }

    /// Bytes of the values of column `j` of type `type` once built (its validity aside).
    func valueBytes(_ j: Int, type: DataType, chunks: [CSVChunk], rows: Int) -> Int {
        switch type {
        case .int8, .int16, .int32, .int64:
            switch integerType(j, type: type, chunks: chunks) {
            case .int8: return rows
            case .int16: return rows * 2
            case .int32: return rows * 4
            default: return rows * 8
            }
        case .float64: return rows * MemoryLayout<Double>.stride
        case .bool: return rows * MemoryLayout<Bool>.stride
        case .string: return rows * MemoryLayout<UInt32>.stride
        }
    }

    private func integers(_ j: Int, type forcedOrInferred: DataType, chunks: [CSVChunk], rows: Int) -> ColumnData {
        let type = integerType(j, type: forcedOrInferred, chunks: chunks)
        func build<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) -> ColumnBuffer<T> {
            fill(j, chunks: chunks, rows: rows) { values, target in
                if case .int(let d, let width, _, _) = values {
                    Self.widen(d, width: width, into: target)
                } else {
                    for i in target.indices { target[i] = 0 }
                }
            }
        }
        switch type {
        case .int8: return .int8(build(Int8.self))
        case .int16: return .int16(build(Int16.self))
        case .int32: return .int32(build(Int32.self))
        default: return .int64(build(Int64.self))
        }
    }

    private func strings(_ j: Int, chunks: [CSVChunk], rows: Int, validity: Bitmap?) -> ColumnData {
        let global = CSVStringTable()
        var dropped = false
        let codes: ColumnBuffer<UInt32> = fill(j, chunks: chunks, rows: rows) { values, target in
            guard case .string(let local, let table) = values else {
                for i in target.indices { target[i] = 0 }
                return
            }
            var map = [UInt32](repeating: 0, count: table.count)
            for e in 0..<table.count where !table.invalid[e] {
                map[e] = UInt32(table.withEntry(e) { p, n in
                    let h = table.storedHash(e)
                    if let g = global.find(p, n, hash: h) { return g }
                    return global.insert(p, n, hash: h)
                })
            }
            let s = local.values(UInt32.self)
            for i in s.indices { target[i] = map[Int(s[i])] }
        }
        for c in chunks where !c.output.droppedRows.isEmpty { dropped = true }
        if !dropped {
            return .string(codes: codes, dictionary: StringDictionary((0..<global.count).map(global.string)))
        }
        // Rows were dropped: keep only the entries some row still uses, in order.
        var used = [Bool](repeating: false, count: global.count)
        codes.withUnsafeBufferPointer { s in
            for i in s.indices where validity?[i] ?? true { used[Int(s[i])] = true }
        }
        var remap = [UInt32](repeating: 0, count: global.count)
        var values: [String] = []
        for e in 0..<global.count where used[e] {
            remap[e] = UInt32(values.count)
            values.append(global.string(e))
        }
        let compact = ColumnBuffer<UInt32>(count: rows) { target in
            codes.withUnsafeBufferPointer { s in for i in s.indices { target[i] = remap[Int(s[i])] } }
        }
        return .string(codes: compact, dictionary: StringDictionary(values))
    }
}

/// Work spread over threads with Dispatch.
enum CSVParallel {
    /// Calls `body` for 0..<count on up to `threads` threads; results in index order.
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        if count == 0 { return [] }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer {
            results.deinitialize(count: count)
            results.deallocate()
        }
        let workers = min(max(threads, 1), count)
        if workers == 1 {
            for i in 0..<count { results[i] = body(i) }
        } else {
            let next = CSVWorkCounter()
            withoutActuallyEscaping(body) { body in
                let shared = CSVUnsafeShared(body: body, results: results)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let i = next.take()
                        if i >= count { break }
                        shared.results[i] = shared.body(i)
                    }
                }
            }
        }
        return (0..<count).map { results[$0]! }
    }
}

/// The closure and result slots shared by the workers of one `CSVParallel.map`.
private struct CSVUnsafeShared<T>: @unchecked Sendable {
    // @unchecked Sendable: each worker writes only the result slots of the indices it takes, and
    // `body` only reads state that no thread mutates during the map.
    let body: (Int) -> T
    let results: UnsafeMutablePointer<T?>
}

import Synchronization

/// Hands out work indices to threads.
private final class CSVWorkCounter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
