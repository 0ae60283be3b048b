import Foundation
import LeadCore
import Testing

@Suite struct DetailFetchPolicyTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func backoffDoublesWithJitterUpToTheCapThenGivesUp() {
        let policy = DetailFetchPolicy(baseSeconds: 5, capSeconds: 60, maxAttempts: 4)
        #expect(policy.afterFailure(attempt: 1, error: "e", permanent: false, now: now, unit: 0) == .retry(at: now + 2.5, error: "e"))
        #expect(policy.afterFailure(attempt: 2, error: "e", permanent: false, now: now, unit: 1) == .retry(at: now + 10, error: "e"))
        #expect(policy.afterFailure(attempt: 3, error: "e", permanent: false, now: now, unit: 1) == .retry(at: now + 20, error: "e"))
        #expect(policy.afterFailure(attempt: 4, error: "e", permanent: false, now: now, unit: 0) == .dead(error: "gave up after 4 attempts: e"))
        #expect(DetailFetchPolicy(baseSeconds: 5, capSeconds: 60, maxAttempts: 99)
            .afterFailure(attempt: 20, error: "e", permanent: false, now: now, unit: 1) == .retry(at: now + 60, error: "e"))
        #expect(policy.afterFailure(attempt: 1, error: "gone", permanent: true, now: now, unit: 0) == .dead(error: "gone"))
    }

    @Test func aMergeNeedsNoContradiction() {
        let draft = LeadDraft(email: "a@x.cn", phone: "+8613800138000", origin: LeadOrigin(channel: .webhook, name: "w", key: "k"), receivedAt: now)
        #expect(DuplicatePolicy.isSamePerson(draft, as: .init(email: "A@x.cn", phone: nil)))
        #expect(DuplicatePolicy.isSamePerson(draft, as: .init(email: nil, phone: "+8613800138000")))
        #expect(!DuplicatePolicy.isSamePerson(draft, as: .init(email: "a@x.cn", phone: "+8613900000000")))
        #expect(!DuplicatePolicy.isSamePerson(draft, as: .init(email: "b@x.cn", phone: "+8613800138000")))
    }
}
