// docs/language.md documents every command with exactly the text `help <command>` prints:
// its "Commands" section is generated from the command specs. RECSCRIPT_RECORD=1 rewrites it.

import Foundation
import Interpreter
import Testing

private let docsPath = "docs/language.md"
private let begin = "<!-- commands:begin (generated from the command specs; RECSCRIPT_RECORD=1 swift test --filter docs) -->"
private let end = "<!-- commands:end -->"

/// The generated reference: commands grouped by family, each as `help` prints it.
private func reference() -> String {
    var out = ""
    for category in CommandCategory.allCases {
        let specs = CommandRegistry.standard.specs.filter { $0.category == category }
        guard !specs.isEmpty else { continue }
        out += "\n## \(category.rawValue) commands\n\n"
        out += specs.map(HelpText.markdown).joined(separator: "\n")
    }
    return out
}

@Test func docsDescribeEveryCommandAsHelpDoes() throws {
    let url = packageRoot.appendingPathComponent(docsPath)
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let b = text.range(of: begin), let e = text.range(of: end) else {
        Issue.record("\(docsPath) lacks the generated-section markers")
        return
    }
    let generated = reference()
    if ProcessInfo.processInfo.environment["RECSCRIPT_RECORD"] == "1" {
        let updated = String(text[..<b.upperBound]) + "\n" + generated + "\n" + String(text[e.lowerBound...])
        try updated.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded \(docsPath); run again without RECSCRIPT_RECORD to check it")
        return
    }
    let current = String(text[b.upperBound..<e.lowerBound])
    #expect(current == "\n" + generated + "\n", "\(docsPath) is out of date; regenerate with RECSCRIPT_RECORD=1")
    for spec in CommandRegistry.standard.specs {
        #expect(current.contains(HelpText.markdown(spec)), "\(spec.name) is not documented as help prints it")
    }
}

/// The text of the ```text block under `heading` in docs/language.md.
private func documentedHelp(_ heading: String, in docs: String) -> String? {
    guard let h = docs.range(of: "\n\(heading)\n\n```text\n") else { return nil }
    guard let end = docs.range(of: "```\n", range: h.upperBound..<docs.endIndex) else { return nil }
    return String(docs[h.upperBound..<end.lowerBound])
}

/// `help <command>` (and `help <command> <form>`) prints the text docs/language.md shows for
/// it: the committed document, not the generator, is the expectation.
@Test func helpPrintsTheDocumentedText() throws {
    let docs = try String(contentsOf: packageRoot.appendingPathComponent(docsPath), encoding: .utf8)
    for spec in CommandRegistry.standard.specs {
        let run = try runRepl(["-c", "help \(spec.name)"])
        #expect(run.status == 0)
        #expect(run.stdout == documentedHelp("### \(spec.name)", in: docs), "help \(spec.name)")
        for v in spec.variants {
            let form = try runRepl(["-c", "help \(spec.name) \(v.name)"])
            #expect(form.stdout == documentedHelp("#### \(spec.name) \(v.name)", in: docs), "help \(spec.name) \(v.name)")
        }
    }
    let metrics = try runRepl(["-c", "help metrics"])
    #expect(docs.contains("```text\n" + metrics.stdout + "```\n"), "help metrics is in the Recommenders section")
}
