import Foundation
import LeadConfig
import LeadCore
import LeadTestSupport
import Testing

@Suite struct CalendarConfigTests {
    @Test func theShippedChinaCalendarLoadsWithHolidaysAndAdjustedWorkdays() throws {
        let config = try ConfigLoader(environment: [:]).load(path: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path)
        let china = try #require(config.calendars.first { $0.id == "cn-office" })
        #expect(china.holidays.contains(20261001) && china.holidays.contains(20261007) && china.holidays.count == 33)
        #expect(china.extraWorkdays == [20260104, 20260214, 20260228, 20260509, 20260920, 20261010])
        let f = ISO8601DateFormatter()
        #expect(china.add(seconds: 86_400, to: f.date(from: "2026-11-27T09:00:00Z")!) == f.date(from: "2026-12-03T01:30:00Z"))
        #expect(config.calendars.first { $0.id == "always" }?.always == true)
    }

    @Test(arguments: [
        ("[[calendar]]\nid = \"a\"\nhours = { \"mon-fri\" = [\"09:00-12:00\", \"11:00-13:00\"] }\n",
         "leadrouter.toml:3: calendar[0].hours.mon-fri: \"11:00-13:00\" overlaps another period of the same day"),
        ("[[calendar]]\nid = \"a\"\nhours = { \"mon\" = [\"18:00-09:00\"] }\n",
         "leadrouter.toml:3: calendar[0].hours.mon: \"18:00-09:00\" is not hours like \"09:00-12:00\" (start before end, at most 24:00)"),
        ("[[calendar]]\nid = \"a\"\nhours = { \"mon\" = [\"09:00-25:00\"] }\n",
         "leadrouter.toml:3: calendar[0].hours.mon: \"09:00-25:00\" is not hours like \"09:00-12:00\" (start before end, at most 24:00)"),
        ("[[calendar]]\nid = \"a\"\nhours = { \"funday\" = [\"09:00-12:00\"] }\n",
         "leadrouter.toml:3: calendar[0].hours.funday: \"funday\" is not days like \"mon-fri\" or \"sat,sun\""),
        ("[[calendar]]\nid = \"a\"\n",
         "leadrouter.toml:1: calendar[0].hours: calendar \"a\" has no working time in any week (give hours, or always = true)"),
        ("[[calendar]]\nid = \"a\"\nzone = \"Mars/Olympus\"\nalways = true\n",
         "leadrouter.toml:3: calendar[0].zone: \"Mars/Olympus\" is not an IANA time zone"),
        ("[[calendar]]\nid = \"a\"\nalways = true\nholidays = [\"2026-13-01\"]\n",
         "leadrouter.toml:4: calendar[0].holidays: \"2026-13-01\" is not a day \"YYYY-MM-DD\" or a range \"YYYY-MM-DD..YYYY-MM-DD\""),
    ])
    func invalidCalendarsAreConfigErrors(text: String, expected: String) {
        #expect(issues(text).contains(expected), "\(issues(text))")
    }

    @Test(arguments: [
        ("calendar = \"nope\"", "leadrouter.toml:8: rep[0].calendar: unknown calendar \"nope\""),
        ("calendar = \"cn\"\nschedule = { \"mon-fri\" = [\"09:00-18:00\"] }", "leadrouter.toml:8: rep[0].calendar: give a schedule or a calendar, not both"),
    ])
    func aRepsShiftCalendarMustExist(line: String, expected: String) throws {
        let text = "[[calendar]]\nid = \"cn\"\nalways = true\n[[rep]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.cn\"\n" + line + "\n"
        #expect(issues(text) == [expected])
        let good = try decode("[[calendar]]\nid = \"cn\"\nalways = true\n[[rep]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.cn\"\ncalendar = \"cn\"\n")
        #expect(good.directory.reps.first?.routing.calendar?.id == "cn")
    }

    @Test func aBrokenHolidayFileIsReportedWithItsOwnNameAndLine() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("cal/cn.toml", "holidays = [\"2026-10-01..2026-10-07\"]\nworkdays = [\"someday\"]\nbogus = 1\n")
        let file = try folder.write("leadrouter.toml", "[[calendar]]\nid = \"cn\"\nalways = true\nholiday_files = [\"cal/cn.toml\"]\n")
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(path: file.path) }
        do { _ = try ConfigLoader(environment: [:]).load(path: file.path) } catch {
            let path = folder.url.appendingPathComponent("cal/cn.toml").path
            #expect(error.issues.map(\.description) == [
                "\(path):2: workdays: \"someday\" is not a day \"YYYY-MM-DD\" or a range \"YYYY-MM-DD..YYYY-MM-DD\"",
                "\(path):3: bogus: unknown key",
            ])
        }
    }
}

/// A wall-clock policy with a 24 h first contact, for the ladder cases.
private let wall = "[[sla]]\nname = \"s\"\nclock = \"wall\"\nfirst_contact = \"24h\"\n\n"

@Suite struct SLAConfigTests {
    @Test func policiesAreChosenFirstMatchWithTheTeamAsACriterion() throws {
        let config = try ConfigLoader(environment: [:]).load(path: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path)
        #expect(config.sla.map(\.name) == ["key accounts", "standard"])
        let plan = SLAPlan(policies: config.sla, calendars: config.calendars)
        let lead = LeadDraft(origin: LeadOrigin(channel: .manual, name: "t", key: "1"), receivedAt: Date())
        #expect(plan.policy(for: lead, team: TeamID("key-accounts"))?.name == "key accounts")
        #expect(plan.policy(for: lead, team: TeamID("east-china"))?.name == "standard")
        let f = ISO8601DateFormatter()
        #expect(plan.firstContactDue(for: lead, team: TeamID("key-accounts"), assignedAt: f.date(from: "2026-11-27T09:00:00Z")!)?.due
                == f.date(from: "2026-11-30T04:00:00Z"))          // Friday 17:00 + 4 business hours = Monday 12:00
    }

    @Test func theExampleLaddersAreNumberedInOffsetOrder() throws {
        let config = try ConfigLoader(environment: [:]).load(path: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path)
        let standard = try #require(config.sla.first { $0.name == "standard" })
        #expect(standard.ladder(.firstContact).map(\.offsetSeconds) == [-7_200, 0, 14_400])
        #expect(standard.ladder(.firstContact).map(\.level) == [1, 2, 3])
        #expect(standard.ladder(.firstContact)[2].actions == [.reassign, .notify([EmailAddress(rawValue: "sales-ops@example.com")!])])
        #expect(standard.followUps == FollowUpRule(count: 2, withinSeconds: 81_000))
        #expect(standard.stale == StaleRule(afterSeconds: 189_000, statuses: [.contacted, .qualified]))
        #expect(standard.ladder(.stale).first?.actions == [.notifySupervisor])
    }

    @Test(arguments: [
        ("[[sla]]\nname = \"s\"\nfirst_contact = \"24h\"\n", "leadrouter.toml:1: sla[0].calendar: missing required key"),
        ("[[sla]]\nname = \"s\"\ncalendar = \"nope\"\n", "leadrouter.toml:3: sla[0].calendar: unknown calendar \"nope\""),
        ("[[sla]]\nname = \"s\"\nclock = \"wall\"\nfirst_contact = \"1x\"\n", "leadrouter.toml:4: sla[0].first_contact: \"1x\" is not a duration (use a number and a unit s, m, h or d, e.g. \"90s\", \"15m\", \"24h\", \"3d\", \"1h30m\")"),
        ("[[sla]]\nname = \"s\"\nclock = \"wall\"\nteam = \"ghosts\"\n", "leadrouter.toml:4: sla[0].team: unknown team \"ghosts\""),
        (wall + "[[sla.escalation]]\nclock = \"stale\"\nat = \"0s\"\nactions = [\"remind_owner\"]\n",
         "leadrouter.toml:7: sla[0].escalation[0].clock: this policy has no stale deadline"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"-24h\"\nactions = [\"remind_owner\"]\n",
         "leadrouter.toml:8: sla[0].escalation[0].at: a warning -24h before a 1d deadline would fall before the clock starts"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"1h\"\nactions = [\"call_mum\"]\n",
         "leadrouter.toml:9: sla[0].escalation[0].actions: \"call_mum\" is not one of \"remind_owner\", \"notify_supervisor\", \"reassign\" (fixed addresses go in notify)"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"1h\"\nnotify = [\"not-an-address\"]\n",
         "leadrouter.toml:9: sla[0].escalation[0].notify: \"not-an-address\" is not a valid e-mail address"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"-1h\"\nactions = [\"reassign\"]\n",
         "leadrouter.toml:9: sla[0].escalation[0].actions: reassign before the deadline (at -1h) is not allowed"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"1h\"\nactions = [\"remind_owner\"]\n"
              + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"1h\"\nactions = [\"reassign\"]\n",
         "leadrouter.toml:12: sla[0].escalation[1].at: first_contact already has a level at 1h"),
        (wall + "[[sla.escalation]]\nclock = \"first_contact\"\nat = \"soon\"\nactions = [\"remind_owner\"]\n",
         "leadrouter.toml:8: sla[0].escalation[0].at: \"soon\" is not a duration (use a number and a unit s, m, h or d, e.g. \"90s\", \"15m\", \"24h\", \"3d\", \"1h30m\")"),
        ("[[sla]]\nname = \"s\"\nclock = \"wall\"\nfollow_ups = { within = \"3d\" }\n", "leadrouter.toml:4: sla[0].follow_ups.count: missing required key"),
        ("[[sla]]\nname = \"s\"\nclock = \"wall\"\nstale = { after = \"7d\", statuses = [\"converted\"] }\n",
         "leadrouter.toml:4: sla[0].stale.statuses: converted is a closed status; no clock runs there"),
        ("[[sla]]\nname = \"s\"\nclock = \"wall\"\nstale = { after = \"7d\", bogus = 1 }\n", "leadrouter.toml:4: sla[0].stale.bogus: unknown key"),
    ])
    func badPoliciesAreConfigErrors(text: String, expected: String) {
        #expect(issues(text) == [expected])
    }
}
