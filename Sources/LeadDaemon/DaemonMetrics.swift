import CoreMetrics
import Foundation
import LeadCore
import LeadHTTP
import Prometheus
import Synchronization

/// The daemon's metrics, created through swift-metrics on a Prometheus registry that `/metrics`
/// serves. No global MetricsSystem: the registry is passed in.
public struct DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let leadsOpen: CoreMetrics.Gauge
    private let leadsUnassigned: CoreMetrics.Gauge
    private let leadsTotal: CoreMetrics.Gauge
    private let deadlinesPending: CoreMetrics.Gauge
    private let oldestOverdue: CoreMetrics.Gauge
    private let sendDuration: CoreMetrics.Timer
    private let outboxPending: CoreMetrics.Gauge
    private let outboxDead: CoreMetrics.Gauge
    private let configGeneration: CoreMetrics.Gauge
    private let ticks: CoreMetrics.Counter
    private let storeErrors: CoreMetrics.Counter
    /// Labelled counters, created once per label set (creating one per event costs a registry lookup).
    private let labelled = LabelledMetrics<CoreMetrics.Counter>()
    private let labelledGauges = LabelledMetrics<CoreMetrics.Gauge>()
    private let labelledTimers = LabelledMetrics<CoreMetrics.Timer>()
    private let leadsStale: CoreMetrics.Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        leadsOpen = CoreMetrics.Gauge(label: "leadrouter_leads_open", factory: factory)
        leadsUnassigned = CoreMetrics.Gauge(label: "leadrouter_leads_unassigned", factory: factory)
        leadsTotal = CoreMetrics.Gauge(label: "leadrouter_leads_total", factory: factory)
        deadlinesPending = CoreMetrics.Gauge(label: "leadrouter_deadlines_pending", factory: factory)
        oldestOverdue = CoreMetrics.Gauge(label: "leadrouter_sla_oldest_overdue_seconds", factory: factory)
        leadsStale = CoreMetrics.Gauge(label: "leadrouter_leads_stale", factory: factory)
        sendDuration = CoreMetrics.Timer(label: "leadrouter_mail_send_duration_seconds", factory: factory)
        outboxPending = CoreMetrics.Gauge(label: "leadrouter_outbox_pending", factory: factory)
        outboxDead = CoreMetrics.Gauge(label: "leadrouter_outbox_dead", factory: factory)
        configGeneration = CoreMetrics.Gauge(label: "leadrouter_config_generation", factory: factory)
        ticks = CoreMetrics.Counter(label: "leadrouter_scheduler_ticks_total", factory: factory)
        storeErrors = CoreMetrics.Counter(label: "leadrouter_store_errors_total", factory: factory)
        CoreMetrics.Gauge(label: "leadrouter_build_info", dimensions: [("version", LeadRouterVersion.current)], factory: factory)
            .record(1)
    }

    public func record(_ summary: StoreSummary) {
        leadsOpen.record(summary.leadsOpen)
        leadsUnassigned.record(summary.leadsUnassigned)
        leadsTotal.record(summary.leadsTotal)
        deadlinesPending.record(summary.deadlinesPending)
        outboxPending.record(summary.outboxPending)
        outboxDead.record(summary.outboxDead)
        for (status, count) in summary.leadsByStatus {
            labelledGauges.gauge("leadrouter_leads", [("status", status)], factory: factory).record(count)
        }
        leadsStale.record(summary.leadsStale)
    }

    /// `leadrouter_http_connections_total{outcome}`: admitted, evicted_idle (admitted by closing the
    /// longest-idle one) or refused (every connection busy at `http.max_connections`).
    func connection(_ outcome: ConnectionGate.Outcome) {
        let name = switch outcome { case .admitted: "admitted"; case .admittedByEvicting: "evicted_idle"; case .refused: "refused" }
        labelled.counter("leadrouter_http_connections_total", [("outcome", name)], factory: factory).increment()
    }

    public func recordGeneration(_ generation: Int) { configGeneration.record(generation) }
    public func tickCompleted() { ticks.increment() }
    public func storeFailed() { storeErrors.increment() }

    /// One intake outcome: `created`, `redelivered`, `reinquiry`, `quarantined` or `rejected`.
    public func intake(channel: String, source: String, outcome: String) {
        labelled.counter("leadrouter_intake_total", [("channel", channel), ("outcome", outcome)], factory: factory).increment()
        if outcome == "created" || outcome == "reinquiry" {
            labelled.counter("leadrouter_leads_received_total", [("channel", channel), ("source", source)], factory: factory).increment()
        }
    }

    /// A refused or quarantined input, by bounded reason (`unauthorized`, `malformed`,
    /// `unprocessable`, `too_large`, or the quarantine kind).
    public func rejected(channel: String, reason: String) {
        labelled.counter("leadrouter_intake_rejected_total", [("channel", channel), ("reason", reason)], factory: factory).increment()
    }

    /// Days until a calendar's holiday data ends (negative once past).
    public func calendarCoverage(calendar: String, days: Int) {
        labelledGauges.gauge("leadrouter_calendar_coverage_days", [("calendar", calendar)], factory: factory).record(days)
    }

    /// One detail-fetch attempt (Meta lead ads): `fetched`, `retry` or `dead`.
    public func detailFetch(vendor: String, outcome: String) {
        labelled.counter("leadrouter_detail_fetches_total", [("vendor", vendor), ("outcome", outcome)], factory: factory).increment()
    }

    public func assigned(team: String, rep: String) {
        labelled.counter("leadrouter_assignments_total", [("team", team), ("rep", rep)], factory: factory).increment()
    }

    public func held(team: String) {
        labelled.counter("leadrouter_leads_held_total", [("team", team)], factory: factory).increment()
    }

    /// An SLA decision: breaches by policy, clock and level; every decision by kind.
    public func slaDecided(_ decision: SLADecision) {
        labelled.counter("leadrouter_sla_decisions_total", [("kind", decision.kind.rawValue)], factory: factory).increment()
        if decision.kind == .breach {
            labelled.counter("leadrouter_sla_breaches_total", [("policy", decision.policy), ("clock", decision.clock.rawValue),
                                                                ("level", "\(decision.level)")], factory: factory).increment()
        } else if decision.kind == .escalation || decision.kind == .warning {
            labelled.counter("leadrouter_sla_escalations_total", [("policy", decision.policy), ("clock", decision.clock.rawValue),
                                                                  ("level", "\(decision.level)")], factory: factory).increment()
        }
    }

    /// Whether this node holds the leader row for the periodic work (1) or not (0); a daemon
    /// alone on its store always does.
    public func recordLeader(_ leading: Bool) {
        labelledGauges.gauge("leadrouter_leader", [], factory: factory).record(leading ? 1 : 0)
    }

    /// Nodes with a heartbeat in the last minute (a shared database).
    public func recordNodes(_ count: Int) {
        labelledGauges.gauge("leadrouter_cluster_nodes", [], factory: factory).record(count)
    }

    /// The database's clock minus this host's, in seconds (a shared database).
    public func recordClockOffset(_ seconds: TimeInterval) {
        labelledGauges.gauge("leadrouter_clock_offset_seconds", [], factory: factory).record(seconds)
    }

    /// The age of the oldest overdue deadline (0 when none).
    public func recordOldestOverdue(_ oldest: Date?, now: Date) {
        oldestOverdue.record(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    /// An activity recorded, by kind and channel (`api`, `cli`, `maildrop`).
    public func activity(kind: String, channel: String) {
        labelled.counter("leadrouter_activities_total", [("kind", kind), ("channel", channel)], factory: factory).increment()
    }

    public func mailSent(kind: String) {
        labelled.counter("leadrouter_mail_sent_total", [("kind", kind)], factory: factory).increment()
    }

    /// A failed attempt by class: `4xx`, `connection`, `tls`, `auth`, `5xx`, `gave_up`.
    public func mailFailed(failureClass: String) {
        labelled.counter("leadrouter_mail_failures_total", [("class", failureClass)], factory: factory).increment()
    }

    /// A channel message's attempt: `sent`, `retry`, `dead`, by channel kind.
    public func channelMessage(kind: String, outcome: String) {
        labelled.counter("leadrouter_channel_messages_total", [("kind", kind), ("outcome", outcome)], factory: factory).increment()
    }

    public func mailAttempt(duration: Duration) {
        sendDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// `leadrouter_store_wal_pages`: pages in the WAL after the last background checkpoint.
    public func walCheckpoint(_ checkpoint: WALCheckpoint) {
        labelledGauges.gauge("leadrouter_store_wal_pages", [], factory: factory).record(checkpoint.walFrames)
    }

    /// `leadrouter_store_write_wait_seconds{operation}` and `leadrouter_store_write_seconds{operation}`.
    public func storeWrite(_ operation: String, waited: Duration, held: Duration) {
        let dimensions = [("operation", operation)]
        labelledTimers.timer("leadrouter_store_write_wait_seconds", dimensions, factory: factory).recordNanoseconds(waited.nanoseconds)
        labelledTimers.timer("leadrouter_store_write_seconds", dimensions, factory: factory).recordNanoseconds(held.nanoseconds)
    }

    public func reload(succeeded: Bool) {
        labelled.counter("leadrouter_config_reloads_total", [("result", succeeded ? "ok" : "failed")], factory: factory).increment()
    }
}

/// Labelled metrics created once per label set (creating one per event costs a registry lookup).
final class LabelledMetrics<Metric: Sendable>: Sendable {
    private let cache = Mutex<[String: Metric]>([:])

    func metric(_ label: String, _ dimensions: [(String, String)], make: () -> Metric) -> Metric {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return cache.withLock { cache in
            if let metric = cache[key] { return metric }
            let metric = make()
            cache[key] = metric
            return metric
        }
    }
}

extension LabelledMetrics where Metric == CoreMetrics.Counter {
    func counter(_ label: String, _ dimensions: [(String, String)], factory: PrometheusMetricsFactory) -> CoreMetrics.Counter {
        metric(label, dimensions) { CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory) }
    }
}

extension LabelledMetrics where Metric == CoreMetrics.Gauge {
    func gauge(_ label: String, _ dimensions: [(String, String)], factory: PrometheusMetricsFactory) -> CoreMetrics.Gauge {
        metric(label, dimensions) { CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory) }
    }
}

extension LabelledMetrics where Metric == CoreMetrics.Timer {
    func timer(_ label: String, _ dimensions: [(String, String)], factory: PrometheusMetricsFactory) -> CoreMetrics.Timer {
        metric(label, dimensions) { CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory) }
    }
}
