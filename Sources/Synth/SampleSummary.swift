// SampleSummary: what a generated log contains, for the caller to report.

/// Counts and rates of a generated log.
package struct SampleSummary: Sendable, Equatable {
    /// Data rows written (the header is extra).
    package var rows: Int
    /// Distinct users (ids 0..<users, every one with at least one row).
    package var users: Int
    /// Distinct tracks (media_id) that appear in the log.
    package var tracks: Int
    /// Distinct albums that appear in the log.
    package var albums: Int
    /// Distinct artists that appear in the log.
    package var artists: Int
    /// Mean of is_listened.
    package var listenRate: Double
    /// Mean of the true listen probabilities.
    package var meanProbability: Double
    /// Size of the CSV file in bytes.
    package var bytes: Int
    /// Size of the probabilities file in bytes, 0 if none was written.
    package var probabilityBytes: Int
}
