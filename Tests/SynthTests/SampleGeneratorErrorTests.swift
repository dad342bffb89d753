// Bad configurations and unwritable paths fail with a clear message and leave no file behind.

import Foundation
import Testing
import Frame
@testable import Synth

@Suite struct SampleGeneratorErrorTests {
    @Test(arguments: [0, -5])
    func rowsMustBePositive(rows: Int) throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        #expect(throws: SynthError(.invalidConfig, "rows must be at least 1 (got \(rows))")) {
            try SampleGenerator.write(SampleConfig(rows: rows, seed: 1), to: dir.path + "/x.csv")
        }
        #expect(dir.contents().isEmpty)
    }

    @Test func rowsHaveAnUpperLimit() {
        #expect(throws: SynthError.self) {
            try SampleConfig(rows: SampleConfig.maximumRows + 1, seed: 1).validate()
        }
    }

    @Test func missingDirectoryIsNamed() throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        let path = dir.path + "/nowhere/x.csv"
        do {
            _ = try SampleGenerator.write(SampleConfig(rows: 10, seed: 1), to: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .io)
            #expect(error.message == "cannot write '\(path)': directory '\(dir.path)/nowhere' does not exist (create it first)")
        }
    }

    @Test func aDirectoryIsNotAFile() throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        #expect(throws: SynthError(.io, "cannot write '\(dir.path)': is a directory")) {
            try SampleGenerator.write(SampleConfig(rows: 10, seed: 1), to: dir.path)
        }
    }

    @Test func aBadProbabilitiesPathLeavesNothingBehind() throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        #expect(throws: SynthError.self) {
            try SampleGenerator.write(SampleConfig(rows: 10, seed: 1), to: dir.path + "/x.csv",
                                      probabilitiesTo: dir.path + "/missing/p.csv")
        }
        #expect(dir.contents().isEmpty)
    }

    @Test func theProbabilitiesFileMustDifferFromTheData() throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        #expect(throws: SynthError.self) {
            try SampleGenerator.write(SampleConfig(rows: 10, seed: 1), to: dir.path + "/x.csv",
                                      probabilitiesTo: dir.path + "/x.csv")
        }
    }

    @Test func aSuccessfulWriteReplacesTheFileAndLeavesNoTemporary() throws {
        let dir = try TemporaryDirectory()
        defer { _ = dir.remove() }
        let path = dir.path + "/x.csv"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let summary = try SampleGenerator.write(SampleConfig(rows: 100, seed: 1), to: path)
        #expect(dir.contents() == ["x.csv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == summary.bytes)
    }

    @Test func errorsReadAsTheirMessage() {
        #expect("\(SynthError(.io, "cannot write 'x': permission denied"))" == "cannot write 'x': permission denied")
    }
}
