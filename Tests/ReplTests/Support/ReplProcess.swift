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

/// Makes sure data/sample.csv exists, generating it as `make run` does.
func ensureSample() throws {
    let path = packageRoot.appendingPathComponent("data/sample.csv").path
    if FileManager.default.fileExists(atPath: path) { return }
    try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("data"), withIntermediateDirectories: true)
    let run = try runRepl(["--generate", "data/sample.csv", "--rows", "200000", "--seed", "1"])
    precondition(run.status == 0, "could not generate the sample: \(run.stderr)")
}
