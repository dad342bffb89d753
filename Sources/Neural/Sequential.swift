// Sequential: layers applied one after another. Training runs `forward` then `backward`
// through the layers' own tensors; `infer` allocates its tensors per call, so scoring may run
// on several threads at once.

/// A stack of layers.
package final class Sequential: @unchecked Sendable {
    // @unchecked Sendable: trained by one thread; after training only `infer` runs, which
    // reads the parameters and writes tensors of its own.
    package let layers: [any Layer]

    package init(_ layers: [any Layer]) {
        for (a, b) in zip(layers, layers.dropFirst()) {
            precondition(a.outputWidth == b.inputWidth, "\(a.description) gives \(a.outputWidth) columns, \(b.description) takes \(b.inputWidth)")
        }
        self.layers = layers
    }

    package var inputWidth: Int { layers.first?.inputWidth ?? 0 }
    package var outputWidth: Int { layers.last?.outputWidth ?? 0 }
    package var parameters: [Parameter] { layers.flatMap(\.parameters) }
    package var state: [Parameter] { layers.flatMap(\.state) }

    /// Training-mode output of `x`.
    package func forward(_ x: Tensor) -> Tensor {
        var t = x
        for l in layers { t = l.forward(t) }
        return t
    }

    /// Back-propagates ∂loss/∂output; returns ∂loss/∂input when the first layer computes it.
    @discardableResult
    package func backward(_ g: Tensor) -> Tensor? {
        var t: Tensor? = g
        for l in layers.reversed() {
            guard let current = t else { return nil }
            t = l.backward(current)
        }
        return t
    }

    /// Inference-mode output of `x`, in a new tensor.
    package func infer(_ x: Tensor) -> Tensor { infer(x, buffers: InferenceBuffers()) }

    /// Inference-mode output of `x`, in tensors of `buffers` (reused call after call: scoring
    /// a large frame block by block allocates them once).
    package func infer(_ x: Tensor, buffers: InferenceBuffers, first: Int = 0) -> Tensor {
        var a = x
        for (i, l) in layers.enumerated() {
            let b = buffers.tensor(first + i, columns: l.outputWidth)
            l.infer(a, into: b)
            a = b
        }
        return a
    }
}

/// Tensors that inference reuses from one block of rows to the next; one thread's own.
package final class InferenceBuffers {
    private var tensors: [Tensor] = []

    package init() {}

    /// Tensor `i`, of `columns` columns (its rows are set by whoever writes it).
    package func tensor(_ i: Int, columns: Int) -> Tensor {
        while tensors.count <= i { tensors.append(Tensor(rows: 0, columns: 1)) }
        if tensors[i].columns != columns { tensors[i] = Tensor(rows: 0, columns: columns, zeroed: false) }
        return tensors[i]
    }
}
