// CancellationFlag: a flag that a signal handler or another thread sets and long loops poll.

import Synchronization

/// Set to ask running work to stop at its next check; polled by loaders and trainers.
package final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    /// Asks running work to stop.
    package func cancel() { flag.store(true, ordering: .relaxed) }

    /// Clears the request, before the next command runs.
    package func reset() { flag.store(false, ordering: .relaxed) }

    package var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Thrown by work that stopped because its `CancellationFlag` was set.
package struct CancelledError: Error, Sendable {
    package init() {}
}
