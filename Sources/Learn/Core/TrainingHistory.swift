// TrainingHistory: what an iterative fit measured after each epoch (loss and metrics on the
// training rows and, when some were held out, on the validation rows), which epoch was best,
// and why training stopped. `m.history` shows it as a frame and `plot history m` draws it.

/// Per-epoch measurements of a fit.
package struct TrainingHistory: Sendable, Equatable {
    /// The measured quantities, in column order: "loss", "auc", ..., "val_loss", ...
    package var names: [String]
    /// One row per finished epoch: a value per name (NaN when undefined, e.g. the AUC of a
    /// validation set with one class).
    package var rows: [[Double]]
    /// Seconds of each epoch (training and measuring).
    package var seconds: [Double]
    /// The quantity early stopping and the best epoch are judged by ("val_loss").
    package var monitor: String
    /// The best epoch by `monitor` (1-based), nil before any epoch finished.
    package var bestEpoch: Int?
    /// Why training stopped: "ran 50 epochs", "early stop: val_loss has not improved for 5 epochs".
    package var stopReason: String
    /// Whether the model holds the weights of the best epoch (early stopping, interruption)
    /// rather than the last.
    package var keptBest: Bool
    /// Whether the user stopped training (Ctrl-C) before its end.
    package var interrupted = false

    package init(names: [String], monitor: String) {
        self.names = names
        self.monitor = monitor
        rows = []
        seconds = []
        bestEpoch = nil
        stopReason = ""
        keptBest = false
    }

    package var epochs: Int { rows.count }

    /// The values of quantity `name` per epoch.
    package func values(_ name: String) -> [Double]? {
        guard let c = names.firstIndex(of: name) else { return nil }
        return rows.map { $0[c] }
    }

    /// The value of `name` at epoch `e` (1-based).
    package func value(_ name: String, epoch e: Int) -> Double? {
        guard let c = names.firstIndex(of: name), e >= 1, e <= rows.count else { return nil }
        return rows[e - 1][c]
    }
}

extension TrainingHistory {
    /// The header of the per-epoch lines a fit prints as it goes.
    package var lineHeader: String {
        "epoch  " + names.map { $0.padding(toLength: max(8, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  time"
    }

    /// Epoch `e` (1-based) as a line under `lineHeader`.
    package func line(epoch e: Int) -> String {
        let row = rows[e - 1]
        let cells = zip(names, row).map { name, v in
            let text = v.isNaN ? "—" : String(format: "%.4f", v)
            return text.padding(toLength: max(8, name.count), withPad: " ", startingAt: 0)
        }
        return String(format: "%5d  ", e) + cells.joined(separator: "  ") + String(format: "  %.2f s", seconds[e - 1])
    }
}

extension Model {
    package var history: TrainingHistory? { nil }
}
