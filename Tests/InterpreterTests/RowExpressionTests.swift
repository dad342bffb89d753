// filter and derive: expressions over every row, checked against values computed here.

import Foundation
import Frame
import Interpreter
import Testing

private func rowFixture() throws -> DataFrame {
    // ts: 2016-11-01 00:00:00 UTC (a Tuesday) plus hours; one null age.
    let ts: [Int64] = [1_477_958_400, 1_477_958_400 + 3_600 * 23, 1_477_958_400 + 86_400 * 5 + 7_200, 0, 1_480_636_000]
    var ageValidity = Bitmap(count: 5, allSet: true)
    ageValidity.clear(3)
    return try DataFrame([
        .integers("user_id", [1, 2, 3, 4, 5]),
        .integers("ts_listen", ts),
        .integers("release_date", [20_161_101, 30_000_101, 19_991_231, 20_150_615, 20_161_130]),
        .integers("user_age", [18, 25, 30, 0, 22], validity: ageValidity),
        .doubles("score", [0.5, 1.5, -2, 4, 0]),
        .strings("genre", ["pop", "rock", "pop", nil, "jazz"]),
    ])
}

/// The column `name` of variable `variable` as cells.
private func cells(_ s: Session, _ variable: String, _ name: String) -> [Cell] {
    guard case .frame(let f)? = s[variable], let c = f[name] else { return [] }
    return (0..<c.count).map { c[$0] }
}

@Suite struct RowExpressionTests {
    @Test(arguments: [
        ("user_age > 20", [2, 3, 5]),
        ("user_age >= 18 and score < 1", [1, 3, 5]),
        ("not (user_age > 20)", [1]),                      // null age: not (null) is null, left out
        ("user_age is null", [4]),
        ("user_age is not null and genre == \"pop\"", [1, 3]),
        ("genre in [\"pop\", \"jazz\"]", [1, 3, 5]),
        ("genre not in [\"pop\"]", [2, 5]),
        ("user_id in [2, 4.0, 9]", [2, 4]),
        ("score / 0 > 1", []),                             // division by zero is null
        ("user_age > 20 or user_id == 4", [2, 3, 4, 5]),   // true or null is true
        ("user_id % 2 == 1", [1, 3, 5]),
        ("release_date > 20160000 and release_date < 30000101", [1, 5]),
    ])
    func filterKeepsTheRowsWhereTheConditionIsTrue(condition: String, users: [Int64]) throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("g = filter f where \(condition)") == .ok, "\(s.diagnostics)")
        #expect(cells(s, "g", "user_id") == users.map { .int($0) })
    }

    @Test func deriveComputesCalendarParts() throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("g = derive f h = hour(ts_listen) wd = weekday(ts_listen) d = date(ts_listen) y = year(release_date) m = month(release_date) dd = day(release_date)") == .ok,
                "\(s.diagnostics)")
        #expect(cells(s, "g", "h") == [0, 23, 2, 0, 23].map { .int($0) })
        // 2016-11-01 was a Tuesday (1); +5 days: Sunday (6); 1970-01-01 a Thursday (3); 2016-12-01 a Thursday.
        #expect(cells(s, "g", "wd") == [1, 1, 6, 3, 3].map { .int($0) })
        #expect(cells(s, "g", "d") == [20_161_101, 20_161_101, 20_161_106, 19_700_101, 20_161_201].map { .int($0) })
        #expect(cells(s, "g", "y") == [2016, 3000, 1999, 2015, 2016].map { .int($0) })
        #expect(cells(s, "g", "m") == [11, 1, 12, 6, 11].map { .int($0) })
        #expect(cells(s, "g", "dd") == [1, 1, 31, 15, 30].map { .int($0) })
    }

    @Test func civilDatesMatchFoundationOverFourHundredYears() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Foundation's Gregorian calendar turns Julian before October 1582; ours stays proleptic
        // Gregorian, so the comparison starts in 1583 (day -141,714).
        for days in stride(from: Int64(-141_000), through: 200_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let expected = Int64(c.year!) * 10_000 + Int64(c.month!) * 100 + Int64(c.day!)
            let s = Session()
            s.set("f", try! DataFrame([.integers("t", [days * 86_400 + 43_200])]))
            _ = s.run("g = derive f d = date(t)")
            #expect(cells(s, "g", "d") == [.int(expected)], "day \(days)")
        }
    }

    @Test func deriveArithmeticKeepsIntegersAndNulls() throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("g = derive f a = user_id * 10 + 1 b = user_id / 2 c = user_age + 1 e = -score f2 = a - 1") == .ok,
                "\(s.diagnostics)")
        guard case .frame(let g)? = s["g"] else { Issue.record("no frame"); return }
        #expect(g["a"]!.type.isInteger)
        #expect(cells(s, "g", "a") == [11, 21, 31, 41, 51].map { .int($0) })
        #expect(cells(s, "g", "b") == [0.5, 1, 1.5, 2, 2.5].map { .double($0) })
        #expect(cells(s, "g", "c") == [.int(19), .int(26), .int(31), .null, .int(23)])
        #expect(cells(s, "g", "e") == [-0.5, -1.5, 2, -4, 0].map { .double($0) })
        #expect(cells(s, "g", "f2") == [10, 20, 30, 40, 50].map { .int($0) }, "a later column uses an earlier one")
    }

    @Test func functionsHandleEdgeCases() throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("g = derive f r = round(score) q = sqrt(score) l = log(score) w = if(score > 1, \"hi\", \"lo\") mx = max(user_id, 3) i = int(score * 1.5)") == .ok,
                "\(s.diagnostics)")
        #expect(cells(s, "g", "r") == [1, 2, -2, 4, 0].map { .int($0) })
        #expect(cells(s, "g", "q")[2] == .null, "sqrt of a negative is null")
        #expect(cells(s, "g", "l")[4] == .null, "log of 0 is null")
        #expect(cells(s, "g", "w") == ["lo", "hi", "lo", "hi", "lo"].map { .string($0) })
        #expect(cells(s, "g", "mx") == [3, 3, 3, 4, 5].map { .int($0) })
        #expect(cells(s, "g", "i") == [0, 2, -3, 6, 0].map { .int($0) })
    }

    @Test(arguments: [
        ("g = filter f where user_ag > 1", "1:20: column 'user_ag' not found; did you mean 'user_age'?"),
        ("g = filter f where user_id + 1", "1:20: the condition gives integers, not true or false; compare with ==, <, in ..."),
        ("g = filter f where genre > 1", "1:20: cannot compare text with an integer"),
        ("g = derive f x = hourr(ts_listen)", "1:18: unknown function 'hourr'; did you mean 'hour'?"),
        ("g = derive f x = hour(ts_listen, 1)", "1:18: hour takes 1 argument: hour(ts)"),
        ("g = derive f x = hour(score)", "1:23: hour needs integers, not numbers"),
        ("g = derive f x = user_id * 9223372036854775807", "1:18: integer overflow in '*'; use float(...) for large values"),
        ("g = filter f where user_id in 3", "1:31: 'in' needs a list on its right, such as [1, 2, 3]"),
        ("g = derive f x = genre + 1", "1:18: '+' needs numbers, not text and an integer"),
    ])
    func errorsAreLocated(statement: String, expected: String) throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run(statement) == .runtimeError)
        #expect(s.diagnostics == [expected])
    }

    @Test func deriveNeedsANewColumn() throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("g = derive f") == .scriptError)
        #expect(s.diagnostics.first?.contains("'derive' needs at least one column=<expression>") == true)
    }

    @Test func selectDropAndSaveLoadRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = Session()
        s.set("f", try rowFixture())
        let rsf = dir.appendingPathComponent("f.rsf").path, csv = dir.appendingPathComponent("f.csv").path
        let script = """
        a = select f [genre, user_id]
        b = drop f [score, genre]
        save f "\(rsf)"
        save f "\(csv)"
        r = load "\(rsf)"
        c = load "\(csv)"
        """
        #expect(s.run(script) == .ok, "\(s.diagnostics)")
        guard case .frame(let a)? = s["a"], case .frame(let b)? = s["b"], case .frame(let r)? = s["r"],
              case .frame(let c)? = s["c"] else { Issue.record("missing frames"); return }
        #expect(a.columnNames == ["genre", "user_id"])
        #expect(b.columnNames == ["user_id", "ts_listen", "release_date", "user_age"])
        let original = try rowFixture()
        #expect(r.columnNames == original.columnNames)
        #expect(c.columnNames == original.columnNames)
        for name in original.columnNames {
            #expect((0..<5).map { r[name]![$0] } == (0..<5).map { original[name]![$0] }, "\(name) after .rsf")
            #expect((0..<5).map { c[name]![$0] } == (0..<5).map { original[name]![$0] }, "\(name) after .csv")
        }
    }

    @Test func saveToAMissingDirectoryIsAnIOError() throws {
        let s = Session()
        s.set("f", try rowFixture())
        #expect(s.run("save f \"/no/such/dir/f.csv\"") == .ioError)
        #expect(s.diagnostics.count == 1)
    }
}
