// The run manifest at the end of every report: what a reader needs to tell whether another
// run used the same script, data, parameters, seeds and tool.

import Foundation

/// A seed a command used: given as `seed=` or its default.
package struct SeedUse: Sendable, Equatable {
    package var command: String
    /// Line of the statement that used it.
    package var line: Int
    package var value: Int64
}

/// Where a report came from.
package struct RunManifest: Sendable {
    /// A file with its size and digest (nil when it can no longer be read).
    package struct FileEntry: Sendable, Equatable {
        package var path: String
        package var bytes: Int?
        package var sha256: String?
    }

    package var script: FileEntry?
    package var inputs: [FileEntry]
    /// Declared parameters and the values they had.
    package var parameters: [(name: String, value: String)]
    package var seeds: [SeedUse]
    package var version: String
    /// UTC, ISO 8601: `2026-01-31T12:00:00Z`.
    package var date: String
    package var cores: Int

    /// Manifest keys that differ from run to run by design, which `--check` ignores.
    package static let volatileKeys: Set<String> = ["date", "host cores"]

    /// Collects the manifest of the run `interpreter` just made of `scriptPath`.
    package static func collect(scriptPath: String?, interpreter: Interpreter, date: Date = Date()) -> RunManifest {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return RunManifest(
            script: scriptPath.map(entry),
            inputs: interpreter.inputs.map(entry),
            parameters: interpreter.declaredParameters.map { ($0, interpreter.variables[$0]?.brief ?? "unset") },
            seeds: interpreter.seeds,
            version: recScriptVersion,
            date: formatter.string(from: date),
            cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// A file's size and SHA-256, or nils when it cannot be read.
    static func entry(_ path: String) -> FileEntry {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
        return FileEntry(path: path, bytes: size, sha256: try? SHA256.hex(ofFileAt: path))
    }

    /// The manifest as key-value rows, in the order reports show them.
    package var rows: [(key: String, value: String)] {
        func describe(_ f: FileEntry) -> String {
            guard let bytes = f.bytes, let sha = f.sha256 else { return "\(f.path) (unreadable)" }
            return "\(f.path), \(NumberFormat.count(bytes, "byte")), sha256 \(sha)"
        }
        var out: [(String, String)] = []
        out.append(("script", script.map(describe) ?? "(statements from the command line)"))
        if inputs.isEmpty { out.append(("inputs", "none")) }
        for (i, f) in inputs.enumerated() { out.append(("input \(i + 1)", describe(f))) }
        if parameters.isEmpty { out.append(("parameters", "none")) }
        for p in parameters { out.append(("parameter \(p.name)", p.value)) }
        if seeds.isEmpty { out.append(("seeds", "none")) }
        for s in seeds { out.append(("seed of \(s.command), line \(s.line)", String(s.value))) }
        out.append(("RecScript", recScriptVersion))
        out.append(("date", date))
        out.append(("host cores", String(cores)))
        return out
    }
}
