// Commands that make new frames from a frame: filter, derive, select, drop, save.

import Foundation
import Frame
import RecScript

/// filter, derive, select, drop, save.
enum TransformCommands {
    static let all: [CommandSpec] = [filter, derive, select, drop, save]

    static let filter = CommandSpec(
        name: "filter", category: .transform,
        summary: "keep the rows where a condition holds",
        positionals: [.required("frame", .frame, "the frame")],
        clauses: [.required("where", .rowExpression, "the condition, over the frame's columns")],
        details: [
            "The condition may use columns by name, arithmetic (+ - * / %), comparisons (== != < <= > >=), and, or, not, in [...], is null, is not null, and the functions of derive. Rows where it is null are left out.",
        ],
        examples: ["subset = filter listens where user_id < 550 and media_id < 550000",
                   "flow = filter listens where listen_type == 1 and context_type in [0, 1]",
                   "known = filter listens where release_date is not null"],
        returns: "a frame of the kept rows"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let condition = inv.expression("where")!
        let out = frame.filtered(try rowMask(condition, frame, inv))
        let share = frame.rowCount > 0 ? Double(out.rowCount) / Double(frame.rowCount) : 0
        let line = "kept \(NumberFormat.grouped(out.rowCount)) of \(NumberFormat.count(frame.rowCount, "row")) (\(NumberFormat.fixed(share * 100, decimals: 1))%)"
        return keptRows(out, line, inv)
    }

    /// A frame of kept rows: assigned, the one-line account of what was kept; shown, the frame
    /// with that line under it.
    static func keptRows(_ out: DataFrame, _ line: String, _ inv: Invocation) -> CommandResult {
        if inv.targetCount > 0 { return CommandResult(.frame(out), display: .text(line), showWhenAssigned: true) }
        var table = Presenter.frameTable(out, title: nil)
        table.notes.append(line)
        return CommandResult(.frame(out), display: .table(table))
    }

    static let derive = CommandSpec(
        name: "derive", category: .transform,
        summary: "add columns computed from expressions over each row",
        positionals: [.required("frame", .frame, "the frame")],
        openOptions: .required("column", .rowExpression, "a new (or replaced) column and its expression"),
        details: [
            "Each new column may use the ones defined before it in the same command. Integer arithmetic stays integral; / gives numbers; division by zero gives null.",
            "Functions: " + ColumnFunctions.catalogue.map { "\($0.signature) \($0.summary)" }.joined(separator: "; ") + ".",
        ],
        examples: ["listens = derive listens hour = hour(ts_listen) weekday = weekday(ts_listen)",
                   "listens = derive listens release_year = year(release_date) late = hour(ts_listen) >= 22"],
        returns: "the frame with the new columns"
    ) { inv throws(RuntimeError) in
        var frame = try inv.frame("frame")
        var added: [String] = []
        for (name, argument) in inv.arguments.open {
            let vector = try ColumnEvaluator(interpreter: inv.interpreter, frame: frame).evaluate(argument.value)
            let column = vector.column(named: name, rowCount: frame.rowCount)
            do { frame = try frame.with(column) } catch {
                throw RuntimeError("cannot add '\(name)': \(error)", at: argument.range)
            }
            added.append("\(name) (\(column.type.rawValue))")
        }
        let line = "added \(added.joined(separator: ", ")): \(NumberFormat.shape(rows: frame.rowCount, columns: frame.columnCount))"
        if inv.targetCount > 0 { return CommandResult(.frame(frame), display: .text(line), showWhenAssigned: true) }
        return CommandResult(.frame(frame), display: .table(Presenter.frameTable(frame, title: nil)))
    }

    static let select = CommandSpec(
        name: "select", category: .transform,
        summary: "keep only some columns, in the order given",
        positionals: [.required("frame", .frame, "the frame"), .required("columns", .columns, "the columns to keep")],
        details: ["The columns are shared with the original frame, not copied."],
        examples: ["ids = select listens [user_id, media_id, is_listened]"],
        returns: "a frame of those columns"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let names = try inv.columns("columns", in: frame) ?? []
        let out = try inv.frameOperation(at: "columns") { () throws(FrameError) in try frame.selecting(names) }
        return CommandResult(.frame(out), display: .table(Presenter.frameTable(out, title: nil)))
    }

    static let drop = CommandSpec(
        name: "drop", category: .transform,
        summary: "leave out some columns",
        positionals: [.required("frame", .frame, "the frame"), .required("columns", .columns, "the columns to leave out")],
        examples: ["features = drop listens [is_listened, user_id]"],
        returns: "a frame without those columns"
    ) { inv throws(RuntimeError) in
        let frame = try inv.frame("frame")
        let names = try inv.columns("columns", in: frame) ?? []
        let out = try inv.frameOperation(at: "columns") { () throws(FrameError) in try frame.dropping(names) }
        return CommandResult(.frame(out), display: .table(Presenter.frameTable(out, title: nil)))
    }

    static let save = CommandSpec(
        name: "save", category: .data,
        summary: "write a frame to a CSV file or to a binary frame file (.rsf) that loads much faster, or the last plot to SVG",
        positionals: [.required("frame", .frame, "the frame, or the word plot for the session's last plot"),
                      .required("path", .path, "the file to write")],
        options: [
            .optional("format", .choice(["csv", "tsv", "frame"]), "the file format", default: "frame for .rsf, tsv for .tsv, else csv"),
        ],
        details: [
            "Files are written to a temporary name and renamed when complete, so a failed save never leaves a half-written file. A binary frame file keeps every column's type and the frame's schema roles are declared again after loading.",
            "save plot \"file.svg\" writes the session's last plot as a standalone SVG file.",
        ],
        examples: ["save subset \"data/subset.csv\"", "save listens \"data/listens.rsf\"", "save plot \"ages.svg\""],
        results: 0, returns: "nothing"
    ) { inv throws(RuntimeError) in
        if inv.expression("frame")?.identifier == PlotCommands.saveKeyword { return try PlotCommands.savePlot(inv) }
        let frame = try inv.frame("frame")
        guard let path = try inv.string("path") else { throw RuntimeError("save needs a path", at: inv.range) }
        let lower = path.lowercased()
        let format = try inv.choice("format") ?? (lower.hasSuffix(".rsf") ? "frame" : lower.hasSuffix(".tsv") ? "tsv" : "csv")
        switch format {
        case "frame":
            do throws(FrameFileError) { try FrameFile.write(frame, to: path) } catch {
                throw RuntimeError(.io, error.description, at: inv.range(of: "path"))
            }
        default:
            do throws(CSVError) {
                try CSVWriter.write(frame, to: path, delimiter: UInt8(ascii: format == "tsv" ? "\t" : ","))
            } catch {
                throw RuntimeError(.io, error.description, at: inv.range(of: "path"))
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let line = "saved \(path): \(NumberFormat.shape(rows: frame.rowCount, columns: frame.columnCount)), \(ExploreCommands.formatBytes(size))"
        return CommandResult([], display: .text(line))
    }

    /// The rows where `condition` is true (null counts as false).
    static func rowMask(_ condition: Expr, _ frame: DataFrame, _ inv: Invocation) throws(RuntimeError) -> [Bool] {
        let v = try ColumnEvaluator(interpreter: inv.interpreter, frame: frame).evaluate(condition)
        switch v {
        case .bool(var values, let nulls):
            if let nulls { for i in 0..<values.count where nulls[i] { values[i] = false } }
            return values
        case .scalar(.bool(let b)):
            return [Bool](repeating: b, count: frame.rowCount)
        default:
            throw RuntimeError("the condition gives \(v.typeName), not true or false; compare with ==, <, in ...",
                               at: condition.range)
        }
    }
}
