import Testing
import Frame
import Learn

@Suite struct InteractionsTests {
    @Test func trainingAssignsDenseIndicesInOrderOfAppearance() throws {
        let frame = try interactions(users: [50, 7, 50, 9], items: [300, 300, 100, 200], labels: [1, 0, 0.5, 1])
        let (data, users, items) = try Interactions.training(from: frame)
        #expect(data.count == 4)
        #expect(data.users == [0, 1, 0, 2])
        #expect(data.items == [0, 0, 1, 2])
        #expect(data.labels == [1, 0, 0.5, 1])
        #expect(users.raw == [50, 7, 9])
        #expect(items.raw == [300, 100, 200])
    }

    @Test func integerLabelsAndNarrowIDColumnsWork() throws {
        var frame = try DataFrame([.integers("u", [1, 2]), .integers("i", [100_000, 3]), .integers("y", [0, 1])])
        frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
        let (data, _, items) = try Interactions.training(from: frame)
        #expect(data.labels == [0, 1])
        #expect(items.raw == [100_000, 3])
    }

    @Test func mappedUsesTheModelsMapsAndMinusOneForUnknownIDs() throws {
        let train = try interactions(users: [1, 2], items: [10, 20], labels: [1, 0])
        let (_, users, items) = try Interactions.training(from: train)
        let test = try interactions(users: [2, 3, 1, 3], items: [20, 10, 30, 40], labels: [0, 1, 1, 0])
        let data = try Interactions.mapped(from: test, users: users, items: items, labelRequired: true)
        #expect(data.users == [1, -1, 0, -1])
        #expect(data.items == [1, 0, -1, -1])
        #expect(data.labels == [0, 1, 1, 0])
    }

    @Test func aLabelIsOptionalForScoring() throws {
        var frame = try DataFrame([.integers("u", [1]), .integers("i", [10])])
        frame.schema = Schema([.user: "u", .item: "i"])
        let data = try Interactions.mapped(from: frame, users: IDMap(), items: IDMap(), labelRequired: false)
        #expect(data.labels.count == 1 && data.labels[0].isNaN)
        #expect(throws: LearnError.missingRole(.label)) {
            try Interactions.mapped(from: frame, users: IDMap(), items: IDMap(), labelRequired: true)
        }
    }

    @Test(arguments: [Role.user, .item, .label])
    func aMissingRoleIsAnError(_ role: Role) throws {
        var frame = try interactions(users: [1], items: [2], labels: [1])
        frame.schema[role] = nil
        #expect(throws: LearnError.missingRole(role)) { try Interactions.training(from: frame) }
        #expect(LearnError.missingRole(role).description ==
                "no \(role.rawValue) column is declared; declare it with 'schema <frame> \(role.rawValue)=<column>'")
    }

    @Test func aRoleNamingAMissingColumnIsAFrameError() throws {
        var frame = try interactions(users: [1], items: [2], labels: [1])
        frame.schema[.item] = "track"
        #expect(throws: LearnError.frame(.unknownColumn(name: "track", available: ["u", "i", "y"]))) {
            try Interactions.training(from: frame)
        }
    }

    @Test func idsMustBeIntegersAndLabelsNumbers() throws {
        var strings = try DataFrame([.strings("u", ["a", "b"]), .integers("i", [1, 2]), .doubles("y", [1, 0])])
        strings.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "u", role: .user)) { try Interactions.training(from: strings) }

        var floats = try DataFrame([.integers("u", [1, 2]), .doubles("i", [1.5, 2]), .doubles("y", [1, 0])])
        floats.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "i", role: .item)) { try Interactions.training(from: floats) }

        var textLabel = try DataFrame([.integers("u", [1, 2]), .integers("i", [1, 2]), .strings("y", ["yes", "no"])])
        textLabel.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.nonNumeric(column: "y", role: .label)) { try Interactions.training(from: textLabel) }
        #expect(LearnError.nonNumeric(column: "y", role: .label).description == "the label column 'y' must be numeric")
    }

    @Test func missingIDsAreAnErrorNotUserZero() throws {
        var frame = try DataFrame([
            .integers("u", [5, 0, 7], validity: Bitmap([true, false, true])),
            .integers("i", [1, 2, 3]), .doubles("y", [1, 0, 1]),
        ])
        frame.schema = Schema([.user: "u", .item: "i", .label: "y"])
        #expect(throws: LearnError.missingValues(column: "u", role: .user, count: 1)) {
            try Interactions.training(from: frame)
        }
        #expect(LearnError.missingValues(column: "u", role: .user, count: 1).description ==
                "the user column 'u' has 1 missing value; filter those rows out first")
    }
}

@Suite struct SeenItemsTests {
    @Test func eachUsersDistinctItemsSorted() throws {
        let frame = try interactions(users: [1, 2, 1, 1, 3, 2], items: [30, 10, 10, 30, 20, 10], labels: [1, 1, 1, 1, 1, 1])
        let (data, users, items) = try Interactions.training(from: frame)
        let seen = SeenItems(data, userCount: users.count)
        func rawItems(_ user: Int64) -> [Int64] {
            seen.items(of: users.index(of: RawID(user))!).map { items.raw[Int($0)] }
        }
        #expect(rawItems(1) == [30, 10])  // dense 0 (30), 1 (10): sorted by dense index
        #expect(rawItems(2) == [10])
        #expect(rawItems(3) == [20])
        #expect(seen.offsets == [0, 2, 3, 4])
        #expect(seen.items == [0, 1, 1, 2])
    }

    @Test func usersWithoutRowsHaveNoItems() throws {
        let frame = try interactions(users: [0], items: [4], labels: [1])
        let (data, _, _) = try Interactions.training(from: frame)
        let seen = SeenItems(data, userCount: 3)
        #expect(seen.items(of: DenseIndex(0)) == [0])
        #expect(seen.items(of: DenseIndex(1)).isEmpty)
        #expect(seen.items(of: DenseIndex(2)).isEmpty)
    }

    @Test func rowsWithAnUnknownUserOrItemAreLeftOut() throws {
        let train = try interactions(users: [1, 2], items: [10, 20], labels: [1, 1])
        let (_, users, items) = try Interactions.training(from: train)
        // Rows: (1, 20), (1, unknown), (unknown, 10), (2, unknown), (2, 10).
        let other = try interactions(users: [1, 1, 9, 2, 2], items: [20, 99, 10, 98, 10], labels: [1, 1, 1, 1, 1])
        let data = try Interactions.mapped(from: other, users: users, items: items, labelRequired: true)
        let seen = SeenItems(data, userCount: users.count)
        #expect(Array(seen.items(of: DenseIndex(0))) == [1])
        #expect(Array(seen.items(of: DenseIndex(1))) == [0])
        #expect(seen == SeenItems(offsets: [0, 1, 2], items: [1, 0]))
    }
}
