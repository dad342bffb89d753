// SampleConfig: what to generate: how many rows, under which seed.

/// The size and seed of a generated listening log.
package struct SampleConfig: Sendable, Equatable {
    /// Largest log the generator accepts: it holds about 36 bytes per row in memory while
    /// sorting, so 50,000,000 rows (6.6 times the real file) need about 1.8 GB.
    package static let maximumRows = 50_000_000
    /// The size of the real train.csv, for a full-scale benchmark file.
    package static let fullScaleRows = DSG17.fullRows

    /// Number of data rows (the header is extra).
    package var rows: Int
    /// Seed of every random draw; the same (rows, seed) always gives the same bytes.
    package var seed: UInt64

    /// A configuration of `rows` rows under `seed`.
    package init(rows: Int, seed: UInt64) {
        self.rows = rows
        self.seed = seed
    }

    /// Throws if the configuration cannot be generated.
    package func validate() throws(SynthError) {
        guard rows >= 1 else { throw SynthError(.invalidConfig, "rows must be at least 1 (got \(rows))") }
        guard rows <= Self.maximumRows else {
            throw SynthError(.invalidConfig,
                             "rows must be at most \(Self.maximumRows) (got \(rows)); the real file has \(DSG17.fullRows)")
        }
    }
}
