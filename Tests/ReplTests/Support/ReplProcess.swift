// Runs the built `repl` binary as a user would, capturing its output and exit code.

import Foundation

/// The package root.
let packageRoot: URL = BuiltProduct.packageRoot

/// The `repl` binary under test ($REPL_BINARY, else the one built beside the tests).
let replBinary: URL = URL(fileURLWithPath: (try? BuiltProduct.path("repl", overrideVariable: "REPL_BINARY"))
    ?? packageRoot.appendingPathComponent(".build/debug/repl").path)

/// What a finished run printed and returned.
struct ProcessRun: Equatable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `repl` with `arguments` in the package root, feeding `input` on standard input.
func runRepl(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessRun {
    let process = Process()
    process.executableURL = replBinary
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["RECSCRIPT_HISTORY"] = "/dev/null"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    // Read both pipes concurrently so a full pipe never blocks the child.
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try inp.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errReader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
    return ProcessRun(status: process.terminationStatus,
                   stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
}

/// The sample log `make run` makes (200,000 rows, seed 1), generated afresh once per test
/// process into a temporary folder — never a stale data/sample.csv from an older generator.
/// Scripts get it with `-p data=<path>`; transcripts show the path as data/sample.csv.
let freshSample: Result<String, Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recscript-sample-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("sample.csv").path
    let run = try runRepl(["--generate", path, "--rows", "200000", "--seed", "1"])
    guard run.status == 0 else { throw SampleError(message: run.stderr) }
    return path
}

/// The sample could not be generated.
struct SampleError: Error, CustomStringConvertible {
    var message: String
    var description: String { "could not generate the sample: \(message)" }
}
