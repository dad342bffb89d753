// TrainingData and ScoringData: a frame's roles read once into dense ids, targets, pairs and
// the preference matrix; scoring frames mapped through a fitted model's id maps.

import Testing
import Frame
import Learn

@Suite struct TrainingDataTests {
    @Test func denseIndicesFollowFirstAppearance() throws {
        let frame = try interactions(users: [50, 7, 50, 9], items: [300, 300, 100, 200], labels: [1, 0, 0.5, 1])
        let data = try TrainingData(frame)
        #expect(data.rowCount == 4)
        #expect(data.rowUsers == [0, 1, 0, 2])
        #expect(data.rowItems == [0, 0, 1, 2])
        #expect(data.users.raw == [50, 7, 9])
        #expect(data.items.raw == [300, 100, 200])
        #expect(data.labels == [1, 0, 0.5, 1])
        #expect(data.itemRows == [2, 1, 1])
        #expect(data.itemFirstRows == [0, 2, 3])
    }

    @Test func theTargetIsTheLabelUnlessARatingIsDeclared() throws {
        let labelled = try TrainingData(try interactions(users: [1, 2], items: [3, 4], labels: [1, 0]))
        #expect(labelled.target?.role == .label && labelled.target?.name == "y" && labelled.target?.values == [1, 0])

        var both = try DataFrame([.integers("u", [1, 2]), .integers("i", [3, 4]), .integers("y", [1, 0]),
                                  .doubles("stars", [4.5, 2])])
        both.schema = Schema([.user: "u", .item: "i", .label: "y", .rating: "stars"])
        let rated = try TrainingData(both)
        #expect(rated.target?.role == .rating && rated.target?.name == "stars" && rated.target?.values == [4.5, 2])
        // The label is still read (for the preference) when the rating is the target.
        #expect(rated.labels == [1, 0])

        var neither = try DataFrame([.integers("u", [1, 2]), .integers("i", [3, 4])])
        neither.schema = Schema([.user: "u", .item: "i"])
        let bare = try TrainingData(neither)
        #expect(bare.target == nil && bare.labels == nil)
        #expect(throws: LearnError.missingRole(.label)) { try bare.requireTarget(for: "baseline") }
        // Without a label, listens count every row.
        #expect(bare.matrix.values == [1, 1])
    }

    @Test func integerLabelsNarrowAndBooleanIDColumnsWork() throws {
        var frame = try DataFrame([.bools("u", [true, false, true]), .integers("i", [100_000, 3, 3]), .integers("y", [0, 1, 1])])
        frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
        let data = try TrainingData(frame)
        #expect(data.labels == [0, 1, 1])
        #expect(data.users.raw == [1, 0])
        #expect(data.items.raw == [100_000, 3])
        #expect(data.rowUsers == [0, 1, 0])
    }

    @Test func thePreferenceMatrixIsThePairsMatrixOfTheChosenRule() throws {
        let rows = randomLog(seed: 3, users: 9, items: 11, rows: 80)
        let frame = try logFrame(rows)
        for preference in Preference.allCases {
            let spec = PreferenceSpec(preference, weightColumn: preference == .weight ? "w" : nil)
            let data = try TrainingData(frame, preference: spec)
            #expect(data.preference == spec)
            #expect(data.matrix == data.pairs.matrix(preference), "\(preference)")
            #expect(data.matrix.rows == data.users.count && data.matrix.columns == data.items.count)
        }
    }

    @Test func preferenceWeightNeedsANumericColumn() throws {
        let frame = try logFrame(randomLog(seed: 4, users: 3, items: 4, rows: 12))
        #expect(throws: LearnError.invalidParameter(name: "weight", reason: "must name a numeric column when preference=weight, e.g. weight=plays")) {
            try TrainingData(frame, preference: PreferenceSpec(.weight))
        }
        #expect(throws: LearnError.frame(.unknownColumn(name: "plays", available: ["u", "i", "y", "t", "w"]))) {
            try TrainingData(frame, preference: PreferenceSpec(.weight, weightColumn: "plays"))
        }
        var text = try DataFrame([.integers("u", [1, 2]), .integers("i", [3, 4]), .strings("w", ["a", "b"])])
        text.schema = Schema([.user: "u", .item: "i"])
        #expect(throws: LearnError.nonNumeric(column: "w", role: nil, type: "string")) {
            try TrainingData(text, preference: PreferenceSpec(.weight, weightColumn: "w"))
        }
        var missing = try DataFrame([.integers("u", [1, 2]), .integers("i", [3, 4]), .doubles("w", [1, .infinity])])
        missing.schema = Schema([.user: "u", .item: "i"])
        #expect(throws: LearnError.missingValues(column: "w", role: nil, count: 1)) {
            try TrainingData(missing, preference: PreferenceSpec(.weight, weightColumn: "w"))
        }
        // The weight column is read only for preference=weight.
        #expect(throws: Never.self) { try TrainingData(missing, preference: PreferenceSpec(.count, weightColumn: "w")) }
    }
}

@Suite struct TrainingDataBadInputTests {
    @Test func anEmptyFrameIsAnError() throws {
        #expect(throws: LearnError.emptyData("the training frame")) {
            try TrainingData(try interactions(users: [], items: [], labels: []))
        }
        #expect(LearnError.emptyData("the training frame").description == "the training frame has no rows")
    }

    @Test(arguments: [Role.user, .item])
    func aMissingIDRoleIsAnError(_ role: Role) throws {
        var frame = try interactions(users: [1], items: [2], labels: [1])
        frame.schema[role] = nil
        #expect(throws: LearnError.missingRole(role)) { try TrainingData(frame) }
        #expect(LearnError.missingRole(role).description ==
                "no \(role.rawValue) column is declared; declare it with 'schema <frame> \(role.rawValue)=<column>'")
    }

    @Test func aRoleNamingAMissingColumnIsAFrameError() throws {
        var frame = try interactions(users: [1], items: [2], labels: [1])
        frame.schema[.item] = "track"
        #expect(throws: LearnError.frame(.unknownColumn(name: "track", available: ["u", "i", "y"]))) {
            try TrainingData(frame)
        }
    }

    @Test func idsMustBeIntegers() throws {
        var strings = try DataFrame([.strings("u", ["a", "b"]), .integers("i", [1, 2]), .doubles("y", [1, 0])])
        strings.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "u", role: .user, type: "string")) { try TrainingData(strings) }
        #expect(LearnError.nonNumeric(column: "u", role: .user, type: "string").description ==
                "the user column 'u' must hold integer ids, but it is string")

        var floats = try DataFrame([.integers("u", [1, 2]), .doubles("i", [1.5, 2]), .doubles("y", [1, 0])])
        floats.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "i", role: .item, type: "float64")) { try TrainingData(floats) }
    }

    @Test func labelsAndRatingsMustBeNumbers() throws {
        var textLabel = try DataFrame([.integers("u", [1, 2]), .integers("i", [1, 2]), .strings("y", ["yes", "no"])])
        textLabel.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "y", role: .label, type: "string")) { try TrainingData(textLabel) }
        #expect(LearnError.nonNumeric(column: "y", role: .label, type: "string").description ==
                "the label column 'y' must be numeric, but it is string")

        var textRating = try DataFrame([.integers("u", [1, 2]), .integers("i", [1, 2]), .strings("r", ["5", "4"])])
        textRating.schema = Schema([.user: "u", .item: "i", .rating: "r"])
        #expect(throws: LearnError.nonNumeric(column: "r", role: .rating, type: "string")) { try TrainingData(textRating) }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aLabelThatIsNotFiniteIsAnError(_ bad: Double) throws {
        let frame = try interactions(users: [1, 2, 3], items: [1, 2, 3], labels: [1, bad, 0])
        #expect(throws: LearnError.missingValues(column: "y", role: .label, count: 1)) { try TrainingData(frame) }
        #expect(LearnError.missingValues(column: "y", role: .label, count: 1).description ==
                "the label column 'y' has 1 missing or infinite value; filter those rows out first")
        #expect(LearnError.missingValues(column: "y", role: .label, count: 2).description ==
                "the label column 'y' has 2 missing or infinite values; filter those rows out first")
    }

    @Test func nullLabelsAndIDsAreErrorsNotZeros() throws {
        var nullLabel = try DataFrame([.integers("u", [1, 2]), .integers("i", [1, 2]),
                                       .integers("y", [1, 0], validity: Bitmap([true, false]))])
        nullLabel.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.missingValues(column: "y", role: .label, count: 1)) { try TrainingData(nullLabel) }

        var nullUser = try DataFrame([
            .integers("u", [5, 0, 7], validity: Bitmap([true, false, true])),
            .integers("i", [1, 2, 3]), .doubles("y", [1, 0, 1]),
        ])
        nullUser.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.missingValues(column: "u", role: .user, count: 1)) { try TrainingData(nullUser) }
    }
}

@Suite struct ScoringDataTests {
    @Test func rowsMapThroughTheModelsMapsWithMinusOneForUnknownIDs() throws {
        let data = try TrainingData(try interactions(users: [1, 2], items: [10, 20], labels: [1, 0]))
        let test = try interactions(users: [2, 3, 1, 3], items: [20, 10, 30, 40], labels: [0, 1, 1, 0])
        let mapped = try ScoringData(test, users: data.users, items: data.items)
        #expect(mapped.users == [1, -1, 0, -1])
        #expect(mapped.items == [1, 0, -1, -1])
        #expect(mapped.count == 4 && mapped.unknownUsers == 2 && mapped.unknownItems == 2)
    }

    @Test func scoringNeedsNoLabelButNeedsIntegerIDs() throws {
        let maps = try TrainingData(try interactions(users: [1], items: [10], labels: [1]))
        var frame = try DataFrame([.integers("who", [1, 1]), .integers("what", [10, 11])])
        frame.schema = Schema([.user: "who", .item: "what"])
        let mapped = try ScoringData(frame, users: maps.users, items: maps.items)
        #expect(mapped.users == [0, 0] && mapped.items == [0, -1])

        var noItem = frame
        noItem.schema[.item] = nil
        #expect(throws: LearnError.missingRole(.item)) { try ScoringData(noItem, users: maps.users, items: maps.items) }

        var text = try DataFrame([.strings("who", ["a"]), .integers("what", [10])])
        text.schema = Schema([.user: "who", .item: "what"])
        #expect(throws: LearnError.nonNumeric(column: "who", role: .user, type: "string")) {
            try ScoringData(text, users: maps.users, items: maps.items)
        }

        var nulls = try DataFrame([.integers("who", [1, 1]), .integers("what", [10, 10], validity: Bitmap([false, true]))])
        nulls.schema = Schema([.user: "who", .item: "what"])
        #expect(throws: LearnError.missingValues(column: "what", role: .item, count: 1)) {
            try ScoringData(nulls, users: maps.users, items: maps.items)
        }
    }
}
