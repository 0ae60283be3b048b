import Foundation
import LeadCore

/// The whole configuration of leadrouter, decoded from one TOML file and validated.
/// Each section is its own type in `Sections/`; later features add a section and one line to
/// `ConfigLoader.decode`.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The file this was loaded from (absolute).
    public var sourceFile: URL
    public var state: StateConfiguration
    public var store: StoreConfiguration
    public var http: HTTPConfiguration
    public var log: LogConfiguration
    public var scheduler: SchedulerConfiguration
    public var smtp: SMTPConfiguration?
    public var directory: DirectoryConfiguration
    public var intake: IntakeConfiguration
    public var maildrops: [MaildropConfiguration]
    public var webhooks: [WebhookConfiguration]
    public var routing: RoutingConfiguration
    public var calendars: [BusinessCalendar]
    public var sla: [SLAPolicy]
    public var mail: MailConfiguration
    public var lifecycle: Lifecycle

    public init(sourceFile: URL, state: StateConfiguration, store: StoreConfiguration,
                http: HTTPConfiguration, log: LogConfiguration, scheduler: SchedulerConfiguration,
                smtp: SMTPConfiguration?, directory: DirectoryConfiguration,
                intake: IntakeConfiguration = IntakeConfiguration(), maildrops: [MaildropConfiguration] = [],
                webhooks: [WebhookConfiguration] = [], routing: RoutingConfiguration = RoutingConfiguration(),
                calendars: [BusinessCalendar] = [], sla: [SLAPolicy] = [], mail: MailConfiguration = MailConfiguration(),
                lifecycle: Lifecycle = .standard) {
        self.sourceFile = sourceFile; self.state = state; self.store = store; self.http = http
        self.log = log; self.scheduler = scheduler; self.smtp = smtp; self.directory = directory
        self.intake = intake; self.maildrops = maildrops; self.webhooks = webhooks; self.routing = routing
        self.calendars = calendars; self.sla = sla; self.mail = mail; self.lifecycle = lifecycle
    }

    /// Settings that a SIGHUP reload cannot change (they need a restart), by key path.
    public func restartOnlyDifferences(from other: DaemonConfiguration) -> [String] {
        var keys: [String] = []
        if state != other.state { keys.append("state.directory") }
        if store != other.store { keys.append("store") }
        if http.listen != other.http.listen { keys.append("http.listen") }
        if http.metricsListen != other.http.metricsListen { keys.append("http.metrics_listen") }
        if http.idleTimeout != other.http.idleTimeout || http.maxHeaderBytes != other.http.maxHeaderBytes { keys.append("http.idle_timeout/max_header_size") }
        if http.maxConnections != other.http.maxConnections { keys.append("http.max_connections") }
        if log.target != other.log.target { keys.append("log.target") }
        if (smtp == nil) != (other.smtp == nil) || smtp?.senders != other.smtp?.senders { keys.append("smtp.senders") }
        if maildrops.map(\.name) != other.maildrops.map(\.name) || maildrops.map(\.path) != other.maildrops.map(\.path) {
            keys.append("maildrop")
        }
        return keys
    }
}
