import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport

let t0 = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30

let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
let east = Team(id: TeamID("east-china"), name: "华东", members: [zhang.id, li.id], supervisor: .rep(li.id))

func draft(_ key: String, name: String = "王先生", province: String? = "上海市") -> LeadDraft {
    LeadDraft(name: name, company: "上海某某科技有限公司", email: "wang@example.cn", phone: "+8613800138000",
              province: province, industry: "制造业", source: "web-form",
              origin: LeadOrigin(channel: .webhook, name: "site-form", key: key), receivedAt: t0)
}

/// A writer store on a fresh file in a fresh folder.
func withStore(synchronous: SQLiteLeadStore.Synchronous = .full,
               _ body: (SQLiteLeadStore, URL) async throws -> Void) async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    let file = folder.file("state/leadrouter.sqlite")
    let store = try SQLiteLeadStore.openWriter(at: file, synchronous: synchronous)
    try await body(store, file)
}

/// The SLA scenarios' policy: a 24 h first contact with a ladder (remind 2 h before, supervisor at
/// the deadline, reassign 4 h after), follow-ups and stale rules; and a team of 张伟 and 何敏 under it.
let he = Rep(id: RepID("he.min"), name: "何敏", email: EmailAddress(rawValue: "he.min@example.com")!)

func ladderPolicy(firstContact: [EscalationLevel]? = nil) -> SLAPolicy {
    SLAPolicy(name: "standard", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 24 * 3_600,
              followUps: FollowUpRule(count: 2, withinSeconds: 72 * 3_600),
              stale: StaleRule(afterSeconds: 7 * 86_400, statuses: [.contacted]),
              ladders: [
                  .firstContact: firstContact ?? [
                      EscalationLevel(level: 1, offsetSeconds: -2 * 3_600, actions: [.remindOwner]),
                      EscalationLevel(level: 2, offsetSeconds: 0, actions: [.notifySupervisor]),
                      EscalationLevel(level: 3, offsetSeconds: 4 * 3_600, actions: [.reassign]),
                  ],
                  .followUps: [EscalationLevel(level: 1, offsetSeconds: 0, actions: [.remindOwner, .notifySupervisor])],
                  .stale: [EscalationLevel(level: 1, offsetSeconds: 0, actions: [.remindOwner, .notify([EmailAddress(rawValue: "ops@example.com")!])])],
              ])
}

func ladderEngine(members: [RepID] = [zhang.id, he.id], policy: SLAPolicy = ladderPolicy()) -> RoutingEngine {
    let team = Team(id: east.id, name: "华东", members: members, supervisor: .rep(li.id))
    return RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, li, he], teams: [team],
                         sla: SLAPlan(policies: [policy], calendars: []))
}

