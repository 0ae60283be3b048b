import Foundation
import LeadCore
import LeadSessions
import Mustache

/// `/ui/reps` (the admin and supervisors): each rep's state in the routing engine's own words
/// (available, off shift, on leave, at a cap), open leads and today's assignments against the
/// caps, and who is next in each team's rotation. `/ui/me` (a rep): their open leads by next
/// deadline.
extension ConsoleAPI {
    static let repsTemplate = try! MustacheTemplate(string: """
        <h1>销售 Reps</h1>
        {{#teams}}
        <table class="stack">
        <caption>{{name}} ({{id}}) — 下一位 next: {{next}}</caption>
        <thead><tr><th scope="col">销售 Rep</th><th scope="col">状态 State</th><th scope="col">未结 Open</th><th scope="col">今日 Today</th><th scope="col">本周 This week</th><th scope="col">交接 Handover</th></tr></thead>
        <tbody>
        {{#members}}<tr><td>{{name}} ({{id}}){{#isNext}} ← 下一位 next{{/isNext}}</td><td>{{state}}</td><td>{{open}}{{#maxOpen}} / {{maxOpen}}{{/maxOpen}}</td><td>{{today}}{{#maxDay}} / {{maxDay}}{{/maxDay}}</td><td>{{week}}</td><td><a href="/ui/handover?rep={{id}}">交接 Hand over<span class="sr"> {{name}}</span></a></td></tr>
        {{/members}}
        </tbody>
        </table>
        {{/teams}}
        """)

    static let meTemplate = try! MustacheTemplate(string: """
        <h1>我的待办 My to-do</h1>
        <table class="stack">
        <caption>按下一个截止时间 By next deadline</caption>
        <thead><tr><th scope="col">线索 Lead</th><th scope="col">状态 Status</th><th scope="col">下一个截止 Next deadline</th><th scope="col">时钟 Clock</th><th scope="col">记录 Log</th></tr></thead>
        <tbody>
        {{#leads}}<tr><td><a href="/ui/leads/{{id}}">#{{id}} {{title}}</a></td><td>{{status}}</td><td>{{due}}</td><td>{{clock}}</td>
        <td><form method="post" action="/ui/leads/{{id}}/contact" class="row-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="kind" value="call"><button type="submit">已电话 Log a call<span class="sr"> #{{id}}</span></button></form></td></tr>
        {{/leads}}{{^leads}}<tr><td colspan="5">没有未结线索 No open leads</td></tr>{{/leads}}
        </tbody>
        </table>
        """)

    /// The reps page for the admin (every team) or a supervisor (their teams); nil for anyone else.
    func repsPage(for actor: ConsoleActor, now: Date) async throws -> String? {
        let snapshot = context.state.snapshot
        let configuration = snapshot.configuration
        let scope = ConsoleScope(actor, directory: configuration.directory.teams)
        guard actor == .admin || !scope.teams.isEmpty, let engine = snapshot.routing else { return nil }
        var loads: [RepID: RepLoad] = [:]
        func load(_ rep: RepID) async throws -> RepLoad {
            if let known = loads[rep] { return known }
            let (day, week) = engine.capWindows(for: rep, now: now)
            let value = try await store.load(of: rep, dayStart: day, weekStart: week)
            loads[rep] = value
            return value
        }
        var teams: [[String: Any]] = []
        for team in configuration.directory.teams where actor == .admin || scope.teams.contains(team.id) {
            for member in team.members { _ = try await load(member) }
            let known = loads
            let next = engine.nextInRotation(team.id, state: try await store.teamState(team.id), load: { known[$0] ?? RepLoad() }, now: now)
            let members = team.members.map { member -> [String: Any] in
                let rep = engine.reps[member]
                let value = known[member] ?? RepLoad()
                let why = engine.ineligibility(member, team: team, load: value, now: now)
                var row: [String: Any] = ["id": member.rawValue, "name": rep?.name ?? member.rawValue,
                                          "state": why.map { "不可接单 not taking leads: \($0)" } ?? "可接单 available",
                                          "open": value.open, "today": value.today, "week": value.thisWeek, "isNext": member == next]
                if let cap = rep?.routing.maxOpen { row["maxOpen"] = cap }
                if let cap = rep?.routing.maxPerDay { row["maxDay"] = cap }
                return row
            }
            teams.append(["id": team.id.rawValue, "name": team.name, "members": members,
                          "next": next.map { id in engine.reps[id].map { "\($0.name) (\(id.rawValue))" } ?? id.rawValue } ?? "无人可接 nobody eligible"])
        }
        return Self.repsTemplate.render(["teams": teams])
    }

    /// A rep's open leads, soonest open deadline first (pending or breached and unmet; leads without
    /// one last).
    func mePage(for rep: RepID, csrf: String, now: Date) async throws -> String {
        let zone = context.state.snapshot.configuration.routing.zone
        var rows: [(Date, [String: Any])] = []
        for lead in try await store.leads(LeadQuery(owner: rep, limit: 500)) where !lead.status.isClosed {
            // Open clocks: pending, or breached and not yet met (still to do).
            let next = try await store.deadlines(of: lead.id).filter { $0.state == .pending || $0.isBreachedOpen }.min { $0.dueAt < $1.dueAt }
            var row = Self.row(lead, names: [:])
            row["status"] = lead.status.rawValue
            row["due"] = next.map { LocalTimeText.string($0.dueAt, zone: zone) + ($0.dueAt < now ? " 已逾期 overdue" : "") } ?? "—"
            row["clock"] = next.map { Self.clockName($0.clock) } ?? "—"
            rows.append((next?.dueAt ?? .distantFuture, row))
        }
        return Self.meTemplate.render(["leads": rows.sorted { $0.0 < $1.0 }.map(\.1), "csrf": csrf])
    }
}
