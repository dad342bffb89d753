// ListenLog: a whole generated log in memory, in time order.
//
// 1. Build the model: contexts, platforms, the label model, the catalogue, the population.
// 2. Generate every user's rows in parallel (`UserLog`): user u owns rows
//    firstRow[u] ..< firstRow[u] + rowCount[u] and its own random stream, so the result does
//    not depend on how users are spread over threads (`workers` only changes the spreading).
// 3. Give the clock outliers their timestamps: dsg17.md's 249 rows in 1970 (the smallest
//    ts_listen being 1) and 379 in 1980, scaled to the log's size, at random rows.
// 4. Order rows by (ts_listen, row index) with `RadixSort`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Frame

/// A generated log: rows plus the catalogue and population they refer to.
struct ListenLog: @unchecked Sendable {
    // @unchecked Sendable: `rows` and `order` are written only inside `generate` and
    // read-only afterwards.

    /// A log of this many rows or more shows each clock outlier kind at least once; smaller
    /// logs scale them strictly (a 100-row log should not be 2% outliers).
    static let minimumRowsForOutliers = 1_000
    /// Work items per worker thread when generating users: small enough to even out heavy users.
    static let chunksPerWorker = 64

    let config: SampleConfig
    let contexts: ContextTable
    let platforms: PlatformTable
    let catalogue: Catalogue
    let population: Population
    /// Rows in generation order (user by user).
    let rows: [ListenRow]
    /// Keys (ts_listen << 32 | index into `rows`), ascending: the file's row order.
    let order: [UInt64]

    /// The number of 1970 and 1980 rows in a log of `rows` rows.
    static func outlierCounts(rows: Int) -> (epoch: Int, year1980: Int) {
        func scaled(_ full: Int) -> Int {
            let x = Int((Double(full) * Double(rows) / Double(DSG17.fullRows)).rounded())
            return rows >= minimumRowsForOutliers ? max(1, x) : x
        }
        return (scaled(DSG17.rows1970), scaled(DSG17.rows1980))
    }

    /// The number of threads to use by default.
    static var defaultWorkers: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Generates the log of `config` on `workers` threads.
    init(_ config: SampleConfig, workers: Int = ListenLog.defaultWorkers) {
        self.config = config
        let contexts = ContextTable()
        let platforms = PlatformTable()
        let model = ListenModel(contexts: contexts)
        let catalogue = Catalogue(rows: config.rows, seed: config.seed, model: model)
        let population = Population(rows: config.rows, seed: config.seed, model: model)
        self.contexts = contexts
        self.platforms = platforms
        self.catalogue = catalogue
        self.population = population

        let n = config.rows
        let log = UserLog(catalogue: catalogue, population: population, model: model,
                          contexts: contexts, platforms: platforms)
        let users = population.count
        let chunks = min(users, max(1, workers) * Self.chunksPerWorker)
        var rows = [ListenRow](unsafeUninitializedCapacity: n) { buffer, count in
            buffer.initialize(repeating: .empty)
            let shared = SharedRows(buffer)
            let body = { @Sendable (chunk: Int) in
                var u = chunk
                while u < users {
                    log.generate(user: u, seed: config.seed, into: shared.buffer)
                    u += chunks
                }
            }
            if workers <= 1 {
                for c in 0..<chunks { body(c) }
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
            }
            count = n
        }

        Self.placeOutliers(&rows, seed: config.seed)
        self.rows = rows
        self.order = Self.timeOrder(rows)
    }

    /// Keys (ts_listen << 32 | row index) in time order, ties by row: Frame's stable radix sort
    /// of the 32-bit times, with the row indices carried along.
    static func timeOrder(_ rows: [ListenRow]) -> [UInt64] {
        let n = rows.count
        var times = rows.map(\.time)
        var index = (0..<n).map { UInt32(truncatingIfNeeded: $0) }
        if n > 1 {
            times.withUnsafeMutableBufferPointer { t in
                index.withUnsafeMutableBufferPointer { r in
                    RadixSort.sort(t.baseAddress!, payload: r.baseAddress!, count: n, bits: 32)
                }
            }
        }
        return (0..<n).map { UInt64(times[$0]) << 32 | UInt64(index[$0]) }
    }

    /// Gives randomly chosen rows 1970 and 1980 timestamps; the first 1970 one is ts 1.
    static func placeOutliers(_ rows: inout [ListenRow], seed: UInt64) {
        let (epoch, year1980) = outlierCounts(rows: rows.count)
        var rng = Xoshiro256(seed: seed, stream: .outliers)
        // Floyd's sampling of distinct indices; the array keeps the (deterministic) draw order.
        let wanted = min(epoch + year1980, rows.count)
        var chosen: [Int] = []
        var seen = Set<Int>()
        for j in (rows.count - wanted)..<rows.count {
            let t = rng.below(j + 1)
            let pick = seen.contains(t) ? j : t
            seen.insert(pick)
            chosen.append(pick)
        }
        for (k, i) in chosen.enumerated() {
            let time: Int
            if k < epoch {
                time = k == 0 ? 1 : 1 + rng.below(ListenClock.epochSpread)
            } else {
                time = ListenClock.start1980 + rng.below(ListenClock.epochSpread)
            }
            rows[i].time = UInt32(time)
        }
    }
}

/// The row buffer shared by the generating threads.
private struct SharedRows: @unchecked Sendable {
    // @unchecked Sendable: each thread writes only the rows of the users it generates, and
    // those ranges are disjoint.
    let buffer: UnsafeMutableBufferPointer<ListenRow>
    init(_ buffer: UnsafeMutableBufferPointer<ListenRow>) { self.buffer = buffer }
}
