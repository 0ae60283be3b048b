import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresLeadStore: RepHandingOver {
    /// The rep's open leads are locked up front in id order (every change to a lead takes its row
    /// lock first), then handed over one by one in the same transaction.
    public func handover(_ rep: RepID, to target: HandoverTarget, reason: String, force: Bool, dryRun: Bool, decider: AssignmentDecider,
                         at now: Date) async throws -> HandoverPlan {
        do {
            return try await transaction { connection in
                let ids = try await connection.query("""
                    SELECT id FROM leads WHERE owner_rep_id = \(rep.rawValue) AND status NOT IN ('converted', 'disqualified')
                    ORDER BY id FOR UPDATE
                    """, logger: self.logger).collect().map { try $0.decode(Int64.self) }
                var moves: [HandoverMove] = []
                for id in ids {
                    guard let lead = try await PostgresLeadRow.read(LeadID(id), lock: true, { try await connection.query($0, logger: self.logger) })
                    else { continue }
                    let effects = try await PostgresRoutingFacts().decide(on: connection, logger: self.logger) { facts in
                        try decider.handover(lead.id, draft: lead.draft, team: lead.team, from: rep, to: target, reason: reason, force: force,
                                             now: now, facts: facts)
                    }
                    var decision: RoutingDecision?
                    if let effects {
                        decision = try await PostgresAssignmentWriter.apply(effects, lead: lead.id, at: now, on: connection, logger: self.logger)
                    }
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
