import Foundation
import GRDB
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// SLA scenarios on a real SQLite file with an injected clock: the tests pass `now` to the
/// decider, so a day of SLA time takes no real time.
private let hour: TimeInterval = 3_600

/// A store with the directory and `count` leads routed at `t0` (customer i at wang<i>@example.cn).
private func withRoutedLeads(_ count: Int = 1, engine: RoutingEngine = ladderEngine(),
                             _ body: (SQLiteLeadStore, RoutingEngine) async throws -> Void) async throws {
    try await withStore { store, file in
        try await SQLFile.$current.withValue(file) {
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        let items = (0..<count).map { i in
            var d = draft("lead-\(i)")
            d.email = "wang\(i)@example.cn"
            d.phone = nil
            return IntakeItem(draft: d, raw: RawCapture(body: []))
        }
        _ = try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
        try await body(store, engine)
        }
    }
}

/// The test's database file, read and written beside the store through a second connection.
private enum SQLFile {
    @TaskLocal static var current: URL?

    static func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await DatabaseQueue(path: current!.path).read(body)
    }

    static func write(_ sql: String) async throws {
        try await DatabaseQueue(path: current!.path).write { try $0.execute(sql: sql) }
    }
}

private func decide(_ store: SQLiteLeadStore, _ engine: RoutingEngine, at now: Date, limit: Int = 100, threshold: Int = 10) async throws -> [SLADecision] {
    try await store.decideDue(at: now, engine: engine, limit: limit, digestThreshold: threshold)
}

private func outbox(_ store: SQLiteLeadStore) async throws -> [(kind: String, to: String, cc: String, subject: String)] {
    try await SQLFile.read { db in
        try Row.fetchAll(db, sql: "SELECT kind, recipient, cc, subject FROM outbox ORDER BY id").map { ($0["kind"], $0["recipient"], $0["cc"], $0["subject"]) }
    }
}

private func contact(_ store: SQLiteLeadStore, _ engine: RoutingEngine, lead: Int64 = 1, by rep: RepID, kind: ActivityDraft.Kind = .call,
                     at time: Date) async throws -> ActivityOutcome {
    try await store.recordActivity(ActivityDraft(lead: LeadID(lead), kind: kind, rep: rep), at: time, sla: engine.sla, ownedBy: nil, now: time)
}

/// The newest deadline row of a clock of lead 1.
private func clock(_ store: SQLiteLeadStore, _ name: String) async throws -> SQLiteLeadStore.DeadlineView? {
    try await store.deadlines(of: LeadID(1)).first { $0.clock == name }
}

private func record(_ store: SQLiteLeadStore, _ mail: MailActivity, _ engine: RoutingEngine) async throws -> MailActivityResult {
    try await store.recordMailActivity(mail, sla: engine.sla, now: t0 + hour)
}

@Suite struct SLAScenarioTests {
    @Test func noContactWarnsThenBreachesThenTellsTheSupervisorThenReassignsInOrderAndOnceEach() async throws {
        try await withRoutedLeads { store, engine in
            #expect(try await store.lead(LeadID(1))?.owner == zhang.id)
            #expect(try await decide(store, engine, at: t0 + 22 * hour - 1).isEmpty, "nothing before the warning")
            let warning = try await decide(store, engine, at: t0 + 22 * hour)
            #expect(warning.map(\.kind) == [.warning])
            #expect(try await decide(store, engine, at: t0 + 22 * hour).isEmpty, "a second pass decides nothing again")
            let breach = try await decide(store, engine, at: t0 + 24 * hour + 0.5)
            #expect(breach.map(\.kind) == [.breach, .escalation])
            #expect(breach.map(\.level) == [0, 2])
            let moved = try await decide(store, engine, at: t0 + 28 * hour)
            #expect(moved.map(\.kind) == [.escalation])
            #expect(moved.first?.reassignedTo == he.id)
            #expect(try await decide(store, engine, at: t0 + 28 * hour).isEmpty)

            let lead = try #require(try await store.lead(LeadID(1)))
            #expect(lead.owner == he.id)
            let mails = try await outbox(store)
            #expect(mails.map(\.kind) == ["sla.warning", "sla.supervisor", "sla.reassigned_away", "sla.reassigned_to"])
            #expect(mails.map(\.to) == ["zhang.wei@example.com", "li.na@example.com", "zhang.wei@example.com", "he.min@example.com"])
            #expect(mails[1].cc == "zhang.wei@example.com", "the owner is copied on the supervisor's notice")
            let escalations = try await store.escalations(of: LeadID(1))
            #expect(escalations.map(\.level) == [1, 2, 3])
            #expect(escalations.last?.outcome == "reassigned to he.min")
            // The new owner's clocks start again: first contact and follow-ups from the reassignment.
            let clocks = try await store.deadlines(of: LeadID(1))
            let current = clocks.filter { $0.cycle == 2 }
            #expect(Set(current.map(\.clock)) == ["first_contact", "follow_ups"])
            #expect(current.first { $0.clock == "first_contact" }?.dueAt == t0 + 52 * hour)
            #expect(clocks.first { $0.clock == "follow_ups" && $0.cycle == 1 }?.state == .cancelled)
            // The new owner's warning fires for its own cycle, once.
            let second = try await decide(store, engine, at: t0 + 50 * hour)
            #expect(second.map { "\($0.kind) \($0.cycle)" } == ["warning 2"])
        }
    }

    @Test func aContactBeforeTheDeadlineStopsTheClockAndNothingFires() async throws {
        try await withRoutedLeads { store, engine in
            let outcome = try await contact(store, engine, by: zhang.id, at: t0 + hour)
            #expect(outcome.metFirstContact)
            #expect(outcome.armed.map(\.clock) == [.stale], "now contacted: the stale clock runs")
            #expect(try await decide(store, engine, at: t0 + 30 * hour).isEmpty)
            #expect(try await outbox(store).isEmpty)
            #expect(try await clock(store, "first_contact")?.state == .met)
            #expect(try await store.lead(LeadID(1))?.status == .contacted)
            let kinds = try await SQLFile.read { db in try String.fetchAll(db, sql: "SELECT kind || ':' || IFNULL(note, '') FROM activities ORDER BY id") }
            #expect(kinds == ["call:", "status_change:new → contacted"])
        }
    }

    /// Issue 15: a contact half a second after the deadline is late, not on time.
    @Test func aContactAFractionOfASecondLateMissesTheDeadline() async throws {
        try await withRoutedLeads { store, engine in
            let due = try #require(try await clock(store, "first_contact")?.dueAt)
            _ = try await contact(store, engine, by: zhang.id, at: due + 0.5)
            #expect(try await clock(store, "first_contact")?.state == .missed)
        }
    }

    /// Issue 14 item 5: SLA evidence cannot be forged by dating a contact back.
    @Test func aBackdatedContactIsRefusedAndTheClockKeepsRunning() async throws {
        try await withRoutedLeads { store, engine in
            let now = t0 + 30 * hour                                     // the first-contact deadline has passed
            func log(at time: Date) async throws -> ActivityOutcome {
                try await store.recordActivity(ActivityDraft(lead: LeadID(1), kind: .call, rep: zhang.id), at: time, sla: engine.sla,
                                               ownedBy: zhang.id, bounds: .standard, now: now)
            }
            await #expect(throws: LeadStoreError.activityRefused(LeadID(1), "\"at\" is more than 1h before now (max_backdate)")) {
                _ = try await log(at: t0 + hour)                         // "I called an hour after assignment"
            }
            await #expect(throws: LeadStoreError.activityRefused(LeadID(1), "\"at\" is before the lead's current assignment")) {
                var lifecycle = Lifecycle.standard
                lifecycle.maxBackdateSeconds = 365 * 86_400
                _ = try await store.recordActivity(ActivityDraft(lead: LeadID(1), kind: .call, rep: zhang.id), at: t0 - 60, sla: engine.sla,
                                                   ownedBy: zhang.id, bounds: lifecycle, now: now)
            }
            await #expect(throws: LeadStoreError.activityRefused(LeadID(1), "\"at\" is in the future")) {
                _ = try await log(at: now + 3_600)
            }
            #expect(try await clock(store, "first_contact")?.state == .pending, "nothing was recorded")
            let late = try await log(at: now - 600)                     // ten minutes ago: fine, and late
            #expect(late.countsForSLA)
            #expect(try await clock(store, "first_contact")?.state == .missed)
            let times = try await SQLFile.read { db in
                try Row.fetchOne(db, sql: "SELECT at, recorded_at FROM activities WHERE kind = 'call'").map { [$0["at"] as Int64, $0["recorded_at"] as Int64] }
            }
            #expect(times == [Int64((now - 600).timeIntervalSince1970), Int64(now.timeIntervalSince1970)])
        }
    }

    @Test func oneOfTwoFollowUpsBreachesOnlyTheFollowUpClock() async throws {
        try await withRoutedLeads { store, engine in
            _ = try await contact(store, engine, by: zhang.id, at: t0 + hour)
            let decisions = try await decide(store, engine, at: t0 + 72 * hour)
            #expect(decisions.map { "\($0.clock.rawValue) \($0.kind)" } == ["follow_ups breach", "follow_ups escalation"])
            let follow = try #require(try await clock(store, "follow_ups"))
            #expect(follow.need == 1)
            #expect(follow.isBreachedOpen)
            #expect(try await store.leadsDue(before: t0 + 72 * hour + 1, limit: 10).map(\.1) == ["follow_ups"], "listed as overdue")
            // The second contact, late, ends the breach.
            let late = try await contact(store, engine, by: zhang.id, kind: .email, at: t0 + 80 * hour)
            #expect(!late.metFollowUps, "late: missed, not met")
            #expect(try await store.leadsDue(before: t0 + 81 * hour, limit: 10).isEmpty)
        }
    }

    @Test func twoFollowUpsInTimeMeetTheClock() async throws {
        try await withRoutedLeads { store, engine in
            _ = try await contact(store, engine, by: zhang.id, at: t0 + hour)
            let second = try await contact(store, engine, by: zhang.id, kind: .meeting, at: t0 + 50 * hour)
            #expect(second.metFollowUps)
            #expect(try await decide(store, engine, at: t0 + 100 * hour).isEmpty)
        }
    }

    @Test func eachActivityReArmsTheStaleClock() async throws {
        try await withRoutedLeads { store, engine in
            _ = try await contact(store, engine, by: zhang.id, at: t0 + hour)
            _ = try await contact(store, engine, by: zhang.id, kind: .message, at: t0 + 2 * hour)   // follow-ups met
            let note = try await contact(store, engine, by: zhang.id, kind: .note, at: t0 + 5 * 86_400)
            #expect(note.armed.first?.due == t0 + 12 * 86_400)
            #expect(try await decide(store, engine, at: t0 + 2 * hour + 7 * 86_400).isEmpty, "the first stale deadline was re-armed")
            let stale = try await decide(store, engine, at: t0 + 12 * 86_400)
            #expect(stale.map { "\($0.clock.rawValue) \($0.kind) #\($0.cycle)" } == ["stale breach #3", "stale escalation #3"])
            #expect(try await outbox(store).map(\.to) == ["zhang.wei@example.com", "ops@example.com"])
        }
    }

    @Test func aContactByAnotherRepLeavesTheClocksRunning() async throws {
        try await withRoutedLeads { store, engine in
            let outcome = try await contact(store, engine, by: he.id, at: t0 + hour)
            #expect(!outcome.countsForSLA)
            #expect(try await clock(store, "first_contact")?.state == .pending)
            let bySupervisor = try await contact(store, engine, by: li.id, at: t0 + 2 * hour)
            #expect(bySupervisor.countsForSLA && bySupervisor.metFirstContact, "the team's supervisor counts")
        }
    }

    @Test func bccMailByTheOwnerStopsTheClockAndByAnotherRepDoesNot() async throws {
        try await withRoutedLeads { store, engine in
            func mail(_ file: String, from: String, id: String) -> MailActivity {
                MailActivity(maildrop: "bcc", file: file, messageID: id, from: from, recipients: ["wang0@example.cn", "someone@else.cn"],
                             subject: "报价单", sentAt: t0 + hour)
            }
            let result1 = try await record(store, mail("1", from: "he.min@example.com", id: "<a@x>"), engine)
            #expect(result1
                    == .recorded(he.id, [LeadID(1)]))
            #expect(try await clock(store, "first_contact")?.state == .pending)
            let result2 = try await record(store, mail("2", from: "Zhang.Wei@example.com", id: "<b@x>"), engine)
            #expect(result2
                    == .recorded(zhang.id, [LeadID(1)]))
            #expect(try await clock(store, "first_contact")?.state == .met)
            // The same file or the same Message-ID again counts nothing.
            let result3 = try await record(store, mail("2", from: "zhang.wei@example.com", id: "<b@x>"), engine)
            #expect(result3 == .alreadyTaken)
            let result4 = try await record(store, mail("3", from: "zhang.wei@example.com", id: "<b@x>"), engine)
            #expect(result4 == .duplicateMessage)
            #expect(try await clock(store, "follow_ups")?.need == 1)
            let result5 = try await record(store, mail("4", from: "stranger@x.cn", id: "<c@x>"), engine)
            #expect(result5 == .unknownSender)
        }
    }

    @Test func twoConcurrentPassesDecideEachLevelOnce() async throws {
        try await withRoutedLeads(40) { store, engine in
            let now = t0 + 24 * hour
            async let a = decide(store, engine, at: now, limit: 30)
            async let b = decide(store, engine, at: now, limit: 30)
            async let c = decide(store, engine, at: now, limit: 1000)
            let total = try await a.count + b.count + c.count
            // 40 leads × (warning, breach, supervisor notice); none twice.
            #expect(total == 120)
            let distinct = try await SQLFile.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT lead_id, clock, cycle, level FROM escalations)")!
            }
            #expect(distinct == 80)
            #expect(try await SQLFile.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM escalations")! } == 80)
        }
    }

    @Test func manyNoticesForOneRecipientBecomeOneDigest() async throws {
        let onlyZhang = ladderEngine(members: [zhang.id], policy: ladderPolicy(firstContact: [EscalationLevel(level: 1, offsetSeconds: 0, actions: [.remindOwner])]))
        try await withRoutedLeads(15, engine: onlyZhang) { store, engine in
            let decisions = try await decide(store, engine, at: t0 + 25 * hour, threshold: 10)
            #expect(decisions.filter { $0.kind == .escalation }.count == 15)
            let mails = try await outbox(store)
            #expect(mails.map(\.kind) == ["sla.digest"])
            #expect(mails.first?.subject.contains("15 SLA notices") == true)
        }
        try await withRoutedLeads(10, engine: onlyZhang) { store, engine in
            _ = try await decide(store, engine, at: t0 + 25 * hour, threshold: 10)
            #expect(try await outbox(store).count == 10, "at the threshold: one message each")
        }
    }

    @Test func afterDowntimeTheBacklogGoesOldestFirstInBoundedBatchesWithItsLateness() async throws {
        try await withRoutedLeads(60) { store, engine in
            let now = t0 + 30 * hour   // six hours after the breach, two after the reassignment level
            let first = try await decide(store, engine, at: now, limit: 100)
            #expect(first.count == 100)
            #expect(first.map(\.dueAt) == first.map(\.dueAt).sorted(), "oldest first")
            #expect(first.first?.kind == .warning)
            #expect(first.first.map { Int($0.lateSeconds) } == 8 * 3_600)
            var total = first.count
            while true {
                let next = try await decide(store, engine, at: now, limit: 100)
                if next.isEmpty { break }
                total += next.count
            }
            // 60 × (warning, breach, supervisor, reassign); the reassignments re-arm clocks due later.
            #expect(total == 240)
            let late = try await store.escalations(of: LeadID(1)).map(\.lateMilliseconds)
            let expectedLate: [Int64] = [28_800_000, 21_600_000, 7_200_000]
            #expect(late == expectedLate)
        }
    }

    @Test func aClosedLeadsRowsAreCancelledNotSent() async throws {
        try await withRoutedLeads { store, engine in
            try await SQLFile.write("UPDATE leads SET status = 'disqualified' WHERE id = 1")
            let decisions = try await decide(store, engine, at: t0 + 100 * hour)
            #expect(Set(decisions.map(\.kind)) == [.cancelled])
            #expect(try await outbox(store).isEmpty)
            #expect(try await store.nextDeadline() == nil)
        }
    }
}
