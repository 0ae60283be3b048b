import Foundation
import LeadConfig
import LeadCore
import Logging

/// SIGHUP: read and validate the file again and swap it in whole, or keep the old one whole.
public struct ConfigReloader: Sendable {
    public enum Outcome: Sendable, Equatable {
        case applied(generation: Int, needsRestart: [String])
        case rejected(ConfigError)
        case storeFailed(String)
    }

    let context: DaemonContext
    let loader: ConfigLoader
    let path: String
    let logLevel: LogLevelControl

    public init(context: DaemonContext, loader: ConfigLoader, path: String, logLevel: LogLevelControl) {
        self.context = context; self.loader = loader; self.path = path; self.logLevel = logLevel
    }

    @discardableResult
    public func reload() async -> Outcome {
        context.notifier.reloading()
        let outcome = await apply(now: context.clock.now())
        switch outcome {
        case .applied(let generation, let needsRestart):
            context.metrics.reload(succeeded: true)
            context.metrics.recordGeneration(generation)
            context.logger.info("configuration reloaded", metadata: [
                "config.generation": "\(generation)", "config.file": "\(path)",
            ])
            if !needsRestart.isEmpty {
                context.logger.warning("configuration change needs restart", metadata: [
                    "config.keys": "\(needsRestart.joined(separator: ","))",
                ])
            }
            PublishedSecrets.warn(context.state.snapshot.configuration, logger: context.logger)
            let coverage = context.coverageWarnings.check(context.state.snapshot.configuration.calendars, now: context.clock.now(),
                                                          force: true, context: context)
            context.notifier.ready(status: (["configuration \(generation) loaded"] + coverage.map(\.short)).joined(separator: "; "))
        case .rejected(let error):
            context.metrics.reload(succeeded: false)
            context.logger.error("configuration reload failed", metadata: [
                "config.file": "\(path)", "config.issues": "\(error.description)",
                "config.issue_count": "\(error.issues.count)",
            ])
            context.notifier.ready(status: "reload failed, running configuration \(context.state.snapshot.generation)")
        case .storeFailed(let reason):
            context.metrics.reload(succeeded: false)
            context.logger.error("database unavailable", metadata: ["error": "\(reason)"])
            context.notifier.ready(status: "reload failed (database), running configuration \(context.state.snapshot.generation)")
        }
        return outcome
    }

    /// Maildrops that keep their name and path take the new settings (labels, source, caps); adding,
    /// removing or moving one needs a restart, so the running set stays.
    static func keepingRunningMaildrops(_ loaded: [MaildropConfiguration], running: [MaildropConfiguration]) -> [MaildropConfiguration] {
        running.map { old in loaded.first { $0.name == old.name && $0.path == old.path } ?? old }
    }

    private func apply(now: Date) async -> Outcome {
        let loaded: DaemonConfiguration
        do {
            loaded = try loader.load(path: path)
        } catch {
            return .rejected(error)
        }
        let current = context.state.snapshot
        let needsRestart = loaded.restartOnlyDifferences(from: current.configuration)
        // Settings that need a restart keep their running values; everything else comes from the new file.
        var next = loaded
        next.state = current.configuration.state
        next.store = current.configuration.store
        next.http.listen = current.configuration.http.listen
        next.log.target = current.configuration.log.target
        next.maildrops = Self.keepingRunningMaildrops(next.maildrops, running: current.configuration.maildrops)
        do {
            try await context.store.syncDirectory(reps: next.directory.reps, teams: next.directory.teams,
                                                  configGeneration: current.generation + 1, at: now)
        } catch {
            return .storeFailed(String(describing: error))
        }
        let snapshot = context.state.replace(with: next, at: now)
        logLevel.current = LoggingSetup.level(next.log.level)
        try? await context.store.recordHeartbeat(context.heartbeat(now: now))
        await recomputeProvisionalDeadlines(plan: snapshot.routing?.sla, at: now)
        return .applied(generation: snapshot.generation, needsRestart: needsRestart)
    }

    /// Deadlines computed across provisional holidays move to what the new holiday data says
    /// (each change logged); a level already decided is not pending, so it is never decided again.
    private func recomputeProvisionalDeadlines(plan: SLAPlan?, at now: Date) async {
        guard let plan else { return }
        let store = context.store
        do {
            let changes = try await store.recomputeProvisionalDeadlines(plan: plan, at: now)
            for change in changes {
                context.logger.notice("sla deadline recomputed", metadata: [
                    "lead.id": "\(change.lead)", "clock": "\(change.clock)", "level": "\(change.level)",
                    "due.from": "\(RFC3339Text.string(change.from))", "due.at": "\(RFC3339Text.string(change.to))",
                ])
            }
            if !changes.isEmpty { context.wakeup.notify() }
        } catch {
            context.metrics.storeFailed()
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
        }
    }
}
