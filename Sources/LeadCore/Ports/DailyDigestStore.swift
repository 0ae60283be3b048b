import Foundation

/// What the daily to-do mail needs from a store.
public protocol DailyDigestStore: Sendable {
    /// `recipient key|day key` of the digests already recorded for `days`.
    func dailyDigestsDone(days: Set<Int>) async throws -> Set<String>
    /// In one transaction: records `recipient`'s digest for `day` (once), loads its facts (leads due
    /// that day, overdue, idle since `idleSince`; the team's breaches yesterday), asks `build` for
    /// the mail and queues it. False when recorded before or when `build` finds nothing to send.
    func queueDailyDigest(for recipient: DailyDigests.Recipient, day: (key: Int, start: Date, end: Date), idleSince: Date,
                          at now: Date, build: @Sendable (DailyDigests.Facts) -> [QueuedNotice]) async throws -> Bool
}

extension DailyDigestStore {
    /// Queues the daily to-do mails due at `now` that were not queued yet today (keyed by recipient
    /// and local day, so a restart never sends one twice). Returns how many were queued.
    public func queueDailyDigests(at now: Date, engine: RoutingEngine, schedule: DailyDigestSchedule) async throws -> Int {
        let due = DailyDigests.recipients(engine).compactMap { recipient in
            schedule.dueDay(at: now, calendar: recipient.calendar).map { (recipient, $0) }
        }
        guard !due.isEmpty else { return 0 }
        let done = try await dailyDigestsDone(days: Set(due.map { $0.1.key }))
        let idleSince = now.addingTimeInterval(-Double(schedule.idleDays) * 86_400)
        var queued = 0
        for (recipient, day) in due where !done.contains("\(recipient.key)|\(day.key)") {
            let wrote = try await queueDailyDigest(for: recipient, day: day, idleSince: idleSince, at: now) { facts in
                DailyDigests.notices(for: recipient, day: day, facts: facts, engine: engine, schedule: schedule)
            }
            if wrote { queued += 1 }
        }
        return queued
    }
}
