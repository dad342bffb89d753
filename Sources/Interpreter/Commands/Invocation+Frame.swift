// Running frame operations from a command, with their errors located at the argument at fault.

import Frame
import RecScript

extension Invocation {
    /// Runs `body`, turning a FrameError into a located RuntimeError: an unknown column names
    /// the closest column, at the range of argument `argument` (or the whole call).
    package func frameOperation<T>(at argument: String? = nil, _ body: () throws(FrameError) -> T) throws(RuntimeError) -> T {
        do {
            return try body()
        } catch {
            let range = argument.map { self.range(of: $0) } ?? self.range
            if case .unknownColumn(let name, let available) = error {
                let shown = available.count > 20 ? available.prefix(20).joined(separator: ", ") + ", …"
                    : available.joined(separator: ", ")
                throw RuntimeError("column '\(name)' not found\(Suggestions.didYouMean(name, in: available))", at: range,
                                   notes: ["columns: \(shown)"])
            }
            throw RuntimeError(error.description, at: range)
        }
    }
}
