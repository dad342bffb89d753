import Testing
import RecScript

@Suite struct SuggestionsTests {
    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("", "", 0), ("abc", "abc", 0),
        ("load", "lod", 1), ("lod", "load", 1), ("ab", "ba", 1), ("head", "haed", 1), ("LOAD", "load", 0),
        ("describe", "descirbe", 1), ("ca", "abc", 3), ("flaw", "lawn", 2), ("é", "e", 1),
    ])
    func distance(_ a: String, _ b: String, _ expected: Int) {
        #expect(Suggestions.distance(a, b) == expected)
        #expect(Suggestions.distance(b, a) == expected)
    }

    static let commands = ["load", "schema", "head", "tail", "shape", "types", "describe", "nulls",
                           "split", "fit", "evaluate", "recommend", "help", "print"]

    @Test(arguments: [
        ("lod", "load"), ("laod", "load"), ("LOAD", "load"), ("hed", "head"), ("haed", "head"),
        ("descibe", "describe"), ("recomend", "recommend"), ("evalute", "evaluate"), ("fitt", "fit"),
        ("shema", "schema"), ("desc", "describe"), ("reco", "recommend"), ("Spl", "split"),
    ])
    func closestFindsTheIntendedName(_ typo: String, _ intended: String) {
        #expect(Suggestions.closest(to: typo, in: Self.commands) == intended)
        #expect(Suggestions.didYouMean(typo, in: Self.commands) == "; did you mean '\(intended)'?")
    }

    @Test(arguments: ["xyz", "zzzzzz", "de", "q", "", "frobnicate", "lxxd"])
    func farNamesGetNoSuggestion(_ name: String) {
        #expect(Suggestions.closest(to: name, in: Self.commands) == nil)
        #expect(Suggestions.didYouMean(name, in: Self.commands) == "")
    }

    @Test func theAllowedDistanceGrowsWithTheName() {
        // A third of the length, at least 1, at most 3.
        #expect(Suggestions.closest(to: "ab", in: ["xy"]) == nil)
        #expect(Suggestions.closest(to: "ab", in: ["ax"]) == "ax")
        #expect(Suggestions.closest(to: "abcdef", in: ["abcdxy"]) == "abcdxy")
        #expect(Suggestions.closest(to: "abcdef", in: ["abcxyz"]) == nil)
        #expect(Suggestions.closest(to: "abcdefghijklmnop", in: ["abcdefghijklmxyz"]) == "abcdefghijklmxyz")
        #expect(Suggestions.closest(to: "abcdefghijklmnop", in: ["abcdefghijklwxyz"]) == nil)
    }

    @Test func theNearestWinsAndTiesGoToTheFirst() {
        #expect(Suggestions.closest(to: "heap", in: ["help", "head"]) == "help")
        #expect(Suggestions.closest(to: "heap", in: ["head", "help"]) == "head")
        #expect(Suggestions.closest(to: "tale", in: ["tables", "tail", "tale_"]) == "tale_")
    }

    @Test func theNameItselfIsNeverSuggested() {
        #expect(Suggestions.closest(to: "load", in: ["load"]) == nil)
        #expect(Suggestions.closest(to: "load", in: ["load", "loads"]) == "loads")
        #expect(Suggestions.didYouMean("load", in: ["load"]) == "")
    }

    @Test func emptyCandidates() {
        #expect(Suggestions.closest(to: "load", in: []) == nil)
    }
}
