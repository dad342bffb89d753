// Functions usable in row expressions (filter, derive): calendar parts of UNIX timestamps and
// YYYYMMDD dates, and arithmetic helpers.
//
// Calendar arithmetic is in UTC and proleptic Gregorian (Frame's CivilDate), with no time
// zone data.

import Frame
import RecScript

#if canImport(Glibc)
import Glibc
#endif

/// The functions of row expressions.
enum ColumnFunctions {
    /// Name, arguments and what each function does, for help and errors.
    static let catalogue: [(name: String, signature: String, summary: String)] = [
        ("hour", "hour(ts)", "hour of day 0-23 (UTC) of UNIX seconds"),
        ("weekday", "weekday(ts)", "day of week of UNIX seconds, 0 = Monday ... 6 = Sunday"),
        ("date", "date(ts)", "the UTC date of UNIX seconds as a YYYYMMDD integer"),
        ("year", "year(d)", "the year of a YYYYMMDD integer"),
        ("month", "month(d)", "the month 1-12 of a YYYYMMDD integer"),
        ("day", "day(d)", "the day of month of a YYYYMMDD integer"),
        ("abs", "abs(x)", "absolute value"),
        ("sqrt", "sqrt(x)", "square root (null for negative x)"),
        ("log", "log(x)", "natural logarithm (null for x <= 0)"),
        ("exp", "exp(x)", "e to the power x"),
        ("round", "round(x)", "nearest integer, halves away from zero"),
        ("floor", "floor(x)", "largest integer not above x"),
        ("ceil", "ceil(x)", "smallest integer not below x"),
        ("int", "int(x)", "x truncated to an integer (null for NaN)"),
        ("float", "float(x)", "x as a number"),
        ("min", "min(a, b)", "the smaller of two values"),
        ("max", "max(a, b)", "the larger of two values"),
        ("if", "if(cond, a, b)", "a where cond is true, else b"),
        ("row", "row()", "the row's position in the frame, from 0 (keeps track of rows through splits and filters)"),
    ]

    static var names: [String] { catalogue.map(\.name) }

    static func call(_ name: String, _ args: [Expr], _ ev: ColumnEvaluator, _ e: Expr) throws(RuntimeError) -> ColumnVector {
        guard let entry = catalogue.first(where: { $0.name == name }) else {
            throw RuntimeError("unknown function '\(name)'\(Suggestions.didYouMean(name, in: names))", at: e.range,
                               notes: ["functions: \(names.joined(separator: ", "))"])
        }
        let arity = entry.signature.hasSuffix("()") ? 0 : entry.signature.filter { $0 == "," }.count + 1
        guard args.count == arity else {
            throw RuntimeError("\(name) takes \(arity) argument\(arity == 1 ? "" : "s"): \(entry.signature)", at: e.range)
        }
        var values: [ColumnVector] = []
        for a in args { values.append(try ev.evaluate(a)) }
        let rows = ev.rows
        func ints(_ i: Int) throws(RuntimeError) -> ([Int64], Bitmap?) {
            switch values[i] {
            case .int(let a, let n): return (a, n)
            case .scalar(.int(let x)): return ([Int64](repeating: x, count: rows), nil)
            default: throw RuntimeError("\(name) needs integers, not \(values[i].typeName)", at: args[i].range)
            }
        }
        func reals(_ i: Int) throws(RuntimeError) -> ([Double], Bitmap?) {
            switch values[i] {
            case .int(let a, let n): return (a.map(Double.init), n)
            case .double(let a, let n): return (a, n)
            case .scalar(.int(let x)): return ([Double](repeating: Double(x), count: rows), nil)
            case .scalar(.double(let x)): return ([Double](repeating: x, count: rows), nil)
            default: throw RuntimeError("\(name) needs numbers, not \(values[i].typeName)", at: args[i].range)
            }
        }
        /// A double result with NaN results made null.
        func realResult(_ v: [Double], _ nulls: Bitmap?) -> ColumnVector {
            guard v.contains(where: { $0.isNaN }) else { return .double(v, nulls: nulls) }
            var n = nulls ?? Bitmap(count: rows, allSet: false)
            for (i, x) in v.enumerated() where x.isNaN { n.set(i) }
            return .double(v, nulls: n)
        }
        switch name {
        case "row":
            return .int((0..<Int64(rows)).map { $0 }, nulls: nil)
        case "hour":
            let (a, n) = try ints(0)
            return .int(a.map { (($0 % 86_400 + 86_400) % 86_400) / 3_600 }, nulls: n)
        case "weekday":
            let (a, n) = try ints(0)
            // 1970-01-01 was a Thursday: weekday 3 when Monday is 0.
            return .int(a.map { ((floorDiv($0, 86_400) + 3) % 7 + 7) % 7 }, nulls: n)
        case "date":
            let (a, n) = try ints(0)
            return .int(a.map { CivilDate.yyyymmdd(fromUnixSeconds: $0) }, nulls: n)
        case "year":
            let (a, n) = try ints(0)
            return .int(a.map { $0 / 10_000 }, nulls: n)
        case "month":
            let (a, n) = try ints(0)
            return .int(a.map { ($0 / 100) % 100 }, nulls: n)
        case "day":
            let (a, n) = try ints(0)
            return .int(a.map { $0 % 100 }, nulls: n)
        case "abs":
            if case .int(let a, let n) = values[0] { return .int(a.map { $0 == .min ? .max : abs($0) }, nulls: n) }
            let (a, n) = try reals(0)
            return .double(a.map(abs), nulls: n)
        case "sqrt":
            let (a, n) = try reals(0)
            return realResult(a.map { $0 < 0 ? .nan : $0.squareRoot() }, n)
        case "log":
            let (a, n) = try reals(0)
            return realResult(a.map { $0 <= 0 ? .nan : Glibc.log($0) }, n)
        case "exp":
            let (a, n) = try reals(0)
            return .double(a.map { Glibc.exp($0) }, nulls: n)
        case "round", "floor", "ceil", "int":
            if case .int(let a, let n) = values[0] { return .int(a, nulls: n) }
            let (a, n) = try reals(0)
            let rule: FloatingPointRoundingRule = name == "round" ? .toNearestOrAwayFromZero
                : name == "floor" ? .down : name == "ceil" ? .up : .towardZero
            var nulls = n ?? Bitmap(count: rows, allSet: false)
            var any = n != nil
            let out: [Int64] = a.enumerated().map { i, x in
                let r = x.rounded(rule)
                guard r.isFinite, abs(r) < 9.2e18 else { nulls.set(i); any = true; return 0 }
                return Int64(r)
            }
            return .int(out, nulls: any ? nulls : nil)
        case "float":
            let (a, n) = try reals(0)
            return .double(a, nulls: n)
        case "min", "max":
            if case .some(let x) = ev.intOperand(values[0]), case .some(let y) = ev.intOperand(values[1]) {
                return .int(x.combine(y, count: rows) { name == "min" ? Swift.min($0, $1) : Swift.max($0, $1) },
                            nulls: Bitmap.union(values[0].nulls, values[1].nulls))
            }
            let (a, an) = try reals(0), (b, bn) = try reals(1)
            return .double(zip(a, b).map { name == "min" ? Swift.min($0, $1) : Swift.max($0, $1) },
                           nulls: Bitmap.union(an, bn))
        default: // "if"
            guard let cond = ev.boolOperand(values[0]) else {
                throw RuntimeError("if needs a condition first, not \(values[0].typeName)", at: args[0].range)
            }
            let c: [Bool]
            switch cond {
            case .array(let a): c = a
            case .scalar(let s): c = [Bool](repeating: s, count: rows)
            }
            let condNulls = values[0].nulls
            if let x = ev.intOperand(values[1]), let y = ev.intOperand(values[2]) {
                let xs = expandInts(x, rows), ys = expandInts(y, rows)
                return .int((0..<rows).map { c[$0] ? xs[$0] : ys[$0] },
                            nulls: Bitmap.union(condNulls, pick(c, values[1].nulls, values[2].nulls, rows)))
            }
            if let x = ev.doubleOperand(values[1]), let y = ev.doubleOperand(values[2]) {
                let xs = expandReals(x, rows), ys = expandReals(y, rows)
                return .double((0..<rows).map { c[$0] ? xs[$0] : ys[$0] },
                               nulls: Bitmap.union(condNulls, pick(c, values[1].nulls, values[2].nulls, rows)))
            }
            if let x = ev.boolOperand(values[1]), let y = ev.boolOperand(values[2]) {
                let xs = expandBools(x, rows), ys = expandBools(y, rows)
                return .bool((0..<rows).map { c[$0] ? xs[$0] : ys[$0] },
                             nulls: Bitmap.union(condNulls, pick(c, values[1].nulls, values[2].nulls, rows)))
            }
            if let x = ev.stringOperand(values[1]), let y = ev.stringOperand(values[2]) {
                let xs = expandStrings(x, rows), ys = expandStrings(y, rows)
                let column = Column.strings("", (0..<rows).map { c[$0] ? xs[$0] : ys[$0] })
                guard case .string(let codes, let dictionary) = column.data else { fatalError("strings column") }
                return .string(codes: codes.array, dictionary: dictionary.values,
                               nulls: Bitmap.union(condNulls, pick(c, values[1].nulls, values[2].nulls, rows)))
            }
            throw RuntimeError("if needs both branches of one type, not \(values[1].typeName) and \(values[2].typeName)",
                               at: e.range)
        }
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Null rows of the branch each row takes.
    private static func pick(_ c: [Bool], _ a: Bitmap?, _ b: Bitmap?, _ rows: Int) -> Bitmap? {
        guard a != nil || b != nil else { return nil }
        var out = Bitmap(count: rows, allSet: false)
        for i in 0..<rows where (c[i] ? a?[i] : b?[i]) == true { out.set(i) }
        return out
    }

    private static func expandInts(_ o: Operand<Int64>, _ n: Int) -> [Int64] {
        switch o { case .array(let a): a; case .scalar(let s): [Int64](repeating: s, count: n) }
    }
    private static func expandReals(_ o: Operand<Double>, _ n: Int) -> [Double] {
        switch o { case .array(let a): a; case .scalar(let s): [Double](repeating: s, count: n) }
    }
    private static func expandBools(_ o: Operand<Bool>, _ n: Int) -> [Bool] {
        switch o { case .array(let a): a; case .scalar(let s): [Bool](repeating: s, count: n) }
    }
    private static func expandStrings(_ o: Operand<String>, _ n: Int) -> [String] {
        switch o { case .array(let a): a; case .scalar(let s): [String](repeating: s, count: n) }
    }
}
