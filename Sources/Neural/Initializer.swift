// Initializer: the starting values of a parameter, drawn from a seeded generator so that a
// seed fixes a network. The defaults are Keras's: Glorot-uniform kernels (Glorot and Bengio,
// 2010: uniform on ±sqrt(6 / (fan_in + fan_out))), zero biases, embeddings uniform on ±0.05,
// batch normalisation's scale 1 and offset 0. He-uniform (±sqrt(6 / fan_in)) suits deep ReLU
// stacks.

import Frame

/// How a parameter's values start.
package enum Initializer: Sendable, Equatable {
    case zeros
    case ones
    /// Uniform on ±limit.
    case uniform(Float)
    case glorotUniform
    case heUniform

    /// Fills `p` (fan_in = rows, fan_out = columns for kernels) from `rng`.
    package func fill(_ p: Parameter, _ rng: inout Xoshiro256) {
        let limit: Float
        switch self {
        case .zeros: p.value.update(repeating: 0, count: p.count); return
        case .ones: p.value.update(repeating: 1, count: p.count); return
        case .uniform(let a): limit = a
        case .glorotUniform: limit = (6 / Float(p.rows + p.columns)).squareRoot()
        case .heUniform: limit = (6 / Float(max(1, p.rows))).squareRoot()
        }
        for i in 0..<p.count {
            p.value[i] = Float((2 * rng.uniform() - 1) * Double(limit))
        }
    }
}
