// Parameter: one trainable array (a kernel, a bias, an embedding table) with its gradient and
// the optimiser's state. A layer's backward pass overwrites the gradient of each of its
// parameters for the current batch; the optimiser's step then reads it.
//
// Embedding tables are sparse: a batch touches a few of their rows, and the backward pass
// writes the gradient of those rows only and lists them in `touchedRows` (ascending, each
// once). The optimisers update just those rows. SGD's momentum catches a row up on the steps
// it missed (in closed form) when it is next touched and at `Optimizer.flush`, so its result
// is dense momentum's; Adam's moments change only in steps that touch the row ("lazy" Adam, as
// TensorFlow's sparse kernels). Every other parameter is dense: all of its values are updated
// every step.

/// A trainable array, its gradient and optimiser slots.
package final class Parameter: @unchecked Sendable {
    // @unchecked Sendable: written by the training thread only; read-only once training ends.
    /// What it is, for messages and model summaries: "dense_1.kernel".
    package let name: String
    /// Shape: rows x columns (a bias is 1 x n; an embedding table is ids x width).
    package let rows: Int
    package let columns: Int
    package let value: UnsafeMutablePointer<Float>
    package let gradient: UnsafeMutablePointer<Float>
    /// Whether the gradient is sparse by rows (embedding tables).
    package let sparse: Bool
    /// Whether weight decay (AdamW) applies: kernels and embeddings, not biases or batch
    /// normalisation's scale and offset.
    package let decays: Bool
    /// For sparse parameters: the rows the last backward pass touched, ascending.
    package var touchedRows: [Int32] = []
    /// Optimiser state (momentum; Adam's two moments), allocated by the optimiser on first use.
    var slots: [UnsafeMutablePointer<Float>] = []
    /// For sparse parameters under SGD with momentum: the step through which each row's
    /// momentum has been applied.
    var appliedThrough: [Int] = []

    package init(name: String, rows: Int, columns: Int, sparse: Bool = false, decays: Bool) {
        self.name = name
        self.rows = rows
        self.columns = columns
        self.sparse = sparse
        self.decays = decays
        value = .allocate(capacity: max(1, rows * columns))
        value.initialize(repeating: 0, count: max(1, rows * columns))
        gradient = .allocate(capacity: max(1, rows * columns))
        gradient.initialize(repeating: 0, count: max(1, rows * columns))
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
        for s in slots { s.deallocate() }
    }

    /// Values in the array.
    package var count: Int { rows * columns }

    /// The values, row-major.
    package var values: [Float] {
        get { Array(UnsafeBufferPointer(start: value, count: count)) }
        set {
            precondition(newValue.count == count, "\(name) holds \(count) values, not \(newValue.count)")
            newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// The gradient, row-major (for sparse parameters, rows not touched hold stale values).
    package var gradients: [Float] { Array(UnsafeBufferPointer(start: gradient, count: count)) }

    /// Optimiser slot `i`, zero-filled on first use.
    func slot(_ i: Int) -> UnsafeMutablePointer<Float> {
        while slots.count <= i {
            let s = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            s.initialize(repeating: 0, count: max(1, count))
            slots.append(s)
        }
        return slots[i]
    }

    /// Forgets the optimiser state (a new training run).
    package func resetOptimizerState() {
        for s in slots { s.deallocate() }
        slots = []
        appliedThrough = []
    }
}

/// How a layer's pass runs: training (dropout drops, batch normalisation uses the batch's
/// statistics and updates its moving ones) or inference.
package enum Mode: Sendable {
    case training, inference
}

/// A layer of a sequential network: a map from rows x inputWidth to rows x outputWidth.
package protocol Layer: AnyObject {
    /// "dense(400)", "relu", "dropout(0.5)".
    var description: String { get }
    var inputWidth: Int { get }
    var outputWidth: Int { get }
    /// Trainable arrays (none for activations and dropout).
    var parameters: [Parameter] { get }
    /// Non-trainable state saved with the model (batch normalisation's moving statistics).
    var state: [Parameter] { get }
    /// The output of `input` in training mode; the tensor is the layer's own, valid until its
    /// next `forward`. Keeps what `backward` needs.
    func forward(_ input: Tensor) -> Tensor
    /// Given ∂loss/∂output of the last `forward`, writes each parameter's gradient and returns
    /// ∂loss/∂input (the layer's own tensor), or nil when `needsInputGradient` is false.
    func backward(_ gradient: Tensor) -> Tensor?
    /// Whether `backward` computes ∂loss/∂input (not needed by a network's first layer when
    /// nothing trainable comes before it).
    var needsInputGradient: Bool { get set }
    /// The output of `input` in inference mode, into `output` (resized by the layer). Reads
    /// parameters only, so several threads may infer at once with their own tensors.
    func infer(_ input: Tensor, into output: Tensor)
}

extension Layer {
    package var parameters: [Parameter] { [] }
    package var state: [Parameter] { [] }
}
