// The fast paths of the writer against simple references.

import Testing
import Frame
@testable import Synth

@Suite struct FormattingTests {
    private func written(_ body: (inout DecimalWriter) -> Void) -> String {
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: 4_096)
        defer { base.deallocate() }
        var w = DecimalWriter(base: base)
        body(&w)
        return String(decoding: UnsafeBufferPointer(start: base, count: w.count), as: UTF8.self)
    }

    @Test func integersMatchStringDescribing() {
        var values = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1_000, 65_535, 20_141_031, 137_260_128,
                      1_480_636_000, Int(UInt32.max), Int.max]
        var g = Xoshiro256(seed: 3)
        for _ in 0..<2_000 { values.append(Int(g.next() >> UInt64(1 + g.below(63)))) }
        for v in values { #expect(written { $0.integer(v) } == String(v)) }
        #expect(written { $0.integer(12); $0.byte(UInt8(ascii: ",")); $0.integer(0) } == "12,0")
    }

    @Test(arguments: [
        (0.684033, "0.684033"), (0.5, "0.500000"), (0.0123457, "0.0123457"), (0.09999996, "0.100000"),
        (0.0999994, "0.0999994"), (1.0, "0.999999"), (0.99999999, "0.999999"), (0.0, "0.00000100000"),
        (1e-9, "0.00000100000"), (0.000123456789, "0.000123457"),
    ])
    func probabilitiesHaveSixSignificantDigits(p: Double, text: String) {
        #expect(written { $0.probability(p) } == text)
    }

    @Test func probabilitiesRoundTripToSixDigits() {
        var g = Xoshiro256(seed: 12)
        for _ in 0..<2_000 {
            let p = g.uniform() * 0.998 + 0.001
            let back = Double(written { $0.probability(p) })!
            #expect(abs(back - p) <= p * 5e-6)
        }
    }

    @Test func timeOrderMatchesSorted() {
        var g = Xoshiro256(seed: 6)
        for n in [0, 1, 2, 17, 5_000] {
            // Times with many ties and a few outliers, as the generator makes them.
            let rows = (0..<n).map { _ -> ListenRow in
                var row = ListenRow.empty
                row.time = g.chance(0.01) ? UInt32(g.below(1_000)) : 1_478_000_000 + UInt32(g.below(50))
                return row
            }
            let reference = rows.indices.map { UInt64(rows[$0].time) << 32 | UInt64($0) }.sorted()
            #expect(ListenLog.timeOrder(rows) == reference)
        }
    }

    @Test func timeOrderIsStableOnEqualTimes() {
        func key(_ time: UInt64, _ index: UInt64) -> UInt64 { time << 32 | index }
        let rows = [5, 3, 5, 3].map { t -> ListenRow in
            var row = ListenRow.empty
            row.time = UInt32(t)
            return row
        }
        #expect(ListenLog.timeOrder(rows) == [key(3, 1), key(3, 3), key(5, 0), key(5, 2)])
    }
}
