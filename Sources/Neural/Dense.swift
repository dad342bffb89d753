// Dense: a fully connected layer, Y = X W + b, W inputWidth x outputWidth (row-major), b a row.
// Backward, with G = ∂loss/∂Y:
//   ∂W = Xᵀ G,  ∂b = column sums of G,  ∂X = G Wᵀ
// each product one sgemm over the batch.

import Frame

/// A fully connected layer.
package final class Dense: Layer {
    package let inputWidth: Int
    package let outputWidth: Int
    package let kernel: Parameter
    package let bias: Parameter
    package var needsInputGradient = true
    private let output: Tensor
    private let inputGradient: Tensor
    /// The input of the last forward pass (not owned; the previous layer's output).
    private var input: Tensor?

    package init(_ inputWidth: Int, _ outputWidth: Int, name: String = "dense",
                 kernelInit: Initializer = .glorotUniform, rng: inout Xoshiro256) {
        precondition(inputWidth > 0 && outputWidth > 0, "a dense layer needs positive widths")
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        kernel = Parameter(name: "\(name).kernel", rows: inputWidth, columns: outputWidth, decays: true)
        bias = Parameter(name: "\(name).bias", rows: 1, columns: outputWidth, decays: false)
        kernelInit.fill(kernel, &rng)
        output = Tensor(rows: 0, columns: outputWidth)
        inputGradient = Tensor(rows: 0, columns: inputWidth)
    }

    package var description: String { "dense(\(outputWidth))" }
    package var parameters: [Parameter] { [kernel, bias] }

    package func forward(_ x: Tensor) -> Tensor {
        input = x
        infer(x, into: output)
        return output
    }

    package func infer(_ x: Tensor, into y: Tensor) {
        precondition(x.columns == inputWidth, "dense layer of \(inputWidth) inputs given \(x.columns) columns")
        y.resize(rows: x.rows)
        // Y starts as the bias in every row and the product is added (beta = 1): one pass
        // fewer than zeroing Y, multiplying, then adding the bias.
        for r in 0..<x.rows { (y.data + r * outputWidth).update(from: bias.value, count: outputWidth) }
        Kernels.gemm(m: x.rows, n: outputWidth, k: inputWidth, a: x.data, lda: inputWidth,
                     b: kernel.value, ldb: outputWidth, beta: 1, c: y.data, ldc: outputWidth)
    }

    package func backward(_ g: Tensor) -> Tensor? {
        guard let x = input else { preconditionFailure("backward before forward") }
        let m = x.rows
        Kernels.gemm(transposeA: true, m: inputWidth, n: outputWidth, k: m, a: x.data, lda: inputWidth,
                     b: g.data, ldb: outputWidth, c: kernel.gradient, ldc: outputWidth)
        Kernels.columnSums(g.data, rows: m, columns: outputWidth, into: bias.gradient)
        guard needsInputGradient else { return nil }
        inputGradient.resize(rows: m)
        Kernels.gemm(transposeB: true, m: m, n: inputWidth, k: outputWidth, a: g.data, lda: outputWidth,
                     b: kernel.value, ldb: outputWidth, c: inputGradient.data, ldc: inputWidth)
        return inputGradient
    }
}
