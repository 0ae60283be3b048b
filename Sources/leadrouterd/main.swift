// leadrouterd: parse arguments, load the configuration, bootstrap logging once, run the daemon.
import ArgumentParser
import CBuildInfo
import Foundation
import LeadConfig
import LeadCore
import LeadDaemon
import LeadSystemd
import Logging

@main
struct LeadRouterDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrouterd",
        abstract: "Routes inbound sales leads to reps and enforces the SLA (run under systemd).",
        discussion: """
            Reads the TOML configuration (see leadrouter.toml(5)), takes leads from mail-drop folders and signed webhooks, \
            routes them, and enforces the SLA clocks. Under systemd (Type=notify) it reports READY=1 after the database is \
            migrated and the listeners are bound, pets the watchdog, reloads the configuration on SIGHUP and stops \
            gracefully on SIGTERM. Exit status 78 (EX_CONFIG): the configuration is invalid. Administer it with leadctl(1).
            """,
        version: LeadRouterVersion.describe(commit: String(cString: leadrouter_build_commit())))

    @Option(name: .long, help: "Configuration file (default: $LEADROUTER_CONFIG, else \(ConfigLoader.defaultPath)).")
    var config: String?

    @Flag(name: .long, help: "Print the journald message catalog and exit.")
    var printCatalog = false

    func run() async throws {
        if printCatalog { print(LogCatalog.catalogText(), terminator: ""); return }
        // A SIGHUP before the reload service traps it must not kill a starting daemon.
        signal(SIGHUP, SIG_IGN)
        let loader = ConfigLoader()
        let path = loader.resolvePath(explicit: config)
        let levelControl = LogLevelControl(.info)
        let loaded: DaemonConfiguration
        do {
            loaded = try loader.load(path: path)
        } catch {
            LoggingSetup.bootstrap(LogConfiguration(), control: levelControl)
            try Self.exitForInvalidConfig(error, path: path)
        }
        levelControl.current = LoggingSetup.level(loaded.log.level)
        LoggingSetup.bootstrap(loaded.log, control: levelControl)
        let logger = Logger(label: "leadrouterd")
        do {
            try await Daemon(configuration: loaded, configPath: path, loader: loader, logLevel: levelControl,
                             logger: logger).run()
        } catch let error as DaemonStartError {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw ExitCode(error.exitCode)
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }

    /// EX_CONFIG (78): the problems go to stderr and to the journal.
    static func exitForInvalidConfig(_ error: ConfigError, path: String) throws -> Never {
        let logger = Logger(label: "leadrouterd")
        FileHandle.standardError.write(Data("leadrouterd: invalid configuration \(path):\n\(error.description)\n".utf8))
        for issue in error.issues {
            logger.error("configuration invalid", metadata: [
                "config.file": "\(path)", "config.issue": "\(issue.description)",
                "config.line": "\(issue.line.map(String.init) ?? "")", "config.key": "\(issue.keyPath)",
            ])
        }
        throw ExitCode(78)
    }
}
