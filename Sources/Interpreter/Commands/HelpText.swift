// Help text of commands, in two forms from one source: plain text for `help <command>` and
// Markdown for docs/language.md. A test holds the docs equal to what `help` prints.

import Learn

/// Renders command documentation.
package enum HelpText {
    /// The lines of a command's help (or of one of its forms): usage, summary, parameters,
    /// details, examples. A command with forms lists them; a form shows its own options.
    package static func lines(_ spec: CommandSpec, variant: CommandVariant? = nil) -> [String] {
        var out = ["usage: \(spec.usage(in: variant))", "", variant.map { "\(spec.name) \($0.name): \($0.summary)" } ?? spec.summary]
        func section(_ title: String, _ params: [ParameterSpec], prefix: (ParameterSpec) -> String) {
            guard !params.isEmpty else { return }
            out.append("")
            out.append(title)
            let labels = params.map(prefix)
            let width = labels.map(\.count).max() ?? 0
            for (p, label) in zip(params, labels) {
                var line = "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + p.summary
                if let d = p.defaultText { line += " (default: \(d))" }
                out.append(line)
            }
        }
        section("arguments:", variant == nil ? spec.positionals : Array(spec.positionals.dropFirst())) { $0.name }
        section("clauses:", spec.clauses) { "\($0.name) <\($0.placeholder)>" }
        if let open = spec.openOptions {
            section("\(open.name)s:", [open]) { "<\($0.name)>=<\($0.placeholder)>" }
        }
        section("options:", spec.options(in: variant)) { "\($0.name)=\($0.placeholder)" }
        if variant == nil && !spec.variants.isEmpty, let selector = spec.positionals.first {
            out.append("")
            out.append("\(selector.name)s (help \(spec.name) <\(selector.name)> for each one's options):")
            let width = spec.variants.map(\.name.count).max() ?? 0
            for v in spec.variants {
                out.append("  " + v.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v.summary)
            }
        }
        if !spec.returns.isEmpty { out += ["", "returns: \(spec.returns)"] }
        for d in (variant?.details ?? []) + spec.details { out += ["", d] }
        let examples = variant?.examples ?? spec.examples
        if !examples.isEmpty {
            out += ["", "examples:"]
            out += examples.map { "  " + $0 }
        }
        return out
    }

    /// The help of a command (or of one of its forms) as plain text.
    package static func text(_ spec: CommandSpec, variant: CommandVariant? = nil) -> String {
        lines(spec, variant: variant).joined(separator: "\n") + "\n"
    }

    /// The help of a command as a Markdown section of docs/language.md, followed by a section
    /// for each of its forms.
    package static func markdown(_ spec: CommandSpec) -> String {
        var out = "### \(spec.name)\n\n```text\n" + text(spec) + "```\n"
        for v in spec.variants {
            out += "\n#### \(spec.name) \(v.name)\n\n```text\n" + text(spec, variant: v) + "```\n"
        }
        return out
    }

    /// The index `help` prints: commands by family, then the session's meta commands.
    package static func index(_ registry: CommandRegistry) -> String {
        var out = "RecScript commands (help <command> for details, help syntax for the grammar, help metrics for what evaluate measures):\n"
        let width = registry.names.map(\.count).max() ?? 0
        for category in CommandCategory.allCases {
            let specs = registry.specs.filter { $0.category == category }
            guard !specs.isEmpty else { continue }
            out += "\n\(category.rawValue)\n"
            for s in specs {
                out += "  " + s.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + s.summary + "\n"
            }
        }
        out += "\nInteractive session\n"
        let metaWidth = metaCommands.map(\.0.count).max() ?? 0
        for (name, summary) in metaCommands {
            out += "  " + name.padding(toLength: metaWidth, withPad: " ", startingAt: 0) + "  " + summary + "\n"
        }
        return out
    }

    /// The meta commands of an interactive session.
    package static let metaCommands: [(String, String)] = [
        (":help", "this list (same as help)"),
        (":vars", "the session's variables"),
        (":timer on|off", "show how long each statement takes"),
        (":format f", "output as table, json, csv or markdown"),
        (":save \"f.rec\"", "write the statements that ran without error as a script"),
        (":quit", "leave (also Ctrl-D)"),
    ]

    /// `help metrics`: what every metric of evaluate and compare means, exactly.
    package static var metrics: String {
        var lines = ["The names below are what metrics=[...] takes. Pointwise metrics compare each test row's",
                     "score with its truth: the rating when the model learned one, else the label (a label above",
                     "0.5 is positive).", ""]
        let width = Metric.allCases.map(\.rawValue.count).max() ?? 0
        for m in Metric.allCases where !m.isRanking {
            lines.append("  " + m.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + m.summary)
        }
        lines += ["", "Ranking metrics judge each user's top k. For each user u known to the model with at least one",
                  "relevant test row: R_u = the k best items by score among the model's items, leaving out u's",
                  "training items unless exclude_seen=false; equal scores are ordered by item id, as recommend",
                  "orders them. T_u = the distinct items of u's relevant test rows (label 1, or rating >=",
                  "relevant=). rel_i = 1 when the i-th item of R_u is in T_u.", ""]
        for m in Metric.allCases where m.isRanking {
            let shown = m.label(k: 10).replacingOccurrences(of: "10", with: "k")
            lines.append("  " + m.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                         + (shown == m.rawValue ? "" : shown + " = ") + m.summary)
        }
        lines += ["", "Each ranking metric is the mean over those users; the output says how many users that is and",
                  "how many were left out: test users without a relevant row, and relevant users the model does",
                  "not know. precision@k divides by k even when fewer than k items can be ranked. With",
                  "evaluate ... by <column>, T_u keeps the user's relevant rows of each segment and each",
                  "segment averages over its own users; R_u is the same list in every segment.", "",
                  "Metrics that need probabilities (accuracy, logloss, precision, recall, f1) are refused for",
                  "models whose scores only rank (popular, svd, als, itemknn), and rmse and mae too."]
        return lines.joined(separator: "\n")
    }

    /// `help syntax`: the grammar in brief.
    package static let syntax = """
    One statement a line; ';' separates statements on one line. A trailing '\\' or an open
    bracket continues a statement on the next line. '#' starts a comment.

      command arg arg key=value         run a command
      name = command ...                keep its result in a variable
      a, b = command ...                commands with two results (split)
      param name = value                a script parameter; repl FILE -p name=value sets it
      name                              show a variable

    Values: 42, 0.8, 1e-3, "text", true, false, null, [a, b, c], frame.column.
    The words on, by, where and agg introduce arguments: fit baseline on train.
    Operators: + - * / %, == != < <= > >=, and, or, not, in [...], is null, is not null.
    A '-' with a space before and none after starts a new argument: head f -1 passes -1.
    """
}
