// LogWriter: formats a `ListenLog` as train.csv (and optionally its probabilities, line for
// line) and streams it to files.
//
// The sorted rows are cut into blocks of 65,536; a batch of blocks is formatted in parallel,
// each into its own buffer, and the buffers are then written in block order. Block contents
// depend only on the block's rows, so the bytes are the same on any number of threads.
// Per-track raw values are gathered into flat arrays first, so formatting a row costs one
// lookup per attribute.

import Dispatch

/// Writes a log's CSV and probability files.
struct LogWriter {
    /// Rows per formatting block.
    static let blockRows = 65_536
    /// Blocks formatted at once: the batch's buffers (about 12 MB each) are the writer's memory.
    static let blocksPerBatch = 8

    let log: ListenLog
    let workers: Int

    /// Writes the header and all rows to `csv`, and `p` lines to `probabilities` if given.
    func write(csv: inout AtomicFile, probabilities: inout AtomicFile?) throws(SynthError) {
        try csv.write(Array((DSG17.header + "\n").utf8))
        if probabilities != nil { try probabilities!.write(Array("p\n".utf8)) }

        let catalogue = log.catalogue
        let population = log.population
        let tables = FlatTables(catalogue: catalogue, population: population)
        let rows = log.rows
        let order = log.order
        let n = order.count
        let blocks = (n + Self.blockRows - 1) / Self.blockRows
        let withProbabilities = probabilities != nil
        let buffers = BatchBuffers(count: Self.blocksPerBatch, withProbabilities: withProbabilities)
        defer { buffers.deallocate() }

        var first = 0
        while first < blocks {
            let batch = min(Self.blocksPerBatch, blocks - first)
            let firstBlock = first
            let format = { @Sendable (k: Int) in
                let block = firstBlock + k
                let range = (block * Self.blockRows)..<min(n, (block + 1) * Self.blockRows)
                buffers.csvCount[k] = Self.formatRows(range, order: order, rows: rows, tables: tables,
                                                      into: buffers.csv[k])
                if withProbabilities {
                    buffers.probabilityCount[k] = Self.formatProbabilities(range, order: order, rows: rows,
                                                                           into: buffers.probabilities[k])
                }
            }
            if workers <= 1 {
                for k in 0..<batch { format(k) }
            } else {
                DispatchQueue.concurrentPerform(iterations: batch, execute: format)
            }
            for k in 0..<batch {
                try csv.write(UnsafeRawBufferPointer(start: buffers.csv[k], count: buffers.csvCount[k]))
                if withProbabilities {
                    try probabilities!.write(UnsafeRawBufferPointer(start: buffers.probabilities[k],
                                                                    count: buffers.probabilityCount[k]))
                }
            }
            first += batch
        }
    }

    /// Formats rows `range` of the sorted log; returns the bytes written.
    static func formatRows(_ range: Range<Int>, order: [UInt64], rows: [ListenRow], tables: FlatTables,
                           into base: UnsafeMutablePointer<UInt8>) -> Int {
        var out = DecimalWriter(base: base)
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        for j in range {
            let row = rows[Int(truncatingIfNeeded: order[j] & 0xFFFF_FFFF)]
            let t = Int(row.track), u = Int(row.user)
            let platform = PlatformTable.joint[Int(row.platform)]
            out.integer(Int(tables.genre[t])); out.byte(comma)
            out.integer(Int(row.time)); out.byte(comma)
            out.integer(Int(tables.media[t])); out.byte(comma)
            out.integer(Int(tables.album[t])); out.byte(comma)
            out.integer(Int(row.context)); out.byte(comma)
            out.integer(Int(tables.release[t])); out.byte(comma)
            out.integer(Int(platform.name)); out.byte(comma)
            out.integer(Int(platform.family)); out.byte(comma)
            out.integer(Int(tables.duration[t])); out.byte(comma)
            out.integer(Int(row.listenType)); out.byte(comma)
            out.integer(Int(tables.gender[u])); out.byte(comma)
            out.integer(u); out.byte(comma)
            out.integer(Int(tables.artist[t])); out.byte(comma)
            out.integer(Int(tables.age[u])); out.byte(comma)
            out.integer(Int(row.label)); out.byte(newline)
        }
        return out.count
    }

    /// Formats the probabilities of rows `range`; returns the bytes written.
    static func formatProbabilities(_ range: Range<Int>, order: [UInt64], rows: [ListenRow],
                                    into base: UnsafeMutablePointer<UInt8>) -> Int {
        var out = DecimalWriter(base: base)
        for j in range {
            out.probability(Double(rows[Int(truncatingIfNeeded: order[j] & 0xFFFF_FFFF)].probability))
            out.byte(UInt8(ascii: "\n"))
        }
        return out.count
    }
}

/// Raw values per track and per user, gathered for formatting.
struct FlatTables: Sendable {
    let genre, media, album, release, duration, artist: [Int32]
    let gender, age: [UInt8]

    init(catalogue c: Catalogue, population p: Population) {
        genre = c.trackGenre.map { Int32(c.genres.ids[Int($0)]) }
        media = c.trackID
        album = c.trackAlbum.map { c.albumID[Int($0)] }
        release = c.trackAlbum.map { c.albumRelease[Int($0)] }
        duration = c.trackDuration
        artist = c.trackArtist.map { c.artistID[Int($0)] }
        gender = p.gender
        age = p.age
    }
}

/// The output buffers of one batch of blocks.
private final class BatchBuffers: @unchecked Sendable {
    // @unchecked Sendable: during a batch, block k's buffers and counts are touched only by the
    // thread formatting block k; the writer reads them after the batch has finished.
    let csv: [UnsafeMutablePointer<UInt8>]
    let probabilities: [UnsafeMutablePointer<UInt8>]
    let csvCount: UnsafeMutablePointer<Int>
    let probabilityCount: UnsafeMutablePointer<Int>

    init(count: Int, withProbabilities: Bool) {
        csv = (0..<count).map { _ in .allocate(capacity: LogWriter.blockRows * DecimalWriter.maxRowBytes) }
        probabilities = withProbabilities
            ? (0..<count).map { _ in .allocate(capacity: LogWriter.blockRows * DecimalWriter.maxProbabilityBytes) }
            : []
        csvCount = .allocate(capacity: count)
        csvCount.initialize(repeating: 0, count: count)
        probabilityCount = .allocate(capacity: count)
        probabilityCount.initialize(repeating: 0, count: count)
    }

    func deallocate() {
        for b in csv { b.deallocate() }
        for b in probabilities { b.deallocate() }
        csvCount.deallocate()
        probabilityCount.deallocate()
    }
}
