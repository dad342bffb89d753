// EmbeddingNetwork: the shape of a neural recommender. Each example is a few ids (user, item)
// and optionally a row of dense features; each id is looked up in its embedding table, the
// vectors and the features are concatenated, and a sequential stack maps that row to one
// output (a logit, or a rating for the squared loss).
//
//   ids_k ──embedding_k──┐
//   dense ───────────────┴─concatenate── body (dense, relu, dropout, batchnorm, ...) ── output
//
// Training runs forward then backward on the layers' own tensors; `infer` is read-only and
// allocates per call, so scoring runs on several threads at once.

/// Embeddings and dense features into a sequential stack.
package final class EmbeddingNetwork: @unchecked Sendable {
    // @unchecked Sendable: trained by one thread; afterwards only `infer` runs (read-only).
    package let embeddings: [Embedding]
    package let denseWidth: Int
    package let concatenate: Concatenate
    package let body: Sequential
    private let denseInput: Tensor

    package init(embeddings: [Embedding], denseWidth: Int, body: Sequential) {
        let widths = embeddings.map(\.width) + (denseWidth > 0 ? [denseWidth] : [])
        concatenate = Concatenate(widths: widths)
        precondition(body.inputWidth == concatenate.outputWidth,
                     "the stack takes \(body.inputWidth) columns, the inputs give \(concatenate.outputWidth)")
        self.embeddings = embeddings
        self.denseWidth = denseWidth
        self.body = body
        denseInput = Tensor(rows: 0, columns: max(denseWidth, 1))
    }

    /// Every trainable parameter: the tables, then the stack's.
    package var parameters: [Parameter] { embeddings.map(\.table) + body.parameters }
    /// Saved non-trainable state (batch normalisation's moving statistics).
    package var state: [Parameter] { body.state }

    /// Training-mode outputs of `rows` examples: `ids[k]` holds the rows' indices into table k;
    /// `dense` rows x denseWidth values, row-major (nil when denseWidth is 0).
    package func forward(ids: [UnsafeBufferPointer<Int32>], dense: UnsafePointer<Float>?, rows: Int) -> Tensor {
        var parts = zip(embeddings, ids).map { e, idx in e.forward(idx) }
        if denseWidth > 0, let dense {
            denseInput.resize(rows: rows)
            denseInput.data.update(from: dense, count: rows * denseWidth)
            parts.append(denseInput)
        }
        return body.forward(concatenate.forward(parts))
    }

    /// Back-propagates ∂loss/∂output of the last `forward` into every parameter's gradient.
    package func backward(_ g: Tensor) {
        guard let dx = body.backward(g) else { return }
        let pieces = concatenate.backward(dx)
        for (e, p) in zip(embeddings, pieces) { e.backward(p) }
    }

    /// Inference-mode outputs (rows x 1), in a tensor of `buffers` (a new one by default).
    package func infer(ids: [UnsafeBufferPointer<Int32>], dense: UnsafePointer<Float>?, rows: Int,
                       buffers: InferenceBuffers = InferenceBuffers()) -> Tensor {
        var parts: [Tensor] = embeddings.enumerated().map { k, e in
            let t = buffers.tensor(k, columns: e.width)
            e.infer(ids[k], into: t)
            return t
        }
        if denseWidth > 0, let dense {
            let t = buffers.tensor(embeddings.count, columns: denseWidth)
            t.resize(rows: rows)
            t.data.update(from: dense, count: rows * denseWidth)
            parts.append(t)
        }
        let x = buffers.tensor(embeddings.count + 1, columns: concatenate.outputWidth)
        concatenate.join(parts, into: x)
        return body.infer(x, buffers: buffers, first: embeddings.count + 2)
    }

    /// A copy of every parameter's and state's values, to restore the best epoch.
    package func snapshot() -> [[Float]] { (parameters + state).map(\.values) }

    /// Sets every parameter and state to a snapshot's values.
    package func restore(_ values: [[Float]]) {
        for (p, v) in zip(parameters + state, values) { p.values = v }
    }
}
