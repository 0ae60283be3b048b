import Foundation

/// The reports a store computes over a window (leadctl report and the weekly summary).
public protocol ReportStore: Sendable {
    func responseReport(_ query: ReportQuery, clocks: ClockDecider, at now: Date) async throws -> Report
    func funnelReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report
    func dwellReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report
    func slaReport(_ query: ReportQuery, at now: Date) async throws -> Report
    func sourcesReport(_ query: ReportQuery, at now: Date) async throws -> Report
    func distributionReport(_ query: ReportQuery, at now: Date) async throws -> Report
    func followUpsReport(_ query: ReportQuery, at now: Date) async throws -> Report
}

/// What the weekly summary needs from a store: when data starts, which teams have theirs for a
/// week, and an idempotent "record and queue" (one per team and week, across restarts).
public protocol WeeklySummaryStore: ReportStore {
    /// When the first lead was created; nil when there is none.
    func firstLeadCreatedAt() async throws -> Date?
    func weeklySummaryTeams(week: Int) async throws -> Set<TeamID>
    /// Records `team`'s summary for `week` and queues `notice` in one transaction; false (nothing
    /// queued) when that week's summary was recorded before.
    func queueWeeklySummary(_ notice: QueuedNotice, team: TeamID, week: Int, at now: Date) async throws -> Bool
}

extension WeeklySummaryStore {
    /// Queues each supervisor's summary of the week before the configured day, once per team and
    /// week: the team's first-contact time and SLA share, misses by rep, the funnel and the slowest
    /// stage, each beside the week before, with two SVG charts. Returns how many were queued.
    public func queueWeeklySummaries(at now: Date, engine: RoutingEngine, schedule: WeeklySummarySchedule, lifecycle: Lifecycle) async throws -> Int {
        guard let due = schedule.due(at: now) else { return 0 }
        // Only time the store has data for: a fresh install sends none for the week before its first lead.
        guard let first = try await firstLeadCreatedAt(), first < due.weekStart else { return 0 }
        let done = try await weeklySummaryTeams(week: due.key)
        var queued = 0
        for (team, address) in WeeklySummaries.teams(engine) where !done.contains(team.id) {
            let this = ReportQuery(since: due.previousStart, until: due.weekStart, team: team.id)
            let last = ReportQuery(since: due.previousStart.addingTimeInterval(-7 * 86_400), until: due.previousStart, team: team.id)
            let reports = WeeklySummaries.Reports(
                response: try await responseReport(this, plan: engine.sla, at: now).rows.first,
                responsePrev: try await responseReport(last, plan: engine.sla, at: now).rows.first,
                funnel: try await funnelReport(this, lifecycle: lifecycle, at: now),
                funnelPrev: try await funnelReport(last, lifecycle: lifecycle, at: now),
                misses: try await slaReport(ReportQuery(since: this.since, until: this.until, by: .rep, team: team.id), at: now),
                missesPrev: try await slaReport(ReportQuery(since: last.since, until: last.until, by: .rep, team: team.id), at: now),
                dwell: try await dwellReport(this, lifecycle: lifecycle, at: now))
            let notice = WeeklySummaries.notice(team: team, supervisor: address, engine: engine, schedule: schedule, due: due, reports: reports)
            if try await queueWeeklySummary(notice, team: team.id, week: due.key, at: now) { queued += 1 }
        }
        return queued
    }
}

extension ReportStore {
    public func responseReport(_ query: ReportQuery, plan: SLAPlan?, at now: Date) async throws -> Report {
        try await responseReport(query, clocks: ClockDecider(plan), at: now)
    }
}
