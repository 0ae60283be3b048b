import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

/// The "clocks" part of `leadctl leads show`: each deadline with its time in the calendar's zone
/// and in UTC, its state, and the time left on the policy's clock.
enum ClockReport {
    static func lines(of lead: LeadID, store: any LeadCtlStore, configuration: DaemonConfiguration, now: Date) async throws -> [String] {
        let plan = configuration.routingEngine?.sla
        let provisional = try await store.provisionalClocks(of: lead)
        return try await store.deadlines(of: lead).map { deadline in
            let policy = deadline.policy.flatMap { plan?.policy(named: $0) }
            let zone = policy.flatMap { plan?.calendars[$0.calendar]?.zone } ?? "UTC"
            var line = "\(deadline.clock) #\(deadline.cycle) (\(deadline.policy ?? "-"), \(policy?.clock.rawValue ?? "?") clock): due "
                + "\(CalendarCommand.local(deadline.dueAt, zone: zone)) (\(RFC3339.string(deadline.dueAt))), "
                + (deadline.isBreachedOpen ? "breached" : deadline.state.rawValue)
            if let need = deadline.need, deadline.clock == SLAClock.followUps.rawValue, deadline.state == .pending || deadline.isBreachedOpen {
                line += ", \(need) contact\(need == 1 ? "" : "s") still needed"
            }
            if let policy, let plan, deadline.state == .pending || deadline.isBreachedOpen {
                let left = plan.remaining(policy, from: now, to: deadline.dueAt)
                let kind = policy.clock == .business ? "business time" : "time"
                line += left >= 0 ? ", \(DurationText.format(seconds: left)) of \(kind) left"
                                  : ", overdue by \(DurationText.format(seconds: -left)) of \(kind)"
            }
            if deadline.state == .pending, provisional.contains(deadline.clock) {
                line += "; provisional: computed across fallback holidays (moves when that year's holiday file is added)"
            }
            return line
        }
    }
}
