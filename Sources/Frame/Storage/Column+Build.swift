// Constructors of columns from Swift arrays, and extraction of whole columns as arrays.

extension Column {
    /// An integer column stored in the narrowest width that holds `values`.
    package static func integers(_ name: String, _ values: [Int64], validity: Bitmap? = nil) -> Column {
        var lo = Int64.max, hi = Int64.min
        for (i, v) in values.enumerated() where validity?[i] ?? true {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        if lo > hi { lo = 0; hi = 0 }
        return Column(name: name, data: ColumnData.narrowed(values, type: .narrowestInteger(min: lo, max: hi)),
                      validity: validity)
    }

    /// A 64-bit float column.
    package static func doubles(_ name: String, _ values: [Double], validity: Bitmap? = nil) -> Column {
        Column(name: name, data: .float64(ColumnBuffer(values)), validity: validity)
    }

    /// A boolean column.
    package static func bools(_ name: String, _ values: [Bool], validity: Bitmap? = nil) -> Column {
        Column(name: name, data: .bool(ColumnBuffer(values)), validity: validity)
    }

    /// A dictionary-encoded string column; `nil` entries are nulls.
    package static func strings(_ name: String, _ values: [String?]) -> Column {
        var index: [String: UInt32] = [:]
        var dictionary: [String] = []
        var codes = [UInt32](repeating: 0, count: values.count)
        var validity = Bitmap(count: values.count, allSet: true)
        for (i, value) in values.enumerated() {
            guard let value else { validity.clear(i); continue }
            if let code = index[value] {
                codes[i] = code
            } else {
                let code = UInt32(dictionary.count)
                index[value] = code
                dictionary.append(value)
                codes[i] = code
            }
        }
        return Column(name: name, data: .string(codes: ColumnBuffer(codes), dictionary: StringDictionary(dictionary)),
                      validity: validity)
    }

    /// A column of cells, typed by the cells: integers, else floats, else booleans, else strings.
    package static func cells(_ name: String, _ cells: [Cell]) -> Column {
        var validity = Bitmap(count: cells.count, allSet: true)
        var sawInt = false, sawDouble = false, sawBool = false, sawString = false
        for (i, cell) in cells.enumerated() {
            switch cell {
            case .null: validity.clear(i)
            case .int: sawInt = true
            case .double: sawDouble = true
            case .bool: sawBool = true
            case .string: sawString = true
            }
        }
        if sawString || (sawBool && (sawInt || sawDouble)) {
            return strings(name, cells.map { cell -> String? in
                switch cell {
                case .null: nil
                case .int(let v): String(v)
                case .double(let v): String(v)
                case .bool(let v): String(v)
                case .string(let v): v
                }
            })
        }
        if sawBool {
            return bools(name, cells.map { if case .bool(let b) = $0 { b } else { false } }, validity: validity)
        }
        if sawDouble {
            return doubles(name, cells.map { $0.doubleValue ?? .nan }, validity: validity)
        }
        return integers(name, cells.map { if case .int(let v) = $0 { v } else { 0 } }, validity: validity)
    }

    /// Every value as Int64 (0 for nulls), or nil when the column is not integer or boolean.
    package func int64Values() -> [Int64]? {
        switch data {
        case .int8(let b): b.withUnsafeBufferPointer { $0.map(Int64.init) }
        case .int16(let b): b.withUnsafeBufferPointer { $0.map(Int64.init) }
        case .int32(let b): b.withUnsafeBufferPointer { $0.map(Int64.init) }
        case .int64(let b): b.array
        case .bool(let b): b.withUnsafeBufferPointer { $0.map { $0 ? 1 : 0 } }
        case .float64, .string: nil
        }
    }

    /// Every value as Double (NaN for nulls), or nil for string columns.
    package func doubleValues() -> [Double]? {
        var out: [Double]
        switch data {
        // Converted in parallel chunks: a label column of the full log is 6-7M rows.
        case .int8(let b): out = b.withUnsafeBufferPointer { v in Parallel.array(v.count) { Double(v[$0]) } }
        case .int16(let b): out = b.withUnsafeBufferPointer { v in Parallel.array(v.count) { Double(v[$0]) } }
        case .int32(let b): out = b.withUnsafeBufferPointer { v in Parallel.array(v.count) { Double(v[$0]) } }
        case .int64(let b): out = b.withUnsafeBufferPointer { v in Parallel.array(v.count) { Double(v[$0]) } }
        case .float64(let b): out = b.array
        case .bool(let b): out = b.withUnsafeBufferPointer { v in Parallel.array(v.count) { v[$0] ? 1 : 0 } }
        case .string: return nil
        }
        if let validity {
            for i in 0..<out.count where !validity[i] { out[i] = .nan }
        }
        return out
    }
}

extension ColumnData {
    /// Stores `values` as integers of `type`, which must hold every value.
    package static func narrowed(_ values: [Int64], type: DataType) -> ColumnData {
        values.withUnsafeBufferPointer { source in
            func make<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) -> ColumnBuffer<T> {
                ColumnBuffer(count: source.count) { target in
                    for i in 0..<source.count { target[i] = T(truncatingIfNeeded: source[i]) }
                }
            }
            switch type {
            case .int8: return .int8(make(Int8.self))
            case .int16: return .int16(make(Int16.self))
            case .int32: return .int32(make(Int32.self))
            default: return .int64(ColumnBuffer(Array(source)))
            }
        }
    }
}
