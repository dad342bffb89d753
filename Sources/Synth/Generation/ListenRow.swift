// ListenRow: one generated listen before it is sorted and formatted; 20 bytes, so the full
// 7,558,834-row log holds in about 150 MB.
//
// Only what varies by row is stored; the track's and the user's attributes are looked up
// through `track` and `user` when the row is written.

/// One listen.
struct ListenRow: Sendable, BitwiseCopyable {
    /// ts_listen, UNIX seconds (fits: the file's largest is 1,480,636,000 < 2^32).
    var time: UInt32
    /// Dense track index into `Catalogue`.
    var track: UInt32
    /// user_id (dense).
    var user: UInt32
    /// The true probability that this listen is not skipped.
    var probability: Float
    /// context_type, 0..73.
    var context: UInt8
    /// Index into `PlatformTable.joint`.
    var platform: UInt8
    /// listen_type, 0 or 1.
    var listenType: UInt8
    /// is_listened, 0 or 1.
    var label: UInt8

    static let empty = ListenRow(time: 0, track: 0, user: 0, probability: 0, context: 0, platform: 0,
                                 listenType: 0, label: 0)
}
