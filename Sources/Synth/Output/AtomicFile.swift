// AtomicFile: a file that appears whole or not at all.
//
// Bytes go to a hidden temporary file in the target's own directory (".name.synth-PID.tmp"),
// which `commit` closes and renames over the target: rename(2) within one file system is
// atomic, so a reader sees the old file or the complete new one, never a half-written one.
// `discard` (and any error) removes the temporary file. `SampleGenerator` renames the
// probabilities file before the CSV, so only a failing second rename (rare: same directory
// rules) could leave a new probabilities file beside an old CSV. A missing directory is an
// error, not created on the fly: a typo in a path should not leave a new directory tree behind.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written through a temporary and renamed into place.
struct AtomicFile {
    /// Where the file will be.
    let path: String
    /// Where it is written until `commit`.
    let temporaryPath: String
    private var descriptor: Int32
    /// Bytes written so far.
    private(set) var bytes = 0

    /// Opens a temporary file beside `path`.
    init(path: String) throws(SynthError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw SynthError(.io, "cannot write '\(path)': is a directory") }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw SynthError(.io, "cannot write '\(path)': is a directory")
        }
        if stat(directory, &info) != 0 {
            throw SynthError(.io, "cannot write '\(path)': directory '\(directory)' does not exist (create it first)")
        }
        temporaryPath = (directory == "/" ? "" : directory) + "/." + name + ".synth-\(getpid()).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        if descriptor < 0 { throw Self.failure(path) }
    }

    /// Appends `buffer`, retrying short and interrupted writes.
    mutating func write(_ buffer: UnsafeRawBufferPointer) throws(SynthError) {
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let error = Self.failure(path)
                discard()
                throw error
            }
            offset += n
        }
        bytes += buffer.count
    }

    /// Appends `bytes`.
    mutating func write(_ bytes: [UInt8]) throws(SynthError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        try write(UnsafeRawBufferPointer(buffer))
    }

    /// Closes the temporary file and renames it to `path`.
    mutating func commit() throws(SynthError) {
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 || rename(temporaryPath, path) != 0 {
            let error = Self.failure(path)
            unlink(temporaryPath)
            throw error
        }
    }

    /// Closes and removes the temporary file.
    mutating func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    /// "cannot write 'path': reason", the reason from errno in lowercase.
    static func failure(_ path: String) -> SynthError {
        var reason = String(cString: strerror(errno))
        if let first = reason.first { reason = first.lowercased() + reason.dropFirst() }
        return SynthError(.io, "cannot write '\(path)': \(reason)")
    }
}

/// write(2), under one name on Linux and Darwin.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
