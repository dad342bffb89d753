// Commands that look at a frame: head, tail, shape, types, describe, nulls.

import Frame

/// head, tail, shape, types, describe, nulls.
enum ExploreCommands {
    static let all: [CommandSpec] = [head, tail, shape, types, describe, nulls]

    static let head = rowsCommand(name: "head", summary: "the first rows of a frame", first: true)
    static let tail = rowsCommand(name: "tail", summary: "the last rows of a frame", first: false)

    private static func rowsCommand(name: String, summary: String, first: Bool) -> CommandSpec {
        CommandSpec(
            name: name, category: .explore, summary: summary,
            positionals: [.required("frame", .frame, "the frame"),
                          .optional("n", .integer(min: 0, max: nil), "how many rows", default: "10")],
            examples: ["\(name) listens", "\(name) listens 5"],
            returns: "a frame sharing the rows' storage"
        ) { inv throws(RuntimeError) in
            let frame = try inv.frame("frame")
            let n = Int(try inv.integer("n", default: 10))
            let part = first ? frame.head(n) : frame.tail(n)
            var table = Presenter.frameTable(part, title: nil, allRows: true)
            table.notes = ["\(first ? "first" : "last") \(NumberFormat.grouped(part.rowCount)) of \(NumberFormat.shape(rows: frame.rowCount, columns: frame.columnCount))"]
            return CommandResult(.frame(part), display: .table(table))
        }
    }

    static let shape = CommandSpec(
        name: "shape", category: .explore, summary: "the number of rows and columns of a frame",
        positionals: [.required("frame", .frame, "the frame")],
        examples: ["shape listens"],
        returns: "a list [rows, columns]"
    ) { inv throws(RuntimeError) in
        let f = try inv.frame("frame")
        return CommandResult(.list([.int(Int64(f.rowCount)), .int(Int64(f.columnCount))]),
                             display: .text(NumberFormat.shape(rows: f.rowCount, columns: f.columnCount)))
    }

    static let types = CommandSpec(
        name: "types", category: .explore, summary: "the type of each column and its storage width",
        positionals: [.required("frame", .frame, "the frame")],
        details: ["Integers are stored in the narrowest width that holds every value: int8, int16, int32 or int64."],
        examples: ["types listens"],
        returns: "a frame with one row per column"
    ) { inv throws(RuntimeError) in
        let f = try inv.frame("frame")
        let out = try frame([
            .strings("column", f.columns.map(\.name)),
            .strings("type", f.columns.map { $0.type.rawValue }),
            .strings("role", f.columns.map { c in f.schema.columns.first { $0.value == c.name }?.key.rawValue ?? "" }),
            .integers("bytes", f.columns.map { Int64(byteSize($0)) }),
        ], inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        table.columns[3].style = .count
        let total = f.columns.reduce(0) { $0 + byteSize($1) }
        table.notes = ["\(NumberFormat.count(f.columnCount, "column")), \(NumberFormat.count(f.rowCount, "row")), \(formatBytes(total)) in memory"]
        return CommandResult(.frame(out), display: .table(table))
    }

    static let describe = CommandSpec(
        name: "describe", category: .explore,
        summary: "count, nulls, mean, std, min, quartiles, max and distinct values of every column",
        positionals: [.required("frame", .frame, "the frame")],
        options: [.optional("columns", .columns, "describe only these columns", default: "all")],
        details: [
            "std is the sample standard deviation (divides by n - 1). Quartiles interpolate linearly between values, as pandas and numpy do. Text columns get count, nulls and distinct only.",
            "Below the table, suspicious values are counted: placeholder release dates (30000101, 19000101), durations of 0 or 65535 seconds, timestamps near 0 (clock errors), listens before the release date, impossible ages, and integer columns that reach a type's sentinel maximum.",
        ],
        examples: ["describe listens", "d = describe listens columns=[user_age, media_duration]"],
        returns: "a frame with one row per column described"
    ) { inv throws(RuntimeError) in
        var f = try inv.frame("frame")
        if let names = try inv.columns("columns", in: f) {
            do { f = try f.selecting(names) } catch { throw RuntimeError("\(error)", at: inv.range(of: "columns")) }
        }
        let stats = f.summaries()
        func col(_ name: String, _ pick: (ColumnSummary) -> Double?) -> Column {
            let values = stats.map { pick($0) }
            var validity = Bitmap(count: values.count, allSet: true)
            for (i, v) in values.enumerated() where v == nil { validity.clear(i) }
            return .doubles(name, values.map { $0 ?? .nan }, validity: validity)
        }
        let out = try frame([
            .strings("column", f.columnNames),
            .integers("count", stats.map { Int64($0.count) }),
            .integers("nulls", stats.map { Int64($0.nulls) }),
            col("mean") { $0.mean }, col("std") { $0.std }, col("min") { $0.min },
            col("25%") { $0.q25 }, col("50%") { $0.median }, col("75%") { $0.q75 }, col("max") { $0.max },
            .integers("distinct", stats.map { Int64($0.distinct) }),
        ], inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        table.columns[0].alignment = .left
        for i in [1, 2, 10] { table.columns[i].style = .count }
        for i in 3...9 { table.columns[i].style = .trimmed }
        table.notes = [NumberFormat.shape(rows: f.rowCount, columns: f.columnCount)]
        var blocks: [Block] = [.table(table)]
        let suspicious = f.suspiciousValues(rules: DSG17Sentinels.rules)
        if !suspicious.isEmpty {
            blocks.append(.table(Table(
                title: "suspicious values",
                columns: [TableColumn("column", alignment: .left), TableColumn("what", alignment: .left),
                          TableColumn("rows", style: .count), TableColumn("share", style: .percent),
                          TableColumn("first row")],
                rows: suspicious.map { s in
                    [.string(s.column), .string(s.description), .int(Int64(s.count)),
                     .double(Double(s.count) / Double(max(f.rowCount, 1))), s.exampleRow.map { .int(Int64($0 + 1)) } ?? .null]
                },
                notes: ["rows are numbered from 1, in the frame's order"])))
        }
        return CommandResult(.frame(out), display: Presentation(blocks))
    }

    static let nulls = CommandSpec(
        name: "nulls", category: .explore, summary: "missing values per column",
        positionals: [.required("frame", .frame, "the frame")],
        examples: ["nulls listens"],
        returns: "a frame with one row per column: nulls and their share"
    ) { inv throws(RuntimeError) in
        let f = try inv.frame("frame")
        let counts = f.columns.map { Int64($0.nullCount) }
        let out = try frame([
            .strings("column", f.columnNames),
            .integers("nulls", counts),
            .doubles("share", counts.map { f.rowCount > 0 ? Double($0) / Double(f.rowCount) : 0 }),
        ], inv)
        var table = Presenter.frameTable(out, title: nil, allRows: true)
        table.columns[0].alignment = .left
        table.columns[1].style = .count
        table.columns[2].style = .percent
        let total = counts.reduce(0, +)
        table.notes = [total == 0 ? "no missing values in \(NumberFormat.count(f.columnCount, "column")) × \(NumberFormat.count(f.rowCount, "row"))"
                                  : "\(NumberFormat.count(Int(total), "missing value")) in all"]
        return CommandResult(.frame(out), display: .table(table))
    }

    /// A frame of freshly built columns (which cannot clash in name or length).
    static func frame(_ columns: [Column], _ inv: Invocation) throws(RuntimeError) -> DataFrame {
        do { return try DataFrame(columns) } catch { throw RuntimeError("internal error: \(error)", at: inv.range) }
    }

    /// Bytes a column occupies: its values, its validity bitmap and its dictionary.
    static func byteSize(_ c: Column) -> Int {
        let values: Int
        switch c.data {
        case .int8(let b): values = b.count
        case .int16(let b): values = 2 * b.count
        case .int32(let b): values = 4 * b.count
        case .int64(let b): values = 8 * b.count
        case .float64(let b): values = 8 * b.count
        case .bool(let b): values = b.count
        case .string(let codes, let dict): values = 4 * codes.count + dict.values.reduce(0) { $0 + $1.utf8.count }
        }
        return values + (c.validity.map { ($0.count + 7) / 8 } ?? 0)
    }

    /// `1.2 MB`.
    static func formatBytes(_ n: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var x = Double(n)
        var u = 0
        while x >= 1000 && u < units.count - 1 { x /= 1000; u += 1 }
        return u == 0 ? NumberFormat.count(n, "byte") : NumberFormat.fixed(x, decimals: 1) + " " + units[u]
    }
}
