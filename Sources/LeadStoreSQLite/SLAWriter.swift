import Foundation
import GRDB
import LeadCore

/// Arms and ends SLA clocks inside the caller's transaction: every deadline (and every ladder
/// level of it) is a row written with the change that caused it.
enum SLAWriter {
    /// Ends `clocks` of a lead: pending rows (every level) are cancelled and a breached deadline
    /// still open (state `missed`, no `resolved_at`) is closed.
    static func cancel(_ clocks: [SLAClock], lead: LeadID, at now: Date, in db: Database) throws {
        for clock in clocks {
            try db.cachedStatement(sql: "UPDATE deadlines SET state = 'cancelled', resolved_at = ? WHERE lead_id = ? AND clock = ? AND state = 'pending'")
                .execute(arguments: [now.unixSeconds, lead.rawValue, clock.rawValue])
            try db.cachedStatement(sql: "UPDATE deadlines SET resolved_at = ? WHERE lead_id = ? AND clock = ? AND state = 'missed' AND resolved_at IS NULL")
                .execute(arguments: [now.unixSeconds, lead.rawValue, clock.rawValue])
        }
    }

    /// Writes a new cycle of a clock: the deadline row and one row per ladder level.
    static func arm(_ arming: ClockArming, lead: LeadID, at now: Date, in db: Database) throws -> ArmedClock {
        let cycle = try Int.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(cycle), 0) + 1 FROM deadlines WHERE lead_id = ? AND clock = ?"),
                                     arguments: [lead.rawValue, arming.clock.rawValue]) ?? 1
        for row in arming.levels {
            try db.cachedStatement(sql: """
                INSERT INTO deadlines (lead_id, clock, due_at, state, created_at, policy, level, cycle, need, started_at, provisional)
                VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [lead.rawValue, arming.clock.rawValue, row.due.unixSeconds,
                                         now.unixSeconds, arming.policy, row.level, cycle, row.level == 0 ? arming.need : nil,
                                         arming.start.timeIntervalSince1970, row.provisional])
        }
        try EventLog.append(db, kind: "deadline.set", at: now, lead: lead.rawValue, data: [
            "clock": arming.clock.rawValue, "policy": arming.policy, "cycle": String(cycle), "due_at": String(arming.due.unixSeconds),
        ])
        return ArmedClock(clock: arming.clock, policy: arming.policy, cycle: cycle, due: arming.due,
                          firstRowDue: arming.levels.map(\.due).min())
    }

    /// Applies what a lifecycle decision does to the clocks.
    static func touch(_ touch: LifecycleDecider.ClockTouch, lead: LeadID, now: Date,
                      in db: Database) throws -> (firstContact: Bool, followUpsMet: Bool, armed: [ArmedClock]) {
        switch touch {
        case .none:
            return (false, false, [])
        case .closeAll:
            try cancel(SLAClock.allCases, lead: lead, at: now, in: db)
            return (false, false, [])
        case .activity(let contact, let time, let stale):
            return try onActivity(lead: lead, contact: contact, stale: stale, at: time, now: now, in: db)
        }
    }

    /// What an activity by the owner or supervisor does: a contact meets first contact and counts
    /// toward follow-ups; any activity ends the stale clock and arms `stale` (the decider's new
    /// cycle, while the status is a stale-checked one).
    private static func onActivity(lead: LeadID, contact: Bool, stale: ClockArming?,
                           at time: Date, now: Date, in db: Database) throws -> (firstContact: Bool, followUpsMet: Bool, armed: [ArmedClock]) {
        var metFirst = false
        var metFollowUps = false
        if contact {
            // A contact by the owner ends the first-contact clock: met when on time (a contact at
            // 09:00:00.5 is after a 09:00:00 deadline: its time counts rounded up), and any
            // ladder level still pending (after a breach too) is cancelled.
            try db.cachedStatement(sql: """
                UPDATE deadlines SET state = CASE WHEN due_at >= ? THEN 'met' ELSE 'missed' END, resolved_at = ?
                WHERE lead_id = ? AND clock = 'first_contact' AND level = 0 AND state = 'pending'
                """).execute(arguments: [time.unixSecondsRoundedUp, now.unixSeconds, lead.rawValue])
            metFirst = db.changesCount > 0
            try cancel([.firstContact], lead: lead, at: now, in: db)
            // Follow-ups count down on the current cycle's deadline row, breached or not.
            if let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT id, need FROM deadlines WHERE lead_id = ? AND clock = 'follow_ups' AND level = 0 ORDER BY cycle DESC LIMIT 1
                """), arguments: [lead.rawValue]), let need = row["need"] as Int?, need > 0 {
                let id: Int64 = row["id"]
                try db.cachedStatement(sql: "UPDATE deadlines SET need = need - 1 WHERE id = ?").execute(arguments: [id])
                if need == 1 {
                    try db.cachedStatement(sql: """
                        UPDATE deadlines SET state = CASE WHEN due_at >= ? THEN 'met' ELSE 'missed' END, resolved_at = ?
                        WHERE id = ? AND state = 'pending'
                        """).execute(arguments: [time.unixSecondsRoundedUp, now.unixSeconds, id])
                    metFollowUps = db.changesCount > 0
                    try cancel([.followUps], lead: lead, at: now, in: db)
                }
            }
        }
        try cancel([.stale], lead: lead, at: now, in: db)
        let armed = try stale.map { try arm($0, lead: lead, at: now, in: db) }
        return (metFirst, metFollowUps, armed.map { [$0] } ?? [])
    }
}

/// Deadlines computed across provisional (fallback) holidays, recomputed when the calendar's
/// holiday data changes (a reload adding next year's file).
enum ProvisionalDeadlines {
    struct Change: Hashable, Sendable {
        var lead: Int64
        var clock: String
        var cycle: Int
        var level: Int
        var from: Int64
        var to: Int64
    }

    /// Recomputes every pending row marked provisional from its clock's start (`clocks` decides
    /// the new time); a row whose level was already decided is not pending, so nothing is decided twice.
    static func recompute(clocks: ClockDecider, at now: Date, in db: Database) throws -> [Change] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, lead_id, clock, cycle, level, due_at, policy, started_at FROM deadlines
            WHERE provisional = 1 AND state = 'pending' AND started_at IS NOT NULL
            """)
        var changes: [Change] = []
        for row in rows {
            guard let clock = SLAClock(rawValue: row["clock"]),
                  let level = clocks.rescheduled(clock: clock, policy: row["policy"], level: row["level"],
                                                 start: Date(timeIntervalSince1970: row["started_at"])) else { continue }
            let due = level.due.unixSeconds
            let old: Int64 = row["due_at"]
            try db.execute(sql: "UPDATE deadlines SET due_at = ?, provisional = ? WHERE id = ?",
                           arguments: [due, level.provisional, row["id"] as Int64])
            guard due != old else { continue }
            let change = Change(lead: row["lead_id"], clock: clock.rawValue, cycle: row["cycle"], level: row["level"], from: old, to: due)
            changes.append(change)
            try EventLog.append(db, kind: "deadline.recomputed", at: now, lead: change.lead, data: [
                "clock": change.clock, "cycle": String(change.cycle), "level": String(change.level),
                "from": String(old), "to": String(due), "reason": "calendar holiday data changed",
            ])
        }
        return changes
    }
}

extension Date {
    /// Unix seconds rounded up: a deadline is never earlier than its exact instant.
    var unixSecondsRoundedUp: Int64 { Int64(timeIntervalSince1970.rounded(.up)) }
}
