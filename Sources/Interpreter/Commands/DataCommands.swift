// Commands that bring data in and declare its meaning: load, schema.

import Foundation
import Frame
import RecScript

/// load, schema.
enum DataCommands {
    static let all: [CommandSpec] = [load, schema]

    static let load = CommandSpec(
        name: "load", category: .data,
        summary: "read a delimited text file (CSV, TSV, .csv.gz) or a binary frame file (.rsf) into a frame",
        positionals: [.required("path", .path, "the file to read")],
        options: [
            .optional("rows", .integer(min: 0, max: nil), "read at most this many data rows", default: "all"),
            .optional("columns", .columns, "keep only these columns, in this order", default: "all"),
            .optional("sep", .string, "field separator, e.g. \",\" or \"\\t\"", default: "sniffed: comma, tab, semicolon or pipe"),
            .optional("header", .bool, "whether the first line names the columns", default: "true"),
            .optional("names", .columns, "column names (for files without a header, or to rename)"),
            .optional("types", .any, "force column types, as [\"column:type\", ...] with types int8, int16, int32, int64, float64, bool, string",
                      default: "inferred over the whole file").shown(as: "[\"column:type\", ...]"),
            .optional("on_error", .choice(CSVErrorPolicy.allCases.map(\.rawValue)),
                      "what to do with a malformed row: fail, skip it, or null its bad cells", default: "fail"),
        ],
        details: [
            "Every column's type is inferred over the whole file: integers (stored in the narrowest width that holds them), then floats, then text. Empty cells and NA, NaN, null are missing values.",
            "A headerless file gets the names given by names=[...], or column_1, column_2, ...",
        ],
        examples: [
            "listens = load \"data/sample.csv\"",
            "first = load \"data/sample.csv\" rows=1000 columns=[user_id, media_id, is_listened]",
            "ratings = load \"u.data\" sep=\"\\t\" header=false names=[user, item, rating, time]",
            "listens = load \"train.csv\" types=[\"genre_id:string\"] on_error=skip",
        ],
        returns: "a frame"
    ) { inv throws(RuntimeError) in
        guard let path = try inv.string("path") else { throw RuntimeError("load needs a path", at: inv.range) }
        var options = CSVOptions()
        options.cancellation = inv.cancellation
        if inv.has("rows") { options.maxRows = Int(try inv.integer("rows")) }
        options.hasHeader = try inv.bool("header", default: true)
        options.names = try inv.words("names")
        options.columns = try inv.words("columns")
        if let policy = try inv.choice("on_error") { options.onError = CSVErrorPolicy(rawValue: policy)! }
        options.types = try forcedTypes(inv)
        if let sep = try inv.string("sep") {
            let bytes = Array((sep == "tab" ? "\t" : sep).utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n") else {
                throw RuntimeError("sep must be a single character such as \",\" or \"\\t\", not \"\(sep)\"",
                                   at: inv.range(of: "sep"))
            }
            options.delimiter = bytes[0]
        }
        if !options.hasHeader, let names = options.names, let columns = options.columns {
            for c in columns where !names.contains(c) {
                throw RuntimeError("column '\(c)' is not among names=[...]\(Suggestions.didYouMean(c, in: names))",
                                   at: inv.range(of: "columns"))
            }
        }
        if FrameFile.isFrameFile(path: path) {
            var frame: DataFrame
            do throws(FrameFileError) { frame = try FrameFile.read(path: path) } catch {
                throw RuntimeError(.io, error.description, at: inv.range(of: "path"))
            }
            if let columns = options.columns {
                do { frame = try frame.selecting(columns) } catch {
                    throw RuntimeError("\(error)", at: inv.range(of: "columns"))
                }
            }
            if let rows = options.maxRows { frame = frame.head(rows) }
            inv.interpreter.recordInput(path)
            let line = "loaded \(path): \(NumberFormat.shape(rows: frame.rowCount, columns: frame.columnCount)) (binary frame file)"
            return CommandResult(.frame(frame), display: .text(line), showWhenAssigned: true)
        }
        let frame: DataFrame
        let report: CSVReport
        do throws(CSVError) {
            (frame, report) = try CSVReader.read(path: path, options: options)
        } catch {
            if error.kind == .cancelled { throw RuntimeError(.cancelled, "load interrupted", at: inv.range) }
            var notes: [String] = []
            if error.kind == .notFound {
                notes.append("the working directory is \(FileManager.default.currentDirectoryPath)")
            }
            if error.kind == .unknownColumn || error.kind == .raggedRow || error.kind == .badValue {
                if error.kind == .raggedRow || error.kind == .badValue {
                    notes.append("on_error=skip leaves such rows out; on_error=null keeps them with missing cells")
                }
            }
            throw RuntimeError(error.isIOError ? .io : .runtime, error.description, at: inv.range(of: "path"), notes: notes)
        }
        inv.interpreter.recordInput(path)
        var lines = ["loaded \(path): \(NumberFormat.shape(rows: frame.rowCount, columns: frame.columnCount))"]
        if report.skippedRows > 0 {
            lines.append("skipped \(NumberFormat.grouped(report.skippedRows)) malformed row\(report.skippedRows == 1 ? "" : "s"); the first: \(report.examples.first?.description ?? "")")
        }
        if report.nulledCells > 0 {
            lines.append("set \(NumberFormat.grouped(report.nulledCells)) unreadable cell\(report.nulledCells == 1 ? "" : "s") to null; the first: \(report.examples.first?.description ?? "")")
        }
        return CommandResult(.frame(frame), display: .text(lines.joined(separator: "\n")), showWhenAssigned: true)
    }

    static let schema = CommandSpec(
        name: "schema", category: .data,
        summary: "declare which columns hold the user, item, label, rating and time, for every later command",
        positionals: [.required("frame", .frame, "the frame (a variable) to annotate")],
        options: Role.allCases.map { role in
            .optional(role.rawValue, .column, roleSummary(role))
        },
        details: [
            "Roles travel with the frame: frames split, sampled or filtered from it keep them, and models remember them.",
            "With no options, shows the roles declared so far.",
        ],
        examples: ["schema listens user=user_id item=media_id label=is_listened time=ts_listen"],
        results: 0, returns: "nothing; updates the frame's roles"
    ) { inv throws(RuntimeError) in
        guard let e = inv.expression("frame"), let name = e.identifier else {
            throw RuntimeError("schema needs the name of a frame variable, such as 'schema listens user=user_id'",
                               at: inv.range(of: "frame"))
        }
        var frame = try inv.frame("frame")
        for role in Role.allCases {
            guard let column = try inv.column(role.rawValue, in: frame) else { continue }
            let type = frame[column]!.type
            if role != .time && !type.isNumeric {
                throw RuntimeError("the \(role.rawValue) column must be numeric, but '\(column)' holds \(type.rawValue)",
                                   at: inv.range(of: role.rawValue))
            }
            frame.schema[role] = column
        }
        inv.interpreter.setVariable(name, .frame(frame))
        let pairs = Role.allCases.map { role in (role.rawValue, Cell.string(frame.schema[role] ?? "—")) }
        return CommandResult([], display: Presentation([.keyValues(title: "schema of \(name)", pairs)]))
    }

    /// The `types=["col:type", ...]` option as a map from column to type.
    private static func forcedTypes(_ inv: Invocation) throws(RuntimeError) -> [String: DataType] {
        guard let value = try inv.value("types") else { return [:] }
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        var types: [String: DataType] = [:]
        let names = DataType.allCases.map(\.rawValue)
        for item in items {
            guard case .string(let pair) = item, let colon = pair.lastIndex(of: ":") else {
                throw RuntimeError("types takes strings \"column:type\", such as types=[\"user_id:int64\", \"genre:string\"]",
                                   at: inv.range(of: "types"))
            }
            let column = String(pair[..<colon]), typeName = String(pair[pair.index(after: colon)...])
            guard let type = DataType(rawValue: typeName) else {
                throw RuntimeError("unknown type '\(typeName)' for column '\(column)'\(Suggestions.didYouMean(typeName, in: names))",
                                   at: inv.range(of: "types"), notes: ["types: \(names.joined(separator: ", "))"])
            }
            types[column] = type
        }
        return types
    }

    private static func roleSummary(_ role: Role) -> String {
        switch role {
        case .user: "column of user ids"
        case .item: "column of item (track) ids"
        case .label: "column of the 0/1 target, e.g. is_listened"
        case .rating: "column of explicit ratings (a number per row), for models that predict them"
        case .time: "column of timestamps, for time-based splits"
        }
    }
}
