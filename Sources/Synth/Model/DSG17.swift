// DSG17: the published figures of the real Deezer train.csv (shared/dsg17.md) that the
// generator reproduces. Everything here is a measurement of the real file, never a tuning
// knob; the knobs that turn these targets into a model live beside the code that uses them.

/// Figures of the real DSG17 `train.csv`, the generator's targets.
enum DSG17 {
    /// The header of train.csv, in column order.
    static let header = "genre_id,ts_listen,media_id,album_id,context_type,release_date,platform_name,"
        + "platform_family,media_duration,listen_type,user_gender,user_id,artist_id,user_age,is_listened"

    /// Rows of train.csv: every count below is scaled by rows / fullRows.
    static let fullRows = 7_558_834
    /// Distinct users, dense ids 0..19,917.
    static let fullUsers = 19_918
    /// Distinct tracks (media_id) listened to.
    static let fullTracks = 452_975
    /// Distinct albums listened to (about).
    static let fullAlbums = 151_605
    /// Users with a single row (about 1,500 of 19,918).
    static let singleRowUsers = 1_500

    /// Raw id ranges: sparse, large, as in the file.
    static let mediaIDs: ClosedRange<Int> = 200_058...137_260_128
    static let albumIDs: ClosedRange<Int> = 1_976...14_720_858
    static let artistIDs: ClosedRange<Int> = 1...11_447_410
    /// The largest genre id seen.
    static let maxGenreID = 259_731

    /// Share of rows with genre_id 0.
    static let genreZeroShare = 0.40

    /// ts_listen of almost every row: 1,478,000,000..1,480,636,000 (2016-11-01..2016-12-01).
    static let listenWindow: ClosedRange<Int> = 1_478_000_000...1_480_636_000
    /// Rows whose clock said 1970 (the smallest ts_listen is 1) and 1980.
    static let rows1970 = 249
    static let rows1980 = 379

    /// Rows per context_type 0..5 and 73 (74 values 0..73 in all).
    static let contextRows: [Int: Int] = [
        0: 3_198_365, 1: 1_617_653, 2: 1_052_844, 3: 433_456, 4: 230_259, 5: 167_428, 73: 1,
    ]
    /// Number of context_type values, 0..73.
    static let contextCount = 74
    /// Mean of listen_type (1 = inside Flow).
    static let flowShare = 0.307

    /// Means of platform_name and platform_family (each 0, 1 or 2).
    static let platformNameMean = 0.473
    static let platformFamilyMean = 0.256

    /// media_duration: mean 231.15 s, median 222 s; 5,957 rows at 30 s or less; 0 and 65,535
    /// are sentinels.
    static let durationMean = 231.15
    static let durationMedian = 222.0
    static let shortDurationRows = 5_957
    static let durationSentinel = 65_535

    /// release_date placeholders and the median (row-weighted) release date.
    static let releasePlaceholderFuture = 30_000_101
    static let releasePlaceholderPast = 19_000_101
    static let releaseMedian = 20_141_031
    /// Rows listened before their album's release date.
    static let rowsBeforeRelease = 28_827

    /// Mean of user_gender.
    static let genderMean = 0.394
    /// user_age runs over 18...30; rows at the two ends.
    static let ages: ClosedRange<Int> = 18...30
    static let rowsAtAge18 = 537_853
    static let rowsAtAge30 = 725_423

    /// Mean of is_listened (5,170,492 ones of 7,558,834).
    static let listenRate = 0.684033
    /// Listen rate at age 18 and at age 30.
    static let listenRateAge18 = 0.641
    static let listenRateAge30 = 0.748
    /// Lowest hourly listen rate (22h UTC) and highest (3h UTC).
    static let listenRateLowHour = (hour: 22, rate: 0.626)
    static let listenRateHighHour = (hour: 3, rate: 0.764)
}
