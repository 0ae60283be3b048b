import Foundation
@testable import LeadDaemon
import LeadTestSupport
import ServiceLifecycle
import Testing

/// The daemon's service order, which graceful shutdown reverses: STOPPING=1 is announced first,
/// then HTTP stops, mail-drops stop taking files, and the work loop finishes its tick last.
@Suite struct ServiceOrderTests {
    struct Idle: Service { func run() async throws {} }

    @Test func shutdownAnnouncesFirstThenStopsHTTPThenIntakeAndTheWorkLoopLast() async throws {
        let fixture = try await InProcessFixture(extra: "[[maildrop]]\nname = \"inbox\"\npath = \"drop\"\n")
        let maildrops = fixture.context.state.snapshot.configuration.maildrops.map {
            MaildropService(intake: MaildropIntake(configuration: $0, context: fixture.context), context: fixture.context)
        }
        let names = Daemon.services(context: fixture.context, workLoop: WorkLoopService(context: fixture.context, watchdogInterval: nil),
                                    reloader: fixture.reloader, maildrops: maildrops, metricsServer: Idle(), http: Idle()).map(\.name)
        #expect(names == ["work loop", "deadline scheduler", "outbox sender", "channel sender", "detail fetcher", "reload signal",
                          "maildrop inbox", "metrics http", "http", "shutdown notifier"])
        // In shutdown order (reversed): the announcement, then HTTP, then the rest.
        #expect(Array(names.reversed().prefix(2)) == ["shutdown notifier", "http"])
        #expect(names.reversed().last == "work loop")
    }
}
