import Foundation
import LeadIngest
import LeadConfig
import LeadCore
@testable import LeadDaemon
import LeadStoreSQLite
import LeadTestSupport
import Testing

func routedConfig(reps: [String], extraRep: [String: String] = [:], teamExtra: String = "") -> String {
    var text = ""
    for rep in reps {
        text += "[[rep]]\nid = \"\(rep)\"\nname = \"\(rep)\"\nemail = \"\(rep)@example.com\"\n\(extraRep[rep] ?? "")\n"
    }
    text += "[[team]]\nid = \"east\"\nmembers = [\(reps.map { "\"\($0)\"" }.joined(separator: ", "))]\nsupervisor = \"boss@example.com\"\n\(teamExtra)\n"
    text += "[routing]\ndefault = \"east\"\n"
    return text
}

private let t0 = Date(timeIntervalSince1970: 1_796_000_000)     // 2026-11-30 08:53 in Shanghai

@Suite struct HeldQueueTests {
    @Test func aTeamAllOnLeaveHoldsLeadsAndReleasesThemOldestFirstWhenLeaveEnds() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-held")
        defer { folder.remove() }
        let config = "[state]\ndirectory = \"state\"\n" + routedConfig(
            reps: ["solo"], extraRep: ["solo": "leave = [\"2026-11-30..2026-12-01\"]\nmax_per_day = 2"])
        let file = try folder.write("leadrouter.toml", config)
        let configuration = try ConfigLoader(environment: [:]).load(path: file.path)
        let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
        try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: t0)
        let engine = try #require(configuration.routingEngine)
        let clock = ManualWallClock(t0)
        for i in 1...3 {
            let item = IntakeItem(draft: LeadDraft(email: "c\(i)@example.cn", origin: LeadOrigin(channel: .webhook, name: "w", key: "\(i)"),
                                                   receivedAt: clock.now()), raw: RawCapture(body: []))
            let commit = try await store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off), routing: engine, at: clock.now())
            #expect(commit.first?.decision?.rep == nil)
            #expect(commit.first?.decision?.holdReason == "nobody eligible in team east")
            clock.advance(by: 60)
        }
        #expect(try await store.heldLeads(limit: 10).map { $0.0 } == [LeadID(1), LeadID(2), LeadID(3)])
        // Still on leave: nothing moves.
        #expect(try await store.releaseHeld(engine: engine, at: clock.now(), limit: 10).isEmpty)
        // The leave ends; max_per_day 2 lets exactly the two oldest out today.
        clock.advance(by: 2 * 86_400)
        let released = try await store.releaseHeld(engine: engine, at: clock.now(), limit: 10)
        #expect(released.map { $0.0 } == [LeadID(1), LeadID(2)])
        #expect(try await store.heldLeads(limit: 10).map { $0.0 } == [LeadID(3)])
        #expect(try await store.lead(LeadID(1))?.owner == RepID("solo"))
        // Next local day: the cap resets and the last one goes out.
        clock.advance(by: 86_400)
        #expect(try await store.releaseHeld(engine: engine, at: clock.now(), limit: 10).map { $0.0 } == [LeadID(3)])
        #expect(try await store.heldLeads(limit: 10).isEmpty)
    }
}

/// Routing against the real daemon over real HTTP.
@Suite struct RoutingEndToEndTests {
    func start(_ harness: DaemonHarness, reps: [String]) async throws -> ChildProcess {
        try harness.folder.write("site.secret", webhookSecret + "\n")
        try harness.folder.write("admin.token", "admin-s3cret\n")
        let config = DaemonHarness.signedWebhookHeader(port: harness.port) + "\n" + routedConfig(reps: reps)
        try harness.writeRaw(config)
        try harness.folder.write("leadctl.toml", config)
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1", after: harness.notify.assignments.count)
        return daemon
    }

    func owners(_ harness: DaemonHarness) async throws -> [String: Int] {
        let list = try await harness.leadctl(["leads", "list", "--json", "--limit", "100000"])
        let leads = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        var counts: [String: Int] = [:]
        for lead in leads { counts[(lead["owner"] as? String) ?? "-", default: 0] += 1 }
        return counts
    }

    @Test func sixtyFourConcurrentLeadsIntoOneTeamAreFairWithinOne() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await start(harness, reps: ["a", "b", "c"])
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    try await Task.detached {
                        let body = "{\"email\":\"c\(i)@example.cn\"}"
                        return try await harness.post("/webhooks/site", body, headers: signed(body, id: "c-\(i)")).status
                    }.value
                }
            }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { $0 == 201 })
        let counts = try await owners(harness)
        #expect(counts.values.reduce(0, +) == 64)
        #expect(Set(counts.keys) == ["a", "b", "c"])
        #expect(counts.values.max()! - counts.values.min()! <= 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func theAdminAPIReassignsWithABearerToken() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await start(harness, reps: ["a", "b"])
        let body = "{\"email\":\"admin@example.cn\"}"
        #expect(try await harness.post("/webhooks/site", body, headers: signed(body, id: "adm-1")).status == 201)
        let request = #"{"rep":"b","reason":"客户要求换人"}"#
        #expect(try await harness.post("/leads/1/assign", request, headers: ["authorization": "Bearer wrong"]).status == 401)
        #expect(try await harness.post("/leads/1/assign", request, headers: [:]).status == 401)
        let ok = try await harness.post("/leads/1/assign", request, headers: ["authorization": "Bearer admin-s3cret"])
        #expect(ok.status == 200, "\(ok.body)")
        #expect(try await harness.post("/leads/99/assign", request, headers: ["authorization": "Bearer admin-s3cret"]).status == 404)
        #expect(try await harness.post("/leads/1/assign", #"{"rep":"ghost","reason":"x"}"#, headers: ["authorization": "Bearer admin-s3cret"]).status == 422)
        let shown = try await harness.leadctl(["leads", "show", "1"])
        #expect(shown.stdout.contains("rule \"manual: 客户要求换人\" team east -> b"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func rotationSurvivesKillNineRestarts() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        var daemon = try await start(harness, reps: ["a", "b", "c"])
        var acknowledged = 0
        var rng = SeededGenerator(seed: 1130)
        let kills = Set((0..<4).map { _ in Int.random(in: 50..<950, using: &rng) })
        for i in 0..<1_000 {
            if kills.contains(i) {
                daemon.signal(SIGKILL)
                _ = try await daemon.waitForExit()
                let mark = harness.notify.assignments.count
                daemon = try harness.start()
                try await harness.notify.waitFor("READY=1", after: mark)
            }
            let body = "{\"email\":\"k\(i)@example.cn\"}"
            if try await harness.post("/webhooks/site", body, headers: signed(body, id: "k-\(i)")).status == 201 { acknowledged += 1 }
        }
        #expect(acknowledged == 1_000)
        let counts = try await owners(harness)
        #expect(counts.values.reduce(0, +) == 1_000)
        #expect(counts.values.max()! - counts.values.min()! <= 1)
        // No lead has two current owners.
        let store = try SQLiteLeadStore.openReadOnly(at: harness.folder.file("state/leadrouter.sqlite"))
        #expect(try await store.summary().leadsUnassigned == 0)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

/// The shipped example configuration, runnable in a temporary folder. With `leaveAroundToday`
/// the rep on leave is on leave whatever day the test runs (the daemon reads the real clock).
func exampleConfig(in folder: TemporaryDirectory, port: Int = 8080, leaveAroundToday: Bool = false) throws -> URL {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
    let around = "\(formatter.string(from: Date() - 86_400))..\(formatter.string(from: Date() + 86_400))"
    let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml"), encoding: .utf8)
        .replacingOccurrences(of: "directory = \"../state\"", with: "directory = \"state\"")
        .replacingOccurrences(of: "path = \"../state/maildrop/sales-inbox\"", with: "path = \"spool\"")
        .replacingOccurrences(of: "secret_file = \"secrets/site-form.secret\"", with: "secret_file = \"site.secret\"")
        .replacingOccurrences(of: "listen = \"127.0.0.1:8080\"", with: "listen = \"127.0.0.1:\(port)\"")
        .replacingOccurrences(of: "target = \"auto\"", with: "target = \"stderr\"")
        .replacingOccurrences(of: "templates = \"templates\"",
                              with: "templates = \"\(RepositoryPaths.root.appendingPathComponent("Config/templates").path)\"")
        .replacingOccurrences(of: "holiday_files = [\"calendars/cn-2026.toml\"]",
                              with: "holiday_files = [\"\(RepositoryPaths.root.appendingPathComponent("Config/calendars/cn-2026.toml").path)\"]")
        .replacingOccurrences(of: "leave = [\"2026-11-30..2026-12-04\"]", with: leaveAroundToday ? "leave = [\"\(around)\"]" : "leave = [\"2026-11-30..2026-12-04\"]")
    try folder.write("site.secret", webhookSecret)
    return try folder.write("leadrouter.toml", example)
}

/// `leadctl route --explain` on the shipped example configuration: golden output.
@Suite struct RouteExplainTests {
    @Test func ninetyLeadsPostedToATeamOfThreeEndThirtyEach() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let config = try exampleConfig(in: harness.folder, port: harness.port, leaveAroundToday: true)
        try harness.writeRaw(try String(contentsOf: config, encoding: .utf8))
        try harness.folder.write("leadctl.toml", try String(contentsOf: config, encoding: .utf8))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        for i in 0..<90 {
            let body = "{\"name\":\"客户\(i)\",\"email\":\"n\(i)@corp\(i).example.cn\",\"province\":\"上海\"}"
            #expect(try await harness.post("/webhooks/site-form", body, headers: signed(body, id: "n-\(i)")).status == 201)
        }
        let list = try await harness.leadctl(["leads", "list", "--json", "--limit", "1000"])
        let leads = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        var counts: [String: Int] = [:]
        for lead in leads { counts[(lead["owner"] as? String) ?? "-", default: 0] += 1 }
        #expect(counts == ["zhang.wei": 30, "li.na": 30, "he.min": 30])
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func explainNamesTheRuleTheRepAndWhyOthersWereSkipped() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-explain")
        defer { folder.remove() }
        let config = try exampleConfig(in: folder)
        let lead = try folder.write("lead.json", #"{"name":"王先生","province":"沪","source":"web-form","email":"w@corp.cn"}"#)
        let result = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                                ["--config", config.path, "route", "--explain", lead.path, "--at", "2026-12-01T10:00:00+08:00"],
                                                in: folder.url, name: "explain")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
        rule "manufacturing to key accounts" did not match: industry is (none), not starts with 制造
        rule "ad leads to East China" did not match: source is web-form, not one of [meta-leadgen, google-ads]
        rule "East China" matched
        team: east-china (round_robin)
          * zhang.wei: eligible, next in rotation
            li.na: eligible, later in rotation
            he.min: eligible, later in rotation
            zhou.jie: skipped, on leave 2026-11-30..2026-12-04
        => zhang.wei

        """)
        let north = try folder.write("north.json", #"{"province":"Beijing","email":"b@corp.cn"}"#)
        let json = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                              ["--config", config.path, "route", "--explain", north.path, "--json", "--at", "2026-12-01T10:00:00+08:00"],
                                              in: folder.url, name: "explain-json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["rule"] as? String == "North China")
        #expect(object["team"] as? String == "north-china")
        #expect(object["rep"] as? String == "zhao.lei")
        #expect((object["considered"] as? [[String: Any]])?.count == 2)
    }
}

/// The example configuration in a temporary folder with one Shanghai lead routed at Friday 17:00
/// (2026-11-27); returns the config file and the routing decision. The store is closed again.
func exampleWithFridayLead(in folder: TemporaryDirectory) async throws -> (config: URL, decision: RoutingDecision?) {
    let config = try exampleConfig(in: folder)
    let configuration = try ConfigLoader(environment: [:]).load(path: config.path)
    let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
    defer { try? store.close() }
    try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: Date())
    let friday1700 = ISO8601DateFormatter().date(from: "2026-11-27T09:00:00Z")!
    let item = IntakeItem(draft: LeadDraft(name: "王先生", email: "w@corp.cn", province: "上海市", source: "web-form",
                                           origin: LeadOrigin(channel: .webhook, name: "site-form", key: "friday-1"), receivedAt: friday1700),
                          raw: RawCapture(body: []))
    let commit = try await store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off),
                                               routing: configuration.routingEngine, at: friday1700)
    return (config, commit.first?.decision)
}

/// SLA clocks armed at assignment, on the shipped example configuration.
@Suite struct FirstContactDeadlineTests {
    @Test func aLeadAssignedFridayAt1700GetsItsDeadlineNextThursdayAt0930() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-sla")
        defer { folder.remove() }
        let (config, decision) = try await exampleWithFridayLead(in: folder)
        #expect(decision?.team == TeamID("east-china"))
        let shown = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "leads", "show", "1"],
                                               in: folder.url, name: "show")
        #expect(shown.stdout.contains("first_contact #1 (standard, business clock): due 2026-12-03T09:30:00+08:00 (2026-12-03T01:30:00Z), pending"),
                "\(shown.stdout)")
        let assign = try await ChildProcess.run(RepositoryPaths.product("leadctl"),
                                                ["--config", config.path, "leads", "assign", "1", "wang.fang", "--reason", "大客户", "--force"],
                                                in: folder.url, name: "assign")
        #expect(assign.status == 0, "\(assign.stderr)")
        // Reassignment cancels the pending deadline and arms one from the new assignment.
        let after = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path, "leads", "show", "1"],
                                               in: folder.url, name: "show2")
        #expect(after.stdout.contains("first_contact #1 (standard, business clock): due 2026-12-03T09:30:00+08:00 (2026-12-03T01:30:00Z), cancelled"))
        #expect(after.stdout.contains("first_contact #2 (key accounts, business clock): due "), "a new deadline from the reassignment: \(after.stdout)")
    }
}

@Suite struct ContactClockTests {
    @Test func onlyTheOwnersContactStopsTheFirstContactClock() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-contact")
        defer { folder.remove() }
        let (config, decision) = try await exampleWithFridayLead(in: folder)
        let owner = try #require(decision?.rep)
        func ctl(_ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url, name: "ctl")
        }
        #expect(try await ctl(["leads", "list", "--due-within", "3650d"]).stdout.contains("1   first_contact"))
        let other = owner == RepID("li.na") ? "he.min" : "li.na"
        let byOther = try await ctl(["leads", "contact", "1", "--rep", other, "--at", "2026-11-30T10:00:00+08:00"])
        #expect(byOther.stdout.contains("not by the owner or supervisor: the clocks keep running"), "\(byOther.stdout) \(byOther.stderr)")
        let byOwner = try await ctl(["leads", "contact", "1", "--kind", "call", "--note", "已回电", "--at", "2026-11-30T10:00:00+08:00"])
        #expect(byOwner.stdout.contains("first-contact clock stopped"), "\(byOwner.stdout) \(byOwner.stderr)")
        let shown = try await ctl(["leads", "show", "1"])
        #expect(shown.stdout.contains("due 2026-12-03T09:30:00+08:00 (2026-12-03T01:30:00Z), met"))
        // The first-contact clock is no longer pending; the follow-ups clock the contact armed is.
        // (Listed by pending rows, not `--overdue`: that is judged at the real now while this lead
        // lives in November 2026 — its follow-ups fell overdue at 2026-12-02T09:00Z.)
        let pending = try await ctl(["leads", "list", "--due-within", "3650d"])
        #expect(!pending.stdout.contains("first_contact"), "\(pending.stdout)")
        #expect(pending.stdout.contains("1   follow_ups"), "\(pending.stdout)")
        #expect(try await ctl(["leads", "show", "1", "--json"]).stdout.contains("\"status\" : \"contacted\""))
    }
}

/// `leadctl templates render` and the new-lead notice on the shipped example configuration.
@Suite struct TemplatePreviewTests {
    @Test func aTemplateRendersForAStoredLeadInTheOwnersOrAGivenLanguage() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-tpl")
        defer { folder.remove() }
        let (config, _) = try await exampleWithFridayLead(in: folder)
        func ctl(_ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url, name: "ctl")
        }
        // Rendered at a fixed time (the lead's first contact fell due 2026-12-03 09:30 Shanghai), so
        // the overdue figure is the same on any day the test runs.
        let zh = try await ctl(["templates", "render", "sla_supervisor", "--lead", "1", "--at", "2026-12-03T11:30:00+08:00"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stdout.contains("至今超时 2h（工作时间）"), "\(zh.stdout)")
        #expect(zh.stdout.hasPrefix("Subject: 【SLA 升级】线索 #1 王先生：张伟 的首次联系已于 2026-12-03 09:30 (Asia/Shanghai) 到期"), "\(zh.stdout)")
        #expect(zh.stdout.contains("「首次联系」已于 2026-12-03 09:30 (Asia/Shanghai) 到期"), "\(zh.stdout)")
        let en = try await ctl(["templates", "render", "sla.warning", "--lead", "1", "--language", "en", "--at", "2026-12-03T09:00:00+08:00"])
        #expect(en.stdout.hasPrefix("Subject: [Due soon] Lead #1 王先生: first contact due 2026-12-03 09:30 (Asia/Shanghai)"), "\(en.stdout)")
        #expect(try await ctl(["templates", "render", "sla_late", "--lead", "1"]).status != 0)
        #expect(try await ctl(["templates", "render", "sla_overdue", "--lead", "1", "--at", "tomorrow"]).status == 64)
        // The assignment queued the owner's new-lead notice; outbox show renders it with its template.
        let shown = try await ctl(["outbox", "show", "1"])
        #expect(shown.stdout.contains("Subject: 【新线索】#1 王先生（上海市，web-form）"), "\(shown.stdout)")
        #expect(shown.stdout.contains("请在 2026-12-03 09:30 (Asia/Shanghai) 前完成首次联系"), "\(shown.stdout)")
    }
}

/// `leadctl report` on the example configuration: formats agree, and the SVG renders.
@Suite struct ReportCommandTests {
    @Test func responseByRepInThreeFormatsAndAnSVGThatRenders() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-report")
        defer { folder.remove() }
        let (config, decision) = try await exampleWithFridayLead(in: folder)
        let owner = try #require(decision?.rep)
        func ctl(_ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url, name: "ctl")
        }
        // Friday 17:00 → Monday 10:00: 65 wall hours, 2 business hours on cn-office.
        #expect(try await ctl(["leads", "contact", "1", "--at", "2026-11-30T10:00:00+08:00"]).status == 0)
        let text = try await ctl(["report", "response", "--by", "rep", "--svg", folder.file("response.svg").path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\(owner.rawValue)  1         1          2d17h        2d17h     2h               2h            100.0%"), "\(text.stdout)")
        let csv = try await ctl(["report", "response", "--by", "rep", "--csv"])
        #expect(csv.stdout.contains("\(owner.rawValue),1,1,234000,234000,7200,7200,1.0"), "\(csv.stdout)")
        let json = try await ctl(["report", "response", "--by", "rep", "--json"])
        #expect(json.stdout.contains("\"business_median\" : 7200"), "\(json.stdout)")
        let funnel = try await ctl(["report", "funnel", "--by", "source", "--svg", folder.file("funnel.svg").path])
        #expect(funnel.stdout.contains("web-form  1    1"), "\(funnel.stdout)")
        let svg = try String(contentsOf: folder.file("response.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains(owner.rawValue) && svg.contains("工作时间") && svg.hasSuffix("</svg>\n"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert") else {
            print("skipping the SVG rendering check: rsvg-convert is not installed (scripts/test installs librsvg2-bin)")
            return
        }
        for name in ["response", "funnel"] {
            let png = folder.file("\(name).png").path
            let rendered = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/rsvg-convert"),
                                                      ["-o", png, folder.file("\(name).svg").path], in: folder.url, name: "rsvg")
            #expect(rendered.status == 0, "\(rendered.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        }
        let bad = try await ctl(["report", "sla", "--svg", "x.svg"])
        #expect(bad.status != 0)
    }

    @Test func theDemoSeedGivesEveryReportSomethingToShow() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-demo")
        defer { folder.remove() }
        let config = try exampleConfig(in: folder)
        func ctl(_ args: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url, name: "ctl")
        }
        let seeded = try await ctl(["demo", "seed", "--leads", "150", "--days", "14"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let count = try #require(Int(seeded.stdout.split(separator: " ")[1]))
        let funnel = try await ctl(["report", "funnel", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(funnel.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["new"] as? Int == count)
        let reached = try #require(rows.first?["converted"] as? Int)
        #expect(reached > 0 && reached < count, "some, not all, converted")
        for name in ["response", "sla", "follow-ups", "dwell", "distribution", "sources"] {
            let report = try await ctl(["report", name])
            #expect(report.status == 0 && !report.stdout.contains("(no leads in this period)"), "\(name): \(report.stdout) \(report.stderr)")
        }
    }
}
