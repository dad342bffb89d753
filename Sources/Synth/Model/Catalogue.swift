// Catalogue: the artists, albums and tracks that listens pick from, with everything a row
// reads from its track: raw ids, genre, release date, duration, and the hidden taste
// parameters (bias and latent factor vector).
//
// Structure. Artists (one genre each) have Zipf(1...50, s = 1.8) albums, albums have
// Zipf(1...30, s = 1.7) tracks; the counts scale with rows / 7,558,834, so rows per track stay
// as in the real file at every scale. The first artists take each genre in turn, so no genre is
// empty.
//
// Popularity. A track's weight is the product of log-normal artist, album and track factors;
// a row picks a genre with `GenreTable` shares and then a track of that genre with probability
// weight / (sum of the genre's weights). So P(track i) = share(genre i) w_i / W(genre i), and
// every row (repeats included) has this marginal.
//
// Taste. Genres, artists and tracks draw standard normal k-vectors; a track's factor is
//   q_i = s (sqrt(0.25) g_genre + sqrt(0.55) a_artist + sqrt(0.2) e_i),
// so tracks of one artist or genre are liked by the same users, and its bias is
//   b_i = sigma_i (sqrt(0.5) b_artist + sqrt(0.5) e_i), centred so that its row-weighted mean is 0.
//
// Release dates (per album), ids and durations (per track) follow `CatalogueShape`.

import Frame

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The music catalogue of one generated log.
struct Catalogue: Sendable {
    /// Artists at full scale: with 3.57 albums per artist and 3.39 tracks per album on average
    /// this makes about 193,000 albums and 650,000 tracks, of which about 152,000 and 448,000
    /// get listened to (measured; dsg17.md: 151,605 and 452,975).
    static let fullArtists = 54_000
    /// Albums per artist and tracks per album.
    static let albumsPerArtist = ZipfDistribution(n: 50, exponent: 1.8)
    static let tracksPerAlbum = ZipfDistribution(n: 30, exponent: 1.7)
    /// Log-normal spreads of artist, album and track popularity: a heavy-tailed hit parade.
    static let artistPopularitySigma = 1.4
    static let albumPopularitySigma = 0.6
    static let trackPopularitySigma = 0.8
    /// Shares of a track's factor variance from its genre, its artist and itself.
    static let genreFactorShare = 0.25
    static let artistFactorShare = 0.55
    /// Share of a track's bias variance from its artist.
    static let artistBiasShare = 0.5

    /// Genre ids and shares.
    let genres: GenreTable
    /// Per track: raw media_id, album index, artist index, genre index.
    let trackID: [Int32]
    let trackAlbum: [Int32]
    let trackArtist: [Int32]
    let trackGenre: [UInt8]
    /// Per track: media_duration in seconds.
    let trackDuration: [Int32]
    /// Per track: bias (logit units) and latent factors.
    let trackBias: [Float]
    let trackFactor: [SIMD8<Float>]
    /// Per track: the probability that a row picks it.
    let trackProbability: [Double]
    /// Per album: raw album_id and release_date (YYYYMMDD).
    let albumID: [Int32]
    let albumRelease: [Int32]
    /// Per artist: raw artist_id.
    let artistID: [Int32]
    /// Tracks of each genre and the sampler over them.
    private let genreTracks: [[Int32]]
    private let genreSamplers: [AliasTable]

    /// The number of tracks.
    var trackCount: Int { trackID.count }

    /// Builds the catalogue for a log of `rows` rows.
    init(rows: Int, seed: UInt64, model: ListenModel) {
        var rng = Xoshiro256(seed: seed, stream: .catalogue)
        let genres = GenreTable()
        self.genres = genres
        let scale = Double(rows) / Double(DSG17.fullRows)
        let artists = max(genres.count, Int((Double(Self.fullArtists) * scale).rounded()))

        // Structure and popularity.
        var artistGenre = [Int](repeating: 0, count: artists)
        var albumArtist: [Int32] = []
        var trackAlbum: [Int32] = []
        var weight: [Double] = []
        for a in 0..<artists {
            artistGenre[a] = a < genres.count ? a : genres.sampler.sample(&rng)
            let artistWeight = rng.lognormal(mu: 0, sigma: Self.artistPopularitySigma)
            for _ in 0..<Self.albumsPerArtist.sample(&rng) {
                let album = Int32(albumArtist.count)
                albumArtist.append(Int32(a))
                let albumWeight = artistWeight * rng.lognormal(mu: 0, sigma: Self.albumPopularitySigma)
                for _ in 0..<Self.tracksPerAlbum.sample(&rng) {
                    trackAlbum.append(album)
                    weight.append(albumWeight * rng.lognormal(mu: 0, sigma: Self.trackPopularitySigma))
                }
            }
        }
        let tracks = trackAlbum.count
        let trackArtist = trackAlbum.map { albumArtist[Int($0)] }
        let trackGenre = trackArtist.map { UInt8(artistGenre[Int($0)]) }

        var genreTracks = [[Int32]](repeating: [], count: genres.count)
        for t in 0..<tracks { genreTracks[Int(trackGenre[t])].append(Int32(t)) }
        var probability = [Double](repeating: 0, count: tracks)
        for (g, members) in genreTracks.enumerated() {
            let total = members.reduce(0.0) { $0 + weight[Int($1)] }
            for t in members { probability[Int(t)] = genres.shares[g] * weight[Int(t)] / total }
        }
        genreSamplers = genreTracks.map { members in AliasTable(weights: members.map { weight[Int($0)] }) }
        self.genreTracks = genreTracks
        self.trackProbability = probability
        self.trackAlbum = trackAlbum
        self.trackArtist = trackArtist
        self.trackGenre = trackGenre

        // Release dates, ids, durations.
        var albumRows = [Double](repeating: 0, count: albumArtist.count)
        for t in 0..<tracks { albumRows[Int(trackAlbum[t])] += probability[t] * Double(rows) }
        let release = CatalogueShape.releaseDates(albumRows: albumRows, rows: rows, &rng)
        albumRelease = release
        let ids = CatalogueShape.rawIDs(albumRelease: release, trackAlbum: trackAlbum,
                                        artists: artists, &rng)
        albumID = ids.album
        trackID = ids.track
        artistID = ids.artist
        trackDuration = CatalogueShape.durations(trackRows: probability.map { $0 * Double(rows) },
                                                 rows: rows, &rng)

        // Taste: factors and biases.
        let s = Float(model.factorScale)
        let genreFactor = (0..<genres.count).map { _ in Self.gaussianVector(&rng) }
        let artistFactor = (0..<artists).map { _ in Self.gaussianVector(&rng) }
        let wg = Float(Self.genreFactorShare.squareRoot())
        let wa = Float(Self.artistFactorShare.squareRoot())
        let wt = Float((1 - Self.genreFactorShare - Self.artistFactorShare).squareRoot())
        trackFactor = (0..<tracks).map { t in
            let own = Self.gaussianVector(&rng)
            return s * (wg * genreFactor[Int(trackGenre[t])] + wa * artistFactor[Int(trackArtist[t])] + wt * own)
        }
        let artistBias = (0..<artists).map { _ in rng.gaussian() }
        let ab = Self.artistBiasShare.squareRoot(), ob = (1 - Self.artistBiasShare).squareRoot()
        var bias = (0..<tracks).map { t in
            ListenModel.trackBiasDeviation * (ab * artistBias[Int(trackArtist[t])] + ob * rng.gaussian())
        }
        let mean = zip(bias, probability).reduce(0.0) { $0 + $1.0 * $1.1 }
        for t in 0..<tracks { bias[t] -= mean }
        trackBias = bias.map(Float.init)
    }

    /// Draws a track for a fresh (non-repeat) listen: a genre, then a track of that genre.
    @inline(__always)
    func sampleTrack(_ rng: inout Xoshiro256) -> Int {
        let g = genres.sampler.sample(&rng)
        return Int(genreTracks[g][genreSamplers[g].sample(&rng)])
    }

    /// A vector of k independent standard normals.
    static func gaussianVector(_ rng: inout Xoshiro256) -> SIMD8<Float> {
        var v = SIMD8<Float>()
        for j in 0..<8 { v[j] = Float(rng.gaussian()) }
        return v
    }
}
