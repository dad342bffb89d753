// Writing to standard output and error with POSIX write(2): unbuffered, so results and
// diagnostics interleave in the order they happen, and free of C's global FILE streams.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where text goes.
enum OutputStream {
    case standardOutput, standardError

    var fileDescriptor: Int32 { self == .standardOutput ? STDOUT_FILENO : STDERR_FILENO }

    /// Writes all of `text`, retrying after interruptions and short writes.
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.write(fileDescriptor, buf.baseAddress! + offset, buf.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return // EPIPE and the like: the reader has gone; nothing useful to do.
            }
            offset += n
        }
    }
}
