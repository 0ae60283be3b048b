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
    /// `[ui]`: the web console.
    public var ui: ConsoleConfiguration
    /// `[[channel]]`: group robots and outbound webhooks.
    public var channels: [ChannelConfiguration]

    public init(sourceFile: URL, state: StateConfiguration, store: StoreConfiguration,
                http: HTTPConfiguration, log: LogConfiguration, scheduler: SchedulerConfiguration,
                smtp: SMTPConfiguration?, directory: DirectoryConfiguration,
                intake: IntakeConfiguration = IntakeConfiguration(), maildrops: [MaildropConfiguration] = [],
                webhooks: [WebhookConfiguration] = [], routing: RoutingConfiguration = RoutingConfiguration(),
                calendars: [BusinessCalendar] = [], sla: [SLAPolicy] = [], mail: MailConfiguration = MailConfiguration(),
                lifecycle: Lifecycle = .standard, ui: ConsoleConfiguration = ConsoleConfiguration(), channels: [ChannelConfiguration] = []) {
        self.sourceFile = sourceFile; self.state = state; self.store = store; self.http = http
        self.log = log; self.scheduler = scheduler; self.smtp = smtp; self.directory = directory
        self.intake = intake; self.maildrops = maildrops; self.webhooks = webhooks; self.routing = routing
        self.calendars = calendars; self.sla = sla; self.mail = mail; self.lifecycle = lifecycle
        self.ui = ui; self.channels = channels
    }

    /// Every setting a SIGHUP reload cannot change (they need a restart): the one list, which
    /// `restartOnlyDifferences` reports from and the README's reload paragraph repeats (a test
    /// keeps them in step).
    public static let restartOnlyKeys = [
        "state.directory", "store", "http.listen", "http.metrics_listen", "http.idle_timeout", "http.max_header_size",
        "http.max_connections", "log.target", "smtp.senders", "maildrop", "ui",
    ]

    /// The restart-only settings that differ between `self` and `other`, by key path.
    public func restartOnlyDifferences(from other: DaemonConfiguration) -> [String] {
        let differs: [String: Bool] = [
            "state.directory": state != other.state,
            "store": store != other.store,
            "http.listen": http.listen != other.http.listen,
            "http.metrics_listen": http.metricsListen != other.http.metricsListen,
            "http.idle_timeout": http.idleTimeout != other.http.idleTimeout,
            "http.max_header_size": http.maxHeaderBytes != other.http.maxHeaderBytes,
            "http.max_connections": http.maxConnections != other.http.maxConnections,
            "log.target": log.target != other.log.target,
            "smtp.senders": (smtp == nil) != (other.smtp == nil) || smtp?.senders != other.smtp?.senders,
            "maildrop": maildrops.map(\.name) != other.maildrops.map(\.name) || maildrops.map(\.path) != other.maildrops.map(\.path),
            "ui": ui != other.ui,
        ]
        precondition(Set(differs.keys) == Set(Self.restartOnlyKeys), "restartOnlyKeys and restartOnlyDifferences disagree")
        return Self.restartOnlyKeys.filter { differs[$0] == true }
    }
}
