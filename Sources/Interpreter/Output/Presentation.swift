// Presentation: the one description of a result that every renderer (terminal, Markdown,
// JSON, CSV, and later HTML) draws. A command builds blocks; it never formats text itself.

import Frame

/// Alignment of a table column.
package enum Alignment: Sendable { case left, right }

/// A column of a result table.
package struct TableColumn: Sendable {
    package var name: String
    package var alignment: Alignment
    /// How numbers in this column are written.
    package var style: NumberStyle

    package init(_ name: String, alignment: Alignment = .right, style: NumberStyle = .auto) {
        self.name = name
        self.alignment = alignment
        self.style = style
    }
}

/// How a column's numbers are written.
package enum NumberStyle: Sendable, Equatable {
    /// Integers as they are (ids stay ungrouped); floats with up to four decimals, aligned.
    case auto
    /// Integers with thousands separators: counts.
    case count
    /// A fraction shown as a percentage with one decimal.
    case percent
    /// Each float with up to four decimals, trailing zeros dropped: statistics of columns
    /// of very different scales, such as describe's quantiles.
    case trimmed
    /// Floats with exactly this many decimals: coefficients in [-1, 1] such as correlations.
    case decimals(Int)
    /// Seconds with two decimals, `1.23 s`: timings, which report checks do not compare.
    case seconds
}

/// A table of cells, with the rows left out marked.
package struct Table: Sendable {
    package var title: String?
    package var columns: [TableColumn]
    package var rows: [[Cell]]
    /// Lines shown under the table: elisions, units, warnings.
    package var notes: [String]
    /// When rows were left out: the index in `rows` before which a "…" row stands.
    package var ellipsisBefore: Int?

    package init(title: String? = nil, columns: [TableColumn], rows: [[Cell]], notes: [String] = [],
                 ellipsisBefore: Int? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
        self.ellipsisBefore = ellipsisBefore
    }
}

/// One part of a result.
package enum Block: Sendable {
    /// A paragraph of plain text.
    case text(String)
    /// A table.
    case table(Table)
    /// Labelled values, drawn as a two-column table: a model's summary, a frame's shape.
    case keyValues(title: String?, [(String, Cell)])
    /// A plot.
    case chart(Chart)
}

/// A rendered result: blocks in order.
package struct Presentation: Sendable {
    package var blocks: [Block]

    package init(_ blocks: [Block]) { self.blocks = blocks }

    package static func text(_ s: String) -> Presentation { Presentation([.text(s)]) }
    package static func table(_ t: Table) -> Presentation { Presentation([.table(t)]) }
}
