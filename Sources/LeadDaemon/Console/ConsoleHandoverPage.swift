import Foundation
import LeadCore
import LeadSessions
import LeadHTTP
import Mustache

/// `/ui/handover` (the admin and supervisors): choose a rep and where their open leads go, see
/// the preview (the handover's own decisions in a transaction that is rolled back), then perform
/// it with a reason. A supervisor hands over reps of their teams, to their teams' reps.
extension ConsoleAPI {
    static let handoverTemplate = try! MustacheTemplate(string: """
        <h1>交接 Hand over a rep's leads</h1>
        {{#message}}<p role="status" class="notice">{{message}}</p>{{/message}}
        <form method="get" action="/ui/handover">
        <label for="hrep">交出线索的销售 Rep leaving</label>
        <select id="hrep" name="rep">{{#reps}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}} ({{id}})</option>{{/reps}}</select>
        <label for="hto">交给 To</label>
        <select id="hto" name="to">{{#targets}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/targets}}</select>
        <button type="submit">预览 Preview</button>
        </form>
        {{#plan}}
        <table class="stack">
        <caption>预览：{{from}} 的 {{total}} 条未结线索，{{moved}} 条可交接，{{stayed}} 条无人可接 Preview: {{moved}} of {{total}} open leads would move</caption>
        <thead><tr><th scope="col">线索 Lead</th><th scope="col">状态 Status</th><th scope="col">新负责人 New owner</th><th scope="col">说明 Note</th></tr></thead>
        <tbody>
        {{#moves}}<tr><td><a href="/ui/leads/{{id}}">#{{id}} {{title}}</a></td><td>{{status}}</td><td>{{to}}</td><td>{{note}}</td></tr>
        {{/moves}}{{^moves}}<tr><td colspan="4">没有未结线索 No open leads</td></tr>{{/moves}}
        </tbody>
        </table>
        {{#spread}}<p>分配 Spread: {{spread}}</p>{{/spread}}
        {{#hasMoves}}
        <form method="post" action="/ui/handover">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="rep" value="{{fromID}}">
        <input type="hidden" name="to" value="{{to}}">
        <label for="hreason">原因 Reason</label>
        <input id="hreason" name="reason" required maxlength="500">
        <label><input type="checkbox" name="force" value="1"> 超出上限也分配 Fill reps past their caps</label>
        <button type="submit">执行交接 Hand over</button>
        </form>
        {{/hasMoves}}
        {{/plan}}
        """)

    /// Whether `actor` may hand `rep`'s leads over to `target`: the admin always; a supervisor
    /// for reps of their teams, to their teams or their teams' reps.
    func mayHandOver(_ rep: RepID, to target: String?, actor: ConsoleActor) -> Bool {
        guard case .rep = actor else { return true }
        let teams = context.state.snapshot.configuration.directory.teams
        let scope = ConsoleScope(actor, directory: teams)
        let mine = teams.filter { scope.teams.contains($0.id) }
        guard mine.contains(where: { $0.members.contains(rep) }) else { return false }
        guard let target, !target.isEmpty else { return true }
        if target.hasPrefix("team:") { return scope.teams.contains(TeamID(String(target.dropFirst(5)))) }
        let id = target.hasPrefix("rep:") ? String(target.dropFirst(4)) : target
        return mine.contains { $0.members.contains(RepID(id)) } || scope.teams.contains(TeamID(id))
    }

    /// The handover page; nil for a rep who supervises nobody.
    func handoverPage(_ query: [String: String], actor: ConsoleActor, csrf: String, now: Date) async throws -> String? {
        let configuration = context.state.snapshot.configuration
        let scope = ConsoleScope(actor, directory: configuration.directory.teams)
        guard actor == .admin || !scope.teams.isEmpty else { return nil }
        let teams = configuration.directory.teams.filter { actor == .admin || scope.teams.contains($0.id) }
        let repIDs = actor == .admin ? configuration.directory.reps.map(\.id) : Array(Set(teams.flatMap(\.members))).sorted()
        let names = Dictionary(configuration.directory.reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let chosen = query["rep"].map(RepID.init(rawValue:))
        let to = query["to"] ?? ""
        var values: [String: Any] = ["csrf": csrf]
        if let message = query["m"] { values["message"] = message }
        values["reps"] = repIDs.map { ["id": $0.rawValue, "name": names[$0] ?? $0.rawValue, "selected": $0 == chosen] }
        values["targets"] = [["value": "", "label": "各自团队按策略 Each lead's team, by its strategy", "selected": to.isEmpty]]
            + teams.map { ["value": "team:\($0.id.rawValue)", "label": "团队 Team \($0.name) (\($0.id.rawValue))", "selected": to == "team:\($0.id.rawValue)"] }
            + repIDs.map { ["value": "rep:\($0.rawValue)", "label": "销售 Rep \(names[$0] ?? $0.rawValue) (\($0.rawValue))", "selected": to == "rep:\($0.rawValue)"] }
        if let chosen {
            guard mayHandOver(chosen, to: to, actor: actor) else { return nil }
            do {
                let plan = try await RepHandoverAction(context: context).run(chosen, to: to, reason: "preview", force: false, dryRun: true,
                                                                            actor: actor.text)
                values["plan"] = planValues(plan, names: names, to: to)
            } catch let refusal as RepHandoverAction.Refusal {
                values["message"] = "无法交接 Cannot hand over: \(refusal)"
            }
        }
        return Self.handoverTemplate.render(values)
    }

    private func planValues(_ plan: HandoverPlan, names: [RepID: String], to: String) -> [String: Any] {
        let moves = plan.moves.map { move -> [String: Any] in
            ["id": move.lead.description, "title": move.name ?? "", "status": move.status,
             "to": move.to.map { "\(names[$0] ?? $0.rawValue) (\($0.rawValue))" } ?? "留在原负责人 stays",
             "note": move.stays ?? move.team.map { "团队 team \($0.rawValue)" } ?? ""]
        }
        let spread = plan.spread.map { "\(names[$0.0] ?? $0.0.rawValue) \($0.1)" }.joined(separator: "，")
        return ["from": "\(names[plan.from] ?? plan.from.rawValue) (\(plan.from.rawValue))", "fromID": plan.from.rawValue, "to": to,
                "total": plan.moves.count, "moved": plan.moved, "stayed": plan.stayed, "moves": moves, "spread": spread, "hasMoves": !moves.isEmpty]
    }

    /// `POST /ui/handover`: performs it; the page shows what moved.
    func performHandover(_ form: [String: String], actor: ConsoleActor) async -> ConsoleReply {
        guard let rep = form["rep"].map(RepID.init(rawValue:)), mayHandOver(rep, to: form["to"], actor: actor) else {
            return ConsoleReply(status: 403, html: ConsolePages.page(title: "403", actor: nil, csrf: nil,
                                                                     content: "<p role=\"alert\">403: 不在你的团队 not a rep of your teams</p>"))
        }
        let message: String
        do {
            let plan = try await RepHandoverAction(context: context).run(rep, to: form["to"], reason: form["reason"] ?? "", force: form["force"] == "1",
                                                                        dryRun: false, actor: "\(actor.text) in the console")
            message = "已交接 \(plan.moved) 条，\(plan.stayed) 条无人可接 Handed over \(plan.moved); \(plan.stayed) stay"
        } catch let refusal as RepHandoverAction.Refusal {
            message = "无法交接 Cannot hand over: \(refusal)"
        } catch {
            context.logger.error("console page failed", metadata: ["page": "handover", "error": "\(error)"])
            message = "数据库暂不可用 The database is unavailable"
        }
        let query = ["rep": rep.rawValue, "to": form["to"] ?? "", "m": message].map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.sorted().joined(separator: "&")
        return .redirect("/ui/handover?\(query)")
    }
}
