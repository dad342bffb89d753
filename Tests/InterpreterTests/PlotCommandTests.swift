// plot's statistics against hand-computed values (numpy's histogram convention, value counts,
// Pearson and Spearman), the ROC plot, save plot, log, :save, and what the interpreter records
// for manifests (inputs, seeds).

import Foundation
import Frame
import Interpreter
import Testing

private func chart(_ s: Session) -> Chart? {
    for block in s.results.last?.blocks ?? [] { if case .chart(let c) = block { return c } }
    return nil
}

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite struct PlotCommandTests {
    @Test func histogramFollowsNumpy() throws {
        let s = Session()
        var valid = Bitmap(count: 12, allSet: true)
        valid.clear(11)
        s.set("f", try DataFrame([.doubles("x", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99], validity: valid)]))
        #expect(s.run("plot hist f.x bins=5") == .ok)
        let c = try #require(chart(s))
        // np.histogram(range(11), bins=5): edges 0,2,...,10; inner edges go right, 10 joins the last bin.
        #expect(c.mark == .histogram(edges: [0, 2, 4, 6, 8, 10], counts: [2, 2, 2, 2, 3]))
        #expect(c.notes.contains("1 missing value left out"))
        #expect(s.interpreter.lastChart == c)
    }

    @Test func histogramOfOneValueIsUnitWide() throws {
        let s = Session()
        s.set("f", try DataFrame([.integers("x", [7, 7, 7])]))
        #expect(s.run("plot hist f.x bins=2") == .ok)
        #expect(chart(s)?.mark == .histogram(edges: [6.5, 7, 7.5], counts: [0, 3]))
    }

    @Test func barCountsValuesMostFrequentFirst() throws {
        let s = Session()
        s.set("f", try mixedFrame())
        #expect(s.run("plot bar f.genre top=2") == .ok)
        let c = try #require(chart(s))
        // Equal counts go in order of value, null last (the frame's value counts).
        #expect(c.mark == .bars(labels: ["pop", "rock"], values: [3, 2]))
        #expect(c.notes.last == "2 other values (3 rows) not shown")
    }

    @Test func barOfAFrameUsesItsLabelAndValueColumns() throws {
        let s = Session()
        s.set("f", try DataFrame([.strings("name", ["a", "b"]), .doubles("v", [1.5, -2])]))
        #expect(s.run("plot bar f name v") == .ok)
        #expect(chart(s)?.mark == .bars(labels: ["a", "b"], values: [1.5, -2]))
    }

    @Test func lineSortsByXAndSplitsSeriesBy() throws {
        let s = Session()
        s.set("f", try DataFrame([.integers("x", [3, 1, 2, 1, 2]), .integers("y", [30, 10, 20, 5, 6]),
                                  .strings("g", ["a", "a", "a", "b", "b"])]))
        #expect(s.run("plot line f x y by g") == .ok)
        #expect(chart(s)?.mark == .lines([Series(name: "g = a", xs: [1, 2, 3], ys: [10, 20, 30]),
                                          Series(name: "g = b", xs: [1, 2], ys: [5, 6])]))
    }

    @Test func scatterSamplesTheSameRowsForTheSameSeed() throws {
        let s = Session()
        s.set("f", try DataFrame([.integers("x", Array(0..<100)), .integers("y", Array(0..<100))]))
        #expect(s.run("plot scatter f x y sample=10 seed=4") == .ok)
        let first = chart(s)
        #expect(s.run("plot scatter f x y sample=10 seed=4") == .ok)
        #expect(chart(s) == first)
        guard case .points(let series)? = first?.mark else { Issue.record("not points"); return }
        #expect(series[0].xs.count == 10 && Set(series[0].xs).count == 10)
        #expect(s.interpreter.seeds.map(\.value) == [4, 4])
    }

    @Test func correlationPearsonAndSpearman() throws {
        let s = Session()
        s.set("f", try DataFrame([.doubles("a", [1, 2, 3, 4, 5]), .doubles("b", [1, 4, 9, 16, 25]),
                                  .doubles("c", [5, 4, 3, 2, 1]), .strings("t", ["x", "y", "z", "w", "v"])]))
        #expect(s.run("plot corr f method=spearman") == .ok)
        guard case .heatmap(let rows, _, let values)? = chart(s)?.mark else { Issue.record("no heatmap"); return }
        #expect(rows == ["a", "b", "c"], "text columns are left out")
        #expect(values[0][1] == 1 && values[0][2] == -1)
        #expect(s.run("plot corr f columns=[a, b]") == .ok)
        guard case .heatmap(_, _, let pearson)? = chart(s)?.mark else { Issue.record("no heatmap"); return }
        // Pearson of x and x²: Σ(dx·dy) / sqrt(Σdx² Σdy²) = 60 / sqrt(10 · 374).
        #expect(abs(pearson[0][1] - 60 / (10 * 374.0).squareRoot()) < 1e-12)
    }

    @Test func rocPlotOfAModelHasTheDiagonalAndItsAUC() throws {
        let s = Session()
        var f = try DataFrame([.integers("u", [1, 1, 2, 2, 3, 3, 1, 2]), .integers("i", [1, 2, 1, 3, 2, 3, 3, 2]),
                               .doubles("y", [1, 0, 1, 0, 1, 1, 0, 0])])
        f.schema = Schema([.user: "u", .item: "i", .label: "y"])
        s.set("f", f)
        #expect(s.run("m = fit baseline on f\nplot roc m on f") == .ok)
        let c = try #require(chart(s))
        #expect(c.diagonal)
        guard case .lines(let series) = c.mark else { Issue.record("not lines"); return }
        #expect(series[0].xs.first == 0 && series[0].ys.first == 0 && series[0].xs.last == 1 && series[0].ys.last == 1)
        #expect(c.title?.hasPrefix("ROC of baseline model on f (AUC ") == true)
        #expect(s.run("plot roc f on f") == .runtimeError)
        #expect(s.diagnostics.last?.contains("plot roc needs fitted models") == true)
    }

    @Test func savePlotWritesTheLastPlotAsSVG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = Session()
        s.set("f", try DataFrame([.integers("x", [1, 2, 3])]))
        let path = dir.appendingPathComponent("h.svg").path
        #expect(s.run("save plot \"\(path)\"") == .runtimeError)
        #expect(s.diagnostics.last?.hasSuffix("there is no plot to save yet") == true)
        #expect(s.run("plot hist f.x bins=3\nsave plot \"\(path)\"") == .ok)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg == SVGChart().render(s.interpreter.lastChart!))
        #expect(s.run("plot hist f.x\nsave plot \"\(dir.path)/h.png\"") == .runtimeError)
        #expect(s.run("plot hist f.x\nsave plot \"\(dir.path)/missing/h.svg\"") == .ioError)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["h.svg"], "no temporary left behind")
    }

    @Test func logRecordsLaterStatementsAndTheirOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("session.log").path
        let s = Session()
        #expect(s.enter("log \"\(path)\"") == .ok)
        s.enter("print 1 + 2")
        s.enter("print nope")
        s.enter("log")
        s.enter("print 4")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("# RecScript "))
        #expect(Array(lines.dropFirst()) == ["print 1 + 2", "# 3", "print nope", "# error: unknown variable 'nope'", "log", "# stopped logging to \(path)"])
    }

    @Test func colonSaveWritesTheStatementsThatSucceeded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.rec").path
        let s = Session()
        s.enter("x = 2")
        s.enter("print y")
        s.enter("print x * 3; head x")
        s.enter("log \"\(dir.path)/l.log\"")
        #expect(s.interpreter.runMeta(":save \"\(path)\"") == .handled)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").dropFirst() == ["x = 2", "print x * 3"])
        // The saved script runs.
        let again = Session()
        #expect(again.run(text) == .ok)
        #expect(again.output.last == "6\n")
    }

    @Test func loadRecordsItsInputs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.csv").path
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        #expect(s.run("x = load \"\(path)\"\ny = load \"\(path)\"") == .ok)
        #expect(s.interpreter.inputs == [path])
    }
}
