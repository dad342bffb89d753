// A report of one top-to-bottom run of a script: its `##` headings and prose, each statement
// with what it showed, its time and its errors, and the run manifest. Built from the script's
// text and the events a ReportSink collected; HTMLReport and MarkdownReport draw it.
//
// `##` lines: the first line of a block of consecutive `##` lines is a heading, the following
// lines of the block are paragraphs of prose under it. A heading above every statement is the
// report's title, and its prose the introduction.

import RecScript

/// Collects the interpreter's events for a report and passes them on, so the terminal still
/// shows the output while the report is made.
package final class ReportSink: OutputSink {
    /// Where events go on to, if anywhere.
    package let forward: OutputSink?
    package private(set) var events: [OutputEvent] = []

    package init(forwardingTo forward: OutputSink?) { self.forward = forward }

    package func emit(_ event: OutputEvent) {
        if case .progress = event {} else { events.append(event) }
        forward?.emit(event)
    }
}

/// A statement of the script and what became of it.
package struct ReportStatement: Sendable {
    package var source: String
    /// Line where it starts.
    package var line: Int
    /// Seconds it took, for statements that showed a result.
    package var seconds: Double?
    package var outputs: [Presentation] = []
    package var errors: [Diagnostic] = []
    /// False for statements after the one that stopped the script, or when checks failed.
    package var ran: Bool
}

/// One part of a report, in script order.
package enum ReportItem: Sendable {
    case heading(String, anchor: String)
    case prose(String)
    case statement(ReportStatement)
}

/// Everything a report shows.
package struct ReportDocument: Sendable {
    package var title: String
    /// The script's name as given on the command line.
    package var scriptName: String
    package var items: [ReportItem]
    /// Errors that point at no statement (an unknown -p parameter).
    package var generalErrors: [Diagnostic]
    package var manifest: RunManifest
    package var status: ExitStatus

    /// The headings and their anchors, for a table of contents.
    package var headings: [(text: String, anchor: String)] {
        items.compactMap { if case .heading(let t, let a) = $0 { (t, a) } else { nil } }
    }

    /// Anchor of the manifest section.
    package static let manifestAnchor = "run-manifest"

    /// Lays out `source`'s headings, prose and statements with the run's `events`.
    package static func build(source: SourceFile, events: [OutputEvent], manifest: RunManifest,
                              status: ExitStatus) -> ReportDocument {
        let program = Parser.parse(source)
        var statements = program.statements.map { stmt in
            ReportStatement(source: source.text(in: stmt.range), line: stmt.range.start.line, ran: status == .ok)
        }
        let ends = program.statements.map(\.range.end.line)
        var general: [Diagnostic] = []
        var anyResult = false
        for event in events {
            switch event {
            case .result(let p, let info):
                anyResult = true
                let i = statements.firstIndex { $0.line == info.line && $0.source == info.source }
                    ?? statements.firstIndex { $0.line == info.line }
                if let i {
                    statements[i].outputs.append(p)
                    statements[i].seconds = (statements[i].seconds ?? 0) + info.seconds
                }
            case .diagnostic(let d, _):
                if let line = d.range?.start.line,
                   let i = statements.indices.first(where: { statements[$0].line <= line && line <= ends[$0] }) {
                    statements[i].errors.append(d)
                } else {
                    general.append(d)
                }
            case .message, .comment, .progress:
                break
            }
        }
        if status != .ok {
            // Statements before the one that failed ran; checks failing means none did.
            let failed = statements.firstIndex { !$0.errors.isEmpty } ?? statements.count
            let checksFailed = status == .scriptError && !anyResult && failed < statements.count
                && statements.allSatisfy { $0.outputs.isEmpty }
            for i in statements.indices { statements[i].ran = !checksFailed && i <= failed }
        }
        var items: [(line: Int, item: ReportItem)] = statements.map { ($0.line, .statement($0)) }
        var anchors: Set<String> = [manifestAnchor]
        var previousLine = -1
        var title: String?
        for comment in Interpreter.proseComments(source) {
            defer { previousLine = comment.line }
            // An empty `##` line separates paragraphs of a block.
            if comment.text.isEmpty { continue }
            if comment.line == previousLine + 1 && !items.isEmpty, case .prose = items.last!.item {
                items.append((comment.line, .prose(comment.text)))
            } else if comment.line == previousLine + 1, case .heading = items.last?.item {
                items.append((comment.line, .prose(comment.text)))
            } else {
                if title == nil && comment.line < (statements.first?.line ?? Int.max) {
                    // The title heads the page; only its prose stays in the body.
                    title = comment.text
                    items.append((comment.line, .heading("", anchor: "")))
                } else {
                    let anchor = uniqueAnchor(comment.text, &anchors)
                    items.append((comment.line, .heading(comment.text, anchor: anchor)))
                }
            }
        }
        items.sort { $0.line < $1.line }
        items.removeAll { if case .heading("", _) = $0.item { true } else { false } }
        return ReportDocument(title: title ?? "Report of \(source.name)", scriptName: source.name, items: items.map(\.item),
                              generalErrors: general, manifest: manifest, status: status)
    }

    /// A URL fragment from heading text: lowercase words joined by '-', unique in the page.
    static func uniqueAnchor(_ text: String, _ used: inout Set<String>) -> String {
        var slug = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { slug.append(ch) } else if !slug.isEmpty && slug.last != "-" { slug.append("-") }
        }
        while slug.last == "-" { slug.removeLast() }
        if slug.isEmpty { slug = "section" }
        var candidate = slug, n = 2
        while used.contains(candidate) { candidate = "\(slug)-\(n)"; n += 1 }
        used.insert(candidate)
        return candidate
    }
}
