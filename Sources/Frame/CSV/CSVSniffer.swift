// CSVSniffer: guessing the delimiter and skipping a UTF-8 byte-order mark.
//
// The sniffer reads at most `maxLines` lines within the first `maxBytes` bytes and counts each
// candidate (comma, tab, semicolon, pipe) outside double quotes on every non-blank line. A
// candidate that appears the same non-zero number of times on every complete line wins; among
// several, the one with the most fields, then the earlier in `candidates`. Without a consistent
// candidate, the one most frequent on the first line wins; with none at all, comma (a one-column
// file).

/// Delimiter detection.
enum CSVSniffer {
    /// Candidates in order of preference.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]
    /// Lines looked at: enough to see a pattern, few enough to stay instant.
    static let maxLines = 20
    /// Bytes looked at, so a file with enormous lines is not read whole.
    static let maxBytes = 64 * 1024

    /// Length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3).
    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The delimiter of `bytes` (the input after any byte-order mark).
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let limit = min(bytes.count, maxBytes)
        var lines: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineHasBytes = false
        var complete = false
        var i = 0
        while i < limit && lines.count < maxLines {
            let b = bytes[i]
            if b == CSVScanner.quote {
                inQuotes.toggle()
            } else if b == CSVScanner.newline && !inQuotes {
                if lineHasBytes { lines.append(counts) }
                counts = [Int](repeating: 0, count: candidates.count)
                lineHasBytes = false
            } else if !inQuotes, let k = candidates.firstIndex(of: b) {
                counts[k] += 1
            }
            if b != CSVScanner.newline && b != CSVScanner.carriageReturn { lineHasBytes = true }
            i += 1
        }
        // The last line is complete only when the sample reached the end of the input.
        complete = limit == bytes.count && !inQuotes
        if lineHasBytes && (complete || lines.isEmpty) { lines.append(counts) }
        guard let first = lines.first else { return candidates[0] }

        var best: (index: Int, count: Int)? = nil
        for k in candidates.indices {
            let c = first[k]
            guard c > 0, lines.allSatisfy({ $0[k] == c }) else { continue }
            if best == nil || c > best!.count { best = (k, c) }
        }
        if let best { return candidates[best.index] }
        var most = 0
        for k in candidates.indices where first[k] > first[most] { most = k }
        return candidates[most]
    }
}
