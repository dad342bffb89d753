// Writes a report file, HTML or Markdown by the path's extension. Markdown figures go first,
// into the folder beside the report, then the report itself; every file is written through a
// temporary and a rename, so a failure leaves no half-written report.

/// Kinds of report file, by extension.
package enum ReportFormat: String, Sendable {
    case html, markdown

    /// The format a path asks for, or nil for an extension that is not a report's.
    package init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { self = .html } else if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
            self = .markdown
        } else {
            return nil
        }
    }
}

/// Writes reports to files.
package enum ReportWriter {
    /// Writes `doc` to `path`; returns how many figure files were written beside it.
    @discardableResult
    package static func write(_ doc: ReportDocument, to path: String) throws(ReportError) -> Int {
        guard let format = ReportFormat(path: path) else {
            throw ReportError("cannot tell the report format of '\(path)'; name it .html or .md")
        }
        switch format {
        case .html:
            try AtomicWrite.write(HTMLReport().render(doc), to: path)
            return 0
        case .markdown:
            var figures = FigureFolder.beside(path)
            let text = MarkdownReport().render(doc, figures: &figures)
            if !figures.figures.isEmpty {
                let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
                let folder = (parent.isEmpty ? "" : parent + "/") + figures.directory
                // Only the figure folder is created: a report's directory that does not exist
                // is a typo, not a tree to make.
                try AtomicWrite.makeDirectory(folder)
                for figure in figures.figures { try AtomicWrite.write(figure.svg, to: folder + "/" + figure.name) }
            }
            try AtomicWrite.write(text, to: path)
            return figures.figures.count
        }
    }
}
