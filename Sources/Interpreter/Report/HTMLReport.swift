// A report as one self-contained HTML page: inline CSS (with a print stylesheet), charts as
// inline SVG, no scripts, fonts or images from elsewhere, so the file can be mailed, archived
// and opened offline. A table of contents links the `##` headings; each statement is shown as
// code with its output under it (tables with numbers right-aligned, charts, text) and its time;
// errors stand out; the run manifest closes the page.

import RecScript

/// Renders a report document as HTML.
package struct HTMLReport: Sendable {
    package init() {}

    /// Styles of the page; `@media print` drops the contents list and keeps blocks unbroken.
    static let css = """
    :root { --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --code: #f6f8fa; --accent: #4e79a7; --error: #b42318; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    .page { max-width: 1180px; margin: 0 auto; padding: 32px 28px 64px; }
    header h1 { margin: 0 0 4px; font-size: 28px; }
    .meta { color: var(--muted); margin: 0 0 24px; }
    nav.toc { border: 1px solid var(--rule); border-radius: 6px; padding: 12px 20px; margin-bottom: 28px; background: #fbfcfd; }
    nav.toc h2 { font-size: 15px; margin: 0 0 6px; border: 0; padding: 0; }
    nav.toc ol { margin: 0; padding-left: 22px; }
    nav.toc a { color: var(--accent); text-decoration: none; }
    h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
    p.prose { margin: 6px 0 12px; }
    .statement { margin: 18px 0 22px; }
    .code { display: flex; align-items: baseline; gap: 12px; background: var(--code); border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; }
    .code pre { flex: 1; margin: 0; white-space: pre-wrap; }
    code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .time { color: var(--muted); font-size: 12px; white-space: nowrap; }
    .output { margin: 8px 0 0 2px; overflow-x: auto; }
    .output pre.text { margin: 6px 0; white-space: pre-wrap; }
    table { border-collapse: collapse; margin: 6px 0; font-size: 13px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding: 2px 0 6px; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #eaeef2; text-align: left; white-space: nowrap; }
    th { border-bottom: 1px solid var(--rule); font-weight: 600; }
    td.num, th.num { text-align: right; }
    tr.ellipsis td { color: var(--muted); text-align: center; }
    p.note { color: var(--muted); font-size: 13px; margin: 2px 0; }
    figure { margin: 8px 0; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #eaeef2; border-radius: 4px; }
    .error { border-left: 4px solid var(--error); background: #fef3f2; color: var(--error); padding: 8px 12px; margin: 8px 0; border-radius: 0 6px 6px 0; }
    .error .notes { color: var(--ink); font-size: 13px; margin-top: 4px; }
    .skipped { color: var(--muted); font-style: italic; font-size: 13px; margin: 6px 0; }
    table.manifest td { white-space: normal; word-break: break-all; }
    table.manifest td:first-child { white-space: nowrap; color: var(--muted); }
    @media print {
      body { font-size: 11pt; }
      .page { max-width: none; padding: 0; }
      nav.toc { display: none; }
      .statement, figure, table { break-inside: avoid; }
      table { font-size: 8pt; }
      h2 { break-after: avoid; }
      a { color: inherit; text-decoration: none; }
    }
    """

    /// The page.
    package func render(_ doc: ReportDocument) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"RecScript \(recScriptVersion)\">\n"
        out += "<title>\(e(doc.title))</title>\n<style>\n\(Self.css)\n</style>\n</head>\n<body>\n<div class=\"page\">\n"
        out += "<header>\n<h1>\(e(doc.title))</h1>\n"
        out += "<p class=\"meta\">\(e(doc.scriptName)) · run \(e(doc.manifest.date)) · RecScript \(e(recScriptVersion)) · \(statusText(doc.status))</p>\n</header>\n"
        out += "<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n"
        for h in doc.headings { out += "<li><a href=\"#\(e(h.anchor))\">\(inline(h.text))</a></li>\n" }
        out += "<li><a href=\"#\(ReportDocument.manifestAnchor)\">Run manifest</a></li>\n</ol>\n</nav>\n<main>\n"
        for d in doc.generalErrors { out += error(d) }
        for item in doc.items {
            switch item {
            case .heading(let text, let anchor):
                out += "<h2 id=\"\(e(anchor))\">\(inline(text))</h2>\n"
            case .prose(let text):
                out += "<p class=\"prose\">\(inline(text))</p>\n"
            case .statement(let s):
                out += statement(s)
            }
        }
        out += "<h2 id=\"\(ReportDocument.manifestAnchor)\">Run manifest</h2>\n<table class=\"manifest\">\n"
        for row in doc.manifest.rows { out += "<tr><td>\(e(row.key))</td><td>\(e(row.value))</td></tr>\n" }
        out += "</table>\n</main>\n</div>\n</body>\n</html>\n"
        return out
    }

    private func statusText(_ s: ExitStatus) -> String {
        switch s {
        case .ok: "completed"
        case .scriptError: "stopped: the script has errors"
        case .runtimeError, .ioError: "stopped at an error"
        case .interrupted: "interrupted"
        case .usage: "not run: bad parameters"
        }
    }

    private func statement(_ s: ReportStatement) -> String {
        var out = "<div class=\"statement\" id=\"line-\(s.line)\">\n<div class=\"code\"><pre><code>\(e(s.source))</code></pre>"
        if let seconds = s.seconds { out += "<span class=\"time\">\(e(Interpreter.formatSeconds(seconds)))</span>" }
        out += "</div>\n"
        if !s.outputs.isEmpty || !s.errors.isEmpty {
            out += "<div class=\"output\">\n"
            for p in s.outputs { for block in p.blocks { out += self.block(block) } }
            for d in s.errors { out += error(d) }
            out += "</div>\n"
        } else if !s.ran {
            out += "<p class=\"skipped\">not run</p>\n"
        }
        return out + "</div>\n"
    }

    private func block(_ b: Block) -> String {
        switch b {
        case .text(let s):
            return "<pre class=\"text\">\(e(s.hasSuffix("\n") ? String(s.dropLast()) : s))</pre>\n"
        case .table(let t):
            return table(t)
        case .keyValues(let title, let pairs):
            let t = Table(title: title, columns: [TableColumn("", alignment: .left), TableColumn("", alignment: .left)],
                          rows: pairs.map { [.string($0.0), $0.1] })
            return table(t, header: false)
        case .chart(let c):
            var out = "<figure>\n" + SVGChart().render(c) + "</figure>\n"
            for note in c.notes { out += "<p class=\"note\">\(e(note))</p>\n" }
            return out
        }
    }

    private func table(_ t: Table, header: Bool = true) -> String {
        let cells = t.columns.indices.map { c in
            NumberFormat.column(t.rows.map { c < $0.count ? $0[c] : .null }, style: t.columns[c].style)
        }
        func cls(_ c: Int) -> String { t.columns[c].alignment == .right ? " class=\"num\"" : "" }
        var out = "<table>\n"
        if let title = t.title { out += "<caption>\(e(title))</caption>\n" }
        if header {
            out += "<thead><tr>" + t.columns.indices.map { "<th\(cls($0))>\(e(t.columns[$0].name))</th>" }.joined() + "</tr></thead>\n"
        }
        out += "<tbody>\n"
        for r in t.rows.indices {
            if t.ellipsisBefore == r {
                out += "<tr class=\"ellipsis\">" + t.columns.map { _ in "<td>…</td>" }.joined() + "</tr>\n"
            }
            out += "<tr>" + t.columns.indices.map { "<td\(cls($0))>\(e(cells[$0][r]))</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for note in t.notes { out += "<p class=\"note\">\(e(note))</p>\n" }
        return out
    }

    private func error(_ d: Diagnostic) -> String {
        let place = d.range.map { "line \($0.start.line), column \($0.start.column): " } ?? ""
        var out = "<div class=\"error\"><strong>\(d.severity.rawValue):</strong> \(e(place + d.message))"
        if !d.notes.isEmpty {
            out += "<div class=\"notes\">" + d.notes.map { "note: " + e($0) }.joined(separator: "<br>") + "</div>"
        }
        return out + "</div>\n"
    }

    /// Prose with `code` spans.
    private func inline(_ s: String) -> String {
        let parts = s.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return e(s) }
        return parts.enumerated().map { $0.offset % 2 == 1 && $0.offset < parts.count - 1 ? "<code>\(e(String($0.element)))</code>" : e(String($0.element)) }
            .joined()
    }

    private func e(_ s: String) -> String { SVGChart.escape(s) }
}
