// ListenLog+Summary: counts and rates of a generated log.

extension ListenLog {
    /// Rows, distinct users / tracks / albums / artists, label and probability means; the byte
    /// counts are filled in by the writer.
    var summary: SampleSummary {
        var track = [Bool](repeating: false, count: catalogue.trackCount)
        var album = [Bool](repeating: false, count: catalogue.albumID.count)
        var artist = [Bool](repeating: false, count: catalogue.artistID.count)
        var user = [Bool](repeating: false, count: population.count)
        var ones = 0
        var probability = 0.0
        for row in rows {
            let t = Int(row.track)
            track[t] = true
            album[Int(catalogue.trackAlbum[t])] = true
            artist[Int(catalogue.trackArtist[t])] = true
            user[Int(row.user)] = true
            ones += Int(row.label)
            probability += Double(row.probability)
        }
        func count(_ flags: [Bool]) -> Int { flags.reduce(0) { $0 + ($1 ? 1 : 0) } }
        let n = Double(max(rows.count, 1))
        return SampleSummary(rows: rows.count, users: count(user), tracks: count(track), albums: count(album),
                             artists: count(artist), listenRate: Double(ones) / n,
                             meanProbability: probability / n, bytes: 0, probabilityBytes: 0)
    }
}
