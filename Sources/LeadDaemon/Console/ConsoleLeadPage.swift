import Foundation
import LeadCore
import LeadSessions
import LeadHTTP
import Mustache

/// `/ui/leads/ID`: the lead's fields, its SLA clocks and escalations, how it was routed, and the
/// forms to log a contact, move its status and (supervisor or admin) reassign it. Each form is the
/// same audited store operation the API and leadctl use.
extension ConsoleAPI {
    static let leadTemplate = try! MustacheTemplate(string: """
        <h1>线索 Lead #{{id}} {{title}}</h1>
        {{#message}}<p role="status" class="notice">{{message}}</p>{{/message}}
        <table>
        <caption>字段 Fields</caption>
        <tbody>
        {{#fields}}<tr><th scope="row">{{name}}</th><td>{{value}}</td></tr>
        {{/fields}}
        </tbody>
        </table>
        <table>
        <caption>时钟 SLA clocks</caption>
        <thead><tr><th scope="col">时钟 Clock</th><th scope="col">截止 Due</th><th scope="col">状态 State</th><th scope="col">剩余 Left</th></tr></thead>
        <tbody>
        {{#clocks}}<tr><td>{{clock}}</td><td>{{due}}</td><td>{{state}}</td><td>{{left}}</td></tr>
        {{/clocks}}{{^clocks}}<tr><td colspan="4">无 None</td></tr>{{/clocks}}
        </tbody>
        </table>
        <table>
        <caption>升级 Escalations</caption>
        <thead><tr><th scope="col">时钟 Clock</th><th scope="col">级别 Level</th><th scope="col">动作 Actions</th><th scope="col">时间 Decided</th><th scope="col">结果 Outcome</th></tr></thead>
        <tbody>
        {{#escalations}}<tr><td>{{clock}}</td><td>{{level}}</td><td>{{actions}}</td><td>{{decided}}</td><td>{{outcome}}</td></tr>
        {{/escalations}}{{^escalations}}<tr><td colspan="5">无 None</td></tr>{{/escalations}}
        </tbody>
        </table>
        <h2>分配记录 Routing</h2>
        <ol>{{#routing}}<li>{{.}}</li>{{/routing}}</ol>
        <h2>记录联系 Log a contact</h2>
        <form method="post" action="/ui/leads/{{id}}/contact">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="kind">方式 Kind</label>
        <select id="kind" name="kind"><option value="call">电话 call</option><option value="email">邮件 e-mail</option>
        <option value="meeting">会面 meeting</option><option value="message">消息 message</option><option value="note">备注 note</option></select>
        <label for="note">内容 Note</label>
        <input id="note" name="note" maxlength="2000">
        <button type="submit">记录 Record</button>
        </form>
        <h2>改状态 Change status</h2>
        {{#moves}}
        <form method="post" action="/ui/leads/{{id}}/status">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="to" value="{{to}}">
        <fieldset><legend>改为 {{to}} Move to {{to}}</legend>
        {{#fields}}
        <label for="f-{{to}}-{{name}}">{{name}} (必填 required)</label>
        {{#options}}<select id="f-{{to}}-{{name}}" name="field.{{name}}" required>{{#choices}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/choices}}</select>{{/options}}
        {{^options}}<input id="f-{{to}}-{{name}}" name="field.{{name}}" type="{{type}}" value="{{value}}" required maxlength="500">{{/options}}
        {{/fields}}
        <label for="r-{{to}}">原因 Reason{{#reasonRequired}} (必填 required){{/reasonRequired}}</label>
        <input id="r-{{to}}" name="reason" maxlength="500"{{#reasonRequired}} required{{/reasonRequired}}>
        <button type="submit">改为 {{to}} Move</button>
        </fieldset>
        </form>
        {{/moves}}{{^moves}}<p>{{status}} 是终态 is a closed status.</p>{{/moves}}
        {{#held}}
        <h2>待分配 Held</h2>
        <p>{{held}}</p>
        <form method="post" action="/ui/leads/{{id}}/release">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">按规则重新分配 Route it again now</button>
        </form>
        {{/held}}
        {{#canReassign}}
        <h2>改派 Reassign</h2>
        <form method="post" action="/ui/leads/{{id}}/reassign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="rep">给 To</label>
        <select id="rep" name="rep">{{#reps}}<option value="{{id}}">{{name}} ({{id}})</option>{{/reps}}</select>
        <label for="why">原因 Reason</label>
        <input id="why" name="reason" required maxlength="500">
        <button type="submit">改派 Reassign</button>
        </form>
        {{/canReassign}}
        """)

    /// The lead page's HTML, or nil when `actor` may not see the lead (or it does not exist).
    func leadPage(_ id: LeadID, actor: ConsoleActor, csrf: String, message: String?, now: Date) async throws -> String? {
        let configuration = context.state.snapshot.configuration
        let scope = ConsoleScope(actor, directory: configuration.directory.teams)
        guard let lead = try await store.lead(id), scope.sees(lead) else { return nil }
        let zone = configuration.routing.zone
        let names = Dictionary(uniqueKeysWithValues: configuration.directory.reps.map { ($0.id, $0.name) })
        var row = Self.row(lead, names: names)
        let draft = lead.draft
        let fields: [(String, String?)] = [
            ("负责人 Owner", row["owner"] as? String), ("状态 Status", lead.status.rawValue), ("团队 Team", lead.team?.rawValue),
            ("公司 Company", draft.company), ("邮箱 E-mail", draft.email), ("电话 Phone", draft.phone), ("省份 Province", draft.province),
            ("行业 Industry", draft.industry), ("来源 Source", draft.source), ("留言 Message", draft.message),
            ("收到 Received", LocalTimeText.string(draft.receivedAt, zone: zone)),
        ]
        row["fields"] = fields.compactMap { name, value in value.map { ["name": name, "value": $0] } }
        row["clocks"] = try await store.deadlines(of: id).map { clock -> [String: Any] in
            let state: String = switch clock.state {
            case .pending: now > clock.dueAt ? "已逾期 overdue" : "进行中 running"
            case .met: "已达成 met"
            case .missed: clock.resolvedAt == nil ? "已违约 breached (open)" : "已违约 breached"
            case .cancelled: "已取消 cancelled"
            }
            let open = clock.state == .pending || clock.isBreachedOpen
            let (seconds, business) = timeLeft(lead, due: clock.dueAt, now: now, policy: clock.policy)
            let left = open ? Self.distanceText(seconds, overdue: clock.dueAt <= now, business: business) : "—"
            return ["clock": Self.clockName(clock.clock), "due": LocalTimeText.string(clock.dueAt, zone: zone), "state": state, "left": left]
        }
        row["escalations"] = try await store.escalations(of: id).map {
            ["clock": Self.clockName($0.clock), "level": $0.level, "actions": $0.actions, "decided": LocalTimeText.string($0.decidedAt, zone: zone),
             "outcome": $0.outcome] as [String: Any]
        }
        row["routing"] = try await store.routingHistory(of: id)
        row["csrf"] = csrf
        row["status"] = lead.status.rawValue
        row["moves"] = Self.statusMoves(from: lead, lifecycle: configuration.lifecycle)
        if let message { row["message"] = message }
        if actor == .admin || !scope.teams.isEmpty {
            if lead.owner == nil, let held = try await store.heldLeads(limit: 1_000).first(where: { $0.0 == id }) {
                row["held"] = "等待可接单的销售：\(held.1) Waiting for an eligible rep since \(LocalTimeText.string(held.2, zone: zone))"
            }
            row["canReassign"] = true
            row["reps"] = configuration.directory.reps.filter(\.active).map { ["id": $0.id.rawValue, "name": $0.name] }
        }
        return Self.leadTemplate.render(row)
    }

    /// A form on a lead page: what it did, as the message the page shows next.
    func leadAction(_ id: LeadID, action: String, form: [String: String], actor: ConsoleActor, now: Date) async -> String {
        let snapshot = context.state.snapshot
        let configuration = snapshot.configuration
        let clocks = ClockDecider(engine: snapshot.routing)
        let lifecycleActor: LifecycleActor = switch actor {
        case .admin: .admin
        case .rep(let rep): .rep(rep)
        }
        do {
            switch action {
            case "contact":
                guard let kind = ActivityDraft.Kind(rawValue: form["kind"] ?? ""), kind != .statusChange else { return "未知方式 unknown kind" }
                let rep: RepID? = if case .rep(let rep) = actor { rep } else { nil }
                let note = form["note"].flatMap { $0.isEmpty ? nil : $0 }
                let outcome = try await store.recordActivity(ActivityDraft(lead: id, kind: kind, rep: rep, note: note), at: now, clocks: clocks,
                                                             ownedBy: nil, bounds: configuration.lifecycle, now: now)
                context.metrics.activity(kind: kind.rawValue, channel: "console")
                context.wakeup.notify()
                return outcome.metFirstContact ? "已记录，首次联系已达成 Recorded; first contact met" : "已记录 Recorded"
            case "status":
                let current = try await store.lead(id)?.draft.fieldValues ?? [:]
                var fields: [String: String] = [:]
                for (key, value) in form where key.hasPrefix("field.") {
                    let name = String(key.dropFirst(6)), value = value.trimmingWhitespace()
                    if !value.isEmpty, current[name] != value { fields[name] = value }
                }
                let change = try await store.changeStatus(id, to: form["to"] ?? "", fields: fields,
                                                          reason: form["reason"].flatMap { $0.isEmpty ? nil : $0 }, actor: lifecycleActor,
                                                          lifecycle: configuration.lifecycle, clocks: clocks, normaliser: LeadNormaliser(),
                                                          at: now)
                context.wakeup.notify()
                return "状态 \(change.from.rawValue) → \(change.to.rawValue) Status changed"
            case "release":
                guard let engine = snapshot.routing else { return "未配置分配 no routing configured" }
                let released = try await store.releaseHeld(engine: engine, at: now, limit: 100)
                for (lead, decision) in released { IntakeReporting.routed(decision, lead: lead, context: context) }
                if !released.isEmpty { context.wakeup.notify() }
                guard let decision = released.first(where: { $0.0 == id })?.1 else { return "仍无人可接 Still nobody eligible" }
                return "已分配给 \(decision.rep?.rawValue ?? "-") Assigned"
            case "reassign":
                guard let engine = snapshot.routing else { return "未配置分配 no routing configured" }
                guard let rep = form["rep"].map(RepID.init(rawValue:)), let reason = form["reason"], !reason.isEmpty else {
                    return "请选择销售并写明原因 choose a rep and give a reason"
                }
                let decision = try await store.reassign(id, to: rep, reason: "\(reason) (by \(actor.text) in the console)", force: false,
                                                        decider: AssignmentDecider(engine), at: now)
                context.wakeup.notify()
                context.outboxWakeup.notify()
                return "已改派给 \(decision.rep?.rawValue ?? "-") Reassigned"
            default:
                return "未知操作 unknown action"
            }
        } catch {
            return "未完成 Not done: \(error)"
        }
    }
}
