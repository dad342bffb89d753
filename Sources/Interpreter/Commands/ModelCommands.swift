// Commands that build and judge recommenders. Each family has its file: SplitCommand, FitCommand,
// EvaluateCommands (predict, evaluate, compare), RecommendCommands (recommend, similar, explain),
// PivotCommand; this file lists them and holds what they share.

import Frame
import Learn
import RecScript

/// The modelling commands.
enum ModelCommands {
    static let all: [CommandSpec] = [
        SplitCommand.spec, PivotCommand.spec, FitCommand.spec, TuneCommand.spec, EvaluateCommands.predict, EvaluateCommands.evaluate, EvaluateCommands.compare,
        RecommendCommands.recommend, RecommendCommands.similar, RecommendCommands.explain,
    ]

    /// Fails with a located error naming the missing role and how to declare it.
    /// The roles a model needs to score `frame`: user and item for recommenders; classifiers
    /// read their feature columns, which their pipeline checks by name.
    static func requireScoringRoles(_ frame: DataFrame, for m: ModelValue, _ inv: Invocation, _ argument: String) throws(RuntimeError) {
        if m.model is any FeatureModel { return }
        try requireRoles(frame, [.user, .item], inv, argument)
    }

    static func requireRoles(_ frame: DataFrame, _ roles: [Role], _ inv: Invocation, _ argument: String) throws(RuntimeError) {
        for role in roles where frame.schema[role] == nil {
            let name = inv.expression(argument).map { inv.interpreter.sourceText($0.range) } ?? "frame"
            throw RuntimeError("\(name) has no \(role.rawValue) column declared", at: inv.range(of: argument),
                               notes: ["declare the roles once, before splitting: schema <frame> user=user_id item=media_id label=is_listened"])
        }
    }
}
