import Foundation
import LeadCore
import LeadHTTP
import LeadIngest

/// `POST /leads/{id}/status` `{"status": "qualified", "fields": {"budget_range": "10-50万"}, "reason": "…"}` and
/// `PATCH /leads/{id}` `{"fields": {…}}`. The admin token acts as the admin; a rep's token as the
/// lead's owner or its team's supervisor (403 for anyone else's lead). A refused change answers
/// 409 (path, role, reason) or 422 (fields) with `{"error": …, "reachable": […], "missing": […]}`.
extension AdminAPI {
    func changeStatus(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply {
        guard let id = LeadID(parsing: lead) else { return .error(400, "'\(lead)' is not a lead id") }
        guard let json = try? JSONParser.parse(body), let status = json["status"]?.text else {
            return .error(400, "expected {\"status\": \"...\", \"fields\": {...}, \"reason\": \"...\"}")
        }
        guard let fields = Self.fields(json["fields"]) else { return .error(400, "\"fields\" must be an object of strings") }
        let snapshot = context.state.snapshot
        do {
            let change = try await context.store.changeStatus(id, to: status, fields: fields, reason: json["reason"]?.text,
                                                              actor: Self.actor(caller), lifecycle: snapshot.configuration.lifecycle,
                                                              clocks: ClockDecider(engine: snapshot.routing), normaliser: snapshot.configuration.intake.normaliser,
                                                              at: context.clock.now())
            SLAReporting.armed(change.armed, lead: id, context: context)
            context.logger.info("lead status changed", metadata: [
                "lead.id": "\(id)", "status.from": "\(change.from)", "status.to": "\(change.to)", "role": "\(change.role.rawValue)",
            ])
            return WebhookReply(status: 200, json: JSONText.object(["lead_id": id.description, "from": change.from.rawValue,
                                                                    "to": change.to.rawValue, "role": change.role.rawValue]))
        } catch let error as LifecycleError {
            return Self.reply(error)
        } catch {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }

    func setFields(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply {
        guard let id = LeadID(parsing: lead) else { return .error(400, "'\(lead)' is not a lead id") }
        guard let json = try? JSONParser.parse(body), let fields = Self.fields(json["fields"]), !fields.isEmpty else {
            return .error(400, "expected {\"fields\": {\"name\": \"value\", ...}}")
        }
        let snapshot = context.state.snapshot
        do {
            try await context.store.setFields(id, fields: fields, actor: Self.actor(caller), lifecycle: snapshot.configuration.lifecycle,
                                              clocks: ClockDecider(engine: snapshot.routing), normaliser: snapshot.configuration.intake.normaliser,
                                              at: context.clock.now())
            return WebhookReply(status: 200, json: JSONText.object(["lead_id": id.description, "updated": fields.keys.sorted().joined(separator: ",")]))
        } catch let error as LifecycleError {
            return Self.reply(error)
        } catch {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }

    static func actor(_ caller: APICaller) -> LifecycleActor {
        switch caller {
        case .admin: .admin
        case .rep(let rep): .rep(RepID(rep))
        }
    }

    static func fields(_ value: JSONValue?) -> [String: String]? {
        guard let value else { return [:] }
        guard case .object(let members) = value else { return nil }
        var fields: [String: String] = [:]
        for (key, member) in members {
            guard let text = member.text else { return nil }
            fields[key] = text
        }
        return fields
    }

    static func reply(_ error: LifecycleError) -> WebhookReply {
        switch error {
        case .unknownLead: return .error(404, error.description)
        case .notYours: return .error(403, error.description)
        case .refused(let refusal):
            var object: [String: Any] = ["error": refusal.description]
            switch refusal {
            case .notAllowed(_, _, let reachable): object["reachable"] = reachable.map(\.rawValue)
            case .missingFields(_, let fields): object["missing"] = fields
            case .wrongRole(_, _, let allowed): object["allowed_roles"] = allowed.map(\.rawValue)
            default: break
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return WebhookReply(status: refusal.isAboutFields ? 422 : 409, json: String(decoding: data, as: UTF8.self))
        }
    }
}
