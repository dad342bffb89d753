// Preference rules: each rule's user x item matrix against its definition in
// Data/Preference.swift, computed from the raw rows of a random log. With n rows of a pair, s
// of them labelled 1 (label > 0.5):
//   listens  s           count  n           label  1 if s > 0
//   share    Σ label / n weight Σ w
// and a pair whose preference is 0 is not stored.

import Testing
import Learn

@Suite struct PreferenceTests {
    /// The definition of `preference` for the rows of one pair.
    func definition(_ preference: Preference, _ rows: [LogRow], hasLabel: Bool) -> Double {
        let n = Double(rows.count)
        let s = hasLabel ? Double(rows.filter { $0.label > 0.5 }.count) : n
        switch preference {
        case .listens: return s
        case .count: return n
        case .label: return s > 0 ? 1 : 0
        case .share: return (hasLabel ? rows.reduce(0) { $0 + $1.label } : n) / n
        case .weight: return rows.reduce(0) { $0 + $1.weight }
        }
    }

    @Test(arguments: Preference.allCases)
    func matrixEqualsTheDefinition(_ preference: Preference) throws {
        for (seed, hasLabel) in [(UInt64(21), true), (22, true), (23, false)] {
            var rows = randomLog(seed: seed, users: 12, items: 15, rows: 150)
            // Labels that are not 0 or 1 make share differ from listens / count.
            if seed == 22 { for r in rows.indices where r % 5 == 0 { rows[r].label = 0.25 } }
            var frame = try logFrame(rows)
            if !hasLabel { frame.schema[.label] = nil }
            let data = try TrainingData(frame, preference: PreferenceSpec(preference, weightColumn: "w"))
            let m = data.matrix
            var stored = 0
            for u in 0..<data.users.count {
                for i in 0..<data.items.count {
                    let pairRows = rows.filter { $0.user == data.users.raw[u] && $0.item == data.items.raw[i] }
                    let expected = pairRows.isEmpty ? 0 : definition(preference, pairRows, hasLabel: hasLabel)
                    #expect(abs(Double(m.value(u, i)) - expected) < 1e-5, "\(preference) user \(data.users.raw[u]) item \(data.items.raw[i])")
                    if expected != 0 { stored += 1 }
                }
            }
            // Zeros are not stored, and every stored value is nonzero.
            #expect(m.nonZeros == stored)
            #expect(m.values.allSatisfy { $0 != 0 })
        }
    }

    @Test func rulesDifferOnTheSameLog() throws {
        // One pair: rows labelled 1, 0, 1, 0.25 with weights 2, 3, 4, 5.
        var frame = try logFrame([LogRow(user: 1, item: 9, label: 1, time: 0, weight: 2),
                                  LogRow(user: 1, item: 9, label: 0, time: 1, weight: 3),
                                  LogRow(user: 1, item: 9, label: 1, time: 2, weight: 4),
                                  LogRow(user: 1, item: 9, label: 0.25, time: 3, weight: 5),
                                  LogRow(user: 2, item: 9, label: 0, time: 4, weight: 1)])
        frame.schema[.time] = nil
        let expected: [Preference: [Float]] = [
            .listens: [2], .count: [4, 1], .label: [1], .share: [0.5625], .weight: [14, 1],
        ]
        for preference in Preference.allCases {
            let data = try TrainingData(frame, preference: PreferenceSpec(preference, weightColumn: "w"))
            #expect(data.matrix.values == expected[preference], "\(preference)")
            #expect(!preference.summary.isEmpty)
        }
    }
}
