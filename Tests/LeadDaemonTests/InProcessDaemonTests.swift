import Foundation
import LeadConfig
import LeadCore
@testable import LeadDaemon
import LeadStoreSQLite
import LeadSystemd
import LeadTestSupport
import Logging
import Testing

/// The daemon's services driven in-process with a manual clock and a real SQLite file:
/// no waiting for time to pass.
final class InProcessFixture: @unchecked Sendable {
    let folder: TemporaryDirectory
    let clock = ManualWallClock(Date(timeIntervalSince1970: 1_796_000_000))
    let logs = LogRecorder()
    let store: SQLiteLeadStore
    let context: DaemonContext
    let levels = LogLevelControl(.info)

    /// `scheduler` goes into `[scheduler]`, `extra` at the end.
    init(extra: String = "", scheduler: String = "") async throws {
        folder = try TemporaryDirectory(prefix: "lr-inproc")
        try folder.write("leadrouter.toml", DaemonHarness.config(reps: 2, port: 8080, extra: scheduler) + "\n" + extra)
        let configuration = try ConfigLoader(environment: [:]).load(path: folder.file("leadrouter.toml").path)
        store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
        context = DaemonContext(
            store: store, state: ConfigurationState(configuration, loadedAt: clock.now()), notifier: SystemdNotifier(),
            metrics: DaemonMetrics(), clock: clock, logger: logs.logger(),
            identity: DaemonIdentity(pid: 4242, startedAt: clock.now(), configFile: configuration.sourceFile.path))
        try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams,
                                      configGeneration: 1, at: clock.now())
    }

    var reloader: ConfigReloader {
        ConfigReloader(context: context, loader: ConfigLoader(environment: [:]),
                       path: folder.file("leadrouter.toml").path, logLevel: levels)
    }

    deinit { folder.remove() }
}

@Suite struct InProcessDaemonTests {
    @Test func aTickWritesTheHeartbeatAtTheInjectedTime() async throws {
        let fixture = try await InProcessFixture()
        let loop = WorkLoopService(context: fixture.context, watchdogInterval: nil)
        fixture.clock.advance(by: 3_600)
        let summary = try #require(await loop.tick(now: fixture.clock.now()))
        #expect(summary.reps == 2)
        let beat = try #require(try await fixture.store.heartbeat())
        #expect(beat.lastTickAt == fixture.clock.now())
        #expect(beat.pid == 4242)
        #expect(beat.configGeneration == 1)
        #expect(fixture.context.metrics.registry.emitToString().contains("leadrouter_scheduler_ticks_total 1"))
    }

    @Test func aValidReloadSwapsTheWholeConfigurationAndRecordsIt() async throws {
        let fixture = try await InProcessFixture()
        var text = DaemonHarness.config(reps: 3, port: 8080)
        text = text.replacingOccurrences(of: "level = \"info\"", with: "level = \"debug\"")
        try fixture.folder.write("leadrouter.toml", text)
        fixture.clock.advance(by: 10)
        let outcome = await fixture.reloader.reload()
        #expect(outcome == .applied(generation: 2, needsRestart: []))
        #expect(fixture.context.state.snapshot.generation == 2)
        #expect(fixture.context.state.snapshot.configuration.directory.reps.count == 3)
        #expect(fixture.levels.current == .debug)
        #expect(try await fixture.store.summary().reps == 3)
        #expect(try await fixture.store.heartbeat()?.configGeneration == 2)
        #expect(try await fixture.store.heartbeat()?.configLoadedAt == fixture.clock.now())
        #expect(fixture.logs.entries.contains { $0.message == "configuration reloaded" && $0.metadata["config.generation"] == "2" })
    }

    @Test func anInvalidReloadChangesNothing() async throws {
        let fixture = try await InProcessFixture()
        try fixture.folder.write("leadrouter.toml", DaemonHarness.config(reps: 3, port: 8080, extra: "oops = true"))
        let outcome = await fixture.reloader.reload()
        guard case .rejected(let error) = outcome else { Issue.record("expected rejected, got \(outcome)"); return }
        #expect(error.issues.map(\.keyPath) == ["scheduler.oops"])
        #expect(fixture.context.state.snapshot.generation == 1)
        #expect(fixture.context.state.snapshot.configuration.directory.reps.count == 2)
        #expect(try await fixture.store.summary().reps == 2)
        let logged = try #require(fixture.logs.entries.first { $0.message == "configuration reload failed" })
        #expect(logged.level == .error)
        #expect(logged.metadata["config.issues"]?.contains("scheduler.oops: unknown key") == true)
    }

    @Test func restartOnlySettingsKeepTheirRunningValuesAndAreReported() async throws {
        let fixture = try await InProcessFixture()
        try fixture.folder.write("leadrouter.toml", DaemonHarness.config(reps: 2, port: 9999))
        let outcome = await fixture.reloader.reload()
        #expect(outcome == .applied(generation: 2, needsRestart: ["http.listen"]))
        #expect(fixture.context.state.snapshot.configuration.http.listen == .tcp(host: "127.0.0.1", port: 8080))
        #expect(fixture.logs.entries.contains { $0.message == "configuration change needs restart" && $0.level == .warning })
    }

    @Test func aFailingStoreIsLoggedOnceAndTheLoopCarriesOn() async throws {
        let fixture = try await InProcessFixture()
        let loop = WorkLoopService(context: fixture.context, watchdogInterval: nil)
        try fixture.store.close()
        #expect(await loop.tick(now: fixture.clock.now()) == nil)
        #expect(await loop.tick(now: fixture.clock.now()) == nil)
        #expect(fixture.logs.entries.filter { $0.message == "database unavailable" }.count == 1)
        #expect(await Daemon.readiness(store: fixture.store, health: fixture.context.storeHealth).ready == false)
    }
}

@Suite struct HousekeepingTests {
    @Test func rawCapturesPastTheirRetentionAreEmptiedButLeadsStay() async throws {
        let fixture = try await InProcessFixture(extra: "[intake]\ncapture_retention = \"1d\"\n")
        let item = IntakeItem(draft: LeadDraft(email: "a@b.cn", origin: LeadOrigin(channel: .webhook, name: "w", key: "1"),
                                               receivedAt: fixture.clock.now()), raw: RawCapture(body: [1, 2, 3]))
        _ = try await fixture.store.recordIntakes([item], duplicates: DuplicatePolicy(), at: fixture.clock.now())
        let loop = WorkLoopService(context: fixture.context, watchdogInterval: nil)
        await loop.tick(now: fixture.clock.now())
        #expect(try await fixture.store.rawCapture(of: LeadID(1))?.body == [1, 2, 3])
        fixture.clock.advance(by: 2 * 86_400)
        await loop.tick(now: fixture.clock.now())
        #expect(try await fixture.store.rawCapture(of: LeadID(1))?.body == [])
        #expect(try await fixture.store.lead(LeadID(1))?.draft.email == "a@b.cn")
    }
}
