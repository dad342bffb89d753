// Group by: one output row per distinct key, in order of the key's first appearance, the key
// columns first (their values taken from each group's first row, so types and nulls carry
// over), then one column per aggregation.
//
// Plan: a single integer or boolean key whose range fits `RowGroups.directLimit` indexes the
// accumulators directly (slot = value - min, null in the last slot) and never materialises group
// ids; the slots are then put in first-appearance order by their first rows. Any other key
// (strings, floats, wide integers, several columns) is first reduced to a dense group id per row
// by `RowGroups`. Either way every aggregation is a `GroupKernels` pass over row chunks in
// parallel, per-chunk partials merged in chunk order.

extension DataFrame {
    /// One row per distinct combination of `keys` (nulls form their own group), in order of first
    /// appearance: the key columns, then one column per aggregation, named by `Aggregation.name`.
    package func grouped(by keys: [String], aggregates: [Aggregation]) throws(FrameError) -> DataFrame {
        guard !keys.isEmpty else {
            throw .invalidArgument("group by needs at least one key column")
        }
        let keyColumns = try keys.map { name throws(FrameError) in try column(name) }
        var valueColumns: [Column?] = []
        for aggregation in aggregates {
            valueColumns.append(try checked(aggregation))
        }
        let names = keys + aggregates.map(\.name)
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw .invalidArgument("group by would make two columns named '\(name)'; name the aggregations apart")
        }

        let plan: GroupPlan
        if keyColumns.count == 1, let direct = keyColumns[0].visitNumeric(DirectPlanVisitor(rows: rowCount)), let direct {
            plan = direct
        } else {
            let groups = RowGroups(keyColumns)
            plan = GroupPlan(firstRows: groups.firstRows) { visitor in
                visitor.visit(IndexedSlots(ids: ColumnView(groups.ids, validity: nil), slotCount: groups.count),
                              order: Array(0..<groups.count))
            }
        }
        var out = plan.firstRows.withUnsafeBufferPointer { rows in keyColumns.map { $0.gatherParallel(rows) } }
        for (aggregation, column) in zip(aggregates, valueColumns) {
            out.append(plan.run(AggregationRunner(aggregation: aggregation, column: column, rows: rowCount)))
        }
        var frame = try DataFrame(out)
        frame.schema = schema.restricted(to: keys)
        return frame
    }

    /// The column `aggregation` reads, after checking the function accepts its type.
    private func checked(_ aggregation: Aggregation) throws(FrameError) -> Column? {
        guard let name = aggregation.column else {
            if aggregation.function == .count { return nil }
            throw .invalidArgument("\(aggregation.function.rawValue) needs a column, e.g. \(aggregation.function.rawValue)(\(columnNames.first ?? "x"))")
        }
        let c = try column(name)
        if aggregation.function.needsNumeric && !c.type.isNumeric {
            throw .wrongType(column: name, expected: "a numeric column for \(aggregation.function.rawValue)", actual: c.type)
        }
        return c
    }
}

/// How a group-by reaches its slots: the groups' first rows (in output order) and a way to run
/// an aggregation over the slots.
private struct GroupPlan {
    let firstRows: [Int]
    let run: (AggregationRunner) -> Column
}

/// Plans the direct path for an integer key with a small range; nil (no plan) otherwise.
private struct DirectPlanVisitor: NumericVisitor {
    let rows: Int

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> GroupPlan? {
        guard !T.isFloatingPoint else { return nil }
        let (lo, hi) = IntegerRange.of(view) ?? (0, 0)
        guard let width = IntegerRange.width(lo, hi), width + 2 <= RowGroups.directLimit(rows: rows) else { return nil }
        let slots = DirectSlots(key: view, minimum: lo, slotCount: width + 2)
        let (counts, first) = GroupKernels.rowCounts(slots, rows: rows, firstRows: true)
        let firstRow = first!
        let used = (0..<slots.slotCount).filter { counts[$0] > 0 }
        let order = RadixSort.order(used.map { UInt64(firstRow[$0]) }, bits: UInt64(Swift.max(rows, 1)).bitWidthNeeded)
            .map { used[$0] }
        return GroupPlan(firstRows: order.map { firstRow[$0] }) { $0.visit(slots, order: order) }
    }
}

/// Computes one aggregation over any slot map and returns the output column (slots in `order`).
private struct AggregationRunner {
    let aggregation: Aggregation
    let column: Column?
    let rows: Int

    func visit<S: SlotMap>(_ slots: S, order: [Int]) -> Column {
        let name = aggregation.name
        guard let column else {
            let counts = GroupKernels.rowCounts(slots, rows: rows, firstRows: false).counts
            return .integers(name, order.map { Int64(counts[$0]) })
        }
        let visitor = SlotAggregateVisitor(slots: slots, order: order, function: aggregation.function, name: name, type: column.type)
        if case .string(let codes, let dictionary) = column.data {
            switch aggregation.function {
            case .min, .max:
                let ranks = StringRanks(dictionary)
                let (n, lo, hi) = GroupKernels.extremes(slots, ColumnView(ranks.ranks(of: codes), validity: column.validity))
                return .strings(name, order.map { s in
                    n[s] == 0 ? nil : ranks.sorted[Int(aggregation.function == .min ? lo[s] : hi[s])]
                })
            default:
                return visitor.visit(ColumnView(codes, validity: column.validity))
            }
        }
        return column.visitNumeric(visitor)!
    }
}

/// One aggregation of a numeric column (or of string codes, for count and distinct).
private struct SlotAggregateVisitor<S: SlotMap>: NumericVisitor {
    let slots: S
    let order: [Int]
    let function: AggregateFunction
    let name: String
    let type: DataType

    func visit<T: KernelElement>(_ view: ColumnView<T>) -> Column {
        switch function {
        case .count:
            let n = GroupKernels.valueCounts(slots, view)
            return .integers(name, order.map { Int64(n[$0]) })
        case .sum:
            if !T.isFloatingPoint, let sums = GroupKernels.integerSums(slots, view) {
                return .integers(name, order.map { sums[$0] })
            }
            let sums = GroupKernels.doubleSums(slots, view)
            return .doubles(name, order.map { sums[$0] })
        case .mean, .std:
            let m = GroupKernels.moments(slots, view, squares: function == .std)
            let minimum = function == .mean ? 1 : 2
            return optionalDoubles(order.map { s in
                guard m.n[s] >= minimum else { return nil }
                return function == .mean ? m.mean[s] : (m.m2[s] / Double(m.n[s] - 1)).squareRoot()
            })
        case .min, .max:
            let (n, lo, hi) = GroupKernels.extremes(slots, view)
            let picked: [T?] = order.map { s in n[s] == 0 ? nil : (function == .min ? lo[s] : hi[s]) }
            return typed(picked)
        case .distinct:
            let (values, starts) = GroupKernels.sortedValues(slots, view)
            return .integers(name, order.map { s in
                var distinct: Int64 = 0
                for i in starts[s]..<starts[s + 1] where i == starts[s] || values[i - 1] != values[i] { distinct += 1 }
                return distinct
            })
        case .median:
            let (values, starts) = GroupKernels.sortedValues(slots, view)
            return optionalDoubles(order.map { s in
                let lo = starts[s], n = starts[s + 1] - lo
                guard n > 0 else { return nil }
                let a = values[lo + (n - 1) / 2].kernelDouble, b = values[lo + n / 2].kernelDouble
                let sum = a + b
                return n % 2 == 1 ? a : (sum.isFinite ? sum / 2 : a / 2 + b / 2)
            })
        }
    }

    /// A float64 column with nulls where `values` has nil.
    private func optionalDoubles(_ values: [Double?]) -> Column {
        Column.doubles(name, values.map { $0 ?? .nan }, validity: Bitmap(values.map { $0 != nil }))
    }

    /// Values of the input's type (integers narrowed, booleans, floats) with nulls for nil.
    private func typed<T: KernelElement>(_ values: [T?]) -> Column {
        let validity = Bitmap(values.map { $0 != nil })
        switch type {
        case .bool: return .bools(name, values.map { ($0?.kernelInt64 ?? 0) != 0 }, validity: validity)
        case .float64: return .doubles(name, values.map { $0?.kernelDouble ?? .nan }, validity: validity)
        default: return .integers(name, values.map { $0?.kernelInt64 ?? 0 }, validity: validity)
        }
    }
}
