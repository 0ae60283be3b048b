import Foundation
import LeadCore
@testable import LeadDaemon
import LeadHTTP
import LeadStoreSQLite
import LeadTestSupport
import Synchronization
import Testing

/// Counts transactions on a real SQLite store, to see group commit at work.
final class CountingStore: IntakeStore, @unchecked Sendable {
    let inner: SQLiteLeadStore
    let batches = Mutex<[Int]>([])
    init(_ inner: SQLiteLeadStore) { self.inner = inner }
    func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, decider: AssignmentDecider?, at now: Date) async throws -> [IntakeCommit] {
        batches.withLock { $0.append(items.count) }
        return try await inner.commitIntakes(items, duplicates: duplicates, decider: decider, at: now)
    }
    func recordQuarantine(_ item: QuarantineItem, at now: Date) async throws -> Int64 { try await inner.recordQuarantine(item, at: now) }
    func intakeState(_ origin: LeadOrigin) async throws -> IntakeState? { try await inner.intakeState(origin) }
    func quarantined(limit: Int) async throws -> [QuarantineEntry] { try await inner.quarantined(limit: limit) }
    func quarantineRaw(_ id: Int64) async throws -> (QuarantineEntry, RawCapture)? { try await inner.quarantineRaw(id) }
    func markQuarantineRetried(_ id: Int64, at now: Date) async throws { try await inner.markQuarantineRetried(id, at: now) }
    func rawCapture(of lead: LeadID) async throws -> RawCapture? { try await inner.rawCapture(of: lead) }
    func purgeCaptures(receivedBefore cutoff: Date) async throws -> Int { try await inner.purgeCaptures(receivedBefore: cutoff) }
}

@Suite struct IntakeCommitterTests {
    func item(_ i: Int) -> IntakeItem {
        IntakeItem(draft: LeadDraft(email: "c\(i)@example.cn", origin: LeadOrigin(channel: .webhook, name: "w", key: "e\(i)"),
                                    receivedAt: Date(timeIntervalSince1970: 0)), raw: RawCapture(body: [UInt8(i % 256)]))
    }

    @Test func concurrentCommitsShareTransactionsAndEachGetsItsOwnOutcome() async throws {
        let f = try await InProcessFixture()
        let counting = CountingStore(f.store)
        let committer = IntakeCommitter(store: counting)
        let outcomes = try await withThrowingTaskGroup(of: (Int, IntakeOutcome).self) { group in
            for i in 0..<200 {
                group.addTask { (i, try await committer.commit([self.item(i)], duplicates: DuplicatePolicy(match: .off), at: f.clock.now()).first!) }
            }
            var all: [Int: IntakeOutcome] = [:]
            for try await (i, outcome) in group { all[i] = outcome }
            return all
        }
        #expect(outcomes.count == 200)
        #expect(Set(outcomes.values.map(\.leadID)).count == 200)
        for (i, outcome) in outcomes {
            #expect(try await f.store.intakeState(LeadOrigin(channel: .webhook, name: "w", key: "e\(i)")) == .lead(outcome.leadID))
        }
        let batches = counting.batches.withLock { $0 }
        #expect(batches.reduce(0, +) == 200)
        #expect(batches.count < 200, "group commit merged concurrent requests")
    }

    @Test func aFailingStoreFailsEveryWaiterAndTheNextCommitWorksAgain() async throws {
        let f = try await InProcessFixture()
        let committer = IntakeCommitter(store: f.store)
        try f.store.close()
        await #expect(throws: (any Error).self) {
            try await committer.commit([item(1)], duplicates: DuplicatePolicy(), at: f.clock.now())
        }
        await #expect(throws: (any Error).self) {
            try await committer.commit([item(2)], duplicates: DuplicatePolicy(), at: f.clock.now())
        }
    }

    @Test func theWebhookHandlerAnswers503WhenTheStoreCannotTakeTheWrite() async throws {
        let f = try await InProcessFixture(extra: """
        [[webhook]]
        name = "open"
        format = "json"
        auth = "none"
        """)
        let intake = WebhookIntake(context: f.context, committer: IntakeCommitter(store: f.store))
        let body = Array(#"{"email":"a@b.cn"}"#.utf8)
        let first = await intake.handlePost(name: "open", method: "POST", uri: "/webhooks/open", headers: [:], query: [:], body: body, peer: nil)
        #expect(first.status == 201)
        try f.store.close()
        let down = await intake.handlePost(name: "open", method: "POST", uri: "/webhooks/open", headers: [:], query: [:],
                                           body: Array(#"{"email":"c@d.cn"}"#.utf8), peer: nil)
        #expect(down == .error(503, "the lead store is unavailable; retry later"))
    }
}
