// CatalogueShape: the observable attributes of albums and tracks, shaped after dsg17.md.
//
// Release dates (per album, YYYYMMDD). A release is "recent" with probability 0.75, aged
// Exponential(mean 1.8 years) before 2016-11-01, or else a catalogue title aged uniformly over
// 66 years (back to 1950); this puts the row-weighted median near 20141031. Then, by expected
// rows (`RowBudget`): 0.15% of rows get the placeholder 30000101, 0.1% the placeholder
// 19000101, and 0.25% a real date after the window opens (2016-11-10..2017-02-28), of which
// about 93% are listened before release; with the 30000101 rows that gives dsg17.md's 28,827
// rows (0.38%) before release.
//
// Ids. Albums get sparse album_ids in order of release date (placeholders at random places),
// tracks get media_ids in album order: newer music has larger ids, as in Deezer's catalogue.
// Artist ids are sparse over 1..11,447,410 in random order.
//
// Durations (per track, seconds). Log-normal with median 222 s and sigma 0.2525 (mean 229 s),
// clamped to 31...3600; by expected rows, 0.003% of rows get the sentinel 65,535 (which lifts
// the mean to dsg17.md's 231 s), 0.02% get 0, and the rest of dsg17.md's 5,957 rows at 30 s or
// less get 1...30 s.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Release dates, raw ids and durations of the catalogue.
enum CatalogueShape {
    /// Share of albums released recently, and the mean age of those releases.
    static let recentReleaseShare = 0.75
    static let recentReleaseMeanYears = 2.0
    /// Catalogue titles are released uniformly over this many years before the window.
    static let catalogueYears = 66
    /// Row shares of the release placeholders and of releases after the window opened.
    static let futurePlaceholderShare = 0.0015
    static let pastPlaceholderShare = 0.0010
    static let preReleaseShare = 0.0025
    /// Days after 2016-11-01 a pre-released album comes out: 2016-11-10..2017-02-28.
    static let preReleaseDays = 9...119

    /// Median and log-normal spread of track durations (seconds), and the clamp of ordinary ones.
    static let durationMedian = DSG17.durationMedian
    static let durationSigma = 0.2525
    static let durationRange = 31...3_600
    /// Row shares of the duration sentinels 0 and 65,535, and of 1...30 s tracks.
    static let zeroDurationShare = 0.0002
    static let sentinelDurationShare = 0.00003
    static let shortDurationShare = Double(DSG17.shortDurationRows) / Double(DSG17.fullRows) - zeroDurationShare

    /// One release date per album, given each album's expected rows.
    static func releaseDates(albumRows: [Double], rows: Int, _ rng: inout Xoshiro256) -> [Int32] {
        let firstDay = ListenClock.firstMidnight / 86_400
        let maxAge = Double(catalogueYears) * 365.25
        var release = albumRows.indices.map { _ -> Int32 in
            let age = rng.chance(recentReleaseShare)
                ? min(rng.exponential(mean: recentReleaseMeanYears * 365.25), maxAge)
                : rng.uniform() * maxAge
            return Int32(ListenClock.yyyymmdd(fromDays: firstDay - Int(age)))
        }
        var taken = [Bool](repeating: false, count: albumRows.count)
        for a in RowBudget.pick(share: futurePlaceholderShare, rows: rows, expected: albumRows, taken: &taken, &rng) {
            release[a] = Int32(DSG17.releasePlaceholderFuture)
        }
        for a in RowBudget.pick(share: pastPlaceholderShare, rows: rows, expected: albumRows, taken: &taken, &rng) {
            release[a] = Int32(DSG17.releasePlaceholderPast)
        }
        for a in RowBudget.pick(share: preReleaseShare, rows: rows, expected: albumRows, taken: &taken, &rng) {
            let day = firstDay + preReleaseDays.lowerBound + rng.below(preReleaseDays.count)
            release[a] = Int32(ListenClock.yyyymmdd(fromDays: day))
        }
        return release
    }

    /// Raw album, track and artist ids. `trackAlbum` is non-decreasing (an album's tracks are
    /// contiguous).
    static func rawIDs(albumRelease: [Int32], trackAlbum: [Int32], artists: Int,
                       _ rng: inout Xoshiro256) -> (album: [Int32], track: [Int32], artist: [Int32]) {
        let albums = albumRelease.count
        // Placeholders sort among real dates at random.
        let key = albumRelease.map { date -> Int32 in
            let d = Int(date)
            if d == DSG17.releasePlaceholderFuture || d == DSG17.releasePlaceholderPast {
                return Int32(19_500_101 + rng.below(20_161_101 - 19_500_101))
            }
            return date
        }
        let order = (0..<albums).sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
        let albumIDs = SparseIDs.make(count: albums, in: DSG17.albumIDs, &rng)
        var album = [Int32](repeating: 0, count: albums)
        for (rank, a) in order.enumerated() { album[a] = albumIDs[rank] }

        var firstTrack = [Int](repeating: 0, count: albums + 1)
        for a in trackAlbum { firstTrack[Int(a) + 1] += 1 }
        for a in 0..<albums { firstTrack[a + 1] += firstTrack[a] }
        let trackIDs = SparseIDs.make(count: trackAlbum.count, in: DSG17.mediaIDs, &rng)
        var track = [Int32](repeating: 0, count: trackAlbum.count)
        var next = 0
        for a in order {
            for t in firstTrack[a]..<firstTrack[a + 1] {
                track[t] = trackIDs[next]
                next += 1
            }
        }

        var artist = SparseIDs.make(count: artists, in: DSG17.artistIDs, &rng)
        rng.shuffle(&artist)
        return (album, track, artist)
    }

    /// One duration per track, given each track's expected rows.
    static func durations(trackRows: [Double], rows: Int, _ rng: inout Xoshiro256) -> [Int32] {
        let mu = log(durationMedian)
        var duration = trackRows.indices.map { _ -> Int32 in
            let d = Int(rng.lognormal(mu: mu, sigma: durationSigma).rounded())
            return Int32(min(max(d, durationRange.lowerBound), durationRange.upperBound))
        }
        var taken = [Bool](repeating: false, count: trackRows.count)
        for t in RowBudget.pick(share: sentinelDurationShare, rows: rows, expected: trackRows, taken: &taken, &rng) {
            duration[t] = Int32(DSG17.durationSentinel)
        }
        for t in RowBudget.pick(share: zeroDurationShare, rows: rows, expected: trackRows, taken: &taken, &rng) {
            duration[t] = 0
        }
        for t in RowBudget.pick(share: shortDurationShare, rows: rows, expected: trackRows, taken: &taken, &rng) {
            duration[t] = Int32(1 + rng.below(30))
        }
        return duration
    }
}
