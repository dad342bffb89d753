// Activations: element-wise layers. Each derivative is written in terms of the layer's output
// A, which the forward pass keeps:
//   relu     A = max(x, 0)          ∂x = ∂A · 1[A > 0]
//   tanh     A = tanh x             ∂x = ∂A · (1 - A²)
//   sigmoid  A = 1 / (1 + e^-x)     ∂x = ∂A · A (1 - A)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element-wise nonlinearities.
package enum ActivationKind: String, Sendable, CaseIterable {
    case relu, tanh, sigmoid

    /// σ(x), computed so that it neither overflows nor loses the tiny values.
    @inline(__always)
    package static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }
}

/// An element-wise activation layer.
package final class ActivationLayer: Layer {
    package let kind: ActivationKind
    package let inputWidth: Int
    package var outputWidth: Int { inputWidth }
    package var needsInputGradient = true
    private let output: Tensor
    private let inputGradient: Tensor

    package init(_ kind: ActivationKind, width: Int) {
        self.kind = kind
        inputWidth = width
        output = Tensor(rows: 0, columns: width)
        inputGradient = Tensor(rows: 0, columns: width)
    }

    package var description: String { kind.rawValue }

    package func forward(_ x: Tensor) -> Tensor {
        infer(x, into: output)
        return output
    }

    package func infer(_ x: Tensor, into y: Tensor) {
        y.resize(rows: x.rows)
        let n = x.count
        let s = x.data, d = y.data
        switch kind {
        case .relu:
            var i = 0
            while i &+ 8 <= n {
                let v = UnsafeRawPointer(s + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(d + i).storeBytes(of: v.replacing(with: 0, where: v .< 0), as: SIMD8<Float>.self)
                i &+= 8
            }
            while i < n { d[i] = Swift.max(s[i], 0); i &+= 1 }
        case .tanh:
            for i in 0..<n { d[i] = tanhf(s[i]) }
        case .sigmoid:
            for i in 0..<n { d[i] = ActivationKind.sigmoid(s[i]) }
        }
    }

    package func backward(_ g: Tensor) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.resize(rows: g.rows)
        let n = g.count
        let a = output.data, gd = g.data, d = inputGradient.data
        switch kind {
        case .relu:
            var i = 0
            while i &+ 8 <= n {
                let av = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                let gv = UnsafeRawPointer(gd + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(d + i).storeBytes(of: gv.replacing(with: 0, where: av .<= 0), as: SIMD8<Float>.self)
                i &+= 8
            }
            while i < n { d[i] = a[i] > 0 ? gd[i] : 0; i &+= 1 }
        case .tanh:
            for i in 0..<n { d[i] = gd[i] * (1 - a[i] * a[i]) }
        case .sigmoid:
            for i in 0..<n { d[i] = gd[i] * a[i] * (1 - a[i]) }
        }
        return inputGradient
    }
}
