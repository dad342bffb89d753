// A small JSON writer: exactly what the renderers need, with correct string escaping and
// numbers that round-trip (NaN and infinities, which JSON lacks, become null).

import Frame

/// A JSON value.
package indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    /// Keys keep their order, so output is stable.
    case object([(String, JSON)])

    package static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// The cell as JSON.
    package init(_ cell: Cell) {
        switch cell {
        case .null: self = .null
        case .int(let v): self = .int(v)
        case .double(let v): self = v.isFinite ? .double(v) : .null
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .string(s)
        }
    }

    /// Compact serialisation on one line.
    package func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let v): out += String(v)
        case .double(let v):
            if !v.isFinite { out += "null" } else if v == v.rounded() && abs(v) < 1e15 {
                out += String(Int64(v)) + ".0"
            } else { out += String(v) }
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                JSON.writeString(k, to: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Renders presentations as JSON objects, one per block.
package struct JSONRenderer: Sendable {
    package init() {}

    /// One JSON object per block; `statement` adds the source and line.
    package func objects(_ p: Presentation, statement: StatementInfo?) -> [JSON] {
        p.blocks.map { block in
            var pairs: [(String, JSON)] = []
            if let statement {
                pairs.append(("statement", .string(statement.source)))
                pairs.append(("line", .int(Int64(statement.line))))
            }
            switch block {
            case .text(let s):
                pairs += [("type", .string("text")), ("text", .string(s))]
            case .table(let t):
                pairs.append(("type", .string("table")))
                if let title = t.title { pairs.append(("title", .string(title))) }
                pairs.append(("columns", .array(t.columns.map { .string($0.name) })))
                pairs.append(("rows", .array(t.rows.map { .array($0.map(JSON.init)) })))
                if let e = t.ellipsisBefore { pairs.append(("rows_omitted_before", .int(Int64(e)))) }
                if !t.notes.isEmpty { pairs.append(("notes", .array(t.notes.map { .string($0) }))) }
            case .keyValues(let title, let kv):
                pairs.append(("type", .string("values")))
                if let title { pairs.append(("title", .string(title))) }
                pairs.append(("values", .object(kv.map { ($0.0, JSON($0.1)) })))
            case .chart(let chart):
                pairs.append(("type", .string("chart")))
                pairs += JSONRenderer.chart(chart)
            }
            return .object(pairs)
        }
    }
}

extension JSONRenderer {
    /// A chart's data: its kind, labels and values, for other programs to plot.
    static func chart(_ c: Chart) -> [(String, JSON)] {
        var pairs: [(String, JSON)] = []
        if let t = c.title { pairs.append(("title", .string(t))) }
        if let x = c.xLabel { pairs.append(("x_label", .string(x))) }
        if let y = c.yLabel { pairs.append(("y_label", .string(y))) }
        func numbers(_ xs: [Double]) -> JSON { .array(xs.map { JSON(.double($0)) }) }
        func series(_ s: [Series]) -> JSON {
            .array(s.map { .object([("name", .string($0.name)), ("x", numbers($0.xs)), ("y", numbers($0.ys))]) })
        }
        switch c.mark {
        case .bars(let labels, let values):
            pairs += [("mark", .string("bars")), ("labels", .array(labels.map { .string($0) })), ("values", numbers(values))]
        case .histogram(let edges, let counts):
            pairs += [("mark", .string("histogram")), ("edges", numbers(edges)), ("counts", numbers(counts))]
        case .lines(let s):
            pairs += [("mark", .string("lines")), ("series", series(s))]
        case .points(let s):
            pairs += [("mark", .string("points")), ("series", series(s))]
        case .heatmap(let rows, let columns, let values):
            pairs += [("mark", .string("heatmap")), ("rows", .array(rows.map { .string($0) })),
                      ("columns", .array(columns.map { .string($0) })), ("values", .array(values.map(numbers)))]
        }
        if !c.notes.isEmpty { pairs.append(("notes", .array(c.notes.map { .string($0) }))) }
        return pairs
    }
}
