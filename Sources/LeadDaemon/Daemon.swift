import Foundation
import LeadConfig
import LeadCore
import LeadHTTP
import LeadMail
import LeadStores
import LeadSystemd
import Logging
import ServiceLifecycle

/// Builds and runs the daemon: opens and migrates the store, records the configuration, then runs
/// the service group until SIGTERM/SIGINT. READY=1 is sent once the HTTP listener is bound.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    public let configPath: String
    public let loader: ConfigLoader
    public let logLevel: LogLevelControl
    public let logger: Logger
    public let clock: any WallClock

    public init(configuration: DaemonConfiguration, configPath: String, loader: ConfigLoader,
                logLevel: LogLevelControl, logger: Logger, clock: any WallClock = SystemWallClock()) {
        self.configuration = configuration; self.configPath = configPath; self.loader = loader
        self.logLevel = logLevel; self.logger = logger; self.clock = clock
    }

    public func run() async throws {
        let startedAt = clock.now()
        let identity = DaemonIdentity(pid: getpid(), startedAt: startedAt, configFile: configuration.sourceFile.path)
        logger.info("daemon starting", metadata: [
            "config.file": "\(identity.configFile)", "version": "\(LeadRouterVersion.current)",
        ])

        // libcurl's global state, once, before any sender thread starts.
        guard CurlRuntime.initialize() else { throw DaemonStartError.curl }
        try StateDirectoryCheck.requireWritable(configuration.state.directory)
        let opened = try await StoreOpener.open(configuration, access: .daemon, logger: logger)
        defer { opened.close() }
        let store = opened.store
        logger.info("database opened", metadata: ["db.store": "\(opened.description)", "db.backend": "\(configuration.store.backend.rawValue)"])
        let state = ConfigurationState(configuration, loadedAt: startedAt)
        let notifier = SystemdNotifier()
        let metrics = DaemonMetrics()
        metrics.recordGeneration(1)
        opened.observeWrites(StoreWriteReporting(metrics: metrics, logger: logger))
        // On a shared database every node's clock is the database's (measured by the cluster service).
        let daemonClock = opened.cluster.map { _ in OffsetWallClock(clock) }
        let context = DaemonContext(store: store, state: state, notifier: notifier, metrics: metrics, clock: daemonClock ?? clock,
                                    logger: logger, identity: identity, sharedStore: opened.cluster != nil)
        metrics.recordLeader(context.leadership.isLeader)
        try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams,
                                      configGeneration: 1, at: startedAt)

        let maildrops = try configuration.maildrops.map { maildrop in
            let intake: any MaildropProcessing = maildrop.kind == .activity
                ? ActivityMaildrop(configuration: maildrop, context: context, store: store)
                : MaildropIntake(configuration: maildrop, context: context)
            try intake.spool.prepare()
            logger.info("maildrop opened", metadata: ["maildrop": "\(maildrop.name)", "maildrop.path": "\(maildrop.path.path)"])
            return MaildropService(intake: intake, context: context)
        }

        PublishedSecrets.warn(configuration, logger: logger)
        for webhook in configuration.webhooks where webhook.authentication == .none {
            logger.warning("webhook without authentication", metadata: ["webhook": "\(webhook.name)"])
        }

        let watchdog = SystemdNotifier.watchdogInterval()
        let workLoop = WorkLoopService(context: context, watchdogInterval: watchdog)
        let coverage = context.coverageWarnings.check(configuration.calendars, now: startedAt, force: true, context: context)
        let initialSummary = await workLoop.tick(now: startedAt, housekeeping: false)

        let console = configuration.ui.enabled ? ConsoleAPI(context: context, store: opened.store) : nil
        let http = HTTPServer.makeApplication(
            address: httpAddress(),
            readiness: { await Self.readiness(store: store, health: context.storeHealth) },
            metrics: metrics.registry,
            logger: logger,
            webhooks: WebhookIntake(context: context, committer: IntakeCommitter(store: store)),
            admin: AdminAPI(context: context),
            console: configuration.ui.listen == nil ? console : nil,
            idleTimeout: configuration.http.idleTimeout,
            maxHeaderBytes: configuration.http.maxHeaderBytes,
            servesMetrics: configuration.http.metricsListen == nil,
            connectionGate: ConnectionLimit.makeGate(configured: configuration.http.maxConnections, context: context),
            onRunning: { [logger] address in
                logger.info("http listening", metadata: ["http.address": "\(address)"])
                logger.info("daemon ready", metadata: [
                    "config.generation": "1",
                    "watchdog.usec": "\(watchdog?.microseconds ?? 0)",
                ])
                notifier.ready(status: ([initialSummary?.statusLine ?? "ready"] + coverage.map(\.short)).joined(separator: "; "))
            })

        let metricsServer: (any Service)? = configuration.http.metricsListen.map { listen in
            HTTPServer.makeMetricsApplication(address: Self.address(listen), metrics: metrics.registry, logger: logger,
                                              onRunning: { [logger] address in
                logger.info("http listening", metadata: ["http.address": "\(address)", "http.role": "metrics"])
            })
        }
        let consoleServer: (any Service)? = console.flatMap { console in
            configuration.ui.listen.map { listen in
                HTTPServer.makeConsoleApplication(address: Self.address(listen), console: console, logger: logger,
                                                  idleTimeout: configuration.http.idleTimeout, maxHeaderBytes: configuration.http.maxHeaderBytes,
                                                  onRunning: { [logger] address in
                    logger.info("http listening", metadata: ["http.address": "\(address)", "http.role": "console"])
                })
            }
        }
        let reloader = ConfigReloader(context: context, loader: loader, path: configPath, logLevel: logLevel)
        var services = Self.services(context: context, workLoop: workLoop, reloader: reloader, maildrops: maildrops,
                                     metricsServer: metricsServer, consoleServer: consoleServer, http: http)
        if let checkpoint = opened.checkpointWAL {
            services.insert(("wal checkpointer", WALCheckpointService(checkpoint: checkpoint, context: context)), at: 0)
        }
        if let cluster = opened.cluster, let daemonClock {
            services.insert(("cluster", ClusterService(context: context, cluster: cluster, clock: daemonClock,
                                                       node: identity.node)), at: 0)
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0.service) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("daemon stopped")
    }

    /// The daemon's services in start order. Graceful shutdown runs in reverse: STOPPING=1 goes
    /// first, then the HTTP server stops taking requests, mail-drops stop taking files, and the
    /// work loop finishes its tick last.
    static func services(context: DaemonContext, workLoop: WorkLoopService, reloader: ConfigReloader, maildrops: [MaildropService],
                         metricsServer: (any Service)?, consoleServer: (any Service)? = nil, http: any Service) -> [(name: String, service: any Service)] {
        var services: [(name: String, service: any Service)] = [
            ("work loop", workLoop),
            ("deadline scheduler", DeadlineScheduler(context: context)),
            ("outbox sender", OutboxSender(context: context, store: context.store)),
            ("channel sender", ChannelSender(context: context, store: context.store)),
            ("detail fetcher", DetailFetcher(context: context, store: context.store)),
            ("reload signal", ReloadSignalService(reloader: reloader)),
        ]
        services += maildrops.map { ("maildrop \($0.intake.configuration.name)", $0) }
        if let metricsServer { services.append(("metrics http", metricsServer)) }
        if let consoleServer { services.append(("console http", consoleServer)) }
        services.append(("http", http))
        services.append(("shutdown notifier", ShutdownNotifierService(notifier: context.notifier, logger: context.logger)))
        return services
    }

    private func httpAddress() -> HTTPServer.Address { Self.address(configuration.http.listen) }

    private static func address(_ listen: HTTPConfiguration.ListenAddress) -> HTTPServer.Address {
        switch listen {
        case .tcp(let host, let port):
            return .tcp(host: host, port: port)
        case .unix(let path):
            // A socket left by a previous run would make bind fail; only a socket is removed.
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
            return .unix(path: path)
        }
    }

    /// Ready when the database answers a read and the last write (the work loop's heartbeat, every
    /// few seconds) went through: a locked, read-only or full database shows here with its reason.
    static func readiness(store: any LeadStore, health: StoreHealth) async -> ReadinessReport {
        do {
            try await store.ping()
            if let failure = health.lastFailure { return ReadinessReport(checks: ["database": "writes failing: \(failure)"]) }
            return ReadinessReport(checks: ["database": "ok"])
        } catch {
            return ReadinessReport(checks: ["database": "\(error)"])
        }
    }
}

/// Start-up failures that are not the configuration's fault.
public enum DaemonStartError: Error, CustomStringConvertible {
    case curl
    case stateDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case .curl: "curl_global_init failed"
        case .stateDirectory(let path, let reason): "state directory \(path) is not writable: \(reason)"
        }
    }

    /// sysexits(3): EX_CANTCREAT for the state directory, EX_SOFTWARE otherwise.
    public var exitCode: Int32 {
        switch self {
        case .curl: 70
        case .stateDirectory: 73
        }
    }
}
