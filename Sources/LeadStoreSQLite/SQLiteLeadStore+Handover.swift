import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: RepHandingOver {
    public func handover(_ rep: RepID, to target: HandoverTarget, reason: String, force: Bool, dryRun: Bool, decider: AssignmentDecider,
                         at now: Date) async throws -> HandoverPlan {
        do {
            return try await write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM leads WHERE owner_rep_id = ? AND status NOT IN ('converted', 'disqualified') ORDER BY id
                    """, arguments: [rep.rawValue])
                var moves: [HandoverMove] = []
                for row in rows {
                    let lead = LeadRow.lead(row)
                    let effects = try decider.handover(lead.id, draft: lead.draft, team: lead.team, from: rep, to: target, reason: reason,
                                                       force: force, now: now, facts: SQLiteRoutingFacts(db))
                    let decision = try effects.map { try RoutingWriter.apply($0, lead: lead.id, at: now, in: db) }
                    moves.append(decider.handoverMove(lead, applied: decision, to: target))
                }
                let plan = HandoverPlan(from: rep, target: target, performed: !dryRun, moves: moves)
                if dryRun { throw HandoverDryRun(plan: plan) }
                return plan
            }
        } catch let preview as HandoverDryRun {
            return preview.plan
        }
    }
}
