// What `--report` and `--check` do once the script has run: write the run's report, or compare
// it with an earlier Markdown report and list every difference.

import ArgumentParser
import Foundation
import Interpreter
import RecScript

/// A finished run of a script, with the events its report is made of.
struct ReportRun {
    let source: SourceFile
    let sink: ReportSink
    let interpreter: Interpreter
    let status: ExitStatus

    /// Numbers in a check may differ by this much unless --tolerance says otherwise.
    static let defaultTolerance = 1e-6
    /// Exit status of a check that found differences.
    static let differencesFound: Int32 = 1

    /// Checks the flags' combination and the report's extension (usage errors, exit 64).
    static func validate(report: String?, check: String?, tolerance: Double, script: String?) throws {
        if report != nil && check != nil { throw ValidationError("give --report or --check, not both") }
        if (report != nil || check != nil) && script == nil {
            throw ValidationError("--\(report != nil ? "report" : "check") needs a script file: repl script.rec --\(report != nil ? "report out.html" : "check expected.md")")
        }
        if let report, ReportFormat(path: report) == nil {
            throw ValidationError("--report writes .html or .md files, not '\(report)'")
        }
        if let check, ReportFormat(path: check) != .markdown {
            throw ValidationError("--check compares with a Markdown report (.md), not '\(check)'")
        }
        guard tolerance >= 0 && tolerance.isFinite else { throw ValidationError("--tolerance must be a number >= 0") }
    }

    /// The report document of the run.
    private var document: ReportDocument {
        ReportDocument.build(source: source, events: sink.events,
                             manifest: RunManifest.collect(scriptPath: source.name, interpreter: interpreter), status: status)
    }

    /// Writes the report; the script's exit status, or 74 when the report cannot be written.
    func write(to path: String) -> Int32 {
        do throws(ReportError) {
            let figures = try ReportWriter.write(document, to: path)
            let extra = figures > 0 ? " and \(figures) figure\(figures == 1 ? "" : "s") in \(FigureFolder.beside(path).directory)/" : ""
            OutputStream.standardError.write("repl: wrote the report \(path)\(extra)\n")
            return status.rawValue
        } catch {
            OutputStream.standardError.write("repl: \(error.message)\n")
            return ExitStatus.ioError.rawValue
        }
    }

    /// Compares the run with the report at `path`: 0 when they agree, 1 listing each difference.
    func check(against path: String, tolerance: Double) -> Int32 {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it as UTF-8 text" : "no such file"
            OutputStream.standardError.write("repl: cannot read the report '\(path)': \(reason)\n")
            return ExitStatus.ioError.rawValue
        }
        guard let expected = ParsedReport(markdown: text) else {
            OutputStream.standardError.write("repl: '\(path)' is not a Markdown report written by repl --report\n")
            return ExitStatus.usage.rawValue
        }
        var figures = FigureFolder.beside(path)
        let actual = ParsedReport(markdown: MarkdownReport().render(document, figures: &figures))!
        let differences = ReportCheck.differences(expected: expected, actual: actual, tolerance: tolerance)
        if differences.isEmpty {
            print("no differences from \(path): \(actual.outputs.count) outputs and the manifest agree (tolerance \(tolerance))")
            return ExitStatus.ok.rawValue
        }
        for d in differences { print(d) }
        print("\(differences.count) difference\(differences.count == 1 ? "" : "s") from \(path)")
        return Self.differencesFound
    }
}
