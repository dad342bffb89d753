// The figures of a Markdown report: each chart becomes an SVG file in a folder beside the
// report (`eda_files/figure-1.svg` beside `eda.md`), linked from the text. Rendering only
// collects them; the report writer writes the files, so renderers never touch the disk.

/// SVG figures waiting to be written beside a report.
package struct FigureFolder: Sendable {
    /// The folder's path relative to the report, as links use it: `eda_files`.
    package let directory: String
    /// File names (in `directory`) and their SVG text, in order.
    package private(set) var figures: [(name: String, svg: String)] = []

    package init(directory: String) { self.directory = directory }

    /// The folder for a report at `reportPath`: its base name with `_files`.
    package static func beside(_ reportPath: String) -> FigureFolder {
        let name = reportPath.split(separator: "/").last.map(String.init) ?? reportPath
        let base = name.contains(".") ? String(name[..<name.lastIndex(of: ".")!]) : name
        return FigureFolder(directory: base + "_files")
    }

    /// Adds a chart and returns the link to it, relative to the report.
    package mutating func add(_ chart: Chart) -> String {
        let name = "figure-\(figures.count + 1).svg"
        figures.append((name, SVGChart().render(chart)))
        return directory + "/" + name
    }
}
