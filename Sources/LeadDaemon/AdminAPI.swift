import Foundation
import LeadCore
import LeadHTTP
import LeadIngest

/// `POST /leads/{id}/assign` with `{"rep": "...", "reason": "...", "force": false}`: the same
/// manual reassignment as `leadctl leads assign`, audited the same way.
struct AdminAPI: AdminHandling {
    let context: DaemonContext

    var adminToken: String? { context.state.snapshot.configuration.http.adminToken?.value }

    func assign(lead: String, body: [UInt8]) async -> WebhookReply {
        guard let id = LeadID(parsing: lead) else { return .error(400, "'\(lead)' is not a lead id") }
        guard let json = try? JSONParser.parse(body), let rep = json["rep"]?.text,
              let reason = json["reason"]?.text, !reason.trimmingWhitespace().isEmpty else {
            return .error(400, "expected {\"rep\": \"...\", \"reason\": \"...\", \"force\": false}")
        }
        guard let engine = context.state.snapshot.routing else {
            return .error(409, "no [routing] in the configuration")
        }
        do {
            let decision = try await context.store.reassign(id, to: RepID(rep), reason: reason, force: json["force"] == .bool(true),
                                                    engine: engine, at: context.clock.now())
            IntakeReporting.routed(decision, lead: id, context: context)
            SLAReporting.armed(decision.clocks, lead: id, context: context)
            return WebhookReply(status: 200, json: JSONText.object(["lead_id": id.description, "rep": rep]))
        } catch let error as ReassignError {
            switch error {
            case .unknownLead: return .error(404, error.description)
            case .unknownRep: return .error(422, error.description)
            case .notEligible: return .error(409, error.description)
            }
        } catch {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }

    /// `POST /reps/{id}/handover` with `{"reason": "...", "to": "rep:ID|team:ID", "force": false, "dry_run": false}`.
    func handover(rep: String, body: [UInt8]) async -> WebhookReply {
        guard let json = try? JSONParser.parse(body), let reason = json["reason"]?.text else {
            return .error(400, "expected {\"reason\": \"...\", \"to\": \"rep:ID|team:ID\" (optional), \"force\": false, \"dry_run\": false}")
        }
        do {
            let plan = try await RepHandoverAction(context: context).run(RepID(rep), to: json["to"]?.text, reason: reason,
                                                                         force: json["force"] == .bool(true), dryRun: json["dry_run"] == .bool(true),
                                                                         actor: "admin API")
            return WebhookReply(status: 200, json: plan.json)
        } catch let refusal as RepHandoverAction.Refusal {
            if case .invalid(.unknownRep) = refusal { return .error(404, refusal.description) }
            return .error(refusal.description.hasPrefix("no [routing]") ? 409 : 422, refusal.description)
        } catch {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }
}
