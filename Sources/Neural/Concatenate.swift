// Concatenate: joins tensors of the same rows side by side (user embedding | item embedding |
// side features) into one input for the dense stack, and splits the gradient back.

/// Side-by-side joining of tensors with the same rows.
package final class Concatenate {
    package let widths: [Int]
    package let outputWidth: Int
    private let output: Tensor
    private let pieces: [Tensor]

    package init(widths: [Int]) {
        self.widths = widths
        outputWidth = widths.reduce(0, +)
        output = Tensor(rows: 0, columns: outputWidth)
        pieces = widths.map { Tensor(rows: 0, columns: $0) }
    }

    /// The parts joined (training and inference alike).
    package func forward(_ parts: [Tensor]) -> Tensor {
        join(parts, into: output)
        return output
    }

    /// The parts joined into `y`.
    package func join(_ parts: [Tensor], into y: Tensor) {
        precondition(parts.count == widths.count, "concatenate expects \(widths.count) parts")
        let n = parts.first?.rows ?? 0
        y.resize(rows: n)
        var offset = 0
        for (p, w) in zip(parts, widths) {
            precondition(p.rows == n && p.columns == w, "concatenated parts must share their rows")
            for r in 0..<n { (y.row(r) + offset).update(from: p.row(r), count: w) }
            offset += w
        }
    }

    /// ∂loss/∂output split into one gradient per part (the layer's own tensors).
    package func backward(_ g: Tensor) -> [Tensor] {
        var offset = 0
        for (p, w) in zip(pieces, widths) {
            p.resize(rows: g.rows)
            for r in 0..<g.rows { p.row(r).update(from: g.row(r) + offset, count: w) }
            offset += w
        }
        return pieces
    }
}
