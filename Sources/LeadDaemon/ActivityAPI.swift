import Foundation
import LeadCore
import LeadHTTP
import LeadIngest

/// `POST /leads/{id}/activities` with `{"kind": "call", "rep": "...", "at": "RFC 3339", "note": "..."}`.
/// The admin token may log for any rep (default: the lead's owner); a rep's token logs as that
/// rep, on that rep's own leads only. The activity and what it does to the SLA clocks commit
/// together; the answer says which clocks it moved.
extension AdminAPI {
    func rep(withToken token: String) -> String? {
        context.state.snapshot.configuration.directory.rep(withToken: token)?.rawValue
    }

    func recordActivity(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply {
        guard let id = LeadID(parsing: lead) else { return .error(400, "'\(lead)' is not a lead id") }
        let usage = "expected {\"kind\": \"call|email|meeting|message|note\", \"rep\": \"...\", \"at\": \"RFC 3339\", \"note\": \"...\"}"
        guard let json = try? JSONParser.parse(body), case .object = json else { return .error(400, usage) }
        guard let kindText = json["kind"]?.text, let kind = ActivityDraft.Kind(rawValue: kindText), kind != .statusChange else {
            return .error(422, usage)
        }
        let now = context.clock.now()
        var at = now
        if let text = json["at"]?.text {
            guard let parsed = RFC3339Text.date(text) else { return .error(422, "\"at\": '\(text)' is not an RFC 3339 time with an offset") }
            at = parsed
        }
        var rep = json["rep"]?.text.map(RepID.init(rawValue:))
        var ownedBy: RepID? = nil
        if case .rep(let caller) = caller {
            if let rep, rep.rawValue != caller { return .error(403, "a rep's token logs activities as that rep only") }
            rep = RepID(caller)
            ownedBy = RepID(caller)
        }
        if let rep, context.state.snapshot.configuration.directory.rep(rep) == nil { return .error(422, "no rep \(rep) in the configuration") }
        do {
            if rep == nil, caller == .admin { rep = try await context.store.lead(id)?.owner }
            let outcome = try await context.store.recordActivity(
                ActivityDraft(lead: id, kind: kind, rep: rep, note: json["note"]?.text), at: at,
                clocks: ClockDecider(engine: context.state.snapshot.routing), ownedBy: ownedBy, bounds: context.state.snapshot.configuration.lifecycle,
                now: now)
            SLAReporting.armed(outcome.armed, lead: id, context: context)
            context.metrics.activity(kind: kind.rawValue, channel: "api")
            let reply: [String: Any] = [
                "lead_id": id.rawValue, "kind": kind.rawValue, "rep": rep?.rawValue ?? NSNull(),
                "counts_for_sla": outcome.countsForSLA, "first_contact_met": outcome.metFirstContact,
                "follow_ups_met": outcome.metFollowUps,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys])) ?? Data("{}".utf8)
            return WebhookReply(status: 201, json: String(decoding: data, as: UTF8.self))
        } catch let error as LeadStoreError {
            switch error {
            case .unknownLead: return .error(404, error.description)
            case .notOwner: return .error(403, error.description)
            case .unknownRep, .activityRefused: return .error(422, error.description)
            }
        } catch {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }
}
