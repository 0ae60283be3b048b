import Foundation
import GRDB
import LeadCore

/// The routing engine's reads (a team's rotation state, a rep's load) inside one transaction. The
/// engine asks through non-throwing closures; the first database error is kept and `check()`
/// rethrows it after the decision, so a failing read is an error, never an empty rotation.
final class RoutingReads {
    private let db: Database
    private let engine: RoutingEngine
    private let now: Date
    private var failure: (any Error)?

    init(_ db: Database, engine: RoutingEngine, now: Date) {
        self.db = db; self.engine = engine; self.now = now
    }

    func state(_ team: TeamID) -> TeamState {
        do { return try RoutingWriter.state(of: team, in: db) } catch { failure = failure ?? error; return TeamState() }
    }

    func load(_ rep: RepID) -> RepLoad {
        do { return try RoutingWriter.load(of: rep, engine: engine, now: now, in: db) } catch { failure = failure ?? error; return RepLoad() }
    }

    /// Throws the first read that failed.
    func check() throws {
        if let failure { throw failure }
    }
}
