import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

@Suite struct LeadStoreTests {
    @Test func recordsALeadOnceperOrigin() async throws {
        try await withStore { store, _ in
            let first = try await store.recordLead(draft("evt-1"), at: t0)
            let again = try await store.recordLead(draft("evt-1", name: "changed"), at: t0 + 5)
            let other = try await store.recordLead(draft("evt-2"), at: t0 + 6)
            guard case .created(let id) = first else { Issue.record("expected created"); return }
            #expect(again == .duplicate(id))
            #expect(other == .created(LeadID(id.rawValue + 1)))
            let stored = try #require(try await store.lead(id))
            #expect(stored.draft == draft("evt-1"))
            #expect(stored.status == .new)
            #expect(stored.owner == nil)
            #expect(try await store.summary().leadsTotal == 2)
        }
    }

    @Test func assigningEndsThePreviousAssignment() async throws {
        try await withStore { store, file in
            try await store.syncDirectory(reps: [zhang, li], teams: [east], configGeneration: 1, at: t0)
            let id = try await store.recordLead(draft("a"), at: t0).leadID
            try await store.assign(id, to: zhang.id, team: east.id, rule: "east", at: t0 + 1)
            try await store.assign(id, to: li.id, team: east.id, rule: "reassigned", at: t0 + 2)
            let lead = try #require(try await store.lead(id))
            #expect(lead.owner == li.id)
            #expect(lead.team == east.id)
            let reader = try SQLiteLeadStore.openReadOnly(at: file)
            #expect(try await reader.summary().leadsUnassigned == 0)
            #expect(try await store.leads(LeadQuery(owner: li.id)).map(\.id) == [id])
            #expect(try await store.leads(LeadQuery(owner: zhang.id)).isEmpty)
        }
    }

    @Test func assigningToAnUnknownRepOrLeadFailsAndChangesNothing() async throws {
        try await withStore { store, _ in
            try await store.syncDirectory(reps: [zhang], teams: [], configGeneration: 1, at: t0)
            let id = try await store.recordLead(draft("a"), at: t0).leadID
            await #expect(throws: LeadStoreError.unknownRep(RepID("ghost"))) {
                try await store.assign(id, to: RepID("ghost"), team: nil, rule: "r", at: t0)
            }
            await #expect(throws: LeadStoreError.unknownLead(LeadID(999))) {
                try await store.assign(LeadID(999), to: zhang.id, team: nil, rule: "r", at: t0)
            }
            #expect(try await store.lead(id)?.owner == nil)
        }
    }

    @Test func syncingTheDirectoryRetiresRepsThatLeft() async throws {
        try await withStore { store, _ in
            try await store.syncDirectory(reps: [zhang, li], teams: [east], configGeneration: 1, at: t0)
            #expect(try await store.summary().reps == 2)
            #expect(try await store.summary().teams == 1)
            try await store.syncDirectory(reps: [zhang], teams: [], configGeneration: 2, at: t0 + 60)
            let summary = try await store.summary()
            #expect(summary.reps == 1)
            #expect(summary.teams == 0)
        }
    }

    @Test func activitiesNeedAnExistingLead() async throws {
        try await withStore { store, _ in
            try await store.syncDirectory(reps: [zhang], teams: [], configGeneration: 1, at: t0)
            let id = try await store.recordLead(draft("a"), at: t0).leadID
            _ = try await store.recordActivity(ActivityDraft(lead: id, kind: .call, rep: zhang.id, note: "回电"), at: t0 + 20,
                                               sla: nil, ownedBy: nil, now: t0 + 30)
            #expect(try await store.lead(id)?.updatedAt == t0 + 30)
            await #expect(throws: LeadStoreError.unknownLead(LeadID(42))) {
                _ = try await store.recordActivity(ActivityDraft(lead: LeadID(42), kind: .call, rep: nil), at: t0, sla: nil, ownedBy: nil, now: t0)
            }
        }
    }

    @Test func listsNewestFirstWithFilters() async throws {
        try await withStore { store, _ in
            for key in ["a", "b", "c"] { _ = try await store.recordLead(draft(key), at: t0) }
            #expect(try await store.leads(LeadQuery(limit: 2)).map(\.id) == [LeadID(3), LeadID(2)])
            #expect(try await store.leads(LeadQuery(status: .new)).count == 3)
            #expect(try await store.leads(LeadQuery(status: .converted)).isEmpty)
        }
    }

    @Test func heartbeatRoundTrips() async throws {
        try await withStore { store, _ in
            #expect(try await store.heartbeat() == nil)
            let beat = DaemonHeartbeat(pid: 4242, startedAt: t0, lastTickAt: t0 + 10, configGeneration: 3,
                                       configLoadedAt: t0 + 5, configFile: "/etc/leadrouter/leadrouter.toml", version: "x")
            try await store.recordHeartbeat(beat)
            var later = beat
            later.lastTickAt = t0 + 20
            try await store.recordHeartbeat(later)
            #expect(try await store.heartbeat() == later)
        }
    }

    @Test func aReadOnlyReaderSeesCommittedWritesWhileTheWriterIsOpen() async throws {
        try await withStore { store, file in
            let reader = try SQLiteLeadStore.openReadOnly(at: file)
            #expect(try await reader.summary().leadsTotal == 0)
            _ = try await store.recordLead(draft("a"), at: t0)
            #expect(try await reader.summary().leadsTotal == 1)
            try await reader.ping()
        }
    }
}
