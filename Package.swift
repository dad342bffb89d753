// swift-tools-version:6.0
// RecScript: a small analysis language for listening logs and music recommenders.
//
// Module arrows point one way:
//   repl -> Interpreter, Synth;  Interpreter -> RecScript, Frame, Learn;  Learn -> Neural, Frame;
//   Neural, Synth -> Frame.
// CEditLine (libedit) is imported by repl only; CZlib (zlib) by Frame only; COpenBLAS
// (OpenBLAS and LAPACKE) by one file of Learn (LinearAlgebra/BLAS.swift) and one of Neural
// (Kernels.swift).
import PackageDescription

let package = Package(
    name: "RecScript",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "repl", targets: ["repl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // The language: tokens, lexer, parser, AST, diagnostics. No I/O, no dependency.
        .target(name: "RecScript"),
        // Column-oriented data frame, CSV reader, statistics.
        .target(name: "Frame", dependencies: ["CZlib"]),
        // Models, metrics, splits, model selection, linear algebra kernels.
        // Optimised in debug builds too: the test suite and the golden scripts fit real models,
        // which run 10-30x slower unoptimised.
        .target(name: "Learn", dependencies: ["Frame", "Neural", "COpenBLAS"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The neural-network core: tensors, layers, losses, optimisers. Optimised in debug
        // builds for the same reason as Learn.
        .target(name: "Neural", dependencies: ["Frame", "COpenBLAS"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Deterministic generator of DSG17-shaped listening logs.
        .target(name: "Synth", dependencies: ["Frame"]),
        // Session, values, commands, rendering.
        .target(name: "Interpreter", dependencies: ["RecScript", "Frame", "Learn"]),
        // zlib, for reading gzip-compressed CSV files. Imported by Frame only.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // OpenBLAS (CBLAS) and LAPACKE: dense products and small eigenproblems. Imported by Learn only.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        // libedit, the line editor of interactive mode.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .executableTarget(
            name: "repl",
            dependencies: [
                "Interpreter", "Synth", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "RecScriptTests", dependencies: ["RecScript"]),
        .testTarget(name: "FrameTests", dependencies: ["Frame"]),
        .testTarget(name: "LearnTests", dependencies: ["Learn", "Frame"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Frame"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Frame"]),
        .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "RecScript", "Frame", "Learn"]),
        .testTarget(name: "ReplTests", dependencies: ["Interpreter", "RecScript"],
                    exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
