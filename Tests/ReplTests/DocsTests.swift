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
        return
    }
    let current = String(text[b.upperBound..<e.lowerBound])
    #expect(current == "\n" + generated + "\n", "\(docsPath) is out of date; regenerate with RECSCRIPT_RECORD=1")
    for spec in CommandRegistry.standard.specs {
        #expect(current.contains(HelpText.markdown(spec)), "\(spec.name) is not documented as help prints it")
    }
}

@Test func helpPrintsTheDocumentedText() throws {
    for spec in CommandRegistry.standard.specs {
        let run = try runRepl(["-c", "help \(spec.name)"])
        #expect(run.status == 0)
        #expect(run.stdout == HelpText.text(spec), "help \(spec.name)")
    }
}
