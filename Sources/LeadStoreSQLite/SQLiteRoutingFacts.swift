import Foundation
import GRDB
import LeadCore

/// Routing's reads (rotation state, rep loads, earlier owners) inside one transaction.
struct SQLiteRoutingFacts: RoutingFacts {
    let db: Database

    init(_ db: Database) { self.db = db }

    func teamState(_ team: TeamID) throws -> TeamState { try RoutingWriter.state(of: team, in: db) }

    func repLoad(_ rep: RepID, dayStart: Date, weekStart: Date) throws -> RepLoad {
        try RoutingWriter.load(of: rep, dayStart: dayStart, weekStart: weekStart, in: db)
    }

    func latestOwner(_ key: CustomerKey, excluding lead: LeadID) throws -> RepID? {
        let (condition, value): (String, String) = switch key {
        case .company(let key): ("company_key = ?", key)
        case .email(let email): ("email = ?", email)
        case .domain(let domain): ("email LIKE ?", "%@" + domain)
        }
        return try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner_rep_id FROM leads WHERE \(condition) AND id <> ? AND owner_rep_id IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: [value, lead.rawValue]).map(RepID.init(rawValue:))
    }
}
