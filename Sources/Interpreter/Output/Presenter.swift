// Default presentations of values: a frame as a table of its first and last rows, a model
// as its summary, a scalar as text.

import Frame
import Learn

/// Builds presentations of values.
package enum Presenter {
    /// Rows shown of a frame displayed on its own: this many from the top and from the bottom.
    package static let edgeRows = 5

    /// Inputs shown at most in a model's table of coefficients or importances.
    static let weightRows = 25

    /// A classifier's coefficients or importances, largest magnitude first.
    static func weightsTable(_ w: FeatureWeights, names: [String]) -> Table {
        let order = w.values.indices.sorted { abs(w.values[$0]) != abs(w.values[$1]) ? abs(w.values[$0]) > abs(w.values[$1]) : $0 < $1 }
        var notes: [String] = []
        if let b = w.intercept { notes.append("intercept \(NumberFormat.general(b))") }
        if order.count > weightRows { notes.append("\(order.count - weightRows) more inputs with smaller values") }
        return Table(title: "\(w.title) by input, largest first",
                     columns: [TableColumn("input", alignment: .left), TableColumn(w.title, style: .decimals(4))],
                     rows: order.prefix(weightRows).map { [.string(names[$0]), .double(w.values[$0])] }, notes: notes)
    }

    package static func present(_ value: Value, name: String?) -> Presentation? {
        switch value {
        case .none: return nil
        case .frame(let f):
            return .table(frameTable(f, title: name))
        case .column(let c):
            let frame = DataFrame(unchecked: [c], rowCount: c.count)
            return .table(frameTable(frame, title: name))
        case .model(let m):
            var blocks: [Block] = [.keyValues(title: name.map { "\($0): \(m.model.kind) model trained on \(m.trainedOn)" },
                                              m.summaryRows)]
            if let f = m.model as? any FeatureModel {
                blocks.append(.table(FeatureOptions.table(f.pipeline)))
                if let w = f.featureWeights { blocks.append(.table(weightsTable(w, names: f.pipeline.inputNames))) }
            }
            return Presentation(blocks)
        case .matrix(let p):
            let m = p.matrix
            let cells = Double(m.rows) * Double(m.columns)
            let values = m.values
            var rows: [(String, Cell)] = [
                ("rows (\(p.rowName))", .int(Int64(m.rows))), ("columns (\(p.columnName))", .int(Int64(m.columns))),
                ("stored entries", .int(Int64(m.nonZeros))), ("density", .double(cells > 0 ? Double(m.nonZeros) / cells : 0)),
                ("dense size", .string(ExploreCommands.formatBytes(Int(min(cells * 8, 9e18))))),
                ("sparse size", .string(ExploreCommands.formatBytes(m.nonZeros * 8 + (m.rows + 1) * 8))),
            ]
            if let lo = values.min(), let hi = values.max() {
                rows += [("smallest value", .double(Double(lo))), ("mean value", .double(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))),
                         ("largest value", .double(Double(hi)))]
            }
            return Presentation([.keyValues(title: "\(name.map { "\($0): " } ?? "")sparse matrix of \(p.valueName)", rows)])
        default:
            return .text(value.brief)
        }
    }

    /// A frame as a table: every row if there are few, else the first and last `edgeRows`.
    package static func frameTable(_ f: DataFrame, title: String?, allRows: Bool = false) -> Table {
        let columns = f.columns.map { c in
            TableColumn(c.name, alignment: c.type == .string ? .left : .right)
        }
        var rowIndices: [Int]
        var ellipsis: Int?
        if allRows || f.rowCount <= 2 * edgeRows + 1 {
            rowIndices = Array(0..<f.rowCount)
        } else {
            rowIndices = Array(0..<edgeRows) + Array((f.rowCount - edgeRows)..<f.rowCount)
            ellipsis = edgeRows
        }
        let rows = rowIndices.map { r in f.columns.map { $0[r] } }
        var notes: [String] = []
        if ellipsis != nil || f.rowCount > 0 || f.columnCount == 0 {
            notes.append(NumberFormat.shape(rows: f.rowCount, columns: f.columnCount))
        }
        if f.rowCount == 0 { notes = ["empty frame: " + NumberFormat.shape(rows: 0, columns: f.columnCount)] }
        return Table(title: title, columns: columns, rows: rows, notes: notes, ellipsisBefore: ellipsis)
    }
}

extension Cell {
    /// A model summary's value as a cell.
    package init(_ v: SummaryValue) {
        switch v {
        case .text(let s): self = .string(s)
        case .int(let n): self = .int(Int64(n))
        case .number(let x): self = .double(x)
        }
    }
}
