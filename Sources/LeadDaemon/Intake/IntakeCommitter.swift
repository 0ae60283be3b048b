import Foundation
import LeadCore

/// Group commit for concurrent intake: whoever arrives while no write is running becomes the
/// writer and commits everything queued in one transaction (one fsync), then hands the writer
/// role to the next waiter if more arrived meanwhile. No background task; every request is
/// answered only after its lead is durable.
public actor IntakeCommitter {
    private enum Turn { case done([IntakeCommit]), lead }
    private struct Waiter {
        var items: [IntakeItem]
        var continuation: CheckedContinuation<Turn, any Error>
    }

    private let store: any IntakeStore
    private let maxBatch: Int
    private var writing = false
    private var queue: [Waiter] = []

    public init(store: any IntakeStore, maxBatch: Int = 512) {
        self.store = store
        self.maxBatch = maxBatch
    }

    public func commit(_ items: [IntakeItem], duplicates: DuplicatePolicy, at now: Date) async throws -> [IntakeOutcome] {
        try await commit(items, duplicates: duplicates, routing: nil, at: now).map(\.outcome)
    }

    /// Commits and routes (group commit); the batch uses the routing of whoever writes it.
    public func commit(_ items: [IntakeItem], duplicates: DuplicatePolicy, routing: RoutingEngine?,
                       at now: Date) async throws -> [IntakeCommit] {
        if writing {
            let turn = try await withCheckedThrowingContinuation { continuation in
                queue.append(Waiter(items: items, continuation: continuation))
            }
            switch turn {
            case .done(let outcomes): return outcomes
            case .lead: break                         // our turn to write, for ourselves and the queue
            }
        }
        writing = true
        defer { handOver() }
        var batch: [Waiter] = []
        var size = items.count
        while let next = queue.first, size + next.items.count <= maxBatch {
            batch.append(queue.removeFirst())
            size += next.items.count
        }
        do {
            let outcomes = try await store.commitIntakes(items + batch.flatMap(\.items), duplicates: duplicates,
                                                         routing: routing, at: now)
            var offset = items.count
            for waiter in batch {
                waiter.continuation.resume(returning: .done(Array(outcomes[offset..<offset + waiter.items.count])))
                offset += waiter.items.count
            }
            return Array(outcomes[0..<items.count])
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
            throw error
        }
    }

    private func handOver() {
        if queue.isEmpty {
            writing = false
        } else {
            queue.removeFirst().continuation.resume(returning: .lead)
        }
    }
}
