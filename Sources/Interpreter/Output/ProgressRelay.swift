// ProgressRelay: carries a long command's progress (a fit's `FitContext.report`, a search's
// finished trials) to the session's sink as `.progress` events, at most ten status updates a
// second. Fits may report from worker threads, so updates are serialised by a lock; the
// command's own thread is waiting on the work meanwhile and emits nothing else.

import Foundation
import Frame
import Learn

/// Forwards progress to a sink, throttled.
package final class ProgressRelay: @unchecked Sendable {
    // @unchecked Sendable: every access to `sink` and `lastStatus` holds `lock`.
    private let lock = NSLock()
    private let sink: OutputSink
    private let label: String
    private var lastStatus = DispatchTime(uptimeNanoseconds: 0)
    /// Seconds between status updates at least.
    static let interval: UInt64 = 100_000_000

    package init(sink: OutputSink, label: String) {
        self.sink = sink
        self.label = label
    }

    /// A status update: the share done and a note, dropped when the last was too recent.
    package func status(_ fraction: Double, _ note: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = DispatchTime.now()
        guard now.uptimeNanoseconds - lastStatus.uptimeNanoseconds >= Self.interval else { return }
        lastStatus = now
        sink.emit(.progress(ProgressUpdate(fraction: fraction, status: label.isEmpty ? note : "\(label): \(note)")))
    }

    /// Lines to keep on screen (a live table's rows), with the status line after them.
    package func lines(_ lines: [String], fraction: Double? = nil, status: String = "") {
        lock.lock()
        defer { lock.unlock() }
        sink.emit(.progress(ProgressUpdate(lines: lines, fraction: fraction, status: status)))
    }

    /// Clears the status line.
    package func finish() {
        lock.lock()
        defer { lock.unlock() }
        sink.emit(.progress(ProgressUpdate(done: true)))
    }

    /// A fit context that reports here and stops on `cancellation`.
    package func context(cancellation: CancellationFlag) -> FitContext {
        FitContext(cancellation: cancellation, progress: { [self] f, note in status(f, note) },
                   log: { [self] ls in lines(ls) })
    }
}
