// A tmux driver for tests of interactive programs: one private tmux server (its own socket
// in a temporary directory, so tests never see each other or the user's tmux) running one
// command in a detached session of fixed size. Tests type text and key names into it and
// read the screen back with capture-pane.
//
// Timeouts given to the wait functions are only a bound after which a test fails; nothing
// measures them. Each wait polls the screen until its condition holds.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached tmux session running one command; the server is killed on deinit.
final class Tmux {
    /// Why a tmux operation failed; the description carries the screen when there is one.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Screen size of new sessions: wide enough that prompts and listings do not wrap.
    static let defaultWidth = 120
    static let defaultHeight = 40
    /// How long waits sleep between two captures.
    static let pollInterval: Duration = .milliseconds(50)
    /// Default failure bound of the waits, generous for a loaded 2-core CI machine.
    static let defaultTimeout: Duration = .seconds(15)

    private let tmuxPath: String
    private let directory: URL
    private let socketPath: String
    /// Where the command's exit status is written when it ends.
    private let statusPath: String
    private let target = "test"
    private var isKilled = false
    /// Numbers the output files of tmux commands.
    private var commandCount = 0

    /// Starts a server and runs `command` (executable and arguments, not parsed by a shell) in a
    /// `width` x `height` session. `environment` adds variables for the command; `term`
    /// overrides tmux's TERM for it (tmux's default-terminal, "screen" on tmux 3.3).
    /// The pane stays after the command exits, so its last screen and exit status can be read.
    init(command: [String], environment: [String: String] = [:], term: String? = nil,
         width: Int = Tmux.defaultWidth, height: Int = Tmux.defaultHeight) throws {
        guard let tmuxPath = Self.findTmux() else {
            throw Failure(description: "tmux not found on PATH; install it (make deps)")
        }
        self.tmuxPath = tmuxPath
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("recscript-tmux-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("socket").path
        statusPath = directory.appendingPathComponent("status").path

        var config = [
            "set -g remain-on-exit on",  // keep the screen and exit status of a finished command
            "set -g status off",          // the pane is the whole width x height screen
            "set -g history-limit 1000",
        ]
        if let term { config.append("set -g default-terminal \(term)") }
        let configPath = directory.appendingPathComponent("tmux.conf").path
        try (config.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true,
                                                          encoding: .utf8)

        var arguments = ["-f", configPath, "new-session", "-d", "-s", target,
                         "-x", String(width), "-y", String(height)]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["-e", "\(name)=\(value)"]
        }
        // sh waits for the command, writes its status (128 + n for signal n) to a file and
        // exits with it. Its background watchdog kills the server once the test process is
        // gone, so a test run that crashes (deinit never runs) leaves no server behind.
        let script = """
            file=$1; tmux=$2; socket=$3; owner=$4; shift 4
            (while kill -0 "$owner" 2>/dev/null; do sleep 1; done; "$tmux" -S "$socket" kill-server) &
            "$@"; status=$?
            echo $status > "$file.tmp" && mv "$file.tmp" "$file"; exit $status
            """
        arguments += ["--", "/bin/sh", "-c", script, "sh", statusPath, tmuxPath, socketPath,
                      String(getpid())] + command
        try run(arguments)
    }

    deinit { kill() }

    /// Types `text` literally (tmux send-keys -l): no key names are interpreted.
    func typeText(_ text: String) throws {
        try run(["send-keys", "-t", target, "-l", text])
    }

    /// Sends keys by tmux name: "Enter", "Tab", "Up", "BSpace", "C-r", "C-c", "C-d", "M-b"...
    func sendKeys(_ keys: String...) throws {
        try run(["send-keys", "-t", target] + keys)
    }

    /// The visible screen, one line per row (tmux trims trailing blanks of each row).
    func capture() throws -> String {
        try run(["capture-pane", "-p", "-t", target])
    }

    /// The last row of `screen` that is not blank: the prompt line of an idle repl.
    static func lastLine(of screen: String) -> String {
        screen.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
    }

    /// Waits until the last non-blank row is `line` (trailing blanks ignored, as capture-pane
    /// drops them) and returns the screen.
    @discardableResult
    func waitForLastLine(_ line: String, timeout: Duration = Tmux.defaultTimeout) async throws -> String {
        var expected = line
        while expected.last == " " { expected.removeLast() }
        return try await waitUntil("a last line \"\(line)\"", timeout: timeout) { screen in
            Self.lastLine(of: screen) == expected
        }
    }

    /// Waits until `text` is on the screen and returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration = Tmux.defaultTimeout) async throws -> String {
        try await waitUntil("\"\(text)\" on the screen", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until `condition` holds for the screen and returns the screen. Fails early when
    /// the command exited without the condition becoming true.
    @discardableResult
    func waitUntil(_ what: String, timeout: Duration = Tmux.defaultTimeout,
                   _ condition: (String) -> Bool) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let screen = try capture()
            if condition(screen) { return screen }
            if try hasEnded() {
                let last = try capture()  // everything the command wrote is on the screen now
                if condition(last) { return last }
                let status = try exitStatus().map(String.init) ?? "unknown"
                throw Failure(description: "the command ended (status \(status)) before \(what):\n\(last)")
            }
            if clock.now >= deadline {
                throw Failure(description: "timed out after \(timeout) waiting for \(what):\n\(screen)")
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    /// The command's exit status (128 + n when signal n killed it), or nil while it runs or
    /// while its status is not known yet. tmux 3.3 here sometimes leaves an exited command a
    /// zombie for seconds, its pane dead without a status; so the command runs under a sh that
    /// writes its status to a file, and tmux's own status is only the fallback for a sh killed
    /// by a signal along with the command (^C in cooked mode reaches the whole process group).
    func exitStatus() throws -> Int32? {
        if let text = try? String(contentsOfFile: statusPath, encoding: .utf8),
           let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return status
        }
        let pane = try paneState()
        return pane.dead ? pane.status : nil
    }

    /// Whether the command has ended: its status is known, or tmux saw its terminal close.
    func hasEnded() throws -> Bool {
        try exitStatus() != nil || paneState().dead
    }

    /// tmux's view of the pane: dead once its pty closed; the status once tmux reaped the sh.
    private func paneState() throws -> (dead: Bool, status: Int32?) {
        let format = "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}"
        let fields = try run(["display-message", "-p", "-t", target, format])
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ":", omittingEmptySubsequences: false)
        let dead = fields.first == "1"
        if fields.count > 1, let status = Int32(fields[1]) { return (dead, status) }
        if fields.count > 2, let signal = Int32(fields[2]) { return (dead, 128 + signal) }
        return (dead, nil)
    }

    /// Waits until the command exits and returns its exit status.
    func waitForExit(timeout: Duration = Tmux.defaultTimeout) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let status = try exitStatus() { return status }
            if clock.now >= deadline {
                throw Failure(description: "the command still runs after \(timeout):\n\(try capture())")
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Kills the server and its command and removes the temporary directory. Idempotent.
    func kill() {
        guard !isKilled else { return }
        isKilled = true
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Running tmux

    /// Runs one tmux client command against this server and returns its standard output.
    ///
    /// Spawned with posix_spawn rather than Foundation's Process for two reasons: the test's
    /// threads block most signals and a child inherits that mask (tmux passes it on to the
    /// server and the program under test, which then ignores SIGHUP from kill-server and
    /// SIGWINCH), so the mask and dispositions are reset here; and the server, forked from
    /// the first client, would keep a pipe open forever, so output goes to a file.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        commandCount += 1
        let outputPath = directory.appendingPathComponent("out-\(commandCount)").path
        let errorPath = directory.appendingPathComponent("err-\(commandCount)").path
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let status = try Self.spawnAndWait(tmuxPath, ["-u", "-S", socketPath] + arguments,
                                           output: outputPath, errors: errorPath)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed "
                + "(status \(status)): \(message)")
        }
        return output
    }

    /// Runs `path` with `arguments`, a clean signal mask and default signal dispositions,
    /// standard input from /dev/null and the two output streams into files; returns the
    /// exit status (128 + n when killed by signal n).
    private static func spawnAndWait(_ path: String, _ arguments: [String], output: String,
                                     errors: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var catchable = sigset_t()
        sigemptyset(&catchable)
        for signal in Int32(1)..<32 where signal != SIGKILL && signal != SIGSTOP {
            sigaddset(&catchable, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &catchable)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let error = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard error == 0 else {
            throw Failure(description: "cannot run \(path): \(String(cString: strerror(error)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw Failure(description: "waitpid for \(path) failed: errno \(errno)")
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func findTmux() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return directories.map { $0 + "/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Locates executables this package builds, for tests that run them as a user would.
enum BuiltProduct {
    /// The package root, three folders above Tests/ReplTests/Support.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The path of the executable product `name`: the one in `overrideVariable` if set, else
    /// the one beside the running test binary (same build directory and configuration), else
    /// the newest `.build*/{debug,release}/<name>` under the package root.
    static func path(_ name: String, overrideVariable: String) throws -> String {
        let files = FileManager.default
        if let path = ProcessInfo.processInfo.environment[overrideVariable], !path.isEmpty {
            guard files.isExecutableFile(atPath: path) else {
                throw Tmux.Failure(description: "\(overrideVariable)=\(path) is not an executable")
            }
            return path
        }
        if let testBinary = Bundle.main.executableURL {
            // Linux: .build/<triple>/debug/<Package>PackageTests.xctest; macOS: inside the bundle.
            var directory = testBinary.deletingLastPathComponent()
            if directory.path.hasSuffix(".xctest/Contents/MacOS") {
                directory = directory.deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent()
            }
            let sibling = directory.appendingPathComponent(name).path
            if files.isExecutableFile(atPath: sibling) { return sibling }
        }
        let buildDirectories = (try? files.contentsOfDirectory(atPath: packageRoot.path))?
            .filter { $0.hasPrefix(".build") } ?? []
        let candidates = buildDirectories.flatMap { build in
            ["debug", "release"].map { packageRoot.appendingPathComponent("\(build)/\($0)/\(name)").path }
        }.filter { files.isExecutableFile(atPath: $0) }
        let newest = candidates.max { modificationDate($0) < modificationDate($1) }
        guard let newest else {
            throw Tmux.Failure(description: "no built '\(name)' under \(packageRoot.path)/.build*; "
                + "run `swift build --product \(name)` or set \(overrideVariable)")
        }
        return newest
    }

    private static func modificationDate(_ path: String) -> Date {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return attributes?[.modificationDate] as? Date ?? .distantPast
    }
}
