// Lazy: a value computed once, on first use, by whichever thread asks first; later readers
// get the same value. Fits that never need a training frame's user-item pairs (the baseline)
// do not pay for them; models that rank items compute them when first asked.

import Synchronization

/// A value computed on first use, then kept.
package final class Lazy<T: Sendable>: Sendable {
    private let state: Mutex<T?>
    private let make: @Sendable () -> T

    package init(_ make: @escaping @Sendable () -> T) {
        state = Mutex(nil)
        self.make = make
    }

    /// An already computed value.
    package init(value: T) {
        state = Mutex(value)
        make = { value }
    }

    /// The value, computed now if this is the first use.
    package var value: T {
        state.withLock { stored in
            if let stored { return stored }
            let v = make()
            stored = v
            return v
        }
    }
}
