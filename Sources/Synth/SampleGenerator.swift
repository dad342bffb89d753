// SampleGenerator: the module's entry point: generate a DSG17-shaped log and write it.
//
// The model (see `ListenModel`, `Catalogue`, `Population`, `UserLog`) is built from the
// seed, the log is generated in memory in parallel and sorted by time (`ListenLog`), then
// formatted and written through temporary files that are renamed into place only when both
// are complete (`AtomicFile`): an error never leaves a half-written file behind.

/// Generates synthetic DSG17 listening logs.
package enum SampleGenerator {
    /// Writes the CSV (and optionally, line for line, each row's true listen probability) atomically.
    ///
    /// The same `config` always produces the same bytes, on any number of threads.
    package static func write(_ config: SampleConfig, to path: String,
                              probabilitiesTo probabilitiesPath: String? = nil) throws(SynthError) -> SampleSummary {
        try write(config, to: path, probabilitiesTo: probabilitiesPath, workers: ListenLog.defaultWorkers)
    }

    /// `write` on a given number of threads (1 = no concurrency), for tests of determinism.
    static func write(_ config: SampleConfig, to path: String, probabilitiesTo probabilitiesPath: String?,
                      workers: Int) throws(SynthError) -> SampleSummary {
        try config.validate()
        if let p = probabilitiesPath, p == path {
            throw SynthError(.invalidConfig, "the probabilities file must differ from the data file '\(path)'")
        }
        // Open both files first, so a bad path fails before the work is done.
        var csv = try AtomicFile(path: path)
        var probabilities: AtomicFile?
        do throws(SynthError) {
            if let p = probabilitiesPath { probabilities = try AtomicFile(path: p) }
        } catch {
            csv.discard()
            throw error
        }
        let log = ListenLog(config, workers: workers)
        do throws(SynthError) {
            try LogWriter(log: log, workers: workers).write(csv: &csv, probabilities: &probabilities)
            try probabilities?.commit()
            try csv.commit()
        } catch {
            csv.discard()
            probabilities?.discard()
            throw error
        }
        var summary = log.summary
        summary.bytes = csv.bytes
        summary.probabilityBytes = probabilities?.bytes ?? 0
        return summary
    }
}
