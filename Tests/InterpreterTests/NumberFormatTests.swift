import Testing
import Frame
import Interpreter

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (12_345, "12,345"), (1_234_567, "1,234,567"),
        (-1234, "-1,234"), (-999, "-999"), (Int.min, "-9,223,372,036,854,775,808"),
    ])
    func grouped(_ n: Int, _ expected: String) {
        #expect(NumberFormat.grouped(n) == expected)
    }

    @Test func countsAndShapes() {
        #expect(NumberFormat.count(1, "row") == "1 row")
        #expect(NumberFormat.count(0, "row") == "0 rows")
        #expect(NumberFormat.count(200_000, "row") == "200,000 rows")
        #expect(NumberFormat.shape(rows: 1, columns: 15) == "1 row × 15 columns")
        #expect(NumberFormat.shape(rows: 2_000, columns: 1) == "2,000 rows × 1 column")
    }

    @Test(arguments: [
        (3.14159, 2, "3.14"), (2.0, 3, "2.000"), (-1.5, 1, "-1.5"), (-0.0001, 2, "0.00"), (-0.0, 0, "0"),
        (1e6, 0, "1000000"), (0.125, 2, "0.12"), (Double.nan, 2, "NaN"), (.infinity, 2, "inf"), (-.infinity, 0, "-inf"),
    ])
    func fixed(_ x: Double, _ decimals: Int, _ expected: String) {
        #expect(NumberFormat.fixed(x, decimals: decimals) == expected)
    }

    @Test(arguments: [
        (3.0, "3"), (-2.5, "-2.5"), (0.5, "0.5"), (0.123456, "0.1235"), (1234.5, "1234.5"), (0.0, "0"),
        (1e15, "1.0000e+15"), (-2.5e16, "-2.5000e+16"), (0.00001, "1.0000e-05"), (0.0001, "0.0001"),
        (123456789.0, "123456789"), (Double.nan, "NaN"), (.infinity, "inf"), (0.99999, "1"),
    ])
    func general(_ x: Double, _ expected: String) {
        #expect(NumberFormat.general(x) == expected)
    }

    @Test func decimalsForAColumn() {
        #expect(NumberFormat.decimals(for: [1, 2, 3]) == 0)
        #expect(NumberFormat.decimals(for: [1, 2.5]) == 4)
        #expect(NumberFormat.decimals(for: [12_345_678.5, 2]) == 2)
        #expect(NumberFormat.decimals(for: [.nan, .infinity, 1]) == 0)
        #expect(NumberFormat.decimals(for: []) == 0)
    }

    @Test func autoStyleLinesUpDecimalsAndKeepsIntegersAsTheyAre() {
        #expect(NumberFormat.column([.double(1.5), .double(2), .double(-3.25)], style: .auto) == ["1.5000", "2.0000", "-3.2500"])
        #expect(NumberFormat.column([.double(1), .double(2)], style: .auto) == ["1", "2"])
        #expect(NumberFormat.column([.double(12_345_678.5), .double(1)], style: .auto) == ["12345678.50", "1.00"])
        #expect(NumberFormat.column([.int(137_260_128), .int(-5)], style: .auto) == ["137260128", "-5"])
        #expect(NumberFormat.column([.null, .bool(true), .string("x"), .double(.nan)], style: .auto) == ["null", "true", "x", "NaN"])
    }

    @Test func autoStyleSwitchesTheWholeColumnToScientific() {
        #expect(NumberFormat.column([.double(2e16), .double(1), .double(0)], style: .auto) == ["2.0000e+16", "1.0000e+00", "0"])
        #expect(NumberFormat.column([.double(0.00001), .double(0.5)], style: .auto) == ["1.0000e-05", "5.0000e-01"])
    }

    @Test func countStyleGroupsThousands() {
        #expect(NumberFormat.column([.int(1_234_567), .double(2000), .double(2.5)], style: .count) == ["1,234,567", "2,000", "2.5000"])
    }

    @Test func percentStyle() {
        #expect(NumberFormat.column([.double(0.125), .double(1), .int(0), .null], style: .percent) == ["12.5%", "100.0%", "0.0%", "null"])
    }

    @Test func trimmedStyleWritesEachNumberOnItsOwn() {
        #expect(NumberFormat.column([.double(1.5e9), .double(0.25), .double(3), .int(4)], style: .trimmed) == ["1500000000", "0.25", "3", "4"])
    }
}
