// Evaluation of an expression over every row of a frame, as `filter ... where` and
// `derive ... name = ...` need.
//
// A bare name is a column of the frame (else a variable, which stands for every row); `f.col`
// is a column of frame variable f (of the same length). Arithmetic on integers stays integral
// and reports overflow; `/` gives numbers, and division by zero gives null. Comparisons give
// booleans. A null operand makes the result null; `filter` keeps only rows where the condition
// is true, so null rows are left out. `and`/`or` follow SQL's three-valued logic.

import Frame
import RecScript

#if canImport(Glibc)
import Glibc
#endif

/// A binary operation's operand: a whole column or one value for every row.
enum Operand<T> {
    case array([T])
    case scalar(T)

    /// `f` applied row by row, broadcasting scalars.
    func combine<R>(_ other: Operand<T>, count: Int, _ f: (T, T) -> R) -> [R] {
        switch (self, other) {
        case let (.array(x), .array(y)):
            return x.withUnsafeBufferPointer { xb in
                y.withUnsafeBufferPointer { yb in
                    [R](unsafeUninitializedCapacity: count) { out, n in
                        for i in 0..<count { out.initializeElement(at: i, to: f(xb[i], yb[i])) }
                        n = count
                    }
                }
            }
        case let (.array(x), .scalar(s)): return x.map { f($0, s) }
        case let (.scalar(s), .array(y)): return y.map { f(s, $0) }
        case let (.scalar(s), .scalar(t)): return [R](repeating: f(s, t), count: count)
        }
    }
}

/// Evaluates expressions over the rows of one frame.
struct ColumnEvaluator {
    let interpreter: Interpreter
    let frame: DataFrame

    var rows: Int { frame.rowCount }

    func evaluate(_ e: Expr) throws(RuntimeError) -> ColumnVector {
        switch e.kind {
        case .integer(let v): return .scalar(.int(v))
        case .float(let v): return .scalar(.double(v))
        case .string(let s): return .scalar(.string(s))
        case .bool(let b): return .scalar(.bool(b))
        case .null: return .scalar(.none)
        case .identifier(let name):
            if let column = frame[name] { return ColumnVector(column) }
            if let value = interpreter.variables[name] {
                switch value {
                case .int, .double, .string, .bool, .none: return .scalar(value)
                case .column(let c) where c.count == rows: return ColumnVector(c)
                default:
                    throw RuntimeError("'\(name)' is \(value.typeName); an expression over rows needs columns or single values",
                                       at: e.range)
                }
            }
            throw Interpreter.unknownColumn(name, in: frame, at: e.range)
        case .member:
            let v = try interpreter.evaluate(e)
            guard case .column(let c) = v else {
                throw RuntimeError("'\(interpreter.sourceText(e.range))' is not a column", at: e.range)
            }
            guard c.count == rows else {
                throw RuntimeError("column '\(c.name)' has \(NumberFormat.count(c.count, "row")), but the frame has \(NumberFormat.count(rows, "row"))",
                                   at: e.range)
            }
            return ColumnVector(c)
        case .list:
            throw RuntimeError("a list is only valid after 'in', as in: genre_id in [0, 7]", at: e.range)
        case .unary(.negate, let x):
            let v = try evaluate(x)
            switch v {
            case .int(let a, let n): return .int(a.map { 0 &- $0 }, nulls: n)
            case .double(let a, let n): return .double(a.map { -$0 }, nulls: n)
            case .scalar(.int(let a)): return .scalar(.int(-a))
            case .scalar(.double(let a)): return .scalar(.double(-a))
            default: throw RuntimeError("cannot negate \(v.typeName)", at: e.range)
            }
        case .unary(.not, let x):
            let v = try evaluate(x)
            switch v {
            case .bool(let a, let n): return .bool(a.map { !$0 }, nulls: n)
            case .scalar(.bool(let b)): return .scalar(.bool(!b))
            default: throw RuntimeError("'not' needs a condition, not \(v.typeName)", at: x.range)
            }
        case .binary(let op, let a, let b):
            return try binary(op, try evaluate(a), try evaluate(b), e, a, b)
        case .isNull(let x, let negated):
            let v = try evaluate(x)
            if case .scalar(let s) = v {
                if case .none = s { return .scalar(.bool(!negated)) }
                return .scalar(.bool(negated))
            }
            guard let nulls = v.nulls else { return .scalar(.bool(negated)) }
            return .bool((0..<rows).map { nulls[$0] != negated }, nulls: nil)
        case .inList(let x, let listExpr, let negated):
            return try membership(try evaluate(x), listExpr, negated: negated, e)
        case .call(let name, let args):
            return try ColumnFunctions.call(name, args, self, e)
        case .namedArgument(let name, _):
            throw RuntimeError("column functions take no named arguments; remove '\(name)='", at: e.range)
        case .map:
            throw Interpreter.mapIsNotAValue(at: e.range)
        }
    }

    // MARK: - Operators

    private func binary(_ op: BinaryOperator, _ l: ColumnVector, _ r: ColumnVector, _ e: Expr,
                        _ le: Expr, _ re: Expr) throws(RuntimeError) -> ColumnVector {
        let nulls = Bitmap.union(l.nulls, r.nulls)
        switch op {
        case .and, .or:
            guard let x = boolOperand(l), let y = boolOperand(r) else {
                throw RuntimeError("'\(op.rawValue)' needs conditions on both sides, not \(l.typeName) and \(r.typeName)",
                                   at: e.range)
            }
            return logic(op, x, y, l.nulls, r.nulls)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return try compare(op, l, r, e, nulls)
        case .add, .subtract, .multiply, .divide, .remainder:
            if let x = intOperand(l), let y = intOperand(r), op != .divide {
                var overflow = false
                var divisionByZero = false
                let values: [Int64] = x.combine(y, count: rows) { a, b in
                    switch op {
                    case .add: let (v, o) = a.addingReportingOverflow(b); if o { overflow = true }; return v
                    case .subtract: let (v, o) = a.subtractingReportingOverflow(b); if o { overflow = true }; return v
                    case .multiply: let (v, o) = a.multipliedReportingOverflow(by: b); if o { overflow = true }; return v
                    default:
                        if b == 0 { divisionByZero = true; return 0 }
                        return a % b
                    }
                }
                if overflow {
                    throw RuntimeError("integer overflow in '\(op.rawValue)'; use float(...) for large values", at: e.range)
                }
                if divisionByZero {
                    return .int(values, nulls: Bitmap.union(nulls, zeroRows(y)))
                }
                return .int(values, nulls: nulls)
            }
            guard let x = doubleOperand(l), let y = doubleOperand(r) else {
                throw RuntimeError("'\(op.rawValue)' needs numbers, not \(l.typeName) and \(r.typeName)", at: e.range)
            }
            let values: [Double] = x.combine(y, count: rows) { a, b in
                switch op {
                case .add: a + b
                case .subtract: a - b
                case .multiply: a * b
                case .divide: a / b
                default: a.truncatingRemainder(dividingBy: b)
                }
            }
            if op == .divide || op == .remainder {
                // Division by zero is null, not infinity.
                let zeros = zeroRows(y)
                return .double(values, nulls: Bitmap.union(nulls, zeros))
            }
            return .double(values, nulls: nulls)
        }
    }

    /// Rows where a divisor is zero (set bit), or nil when none is.
    private func zeroRows<T: Numeric>(_ y: Operand<T>) -> Bitmap? {
        switch y {
        case .scalar(let s): return s == 0 ? Bitmap(count: rows, allSet: true) : nil
        case .array(let a):
            guard a.contains(0) else { return nil }
            var out = Bitmap(count: rows, allSet: false)
            for (i, v) in a.enumerated() where v == 0 { out.set(i) }
            return out
        }
    }

    private func logic(_ op: BinaryOperator, _ x: Operand<Bool>, _ y: Operand<Bool>,
                       _ xn: Bitmap?, _ yn: Bitmap?) -> ColumnVector {
        // SQL: false and null = false, true or null = true, otherwise null if either is null.
        if case .scalar(let a) = x, case .scalar(let b) = y { return .scalar(.bool(op == .and ? a && b : a || b)) }
        let values = x.combine(y, count: rows) { op == .and ? $0 && $1 : $0 || $1 }
        guard xn != nil || yn != nil else { return .bool(values, nulls: nil) }
        let xs = expand(x), ys = expand(y)
        var nulls = Bitmap(count: rows, allSet: false)
        for i in 0..<rows {
            let a: Bool? = xn?[i] == true ? nil : xs[i]
            let b: Bool? = yn?[i] == true ? nil : ys[i]
            let decided = op == .and ? (a == false || b == false) : (a == true || b == true)
            if !decided && (a == nil || b == nil) { nulls.set(i) }
        }
        return .bool(values, nulls: nulls)
    }

    private func expand(_ x: Operand<Bool>) -> [Bool] {
        switch x {
        case .array(let a): a
        case .scalar(let s): [Bool](repeating: s, count: rows)
        }
    }

    private func compare(_ op: BinaryOperator, _ l: ColumnVector, _ r: ColumnVector, _ e: Expr,
                         _ nulls: Bitmap?) throws(RuntimeError) -> ColumnVector {
        func test<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch op {
            case .equal: a == b
            case .notEqual: a != b
            case .less: a < b
            case .lessEqual: a <= b
            case .greater: a > b
            default: a >= b
            }
        }
        if case .scalar(.none) = l { return .bool([Bool](repeating: false, count: rows), nulls: Bitmap(count: rows, allSet: true)) }
        if case .scalar(.none) = r { return .bool([Bool](repeating: false, count: rows), nulls: Bitmap(count: rows, allSet: true)) }
        if let x = intOperand(l), let y = intOperand(r) {
            return .bool(x.combine(y, count: rows, test), nulls: nulls)
        }
        if let x = doubleOperand(l), let y = doubleOperand(r) {
            return .bool(x.combine(y, count: rows, test), nulls: nulls)
        }
        if let x = boolOperand(l), let y = boolOperand(r), op == .equal || op == .notEqual {
            return .bool(x.combine(y, count: rows) { op == .equal ? $0 == $1 : $0 != $1 }, nulls: nulls)
        }
        if let x = stringOperand(l), let y = stringOperand(r) {
            return .bool(x.combine(y, count: rows, test), nulls: nulls)
        }
        throw RuntimeError("cannot compare \(l.typeName) with \(r.typeName)", at: e.range)
    }

    private func membership(_ v: ColumnVector, _ listExpr: Expr, negated: Bool, _ e: Expr) throws(RuntimeError) -> ColumnVector {
        guard case .list(let itemExprs) = listExpr.kind else {
            throw RuntimeError("'in' needs a list on its right, such as [1, 2, 3]", at: listExpr.range)
        }
        var items: [Value] = []
        for item in itemExprs { items.append(try interpreter.evaluate(item)) }
        var values: [Bool]
        switch v {
        case .int(let a, _):
            var set = Set<Int64>()
            var reals = Set<Double>()
            for item in items {
                if case .int(let x) = item { set.insert(x) } else if case .double(let x) = item { reals.insert(x) }
            }
            values = a.map { set.contains($0) || reals.contains(Double($0)) }
        case .double(let a, _):
            var set = Set<Double>()
            for item in items {
                if case .int(let x) = item { set.insert(Double(x)) } else if case .double(let x) = item { set.insert(x) }
            }
            values = a.map { set.contains($0) }
        case .string(let codes, let dictionary, _):
            let wanted = Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
            let hit = dictionary.map { wanted.contains($0) }
            values = codes.map { hit[Int($0)] }
        case .bool(let a, _):
            let wanted = Set(items.compactMap { if case .bool(let b) = $0 { b } else { nil } })
            values = a.map { wanted.contains($0) }
        case .scalar(let s):
            let found = items.contains { "\($0)" == "\(s)" }
            return .scalar(.bool(found != negated))
        }
        if negated { values = values.map { !$0 } }
        return .bool(values, nulls: v.nulls)
    }

    // MARK: - Operand views

    func intOperand(_ v: ColumnVector) -> Operand<Int64>? {
        switch v {
        case .int(let a, _): .array(a)
        case .scalar(.int(let x)): .scalar(x)
        default: nil
        }
    }

    func doubleOperand(_ v: ColumnVector) -> Operand<Double>? {
        switch v {
        case .int(let a, _): .array(a.map(Double.init))
        case .double(let a, _): .array(a)
        case .scalar(.int(let x)): .scalar(Double(x))
        case .scalar(.double(let x)): .scalar(x)
        default: nil
        }
    }

    func boolOperand(_ v: ColumnVector) -> Operand<Bool>? {
        switch v {
        case .bool(let a, _): .array(a)
        case .scalar(.bool(let b)): .scalar(b)
        default: nil
        }
    }

    func stringOperand(_ v: ColumnVector) -> Operand<String>? {
        switch v {
        case .string(let codes, let dictionary, _): .array(codes.map { dictionary[Int($0)] })
        case .scalar(.string(let s)): .scalar(s)
        default: nil
        }
    }
}
