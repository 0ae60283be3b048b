import Foundation
import LeadCore
import Testing

/// Vendor detail fetches (Meta lead ads) as every store must keep them: claimed like the outbox,
/// and fenced, so a fetcher whose lease ran out cannot overwrite the claim that followed it.
@Suite struct DetailFetchConformanceTests {
    let t0 = Fixture.t0

    func leadAwaitingDetails(in store: any ConformingStore) async throws {
        // Ids only, as Meta's notification brings it: everything else arrives with the details.
        let idsOnly = LeadDraft(origin: LeadOrigin(channel: .webhook, name: "meta", key: "leadgen-1"), receivedAt: t0)
        let item = IntakeItem(draft: idsOnly, raw: RawCapture(body: []),
                              detailFetch: DetailFetchRequest(vendor: "meta", webhook: "meta", objectID: "444444444444",
                                                              routeBy: t0.addingTimeInterval(3_600)))
        _ = try await store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off), routing: nil, at: t0)
    }

    @Test(arguments: StoreFactories.all)
    func aFetchIsLeasedToOneFetcherAndTheStaleFinishLoses(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            try await leadAwaitingDetails(in: store)
            let first = try #require(try await store.claimDetailFetch(at: t0, lease: 60))
            #expect(try await store.claimDetailFetch(at: t0.addingTimeInterval(30), lease: 60) == nil, "leased")
            let second = try #require(try await store.claimDetailFetch(at: t0.addingTimeInterval(61), lease: 60))
            #expect(second.lead == first.lead && second.attempts == 2 && second.leaseToken != first.leaseToken)
            // The first fetcher comes back late with a failure: refused, nothing written.
            await #expect(throws: StaleLease(lead: first.lead)) {
                _ = try await store.finishDetailFetch(first, .dead(error: "stale"), routing: nil, at: t0.addingTimeInterval(62))
            }
            var details = Fixture.draft("leadgen-1", email: "fetched@example.cn")
            details.name = "赵六"
            _ = try await store.finishDetailFetch(second, .fetched(details, response: Array("{}".utf8)), routing: nil,
                                                  at: t0.addingTimeInterval(63))
            let filled = try #require(try await store.lead(first.lead))
            #expect(filled.draft.email == "fetched@example.cn" && filled.draft.name == "赵六")
            // Finished: a late finish of the second claim is stale too.
            await #expect(throws: StaleLease(lead: first.lead)) {
                _ = try await store.finishDetailFetch(second, .dead(error: "twice"), routing: nil, at: t0.addingTimeInterval(64))
            }
        }
    }
}
