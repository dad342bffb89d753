// Helpers shared by the analytics-kernel tests: seeded random frames with every column type,
// nulls, NaN, -0.0 and integer extremes; row-wise access; normalised keys; frames built in a
// given column type; and tolerant frame comparison for float results.

import Testing
@testable import Frame

/// Draws from a seeded SplitMix64.
struct Draw {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &rng) }
    mutating func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

/// A random frame: `k8`, `k16` small-range keys; `i32` wide; `i64` with extremes; `f` floats
/// with NaN, -0.0 and repeats; `b` booleans; `s` strings; each with nulls at `nullRate`.
func randomFrame(rows: Int, seed: UInt64, nullRate: Double = 0.1) -> DataFrame {
    var d = Draw(seed: seed)
    func validity() -> Bitmap? {
        nullRate == 0 ? nil : Bitmap((0..<rows).map { _ in !d.chance(nullRate) })
    }
    let k8 = (0..<rows).map { _ in d.int(-3...4) }
    let k16 = (0..<rows).map { _ in d.int(-200...300) }
    let i32 = (0..<rows).map { _ in d.chance(0.3) ? d.int(-5...5) : d.int(-2_000_000_000...2_000_000_000) }
    let extremes: [Int64] = [.min, .max, .min + 1, .max - 1, 0, -1, 1]
    let i64 = (0..<rows).map { _ in d.chance(0.3) ? d.pick(extremes) : d.int(-(1 << 62)...(1 << 62)) }
    let floats: [Double] = [.nan, -0.0, 0.0, 1.5, -2.25, 1e6, -1e-300, 3]
    let f = (0..<rows).map { _ in d.chance(0.4) ? d.pick(floats) : Double(d.int(-1000...1000)) / 8 }
    let b = (0..<rows).map { _ in d.chance(0.5) }
    let words = ["", "a", "b", "ab", "B", "é", "zz", "a b"]
    let s: [String?] = (0..<rows).map { _ in d.chance(nullRate) ? nil : d.pick(words) }
    return try! DataFrame([
        .integers("k8", k8, validity: validity()),
        .integers("k16", k16, validity: validity()),
        .integers("i32", i32, validity: validity()),
        .integers("i64", i64, validity: validity()),
        .doubles("f", f, validity: validity()),
        .bools("b", b, validity: validity()),
        .strings("s", s),
    ])
}

/// The frame's cells, row by row.
func rows(_ f: DataFrame) -> [[Cell]] {
    (0..<f.rowCount).map { r in f.columns.map { $0[r] } }
}

/// A key cell with floats normalised so that equal values (and all NaNs) are equal.
enum RefKey: Hashable {
    case null, int(Int64), double(UInt64), bool(Bool), string(String)
    init(_ cell: Cell) {
        switch cell {
        case .null: self = .null
        case .int(let v): self = .int(v)
        case .double(let v): self = .double(v.isNaN ? Double.nan.bitPattern : (v == 0 ? 0 : v.bitPattern))
        case .bool(let v): self = .bool(v)
        case .string(let v): self = .string(v)
        }
    }
}

/// True when a cell is missing for statistics: null or NaN.
func isMissing(_ c: Cell) -> Bool {
    if case .null = c { return true }
    if case .double(let v) = c { return v.isNaN }
    return false
}

/// A column of `type` holding `cells` (nil-free cells of that type, or .null).
func column(_ name: String, _ type: DataType, _ cells: [Cell]) -> Column {
    let validity = Bitmap(cells.map { $0 != .null })
    switch type {
    case .int8, .int16, .int32, .int64:
        let values = cells.map { cell -> Int64 in
            if case .int(let v) = cell { return v }
            return 0
        }
        return Column(name: name, data: .narrowed(values, type: type), validity: validity)
    case .float64:
        return .doubles(name, cells.map { $0.doubleValue ?? .nan }, validity: validity)
    case .bool:
        return .bools(name, cells.map { $0 == .bool(true) }, validity: validity)
    case .string:
        return .strings(name, cells.map { if case .string(let v) = $0 { v } else { nil } })
    }
}

/// True when the frames have the same names and cells, floats within `tolerance` (relative to
/// max(1, |value|)); types must match unless `checkTypes` is false (integer widths may differ).
func closeFrames(_ a: DataFrame, _ b: DataFrame, tolerance: Double = 1e-9, checkTypes: Bool = true) -> Bool {
    guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else { return false }
    for (x, y) in zip(a.columns, b.columns) {
        if checkTypes && x.type != y.type { return false }
        if !checkTypes && x.type.isInteger != y.type.isInteger { return false }
        for i in 0..<x.count where !closeCells(x[i], y[i], tolerance) { return false }
    }
    return true
}

func closeCells(_ a: Cell, _ b: Cell, _ tolerance: Double) -> Bool {
    if case .double(let x) = a, case .double(let y) = b { return close(x, y, tolerance) }
    return a == b
}

/// x and y within tolerance relative to max(1, |x|, |y|); NaN equals NaN; infinities exactly.
func close(_ x: Double, _ y: Double, _ tolerance: Double = 1e-9) -> Bool {
    if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
    if x.isInfinite || y.isInfinite { return x == y }
    return abs(x - y) <= tolerance * max(1, abs(x), abs(y))
}

/// `frame` with the rows whose cells are `rows` (same types as `like`).
func frame(like: DataFrame, rows: [[Cell]]) -> DataFrame {
    try! DataFrame(like.columns.enumerated().map { j, c in column(c.name, c.type, rows.map { $0[j] }) })
}
