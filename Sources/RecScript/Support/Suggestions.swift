// Closest-name suggestions by edit distance (as swift-argument-parser suggests flags).

/// Finds the name a user most likely meant.
package enum Suggestions {
    /// Damerau-Levenshtein (optimal string alignment) distance between `a` and `b`,
    /// compared case-insensitively.
    package static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// The candidate closest to `name`, if it is close enough to be a plausible typo:
    /// at most a third of the name's length in edits (at least 1, at most 3), or a
    /// case-insensitive prefix match of at least 3 characters.
    package static func closest(to name: String, in candidates: [String]) -> String? {
        let limit = min(3, max(1, name.count / 3))
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let d = distance(name, candidate)
            // An edit of every character is no typo: 'y' does not suggest 'x'.
            if d <= limit, d < name.count, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        if let best { return best.0 }
        if name.count >= 3 {
            return candidates.first { $0 != name && $0.lowercased().hasPrefix(name.lowercased()) }
        }
        return nil
    }

    /// `"; did you mean 'x'?"` or the empty string.
    package static func didYouMean(_ name: String, in candidates: [String]) -> String {
        closest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
