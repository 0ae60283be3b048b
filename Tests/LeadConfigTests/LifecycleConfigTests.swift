import Foundation
import LeadConfig
import LeadCore
import LeadTestSupport
import Testing

@Suite struct LifecycleConfigTests {
    @Test func withoutASectionTheSeedsLifecycleApplies() throws {
        #expect(try decode("").lifecycle == .standard)
    }

    @Test func theExampleSpellsOutTheStandardLifecycle() throws {
        let config = try ConfigLoader(environment: [:]).load(path: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path)
        #expect(config.lifecycle == .standard)
    }

    @Test func aCustomLifecycle() throws {
        let config = try decode("""
            [lifecycle]
            statuses = ["new", "contacted", "meeting", "won", "lost"]
            closed = ["won", "lost"]
            [[lifecycle.transition]]
            from = ["new", "contacted"]
            to = "meeting"
            by = ["owner"]
            [[lifecycle.transition]]
            from = "*"
            to = "lost"
            reason = true
            [lifecycle.require]
            meeting = ["industry", "meeting_date"]
            [[lifecycle.field]]
            name = "meeting_date"
            type = "date"
            """)
        let lifecycle = config.lifecycle
        #expect(lifecycle.statuses.map(\.rawValue) == ["new", "contacted", "meeting", "won", "lost"])
        #expect(lifecycle.reachable(from: .new).map(\.rawValue) == ["meeting", "lost"])
        #expect(lifecycle.check(from: .new, to: LeadStatus(rawValue: "meeting"), role: .admin, values: [:], reason: nil)
                == .wrongRole(to: LeadStatus(rawValue: "meeting"), role: .admin, allowed: [.owner]))
        #expect(lifecycle.problem(field: "meeting_date", value: "next week") == "meeting_date must be a date YYYY-MM-DD, not \"next week\"")
    }

    @Test(arguments: [
        ("[lifecycle]\nstatuses = [\"open\", \"done\"]\n", "leadrouter.toml:2: lifecycle.statuses: the statuses must include \"new\" (where every lead starts)"),
        ("[lifecycle]\n[[lifecycle.transition]]\nfrom = \"new\"\nto = \"won\"\n", "leadrouter.toml:4: lifecycle.transition[0].to: unknown status \"won\" (new, contacted, qualified, converted, disqualified)"),
        ("[lifecycle]\n[lifecycle.require]\nqualified = [\"budget\"]\n", "leadrouter.toml:3: lifecycle.require.qualified: \"budget\" is neither a lead field nor a [[lifecycle.field]]"),
        ("[lifecycle]\n[[lifecycle.field]]\nname = \"size\"\ntype = \"choice\"\n", "leadrouter.toml:2: lifecycle.field[0].choices: missing required key"),
        ("[lifecycle]\n[[lifecycle.transition]]\nto = \"contacted\"\nby = [\"boss\"]\n", "leadrouter.toml:4: lifecycle.transition[0].by: \"boss\" is not one of \"owner\", \"supervisor\", \"admin\""),
    ])
    func badLifecyclesAreConfigErrors(text: String, expected: String) {
        #expect(issues(text).contains(expected), "\(issues(text))")
    }
}
