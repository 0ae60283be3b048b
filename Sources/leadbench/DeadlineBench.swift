// leadbench's deadline figures: many open leads with pending SLA clocks, seeded through the
// store's own intake-and-routing transaction (what the daemon writes for each new lead).
import Foundation
import LeadConfig
import LeadCore
import LeadStores
import Logging

/// COUNT leads from SOURCE, all assigned at one instant (now), in batches of 1,000 per
/// transaction, into the store the configuration names; prints the rate. On SQLite `synchronous =
/// NORMAL` for the seeding only: the bench measures the daemon, not the seeding.
func seedOpen(config: String, count: Int, source: String) async throws {
    var configuration = try ConfigLoader().load(path: config)
    configuration.store.synchronous = .normal
    let opened = try await StoreOpener.open(configuration, access: .daemon, logger: Logger(label: "leadbench"))
    defer { opened.close() }
    let store = opened.store
    let now = Date()
    try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: now)
    let start = monotonic()
    let run = Int(now.timeIntervalSince1970)
    var batch: [IntakeItem] = []
    batch.reserveCapacity(1_000)
    for i in 0..<count {
        var draft = LeadDraft(name: "客户\(i)", email: "\(source)\(i)-\(run)@bench.example.cn",
                              origin: LeadOrigin(channel: .webhook, name: "seed", key: "\(source)-\(run)-\(i)"), receivedAt: now)
        draft.source = source
        draft.phone = "+86139\(String(format: "%08d", i % 100_000_000))"
        batch.append(IntakeItem(draft: draft, raw: RawCapture(body: [])))
        if batch.count == 1_000 || i == count - 1 {
            _ = try await store.commitIntakes(batch, duplicates: DuplicatePolicy(match: .off), routing: configuration.routingEngine, at: now)
            batch.removeAll(keepingCapacity: true)
        }
        if (i + 1) % 100_000 == 0 {
            FileHandle.standardError.write(Data(String(format: "  seeded %d (%.0f leads/s)\n", i + 1, Double(i + 1) / (monotonic() - start)).utf8))
        }
    }
    print(String(format: "seed: %d %@ leads routed with their SLA clocks in %.1f s", count, source, monotonic() - start))
}
