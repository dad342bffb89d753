// The `repl` command line: run a script, run statements given with -c, generate sample data,
// or start an interactive session.

import ArgumentParser
import Foundation
import Interpreter
import RecScript
import Synth

#if canImport(Glibc)
import Glibc
#endif

/// `repl [FILE.rec] [-p name=value ...] [-c statements] [--format f]`
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "RecScript: analyse listening logs and build music recommenders.",
        discussion: """
        With no FILE and no -c, starts an interactive session (line editing, history, Tab completion).
        Exit codes: 0 ok, 1 --check found differences, 64 usage, 65 script error, 70 runtime error,
        74 I/O error (including a report that cannot be written).

        Examples:
          repl scripts/eda.rec
          repl scripts/eda.rec -p data=train.csv
          repl -c 'x = load "data/sample.csv"; describe x'
          repl --generate data/sample.csv --rows 200000 --seed 1
          repl scripts/eda.rec --report report/eda.html
          repl scripts/eda.rec --check report/eda.md --tolerance 1e-4
        """,
        version: "RecScript \(recScriptVersion)")

    @ArgumentParser.Argument(help: "A RecScript file to run.", completion: .file(extensions: ["rec"]))
    var script: String?

    @Option(name: [.customShort("p"), .customLong("param")], parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Set a script parameter declared with 'param' (repeatable).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: [.customShort("c"), .customLong("command")],
            help: ArgumentHelp("Run these statements (';' separates them) and exit.", valueName: "statements"))
    var command: String?

    @Option(help: "Output format: table, json (one object a line), csv or markdown.")
    var format: String = "table"

    @Option(help: "Width of tables, in characters (default: the terminal's, or 160 when not a terminal).")
    var width: Int?

    @Flag(help: "Print how long each statement took, on standard error.")
    var timer = false

    @Flag(help: "Never colour the output.")
    var noColor = false

    @Option(help: ArgumentHelp("Write a DSG17-shaped sample listening log to this CSV file and exit.", valueName: "path"))
    var generate: String?

    @Option(help: "Rows of the generated sample.")
    var rows: Int = 200_000

    @Option(help: "Seed of the generated sample.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("With --generate: also write each row's true listen probability here.", valueName: "path"))
    var probabilities: String?

    @Option(help: ArgumentHelp("Also write a report of the script's run: .html (one self-contained page) or .md (figures in a folder beside it).", valueName: "path"))
    var report: String?

    @Option(help: ArgumentHelp("Run the script and compare its output with an earlier Markdown report; exit 1 listing every difference.", valueName: "report.md"))
    var check: String?

    @Option(help: "With --check: how far numbers may differ, absolutely or relatively.")
    var tolerance: Double = ReportRun.defaultTolerance

    func validate() throws {
        try ReportRun.validate(report: report, check: check, tolerance: tolerance, script: script)
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)'\(Suggestions.didYouMean(format, in: outputFormats)); choose table, json, csv or markdown")
        }
        if let width, width < 20 { throw ValidationError("--width must be at least 20") }
        if script != nil && command != nil { throw ValidationError("give a script file or -c statements, not both") }
        if generate != nil && (script != nil || command != nil) {
            throw ValidationError("--generate writes a file and exits; run scripts separately")
        }
        for p in parameters where !p.contains("=") || p.hasPrefix("=") {
            throw ValidationError("-p takes name=value, e.g. -p data=train.csv (got '\(p)')")
        }
    }

    func run() throws {
        if let generate { try runGenerator(path: generate) }
        let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
        let color = !noColor && stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        let sink = ConsoleSink(format: OutputFormat(rawValue: format)!, width: width ?? terminalWidth() ?? 160, color: color)
        var overrides: [String: String] = [:]
        for p in parameters {
            let eq = p.firstIndex(of: "=")!
            overrides[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        // A report collects every event; --report still shows them, --check only compares.
        let reportSink = report != nil || check != nil ? ReportSink(forwardingTo: check == nil ? sink : nil) : nil
        let interpreter = Interpreter(sink: reportSink ?? sink, cancellation: interruptFlag, parameters: overrides)
        interpreter.showTimings = timer
        installInterruptHandler()

        if let command {
            throw ExitCode(interpreter.runScript(RecScript.SourceFile(name: "<command line>", text: command)).rawValue)
        }
        if let script {
            let text: String
            do {
                text = try String(contentsOfFile: script, encoding: .utf8)
            } catch {
                let reason = FileManager.default.fileExists(atPath: script) ? "cannot read it as UTF-8 text" : "no such file"
                OutputStream.standardError.write("repl: cannot read script '\(script)': \(reason)\n")
                throw ExitCode(ExitStatus.ioError.rawValue)
            }
            let source = RecScript.SourceFile(name: script, text: text)
            let status = interpreter.runScript(source)
            if let reportSink {
                let run = ReportRun(source: source, sink: reportSink, interpreter: interpreter, status: status)
                if let report { throw ExitCode(run.write(to: report)) }
                if let check { throw ExitCode(run.check(against: check, tolerance: tolerance)) }
            }
            throw ExitCode(status.rawValue)
        }
        if !overrides.isEmpty {
            throw ValidationError("-p sets parameters of a script; give the script file too")
        }
        let session = InteractiveSession(interpreter: interpreter, sink: sink)
        throw ExitCode(session.run().rawValue)
    }

    private func runGenerator(path: String) throws -> Never {
        let started = Date()
        do {
            let summary = try SampleGenerator.write(SampleConfig(rows: rows, seed: seed), to: path,
                                                    probabilitiesTo: probabilities)
            let seconds = Date().timeIntervalSince(started)
            var line = "wrote \(path): \(NumberFormat.grouped(summary.rows)) rows, \(NumberFormat.grouped(summary.users)) users, "
            line += "\(NumberFormat.grouped(summary.tracks)) tracks, listen rate \(NumberFormat.fixed(summary.listenRate, decimals: 3)), "
            line += "\(NumberFormat.fixed(Double(summary.bytes) / 1e6, decimals: 1)) MB in \(NumberFormat.fixed(seconds, decimals: 2)) s"
            print(line)
            if let probabilities { print("wrote \(probabilities): the true listen probability of each row") }
            Foundation.exit(0)
        } catch {
            OutputStream.standardError.write("repl: \(error.message)\n")
            Foundation.exit(error.kind == .io ? ExitStatus.ioError.rawValue : ExitStatus.usage.rawValue)
        }
    }
}

/// Columns of the terminal on standard output, if it is one.
func terminalWidth() -> Int? {
    guard isatty(STDOUT_FILENO) == 1 else { return nil }
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
}
