import Foundation
@testable import LeadCtlKit
import LeadConfig
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

let t0 = Date(timeIntervalSince1970: 1_796_000_000)

/// A config file and a database with two leads, one assigned; `leadctl` runs as a real process.
final class CtlFixture: @unchecked Sendable {
    let folder: TemporaryDirectory
    var config: String { folder.file("leadrouter.toml").path }

    init(withDatabase: Bool = true) async throws {
        folder = try TemporaryDirectory(prefix: "lr-ctl")
        try folder.write("leadrouter.toml", """
        [state]
        directory = "state"

        [[rep]]
        id = "zhang.wei"
        name = "张伟"
        email = "zhang.wei@example.com"

        [[team]]
        id = "east-china"
        members = ["zhang.wei"]
        supervisor = "boss@example.com"
        [routing]
        default = "east-china"
        """)
        guard withDatabase else { return }
        let store = try SQLiteLeadStore.openWriter(at: folder.file("state/leadrouter.sqlite"))
        let rep = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
        try await store.syncDirectory(reps: [rep], teams: [], configGeneration: 1, at: t0)
        let first = try await store.recordLead(LeadDraft(
            name: "王小明", company: "杭州某某贸易有限公司", email: "wang@example.cn", phone: "+8613800138000",
            province: "浙江省", industry: "外贸", source: "web-form", customFields: ["budget_range": "10-50万"],
            origin: LeadOrigin(channel: .webhook, name: "site", key: "evt-1"), receivedAt: t0), at: t0)
        _ = try await store.recordLead(LeadDraft(
            name: "Alice", origin: LeadOrigin(channel: .maildrop, name: "inbox", key: "1700000000.M1.host"),
            receivedAt: t0 + 60), at: t0 + 60)
        try await store.assign(first.leadID, to: rep.id, team: nil, rule: "default", at: t0 + 5)
        try store.close()
    }

    func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(RepositoryPaths.product("leadctl"), arguments, in: folder.url, name: "leadctl")
    }

    deinit { folder.remove() }
}

@Suite struct LeadCtlTests {
    @Test func leadsListJSONHasTheStableKeys() async throws {
        let fixture = try await CtlFixture()
        let result = try await fixture.run(["--config", fixture.config, "leads", "list", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let leads = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(leads.count == 2)
        #expect(leads.map { $0["id"] as? Int } == [2, 1])
        let first = leads[1]
        for key in ["id", "name", "company", "email", "phone", "province", "industry", "source", "status", "owner", "created_at"] {
            #expect(first.keys.contains(key), "missing \(key)")
        }
        #expect(first["name"] as? String == "王小明")
        #expect(first["owner"] as? String == "zhang.wei")
        #expect(first["status"] as? String == "new")
        #expect(first["created_at"] as? String == "2026-11-30T00:53:20Z")
        #expect(leads[0]["owner"] is NSNull)
    }

    @Test func leadsShowPrintsOneLeadAsJSONOrATable() async throws {
        let fixture = try await CtlFixture()
        let json = try await fixture.run(["--config", fixture.config, "leads", "show", "1", "--json"])
        #expect(json.status == 0)
        let lead = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(lead["company"] as? String == "杭州某某贸易有限公司")
        #expect((lead["custom_fields"] as? [String: String])?["budget_range"] == "10-50万")
        let table = try await fixture.run(["--config", fixture.config, "leads", "show", "L1"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("province       浙江省"))
    }

    @Test func leadsListFiltersByOwner() async throws {
        let fixture = try await CtlFixture()
        let result = try await fixture.run(["leads", "list", "--owner", "zhang.wei", "--config", fixture.config])
        #expect(result.status == 0)
        #expect(result.stdout.contains("王小明"))
        #expect(!result.stdout.contains("Alice"))
    }

    @Test func anUnknownLeadIsAnErrorExit() async throws {
        let fixture = try await CtlFixture()
        let result = try await fixture.run(["--config", fixture.config, "leads", "show", "99"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no lead with id 99"))
        let bad = try await fixture.run(["--config", fixture.config, "leads", "show", "abc"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'abc' is not a lead id"))
    }

    @Test func statusWithoutADaemonSaysUnknown() async throws {
        let fixture = try await CtlFixture()
        let result = try await fixture.run(["--config", fixture.config, "status", "--json"])
        #expect(result.status == 0)
        let status = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((status["daemon"] as? [String: Any])?["state"] as? String == "unknown")
        #expect((status["leads"] as? [String: Int]) == ["total": 2, "open": 2, "unassigned": 1])
        #expect(status["reps"] as? Int == 1)
    }

    @Test func aMissingDatabaseIsExplained() async throws {
        let fixture = try await CtlFixture(withDatabase: false)
        let result = try await fixture.run(["--config", fixture.config, "status"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database at \(fixture.folder.path)/state/leadrouter.sqlite"))
    }

    @Test func configCheckPassesTheExampleAndNamesAnUnknownKeyAndLine() async throws {
        let fixture = try await CtlFixture(withDatabase: false)
        let example = RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path
        let ok = try await fixture.run(["--config", example, "config", "check"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasSuffix("OK (9 reps, 4 teams)\n"))

        let text = try String(contentsOfFile: example, encoding: .utf8)
            .replacingOccurrences(of: "busy_timeout = \"5s\"", with: "busy_timeout = \"5s\"\nbusy_timout = \"9s\"")
        let copy = try fixture.folder.write("copy.toml", text)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("busy_timout") }! + 1
        let bad = try await fixture.run(["--config", copy.path, "config", "check"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("\(copy.path):\(line): store.busy_timout: unknown key"))

        let json = try await fixture.run(["--config", copy.path, "config", "check", "--json"])
        #expect(json.status != 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["valid"] as? Bool == false)
        let issue = try #require((report["issues"] as? [[String: Any]])?.first)
        #expect(issue["key"] as? String == "store.busy_timout")
        #expect(issue["line"] as? Int == line)
    }

    @Test func theConfigPathCanComeFromTheEnvironment() async throws {
        let fixture = try await CtlFixture(withDatabase: false)
        let result = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["config", "check"],
                                                environment: ["LEADROUTER_CONFIG": fixture.config],
                                                in: fixture.folder.url, name: "leadctl-env")
        #expect(result.status == 0)
        #expect(result.stdout.contains(fixture.config))
    }
}

@Suite struct ArgumentTests {
    @Test(arguments: [
        (["--config", "a.toml", "config", "check"], ["config", "check", "--config", "a.toml"]),
        (["--config=a.toml", "status", "--json"], ["status", "--json", "--config=a.toml"]),
        (["leads", "show", "1", "--config", "a.toml"], ["leads", "show", "1", "--config", "a.toml"]),
        (["--config", "a.toml", "leads", "show", "--", "1"], ["leads", "show", "--config", "a.toml", "--", "1"]),
    ])
    func globalOptionsBeforeTheSubcommandMoveAfterIt(input: [String], output: [String]) {
        #expect(hoistingGlobalOptions(input) == output)
    }

    @Test func parsesNestedCommands() throws {
        #expect(try LeadCtl.parseAsRoot(["leads", "list", "--limit", "5"]) is LeadsCommand.List)
        #expect(throws: (any Error).self) { try LeadCtl.parseAsRoot(["leads", "list", "--limit", "0"]) }
    }
}

@Suite struct TextTableTests {
    @Test func chineseTextTakesTwoColumnsPerCharacter() {
        #expect(TextTable.displayWidth("张伟") == 4)
        #expect(TextTable.displayWidth("abc") == 3)
        var table = TextTable(["NAME", "ID"])
        table.add(["张伟", "1"])
        table.add(["Li", "2"])
        #expect(table.render() == "NAME  ID\n张伟  1\nLi    2")
    }
}

@Suite struct QuarantineCommandTests {
    @Test func retryReDeliversAQuarantinedMailAndMarksIt() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-ctl-q")
        defer { folder.remove() }
        let config = try folder.write("leadrouter.toml", """
        [state]
        directory = "state"
        [[maildrop]]
        name = "inbox"
        path = "spool"
        """)
        let store = try SQLiteLeadStore.openWriter(at: folder.file("state/leadrouter.sqlite"))
        let mail = Array("Subject: 询价\r\n\r\n请回电\r\n".utf8)
        _ = try await store.recordQuarantine(QuarantineItem(
            origin: LeadOrigin(channel: .maildrop, name: "inbox", key: "1.M1.host"), reason: "no usable lead",
            raw: RawCapture(body: mail), receivedAt: t0), at: t0)
        try store.close()

        let list = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "quarantine", "list"],
                                              in: folder.url, name: "q-list")
        #expect(list.stdout.contains("maildrop:inbox  no usable lead"))
        let retry = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "quarantine", "retry", "1"],
                                               in: folder.url, name: "q-retry")
        #expect(retry.status == 0, "\(retry.stderr)")
        let delivered = try FileManager.default.contentsOfDirectory(atPath: folder.file("spool/new").path)
        #expect(delivered.count == 1)
        #expect(Array(try Data(contentsOf: folder.file("spool/new/\(delivered[0])"))) == mail)
        let json = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "quarantine", "list", "--json"],
                                              in: folder.url, name: "q-json")
        let entries = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.first?["state"] as? String == "retried")
        let missing = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "quarantine", "retry", "9"],
                                                 in: folder.url, name: "q-missing")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no quarantine entry 9"))
    }
}

@Suite struct AssignCommandTests {
    @Test func manualAssignmentIsAuditedAndRespectsLeaveUnlessForced() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-assign")
        defer { folder.remove() }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let leave = "\(formatter.string(from: Date() - 86_400))..\(formatter.string(from: Date() + 86_400))"
        let config = try folder.write("leadrouter.toml", """
        [state]
        directory = "state"
        [[rep]]
        id = "a"
        name = "A"
        email = "a@example.com"
        [[rep]]
        id = "away"
        name = "Away"
        email = "away@example.com"
        leave = ["\(leave)"]
        [[team]]
        id = "t"
        members = ["a", "away"]
        supervisor = "boss@example.com"
        [routing]
        default = "t"
        """)
        let configuration = try ConfigLoader(environment: [:]).load(path: config.path)
        let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
        try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: Date())
        _ = try await store.recordLead(LeadDraft(email: "c@example.cn", origin: LeadOrigin(channel: .manual, name: "t", key: "1"),
                                                 receivedAt: Date()), at: Date())
        try store.close()
        func ctl(_ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url, name: "assign")
        }
        let refused = try await ctl(["leads", "assign", "1", "away", "--reason", "客户指定"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("away cannot take it now: on leave"))
        let ok = try await ctl(["leads", "assign", "1", "a", "--reason", "客户指定"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let forced = try await ctl(["leads", "assign", "1", "away", "--reason", "covering", "--force"])
        #expect(forced.stdout.contains("(forced)"))
        let shown = try await ctl(["leads", "show", "1"])
        #expect(shown.stdout.contains("rule \"manual: 客户指定\" team t -> a"))
        #expect(shown.stdout.contains("rule \"manual: covering\" team t -> away"))
        let json = try await ctl(["leads", "show", "1", "--json"])
        #expect(json.stdout.contains("\"owner\" : \"away\""))
    }
}

@Suite struct RulesSimulateTests {
    func config(_ southTeam: String) -> String {
        """
        [state]
        directory = "state"
        [[rep]]
        id = "e1"
        name = "E1"
        email = "e1@example.com"
        [[rep]]
        id = "e2"
        name = "E2"
        email = "e2@example.com"
        [[rep]]
        id = "s1"
        name = "S1"
        email = "s1@example.com"
        [[team]]
        id = "east"
        members = ["e1", "e2"]
        supervisor = "boss@example.com"
        [[team]]
        id = "south"
        members = ["s1"]
        supervisor = "boss@example.com"
        [routing]
        default = "east"
        [[rule]]
        name = "South China"
        team = "\(southTeam)"
        region = "华南"
        """
    }

    @Test func replaysStoredLeadsUnderBothConfigurationsWithoutWriting() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-sim")
        defer { folder.remove() }
        let current = try folder.write("leadrouter.toml", config("south"))
        let proposed = try folder.write("new.toml", config("east"))
        let store = try SQLiteLeadStore.openWriter(at: folder.file("state/leadrouter.sqlite"))
        for (i, province) in ["广东省", "上海市", "广东省", "浙江省", "海南省", "上海市"].enumerated() {
            _ = try await store.recordLead(LeadDraft(email: "c\(i)@example.cn", province: province,
                                                     origin: LeadOrigin(channel: .manual, name: "t", key: "\(i)"),
                                                     receivedAt: t0 + Double(i) * 60), at: t0)
        }
        try store.close()
        let result = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                                ["--config", current.path, "rules", "simulate", "--with-config", proposed.path],
                                                in: folder.url, name: "simulate")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
        6 leads replayed
        TEAM   CURRENT  NEW
        east   3        6
        south  3        0
        REP  CURRENT  NEW
        e1   2        3
        e2   1        3
        s1   3        0
        held: 0 -> 0
        leads that would move: 5

        """)
        let reader = try SQLiteLeadStore.openReadOnly(at: folder.file("state/leadrouter.sqlite"))
        #expect(try await reader.summary().leadsUnassigned == 6, "simulate writes nothing")
    }
}

@Suite struct CalendarCommandTests {
    @Test func dueAndBetweenOnTheShippedChinaCalendar() async throws {
        let example = RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path
        let folder = try TemporaryDirectory(prefix: "lr-cal")
        defer { folder.remove() }
        let due = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                             ["--config", example, "calendar", "due", "--calendar", "cn-office",
                                              "--from", "2026-11-27T17:00:00+08:00", "--add", "24h", "--json"], in: folder.url, name: "due")
        #expect(due.status == 0, "\(due.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [String: Any])
        #expect(object["due"] as? String == "2026-12-03T09:30:00+08:00")
        #expect(object["due_utc"] as? String == "2026-12-03T01:30:00Z")
        #expect(object["seconds"] as? Int == 86_400)
        let between = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                                 ["--config", example, "calendar", "between", "--calendar", "cn-office",
                                                  "2026-09-30T17:00:00+08:00", "2026-10-08T10:00:00+08:00"], in: folder.url, name: "between")
        #expect(between.stdout == "7200 s (2h) of business time\n")
        let unknown = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                                 ["--config", example, "calendar", "between", "--calendar", "nope",
                                                  "2026-09-30T17:00:00+08:00", "2026-10-08T10:00:00+08:00"], in: folder.url, name: "unknown")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no [[calendar]] \"nope\""))
    }
}

/// Issue 15: calendars that never go silently wrong, through the real leadctl on the example.
@Suite struct CalendarCoverageCommandTests {
    let example = RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path

    func leadctl(_ arguments: [String], in folder: TemporaryDirectory) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(RepositoryPaths.product("leadctl"), arguments, in: folder.url, name: "leadctl")
    }

    @Test func pastTheHolidayFileTheStatutoryFallbackDecides() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-cov")
        defer { folder.remove() }
        // 2026-12-31 (Thu) 17:00 + 2h: one hour that day; 2027-01-01 is 元旦 (statutory), then the weekend.
        let due = try await leadctl(["--config", example, "calendar", "due", "--calendar", "cn-office",
                                     "--from", "2026-12-31T17:00:00+08:00", "--add", "2h", "--json"], in: folder)
        #expect(due.status == 0, "\(due.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [String: Any])
        #expect(object["due"] as? String == "2027-01-04T10:00:00+08:00")
        let provisional = try #require(object["provisional_days"] as? [[String: String]])
        #expect(provisional == [["day": "2027-01-01", "holiday": "元旦"]])

        let show = try await leadctl(["--config", example, "calendar", "show", "--calendar", "cn-office", "--year", "2027", "--json"], in: folder)
        #expect(show.status == 0, "\(show.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(shown["coverage_end"] as? String == "2026-12-31")
        let days = try #require(shown["days"] as? [[String: Any]])
        let newYear = try #require(days.first { $0["day"] as? String == "2027-01-01" })
        #expect(newYear["provisional"] as? Bool == true)
        #expect(newYear["source"] as? String == "cn-statutory")
        #expect(newYear["name"] as? String == "元旦")
        // 2026 comes from the file, nothing provisional.
        let year2026 = try await leadctl(["--config", example, "calendar", "show", "--calendar", "cn-office", "--year", "2026"], in: folder)
        #expect(year2026.stdout.contains("2026-10-10  Sat      working day  calendars/cn-2026.toml"))
        #expect(!year2026.stdout.contains("provisional\n"))
    }

    @Test func withoutTheFallbackConfigCheckWarnsAndExitsZero() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-cov")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("calendars"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("Config/calendars/cn-2026.toml"),
                                         to: folder.url.appendingPathComponent("calendars/cn-2026.toml"))
        // Warn a whole year ahead, so the test does not depend on today's date while 2026 lasts… or after.
        try folder.write("leadrouter.toml", """
            [state]
            directory = "state"
            [[calendar]]
            id = "cn-office"
            hours = { "mon-fri" = ["09:00-18:00"] }
            holiday_files = ["calendars/cn-2026.toml"]
            coverage_warning = "366d"
            """)
        let check = try await leadctl(["--config", folder.file("leadrouter.toml").path, "config", "check"], in: folder)
        #expect(check.status == 0)
        #expect(check.stderr.contains("warning: calendar cn-office: holiday data end"), "\(check.stderr)")
        #expect(check.stderr.contains("2026-12-31"))
        #expect(check.stderr.contains("count as ordinary working days"))
        // Without the fallback, 2027-01-01 is an ordinary Friday: 17:00 + 2h is that day.
        let due = try await leadctl(["--config", folder.file("leadrouter.toml").path, "calendar", "due", "--calendar", "cn-office",
                                     "--from", "2026-12-31T17:00:00+08:00", "--add", "2h"], in: folder)
        #expect(due.stdout.hasPrefix("due 2027-01-01T10:00:00+08:00"))
    }

    @Test func instantsAreExactAndBadOnesGetOneClearError() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-cov")
        defer { folder.remove() }
        let exact = try await leadctl(["--config", example, "calendar", "due", "--calendar", "cn-office",
                                       "--from", "2026-12-01t09:00:00.5z", "--add", "1s"], in: folder)
        #expect(exact.stdout.hasPrefix("due 2026-12-01T17:00:01.500+08:00 (2026-12-01T09:00:01.500Z)"), "\(exact.stdout)")
        for bad in ["2026-12-01T09:00:00+0800", "2026-12-01 09:00", "2026-02-30T09:00:00Z", "yesterday"] {
            let refused = try await leadctl(["--config", example, "calendar", "due", "--calendar", "cn-office", "--from", bad, "--add", "1h"], in: folder)
            #expect(refused.status == 64, "\(bad)")
            #expect(refused.stderr == "leadctl: --from '\(bad)' is not an RFC 3339 time: write it as 2026-12-31T17:00:00+08:00 (or ...Z for UTC; fractions of a second allowed; the offset needs its colon)\n")
            #expect(!refused.stderr.contains("USAGE"))
        }
        let backwards = try await leadctl(["--config", example, "calendar", "between", "--calendar", "cn-office",
                                           "2026-12-02T09:00:00Z", "2026-12-01T09:00:00Z"], in: folder)
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("is before FROM"))
    }
}

/// Issue 13: every merge can be seen — `leads show` lists the re-inquiries merged into a lead and
/// `--raw` prints each input.
@Suite struct ReinquiryVisibilityTests {
    @Test func leadsShowListsReinquiriesWithTheirRawInput() async throws {
        let fixture = try await CtlFixture(withDatabase: false)
        let store = try SQLiteLeadStore.openWriter(at: fixture.folder.file("state/leadrouter.sqlite"))
        func item(_ key: String, body: String) -> IntakeItem {
            IntakeItem(draft: LeadDraft(name: "王芳", email: "wang.fang@example.cn", phone: "+8613800138001",
                                        origin: LeadOrigin(channel: .webhook, name: "site", key: key), receivedAt: t0),
                       raw: RawCapture(headers: "content-type: application/json", body: Array(body.utf8)), warnings: ["w-\(key)"])
        }
        let outcomes = try await store.recordIntakes([item("evt-1", body: #"{"first":1}"#), item("evt-2", body: #"{"second":2}"#)],
                                                     duplicates: DuplicatePolicy(), at: t0)
        #expect(outcomes == [.created(LeadID(1)), .reinquiry(LeadID(1))])
        try store.close()
        let shown = try await fixture.run(["--config", fixture.config, "leads", "show", "1"])
        #expect(shown.stdout.contains("re-inquiries (merged into this lead; --raw prints each input):"), "\(shown.stdout)")
        #expect(shown.stdout.contains("webhook:site evt-2 (w-evt-2)"))
        let json = try await fixture.run(["--config", fixture.config, "leads", "show", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let merged = try #require(object["reinquiries"] as? [[String: Any]])
        #expect(merged.count == 1 && merged[0]["key"] as? String == "evt-2")
        let raw = try await fixture.run(["--config", fixture.config, "leads", "show", "1", "--raw"])
        #expect(raw.stdout.contains(#"{"first":1}"#))
        #expect(raw.stdout.contains("--- re-inquiry webhook:site/evt-2 at"))
        #expect(raw.stdout.contains(#"{"second":2}"#))
    }
}

/// Issue 14 item 8: leadctl never prints a sender's control characters to the terminal.
@Suite struct TerminalSafetyTests {
    @Test func controlCharactersInLeadDataAreShownEscaped() async throws {
        let fixture = try await CtlFixture(withDatabase: false)
        let store = try SQLiteLeadStore.openWriter(at: fixture.folder.file("state/leadrouter.sqlite"))
        _ = try await store.recordLead(LeadDraft(name: "Wang\u{1B}]0;pwned\u{07}Wei", email: "w@example.cn",
                                                 origin: LeadOrigin(channel: .webhook, name: "site", key: "evt\u{1B}[2J"), receivedAt: t0), at: t0)
        try store.close()
        for arguments in [["leads", "show", "1"], ["leads", "list"]] {
            let shown = try await fixture.run(["--config", fixture.config] + arguments)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(!shown.stdout.utf8.contains(0x1B) && !shown.stdout.utf8.contains(0x07), "\(arguments)")
            #expect(shown.stdout.contains("Wang\\u{1B}]0;pwned\\u{7}Wei"), "\(shown.stdout)")
        }
        #expect(TerminalSafe.text("a\tb\nc\u{9B}d", keepingLines: true) == "a\tb\nc\\u{9B}d")
    }
}

/// Issue 14 item 8: leadctl reads secrets only for the commands that use them, so a user who may
/// read the configuration but not the secrets (or who runs outside the unit's
/// `$CREDENTIALS_DIRECTORY`) can still look at the store.
@Suite struct LazySecretTests {
    @Test func readOnlyCommandsWorkWithoutTheSecrets() async throws {
        let fixture = try await CtlFixture()
        let text = try String(contentsOf: URL(fileURLWithPath: fixture.config), encoding: .utf8)
        try fixture.folder.write("leadrouter.toml", text + """

            [[webhook]]
            name = "site"
            format = "json"
            secret_file = "site-form.secret"
            """)
        // No site-form.secret beside the config, as for a user outside $CREDENTIALS_DIRECTORY.
        let status = try await fixture.run(["--config", fixture.config, "status"])
        #expect(status.status == 0, "\(status.stderr)")
        let list = try await fixture.run(["--config", fixture.config, "leads", "list"])
        #expect(list.status == 0 && list.stdout.contains("王小明"), "\(list.stderr)")
        let check = try await fixture.run(["--config", fixture.config, "config", "check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("webhook[0].secret_file: cannot read secret file"))
        try fixture.folder.write("body.json", "{}")
        let sign = try await fixture.run(["--config", fixture.config, "webhook", "sign", "--webhook", "site", fixture.folder.file("body.json").path])
        #expect(sign.status == 78, "signing needs the secret: \(sign.stderr)")
    }
}
