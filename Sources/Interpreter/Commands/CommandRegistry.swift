// The table of commands. Adding a command: declare a CommandSpec in the file of its family
// under Commands/ and list it here.

/// The commands of the language, by name.
package struct CommandRegistry: Sendable {
    package let specs: [CommandSpec]
    private let byName: [String: Int]

    package init(_ specs: [CommandSpec]) {
        self.specs = specs
        var index: [String: Int] = [:]
        for (i, s) in specs.enumerated() {
            precondition(index[s.name] == nil, "duplicate command \(s.name)")
            index[s.name] = i
        }
        byName = index
    }

    package subscript(name: String) -> CommandSpec? { byName[name].map { specs[$0] } }

    /// Command names in declaration order.
    package var names: [String] { specs.map(\.name) }

    /// Every command of RecScript.
    package static let standard = CommandRegistry(
        DataCommands.all + TransformCommands.all + ExploreCommands.all + AnalysisCommands.all + PlotCommands.all + ModelCommands.all + SessionCommands.all)
}
