import Foundation
import LeadCore
import Logging
import PostgresNIO

/// What routing reads, for a decider that reads synchronously from a store that answers
/// asynchronously. The decider is pure, so it is simply asked again: a read not loaded yet is
/// noted and answered with a placeholder, the decision is thrown away, the noted facts are loaded
/// (rotation rows locked `FOR UPDATE`, a capped rep's counts under that rep's advisory lock) and
/// the decider runs again, until it reads nothing new. Every fact a final decision used was read
/// under its lock in this transaction.
final class PostgresRoutingFacts: RoutingFacts {
    struct LoadKey: Hashable { let rep: RepID; let day: Int64; let week: Int64 }

    private var states: [TeamID: TeamState] = [:]
    private var loads: [LoadKey: RepLoad] = [:]
    private var owners: [CustomerKey: RepID?] = [:]
    private var missingTeams: Set<TeamID> = []
    private var missingLoads: Set<LoadKey> = []
    private var missingOwners: [CustomerKey: LeadID] = [:]

    /// The decision `decide` makes once every fact it reads is loaded (at most `rounds` loads:
    /// each round loads at least one new fact, and a decision reads a handful).
    func decide<T>(on connection: PostgresConnection, logger: Logger, rounds: Int = 16, _ decide: (PostgresRoutingFacts) throws -> T)
        async throws -> T {
        for _ in 0..<rounds {
            let decision = try decide(self)
            guard !missingTeams.isEmpty || !missingLoads.isEmpty || !missingOwners.isEmpty else { return decision }
            try await load(on: connection, logger: logger)
        }
        throw PostgresStoreError("routing kept asking for new facts after \(rounds) rounds")
    }

    func teamState(_ team: TeamID) throws -> TeamState {
        if let state = states[team] { return state }
        missingTeams.insert(team)
        return TeamState()
    }

    func repLoad(_ rep: RepID, dayStart: Date, weekStart: Date) throws -> RepLoad {
        let key = LoadKey(rep: rep, day: dayStart.unixSeconds, week: weekStart.unixSeconds)
        if let load = loads[key] { return load }
        missingLoads.insert(key)
        return RepLoad()
    }

    func latestOwner(_ key: CustomerKey, excluding lead: LeadID) throws -> RepID? {
        if let owner = owners[key] { return owner }
        missingOwners[key] = lead
        return nil
    }

    private func load(on connection: PostgresConnection, logger: Logger) async throws {
        // Sorted, so two transactions lock the same rows in the same order.
        for team in missingTeams.sorted(by: { $0.rawValue < $1.rawValue }) {
            states[team] = try await PostgresRotation.lock(team, on: connection, logger: logger)
        }
        for key in missingLoads.sorted(by: { ($0.rep.rawValue, $0.day, $0.week) < ($1.rep.rawValue, $1.day, $1.week) }) {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("rep:" + key.rep.rawValue), 0))", logger: logger)
            loads[key] = try await PostgresRotation.load(of: key.rep, dayStart: key.day, weekStart: key.week, on: connection, logger: logger)
        }
        for (key, lead) in missingOwners {
            owners[key] = .some(try await Self.latestOwner(key, excluding: lead, on: connection, logger: logger))
        }
        missingTeams = []; missingLoads = []; missingOwners = [:]
    }

    static func latestOwner(_ key: CustomerKey, excluding lead: LeadID, on connection: PostgresConnection, logger: Logger) async throws -> RepID? {
        let query: PostgresQuery = switch key {
        case .company(let value): """
            SELECT owner_rep_id FROM leads WHERE company_key = \(value) AND id <> \(lead.rawValue) AND owner_rep_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """
        case .email(let value): """
            SELECT owner_rep_id FROM leads WHERE email = \(value) AND id <> \(lead.rawValue) AND owner_rep_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """
        case .domain(let value): """
            SELECT owner_rep_id FROM leads WHERE email LIKE \("%@" + value) AND id <> \(lead.rawValue) AND owner_rep_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """
        }
        return try await connection.query(query, logger: logger).collectFirst(String.self).map(RepID.init(rawValue:))
    }
}

/// A team's rotation row and a rep's load, read for routing.
enum PostgresRotation {
    /// The team's rotation state, its row locked until the transaction ends (created when missing:
    /// the directory sync creates it up front, this covers a team routed before a sync).
    static func lock(_ team: TeamID, on connection: PostgresConnection, logger: Logger) async throws -> TeamState {
        try await connection.query("""
            INSERT INTO routing_state (team_id, sequence) VALUES (\(team.rawValue), 0) ON CONFLICT (team_id) DO NOTHING
            """, logger: logger)
        let rows = try await connection.query("""
            SELECT sequence, last_assigned, credits FROM routing_state WHERE team_id = \(team.rawValue) FOR UPDATE
            """, logger: logger)
        for try await (sequence, last, credits) in rows.decode((Int64, String, String).self) {
            return state(sequence: sequence, last: last, credits: credits)
        }
        return TeamState()
    }

    /// The team's rotation state as stored, without a lock (for explain and simulate).
    static func read(_ team: TeamID, _ run: (PostgresQuery) async throws -> PostgresRowSequence) async throws -> TeamState {
        let rows = try await run("""
            SELECT sequence, last_assigned, credits FROM routing_state WHERE team_id = \(team.rawValue)
            """)
        for try await (sequence, last, credits) in rows.decode((Int64, String, String).self) {
            return state(sequence: sequence, last: last, credits: credits)
        }
        return TeamState()
    }

    static func state(sequence: Int64, last: String, credits: String) -> TeamState {
        let last = (try? JSONSerialization.jsonObject(with: Data(last.utf8))) as? [String: Int64] ?? [:]
        let credits = (try? JSONSerialization.jsonObject(with: Data(credits.utf8))) as? [String: Int] ?? [:]
        return TeamState(sequence: sequence,
                         lastAssigned: Dictionary(uniqueKeysWithValues: last.map { (RepID($0.key), $0.value) }),
                         credits: Dictionary(uniqueKeysWithValues: credits.map { (RepID($0.key), $0.value) }))
    }

    /// Open leads owned, and assignments since the day and week starts (Unix seconds).
    static func load(of rep: RepID, dayStart: Int64, weekStart: Int64, on connection: PostgresConnection, logger: Logger) async throws -> RepLoad {
        try await loadQuery(rep, dayStart, weekStart) { try await connection.query($0, logger: logger) }
    }

    static func loadQuery(_ rep: RepID, _ day: Int64, _ week: Int64,
                          _ run: (PostgresQuery) async throws -> PostgresRowSequence) async throws -> RepLoad {
        let rows = try await run("""
            SELECT
              (SELECT COUNT(*) FROM leads WHERE owner_rep_id = \(rep.rawValue) AND status NOT IN ('converted', 'disqualified'))::BIGINT,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = \(rep.rawValue) AND assigned_at >= \(day))::BIGINT,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = \(rep.rawValue) AND assigned_at >= \(week))::BIGINT
            """)
        for try await (open, today, week) in rows.decode((Int64, Int64, Int64).self) {
            return RepLoad(open: Int(open), today: Int(today), thisWeek: Int(week))
        }
        return RepLoad()
    }
}
