// How numbers are written in tables and messages.
//
// Integers are written as they are, since most integer columns here are ids or dates that
// separators would garble (user 1,234 or 2,016,110,1); counts ask for separators explicitly.
// Floats get at most four decimals; a column of floats gets one number of decimals, so the
// decimal points line up. Very large or small magnitudes switch to scientific notation.

import Foundation
import Frame

/// Number formatting shared by every renderer.
package enum NumberFormat {
    /// Decimals shown for non-integral floats.
    package static let maxDecimals = 4
    /// Magnitudes at or above this switch to scientific notation.
    package static let scientificAbove = 1e15
    /// Nonzero magnitudes below this switch to scientific notation.
    package static let scientificBelow = 1e-4

    /// `1234567` as `1,234,567`.
    package static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `1 row`, `200,000 rows`.
    package static func count(_ n: Int, _ noun: String) -> String {
        "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// `200,000 rows × 15 columns`.
    package static func shape(rows: Int, columns: Int) -> String {
        "\(count(rows, "row")) × \(count(columns, "column"))"
    }

    /// `x` with exactly `decimals` decimals.
    package static func fixed(_ x: Double, decimals: Int) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        var s = String(format: "%.*f", decimals, x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
        return s
    }

    /// `x` in scientific notation with four significant decimals: `1.2346e+15`.
    package static func scientific(_ x: Double) -> String {
        String(format: "%.4e", x)
    }

    /// A float on its own: integral values without decimals, others with up to four,
    /// trailing zeros dropped.
    package static func general(_ x: Double) -> String {
        if !x.isFinite { return fixed(x, decimals: 0) }
        let m = abs(x)
        if m >= scientificAbove || (m > 0 && m < scientificBelow) { return scientific(x) }
        if x == x.rounded() { return fixed(x, decimals: 0) }
        var s = fixed(x, decimals: maxDecimals)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Columns whose largest magnitude reaches this get fewer decimals, to stay narrow.
    package static let fewerDecimalsAbove = 1e7

    /// The decimals a float column needs so its points line up: 0 if every value is integral,
    /// else four, or two for columns of large magnitudes (timestamps, ids).
    package static func decimals(for values: [Double]) -> Int {
        guard values.contains(where: { $0.isFinite && $0 != $0.rounded() }) else { return 0 }
        let largest = values.lazy.filter(\.isFinite).map(abs).max() ?? 0
        return largest >= fewerDecimalsAbove ? 2 : maxDecimals
    }

    /// Writes every cell of a column, as strings of one style.
    package static func column(_ cells: [Cell], style: NumberStyle) -> [String] {
        let doubles = cells.compactMap { if case .double(let d) = $0 { d } else { nil } }
        let decimals = decimals(for: doubles)
        let scientific = doubles.contains { $0.isFinite && (abs($0) >= scientificAbove || ($0 != 0 && abs($0) < scientificBelow && decimals > 0)) }
        return cells.map { cell in
            switch cell {
            case .null: return "null"
            case .int(let v):
                return style == .count ? grouped(Int(v)) : style == .percent ? fixed(Double(v) * 100, decimals: 1) + "%" : String(v)
            case .double(let v):
                if style == .percent { return fixed(v * 100, decimals: 1) + "%" }
                if style == .seconds { return fixed(v, decimals: 2) + " s" }
                if style == .count && v == v.rounded() && abs(v) < 9e15 { return grouped(Int(v)) }
                if style == .trimmed { return general(v) }
                if case .decimals(let d) = style { return fixed(v, decimals: d) }
                if scientific && v.isFinite && v != 0 { return self.scientific(v) }
                return fixed(v, decimals: decimals)
            case .bool(let b): return String(b)
            case .string(let s): return s
            }
        }
    }
}
