// CSVReader: the fast, parallel reader of delimited text into a DataFrame.
//
// Plan of a read:
//   1. Open: map the file (or inflate gzip), skip a UTF-8 byte-order mark, sniff the delimiter,
//      read the first record (header, or the first data record to count fields), resolve the
//      plan (names, selected columns, forced types). With `maxRows`, a sequential scan finds the
//      byte offset after the last wanted record and the rest of the input is never touched.
//   2. Windows: the data bytes are cut into chunks of `chunkSize`, a window of a few chunks per
//      thread at a time. For each window, in parallel: the transition function of every chunk
//      (CSVScanner); then, after composing them left to right into each chunk's starting state,
//      the fused integer path (CSVIntegerChunkParser) or, when it declines, stage 1 (CSVIndexer:
//      record and field spans) and stage 2 (CSVChunkParser: typed pieces) of every chunk. A
//      window the fused path is tried on reads its chunks from copies made with pread
//      (CSVChunkBuffers); the others map the file's pages and release them behind the window.
//      Peak memory holds the pieces and one window of the file.
//   3. Assemble (CSVAssembler): types joined over the whole file, text pieces re-read where a
//      column turned out to be text, columns concatenated at their final width, largest first,
//      each into the memory given up by the arena of a column built before it.
// Cancellation is polled between windows and before each chunk. Under `fail`, the first
// problem in file order (record, then field) is thrown once its window is done; problems are
// located by byte offset, and only the lines of problems reported are counted (CSVLineLocator).
//
// Decisions a demanding user relies on (the reference reader implements the same):
// - Empty input (no record at all, blank lines only) is `.empty`. A header and no data is not an
//   error: the frame has the header's columns and 0 rows, typed text unless `types` says
//   otherwise (no value to infer from, as with a column that is entirely null).
// - Blank lines are skipped everywhere. `maxRows` counts data records read, including records
//   later skipped under `skip`.
// - Ragged records are dropped under `skip` and `null` (a record cannot be nulled) and counted
//   in `skippedRows`. An unterminated quote is always fatal: nothing after it can be trusted.
// - Types are inferred from every cell of the records read, including cells of rows later
//   dropped for a bad cell; cells that are not UTF-8 count as null for inference.

/// The fast CSV reader.
package enum CSVReader {
    /// Bytes per chunk when the options do not say: the spans and slots of a chunk stay in L2.
    static let defaultChunkSize = 512 * 1024
    /// Chunks per thread in one window: enough to balance threads and make the two barriers of
    /// a window rare (8 measured 2% faster than 4 on the full-size log once chunks became fast),
    /// small enough to bound the mapped pages held before release (8 MB on 2 threads).
    static let chunksPerThreadInWindow = 8

    /// Reads the CSV (or gzip-compressed CSV) file at `path`.
    package static func read(path: String, options: CSVOptions = .init()) throws(CSVError) -> (DataFrame, CSVReport) {
        try options.validate(file: path)
        let source = try CSVSource.open(path: path)
        return try read(source, options: options)
    }

    /// Reads CSV (or gzip) bytes held in memory; `name` is used in messages.
    package static func read(bytes: [UInt8], name: String, options: CSVOptions = .init()) throws(CSVError) -> (DataFrame, CSVReport) {
        try options.validate(file: name)
        let result: Result<(DataFrame, CSVReport), CSVError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(CSVError) {
                let source = try CSVSource.borrowing(buffer, name: name)
                return .success(try read(source, options: options))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func read(_ source: CSVSource, options: CSVOptions) throws(CSVError) -> (DataFrame, CSVReport) {
        let name = source.name
        let prelude = try CSVPrelude(source: source, options: options)
        let plan = prelude.plan
        let scanner = CSVScanner(base: source.base, end: prelude.end, delimiter: prelude.delimiter)
        let nulls = CSVNullTokens(options.nullTokens)
        let threads = max(1, options.threads)
        let chunkSize = options.chunkSize ?? defaultChunkSize
        let windowSize = chunkSize.multipliedReportingOverflow(by: threads * chunksPerThreadInWindow).overflow
            ? Int.max / 2 : chunkSize * threads * chunksPerThreadInWindow
        let indexer = CSVIndexer(scanner: scanner, fieldCount: plan.fieldCount, failFast: options.onError == .fail)
        let parser = CSVChunkParser(base: source.base, limit: source.base + source.count, plan: plan, nulls: nulls, policy: options.onError)
        let integers = CSVIntegerChunkParser(end: prelude.end, delimiter: prelude.delimiter, plan: plan, nulls: nulls)
        let wholeInput = CSVByteWindow(base: source.base, start: 0, count: source.count)
        // Windows the fused path is tried on are copied out of the file, not mapped.
        let copies = integers == nil ? nil
            : CSVChunkBuffers(source: source, chunkSize: chunkSize, count: threads * chunksPerThreadInWindow)
        // The fused path is tried in a window unless most chunks of the previous window fell
        // back from it (then it rests for one window).
        var integersWorthTrying = true
        let allColumns = Array(plan.selected.indices)
        let dataBytes = prelude.end - prelude.dataStart
        let arenaBytes = CSVPieceArena.bytesBound(dataBytes: dataBytes, fieldCount: plan.fieldCount,
                                                  chunks: dataBytes / chunkSize + 1)
        let arenas = plan.selected.map { _ in CSVPieceArena(reserving: arenaBytes) }
        let scratches = CSVScratchPool()
        let cancellation = options.cancellation

        var chunks: [CSVChunk] = []
        var hints = [CSVPieceKind](repeating: .null, count: plan.selected.count)
        var state = CSVState.recordStart
        var lines = CSVLineLocator(scanner: scanner, start: prelude.dataStart, line: prelude.dataLine)
        var position = prelude.dataStart
        while position < prelude.end {
            if cancellation?.isCancelled == true { throw cancelled(name) }
            let windowEnd = position + min(windowSize, prelude.end - position)
            let ranges = stride(from: position, to: windowEnd, by: chunkSize).map { $0..<min($0 + chunkSize, windowEnd) }
            let releaseBelow = position
            let fused = integersWorthTrying && CSVIntegerChunkParser.accepts(hints) ? integers : nil
            let windowCopies = fused == nil ? nil : copies
            let scans = CSVParallel.map(ranges.count, threads: threads) { i -> (CSVTransition, CSVByteWindow?) in
                // Page-table work runs in the tasks, not serially between them: map this chunk's
                // pages in one call (unless it is copied out instead), and let the first task drop
                // the previous window and start reading ahead the next.
                if i == 0 {
                    source.release(below: releaseBelow)
                    source.prefetch(windowEnd..<min(prelude.end, windowEnd + windowSize))
                }
                if let copy = windowCopies?.read(ranges[i], slot: i) {
                    let local = CSVScanner(base: copy.base, end: copy.count, delimiter: prelude.delimiter)
                    return (local.transition(0..<ranges[i].count), copy)
                }
                source.populate(ranges[i])
                return (scanner.transition(ranges[i]), nil)
            }
            var starts: [CSVState] = []
            for (t, _) in scans {
                starts.append(state)
                state = t.apply(state)
            }
            let windowHints = hints
            let windowArenas = arenas
            let outputs = CSVParallel.map(ranges.count, threads: threads) { i -> (origin: Int, recordsEnd: Int, output: CSVChunkOutput, fellBack: Bool)? in
                if cancellation?.isCancelled == true { return nil }
                let scratch = scratches.take()
                defer { scratches.give(scratch) }
                if let fused {
                    if let (origin, recordsEnd, output) = fused.parse(ranges[i], state: starts[i], bytes: scans[i].1 ?? wholeInput,
                                                                      scratch: scratch, arenas: windowArenas) {
                        return (origin, recordsEnd, output, false)
                    }
                }
                // The index's offsets live in the scratch, which the next chunk reuses.
                let index = indexer.index(ranges[i], state: starts[i], scratch: scratch)
                let output = parser.parse(index, columns: allColumns, hints: windowHints, arenas: windowArenas,
                                          scratch: scratch)
                return (index.origin, index.recordsEnd, output, fused != nil)
            }
            let fellBack = outputs.reduce(0) { $0 + ($1?.fellBack == true ? 1 : 0) }
            integersWorthTrying = fused == nil || 2 * fellBack <= outputs.count
            for result in outputs {
                guard let (origin, recordsEnd, output, _) = result else { throw cancelled(name) }
                let chunk = CSVChunk(origin: origin, recordsEnd: recordsEnd, output: output)
                if let failure = output.failure {
                    throw locate(failure, lines: &lines, plan: plan, file: name)
                }
                for j in hints.indices { hints[j] = hints[j].joined(output.pieces[j]!.kind) }
                chunks.append(chunk)
            }
            position = windowEnd
        }
        if cancellation?.isCancelled == true { throw cancelled(name) }

        // Assemble.
        let regions = CSVRegionPool()
        let assembler = CSVAssembler(plan: plan, scanner: scanner, limit: source.base + source.count, nulls: nulls, policy: options.onError,
                                     threads: threads, regions: regions)
        let types = plan.selected.indices.map { assembler.type(of: $0, chunks: chunks) }
        assembler.rereadTextPieces(&chunks, types: types, arenas: arenas)
        let rows = chunks.reduce(0) { $0 + $1.output.rows }
        // Columns are built in parallel; each column's pieces are given up as soon as it is built
        // (its arena's memory becomes a later column's buffer), so peak memory is the pieces plus
        // the columns in flight. Largest first: the columns built later then find a region at
        // least as large as they need, and the threads finish together.
        let built = chunks
        let sizes = plan.selected.indices.map { assembler.valueBytes($0, type: types[$0], chunks: built, rows: rows) }
        let order = plan.selected.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        let builtInOrder = CSVParallel.map(order.count, threads: threads) { k -> Column in
            let j = order[k]
            let column = assembler.column(j, type: types[j], chunks: built, rows: rows)
            if let region = arenas[j].takeRegion() { regions.put(region) }
            return column
        }
        var columns = builtInOrder
        for (k, j) in order.enumerated() { columns[j] = builtInOrder[k] }

        var report = CSVReport()
        report.delimiter = prelude.delimiter
        report.bytesRead = prelude.end
        var examples: [CSVError] = []
        for c in chunks {
            report.skippedRows += c.output.skipped
            report.nulledCells += c.output.nulled
            for e in c.output.examples where examples.count < CSVChunkParser.maxExamples {
                examples.append(locate(e, lines: &lines, plan: plan, file: name))
            }
        }
        report.examples = examples
        return (DataFrame(unchecked: columns, rowCount: rows), report)
    }

    static func cancelled(_ file: String) -> CSVError {
        CSVError(kind: .cancelled, file: file, message: CSVError.cancelledMessage)
    }

    /// The located error of a problem.
    static func locate(_ p: CSVProblem, lines: inout CSVLineLocator, plan: CSVPlan, file: String) -> CSVError {
        let line = lines.line(at: p.offset)
        return CSVError(kind: p.kind, file: file, line: line, column: p.field.map { $0 + 1 },
                        columnName: p.field.flatMap { $0 < plan.fieldCount ? plan.names[$0] : nil }, message: p.message)
    }
}

/// Physical line numbers of byte offsets, counted on demand: only the few problems a read
/// reports need them, so parsing does not count lines. Offsets asked in increasing order (as
/// problems are met in file order) cost one pass over the input in all.
struct CSVLineLocator {
    let scanner: CSVScanner
    /// An offset and its line, where counting starts over.
    let start: Int
    let startLine: Int
    private var offset: Int
    private var line: Int

    init(scanner: CSVScanner, start: Int, line: Int) {
        self.scanner = scanner
        self.start = start
        self.startLine = line
        self.offset = start
        self.line = line
    }

    /// The line of byte `p` (at or after `start`).
    mutating func line(at p: Int) -> Int {
        if p < offset {
            offset = start
            line = startLine
        }
        line += scanner.countNewlines(offset..<p)
        offset = p
        return line
    }
}
