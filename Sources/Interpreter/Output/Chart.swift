// Chart: the description of a plot that every renderer draws — Unicode blocks and braille in
// a terminal, SVG in HTML reports, a data table in JSON and CSV.

/// A named sequence of (x, y) points.
package struct Series: Sendable, Equatable {
    package var name: String
    package var xs: [Double]
    package var ys: [Double]

    package init(name: String, xs: [Double], ys: [Double]) {
        precondition(xs.count == ys.count, "a series needs as many x as y values")
        self.name = name
        self.xs = xs
        self.ys = ys
    }
}

/// What a chart draws.
package enum Mark: Sendable, Equatable {
    /// One bar per category: counts of a categorical column, a frequency table.
    case bars(labels: [String], values: [Double])
    /// Contiguous bins: `counts[i]` falls in `edges[i]..<edges[i+1]` (the last bin is closed).
    case histogram(edges: [Double], counts: [Double])
    /// Lines through points, one per series (training curves, ROC curves).
    case lines([Series])
    /// Unconnected points, one colour per series.
    case points([Series])
    /// A matrix of values in [-1, 1] or any range, rows and columns labelled (correlations).
    case heatmap(rows: [String], columns: [String], values: [[Double]])
}

/// A plot with its title and axis labels.
package struct Chart: Sendable, Equatable {
    package var title: String?
    package var xLabel: String?
    package var yLabel: String?
    package var mark: Mark
    /// For line charts of rates: draw the diagonal y = x (ROC curves).
    package var diagonal: Bool
    /// Lines under the chart, like a table's notes.
    package var notes: [String]

    package init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, mark: Mark,
                 diagonal: Bool = false, notes: [String] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.mark = mark
        self.diagonal = diagonal
        self.notes = notes
    }
}
