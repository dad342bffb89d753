// How a fit's per-epoch history shows: the table under `fit neural`, the frame `m.history`,
// and the two charts of `plot history m` (the losses; then the other metrics, training solid
// names and validation `val_` names on the same axes).

import Frame
import Learn

/// Tables, frames and charts of a TrainingHistory.
enum HistoryDisplay {
    /// Epochs a table shows at most: the first and last halves, with an ellipsis between.
    static let maxRows = 60

    /// `m.history`: one row per epoch.
    static func frame(_ h: TrainingHistory) -> DataFrame {
        var columns: [Column] = [.integers("epoch", (1...max(1, h.epochs)).prefix(h.epochs).map(Int64.init))]
        for (c, name) in h.names.enumerated() { columns.append(.doubles(name, h.rows.map { $0[c] })) }
        columns.append(.doubles("seconds", h.seconds))
        return DataFrame(unchecked: columns, rowCount: h.epochs)
    }

    /// The per-epoch table shown after a fit.
    static func table(_ h: TrainingHistory) -> Table {
        let columns = [TableColumn("epoch")] + h.names.map { TableColumn($0, style: .decimals(4)) } + [TableColumn("epoch time", style: .seconds)]
        var rows: [[Cell]] = []
        var ellipsis: Int?
        let shown: [Int]
        if h.epochs > maxRows {
            shown = Array(0..<(maxRows / 2)) + Array((h.epochs - maxRows / 2)..<h.epochs)
            ellipsis = maxRows / 2
        } else {
            shown = Array(0..<h.epochs)
        }
        for e in shown {
            rows.append([.int(Int64(e + 1))] + h.rows[e].map { $0.isNaN ? .null : .double($0) } + [.double(h.seconds[e])])
        }
        var notes = [h.stopReason + (h.keptBest ? "; the weights of the best epoch are kept" : "")]
        if let best = h.bestEpoch, let v = h.value(h.monitor, epoch: best) {
            notes.append("best epoch \(best): \(h.monitor) \(NumberFormat.fixed(v, decimals: 4))")
        }
        if h.names.contains("auc") {
            notes.append("training columns come from the training passes (dropout on), val_ columns from the held-out rows; accuracy, precision and recall at a 0.5 threshold")
        }
        return Table(title: "training history", columns: columns, rows: rows, notes: notes, ellipsisBefore: ellipsis)
    }

    /// `plot history m`: the losses, then every other quantity (or just `metrics`).
    static func charts(_ h: TrainingHistory, model: String, metrics: [String]? = nil) -> [Chart] {
        let epochs = (0..<h.epochs).map { Double($0 + 1) }
        func series(_ names: [String]) -> [Series] {
            names.compactMap { name in
                h.values(name).map { Series(name: name, xs: epochs, ys: $0) }
            }
        }
        let best = h.bestEpoch.map { "best epoch \($0) by \(h.monitor)" }
        if let metrics {
            return [Chart(title: "\(metrics.joined(separator: ", ")) of \(model) per epoch", xLabel: "epoch", yLabel: metrics.count == 1 ? metrics[0] : "value",
                          mark: .lines(series(metrics)), notes: best.map { [$0] } ?? [])]
        }
        let losses = h.names.filter { $0 == "loss" || $0 == "val_loss" }
        let others = h.names.filter { !losses.contains($0) }
        var charts = [Chart(title: "loss of \(model) per epoch", xLabel: "epoch", yLabel: "loss", mark: .lines(series(losses)),
                            notes: best.map { [$0] } ?? [])]
        if !others.isEmpty {
            charts.append(Chart(title: "metrics of \(model) per epoch", xLabel: "epoch", yLabel: "value", mark: .lines(series(others))))
        }
        return charts
    }
}
