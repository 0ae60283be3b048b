import Foundation
import LeadCore
@testable import LeadDaemon
import LeadMail
import LeadTestSupport
import Testing

/// The outbox sender driven in-process: a real SQLite store, a manual clock and a recording
/// transport, one `pass` at a time (no SMTP server, no waiting). The end-to-end mail tests keep
/// the real libcurl-to-aiosmtpd path.
@Suite struct OutboxSenderTests {
    static let smtp = """
        [smtp]
        url = "smtp://127.0.0.1:2525"
        from = "leadrouter@example.com"
        starttls = "off"
        retry_base = "60s"
        retry_cap = "600s"
        give_up_after = "1h"
        lease = "300s"
        """

    /// A fixture with `[smtp]`, one lead routed (so its owner's "new lead" mail is queued), and a sender.
    func setUp(_ transport: RecordingMailTransport) async throws -> (InProcessFixture, OutboxSender, OutboxSender.Lane) {
        let fixture = try await InProcessFixture(extra: Self.smtp)
        let routing = try #require(fixture.context.state.snapshot.routing)
        let item = IntakeItem(draft: LeadDraft(name: "王伟", email: "wang@corp.example.cn",
                                               origin: LeadOrigin(channel: .webhook, name: "site", key: "evt-1"),
                                               receivedAt: fixture.clock.now()),
                              raw: RawCapture(body: []))
        _ = try await fixture.store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off), routing: routing, at: fixture.clock.now())
        let sender = OutboxSender(context: fixture.context, store: fixture.store, makeTransport: { _ in transport })
        return (fixture, sender, OutboxSender.Lane(transport: transport))
    }

    @Test func aMessageIsSentOnceAndRecorded() async throws {
        let transport = RecordingMailTransport()
        var (fixture, sender, lane) = try await setUp(transport)
        guard case .finished(let id, .sent(let reply), false) = try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) else {
            Issue.record("not sent"); return
        }
        #expect(reply.hasPrefix("250"))
        #expect(transport.sent.count == 1 && transport.sent[0].recipients == ["rep1@example.com"])
        #expect(transport.sent[0].message.contains("Message-ID:"))
        #expect(try await fixture.store.outboxMessage(id)?.state == .sent)
        #expect(try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) == .idle(nextDue: nil))
        #expect(transport.sent.count == 1, "sent exactly once")
        #expect(fixture.context.metrics.registry.emitToString().contains("leadrouter_mail_sent_total"))
    }

    @Test func a4xxIsRetriedAfterABackoffAndThenSent() async throws {
        let transport = RecordingMailTransport(outcomes: [.transient(code: 451, reason: "try later", failureClass: "smtp_4xx")])
        var (fixture, sender, lane) = try await setUp(transport)
        let start = fixture.clock.now()
        guard case .finished(let id, .retry(let at, let error), false) = try await sender.pass(&lane, now: start, jitter: 0.5) else {
            Issue.record("not retried"); return
        }
        // Full jitter: attempt 1's ceiling is retry_base (60 s); a draw of 0.5 waits 30 s.
        #expect(at == start.addingTimeInterval(30))
        #expect(error.contains("451") || error.contains("try later"))
        #expect(try await sender.pass(&lane, now: start.addingTimeInterval(29), jitter: 0.5) == .idle(nextDue: at), "not before its time")
        fixture.clock.set(at)
        guard case .finished(id, .sent, false) = try await sender.pass(&lane, now: at, jitter: 0.5) else { Issue.record("not sent on retry"); return }
        #expect(transport.sent.count == 2)
        #expect(try await fixture.store.outboxMessage(id)?.attempts == 2)
    }

    @Test func a5xxGoesToTheDeadLettersAtOnce() async throws {
        let transport = RecordingMailTransport(outcomes: [.permanent(code: 550, reason: "no such user")])
        var (fixture, sender, lane) = try await setUp(transport)
        guard case .finished(let id, .dead(let error), false) = try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) else {
            Issue.record("not dead"); return
        }
        #expect(error == "550 no such user")
        #expect(try await fixture.store.outboxMessage(id)?.state == .dead)
        fixture.clock.advance(by: 86_400)
        #expect(try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) == .idle(nextDue: nil), "never tried again by itself")
        #expect(transport.sent.count == 1)
    }

    @Test func transientFailuresGiveUpAfterGiveUpAfter() async throws {
        let transport = RecordingMailTransport(outcomes: Array(repeating: .transient(code: 0, reason: "connection refused", failureClass: "connection"), count: 50))
        var (fixture, sender, lane) = try await setUp(transport)
        var last: OutboxDelivery?
        for _ in 0..<50 {
            let now = fixture.clock.now()
            switch try await sender.pass(&lane, now: now, jitter: 1) {
            case .idle(let next?): fixture.clock.set(max(next, now))
            case .idle(nil): break
            case .finished(_, let delivery, _): last = delivery
            }
            if case .dead = last { break }
        }
        guard case .dead(let error)? = last else { Issue.record("never gave up: \(String(describing: last))"); return }
        #expect(error.hasPrefix("gave up after"))
        #expect(fixture.clock.now().timeIntervalSince(Date(timeIntervalSince1970: 1_796_000_000)) <= 3_600, "within give_up_after (1h)")
    }

    @Test func aSenderWhoseLeaseRanOutIsFencedOff() async throws {
        let transport = RecordingMailTransport()
        var (fixture, sender, lane) = try await setUp(transport)
        // Another sender claimed the row and stalled (the daemon died mid-send, or a slow server).
        let stalled = try #require(try await fixture.store.claimOutbox(at: fixture.clock.now(), lease: 300, retry: false))
        #expect(try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) == .idle(nextDue: fixture.clock.now().addingTimeInterval(300)))
        // Its lease runs out: this sender claims the row again and sends it.
        fixture.clock.advance(by: 301)
        guard case .finished(let id, .sent, false) = try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) else {
            Issue.record("not re-claimed"); return
        }
        #expect(id == stalled.id)
        // The stalled sender comes back with a failure: dropped, the message stays sent.
        #expect(try await fixture.store.finishOutbox(stalled, .dead(error: "550 stale"), at: fixture.clock.now()) == false)
        #expect(try await fixture.store.outboxMessage(id)?.state == .sent)
    }

    /// A transport whose send outlives the lease: meanwhile another sender claims the row.
    final class StallingTransport: MailTransport {
        let fixture: InProcessFixture
        init(_ fixture: InProcessFixture) { self.fixture = fixture }
        func send(_ message: [UInt8], from sender: String, to recipients: [String], settings: SMTPSettings) async -> SMTPOutcome {
            fixture.clock.advance(by: 301)
            _ = try? await fixture.store.claimOutbox(at: fixture.clock.now(), lease: 300, retry: true)
            return .permanent(code: 550, reason: "late")
        }
    }

    @Test func aFinishAfterTheLeaseWasTakenOverIsDroppedAndLogged() async throws {
        let (fixture, _, _) = try await setUp(RecordingMailTransport())
        let stalling = StallingTransport(fixture)
        let sender = OutboxSender(context: fixture.context, store: fixture.store, makeTransport: { _ in stalling })
        var lane = OutboxSender.Lane(transport: stalling)
        guard case .finished(let id, .dead, true) = try await sender.pass(&lane, now: fixture.clock.now(), jitter: 0.5) else {
            Issue.record("not fenced"); return
        }
        #expect(try await fixture.store.outboxMessage(id)?.state == .sending, "the later claim still holds it")
        #expect(fixture.logs.entries.contains { $0.message == "outbox finish stale" })
    }
}
