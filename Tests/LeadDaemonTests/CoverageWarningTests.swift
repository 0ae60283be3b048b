import Foundation
import LeadCore
@testable import LeadDaemon
import LeadTestSupport
import Testing

/// Issue 15: the daemon warns before a calendar's holiday data ends — when the window opens, once
/// a local day, again on reload — and the gauge reads the days left. Time is a manual clock.
@Suite struct CoverageWarningTests {
    static let calendar = """
    [[calendar]]
    id = "office"
    hours = { "mon-fri" = ["09:00-18:00"] }
    holidays = ["2026-12-25"]
    covers = "2026-01-01..2026-12-31"
    coverage_warning = "45d"
    """

    @Test func warnsFromTheWindowOnceADayAndOnReload() async throws {
        let fixture = try await InProcessFixture(extra: Self.calendar)
        let loop = WorkLoopService(context: fixture.context, watchdogInterval: nil)
        func warnings() -> [String] {
            fixture.logs.entries.filter { $0.message == "calendar coverage ending" }.map { $0.metadata["days.left"] ?? "?" }
        }
        func gauge() -> String? {
            fixture.context.metrics.registry.emitToString().split(separator: "\n")
                .first { $0.hasPrefix("leadrouter_calendar_coverage_days{calendar=\"office\"}") }
                .map { String($0.split(separator: " ").last!) }
        }
        fixture.clock.set(try #require(RFC3339Text.date("2026-11-01T10:00:00+08:00")))
        await loop.tick(now: fixture.clock.now())
        #expect(warnings().isEmpty)                               // 60 days left: not yet
        #expect(gauge() == "60.0")

        fixture.clock.set(try #require(RFC3339Text.date("2026-11-16T00:30:00+08:00")))
        await loop.tick(now: fixture.clock.now())
        #expect(warnings() == ["45"])                             // the window opens
        fixture.clock.advance(by: 6 * 3_600)
        await loop.tick(now: fixture.clock.now())
        #expect(warnings() == ["45"])                             // once a local day
        fixture.clock.advance(by: 18 * 3_600)
        await loop.tick(now: fixture.clock.now())
        #expect(warnings() == ["45", "44"])                       // the next day
        #expect(gauge() == "44.0")
        let entry = try #require(fixture.logs.entries.last { $0.message == "calendar coverage ending" })
        #expect(entry.level == .warning)
        #expect(entry.metadata["coverage.end"] == "2026-12-31")
        #expect(entry.metadata["detail"]?.contains("count as ordinary working days") == true)

        await fixture.reloader.reload()                            // a reload says it again
        #expect(warnings() == ["45", "44", "44"])

        fixture.clock.set(try #require(RFC3339Text.date("2027-01-03T12:00:00+08:00")))
        await loop.tick(now: fixture.clock.now())
        #expect(gauge() == "-3.0")                                // past its end: negative
    }
}

extension CoverageWarningTests {
    /// The real daemon on a real NOTIFY_SOCKET: STATUS= and `leadctl status` carry the coverage
    /// line, and the journal line is written at start. (The window is a year and a day wide, and
    /// the coverage ends 2026-12-31, so this holds whatever today's date is.)
    @Test func statusLinesCarryTheCoverage() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let calendar = Self.calendar.replacingOccurrences(of: "coverage_warning = \"45d\"", with: "coverage_warning = \"366d\"")
        let config = DaemonHarness.config(reps: 1, port: harness.port, extra: calendar)
        try harness.writeRaw(config)
        try harness.folder.write("leadctl.toml", config)
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        let status = try #require(harness.notify.assignments.last { $0.hasPrefix("STATUS=") })
        #expect(status.contains("calendar office holidays end") && status.contains("2026-12-31"), "\(status)")
        let ctl = try await harness.leadctl(["status"])
        #expect(ctl.stdout.contains("calendar office: holidays known until 2026-12-31"), "\(ctl.stdout)")
        #expect(ctl.stdout.contains("WARNING: add next year's holiday file"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("calendar coverage ending"))
    }
}
