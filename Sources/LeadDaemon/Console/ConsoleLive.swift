import Foundation
import LeadCore
import LeadSessions
import LeadHTTP
import ServiceLifecycle
import Synchronization

/// How many event streams are open, against `ui.max_streams`.
final class ConsoleStreamSlots: Sendable {
    private let open = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func take() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func give() { open.withLock { $0 -= 1 } }
}

/// One `/ui/events` stream: `change` events (id = the store's change cursor, data = the leads
/// touched) as the store's history grows, a `tick` each minute (lateness and "due within 1 h"
/// age with the clock), a keep-alive comment when quiet. It ends when the client leaves, the
/// session expires, the daemon stops, or after `lifetime` (the browser reconnects with
/// `Last-Event-ID` and misses nothing).
struct ConsoleLiveStream: ConsoleEventStream {
    let feed: any ChangeFeed
    let start: ChangeCursor
    let slots: ConsoleStreamSlots
    let stillValid: @Sendable () -> Bool
    var poll: Duration = .milliseconds(500)
    var keepAlive: Duration = .seconds(15)
    var tick: Duration = .seconds(60)
    var lifetime: Duration = .seconds(1_800)

    func run(_ write: (String) async throws -> Void) async {
        defer { slots.give() }
        let clock = ContinuousClock()
        let opened = clock.now
        var cursor = start
        var lastWrite = opened, lastTick = opened
        do {
            try await write("retry: 3000\n: connected\n\n")
            while !Task.isCancelled, !Task.isShuttingDownGracefully, clock.now - opened < lifetime, stillValid() {
                try await Task.sleep(for: poll)
                if let (next, leads) = try? await feed.changes(after: cursor, limit: 500), next != cursor {
                    cursor = next
                    try await write("id: \(next)\nevent: change\ndata: {\"leads\":[\(leads.map(\.description).joined(separator: ","))]}\n\n")
                    lastWrite = clock.now
                }
                if clock.now - lastTick >= tick {
                    try await write("event: tick\ndata: {}\n\n")
                    lastTick = clock.now
                    lastWrite = lastTick
                } else if clock.now - lastWrite >= keepAlive {
                    try await write(": keep-alive\n\n")
                    lastWrite = clock.now
                }
            }
        } catch {
            // The client left (a failed write) or the task was cancelled: the stream ends.
        }
    }
}

extension ConsoleAPI {
    func events(_ request: ConsoleRequest, lastEventID: String?) async -> ConsoleEvents {
        let now = context.clock.now()
        guard let session = request.sessionCookie, sessions.actor(of: session, now: now) != nil else {
            return .refused(ConsoleReply(status: 401, html: "log in first", contentType: "text/plain; charset=utf-8"))
        }
        let start: ChangeCursor
        if let given = lastEventID.flatMap(ChangeCursor.init(text:)) {
            start = given
        } else {
            do { start = try await store.changeCursor() } catch {
                return .refused(ConsoleReply(status: 503, html: "the database is unavailable", contentType: "text/plain; charset=utf-8"))
            }
        }
        guard streamSlots.take() else {
            context.logger.notice("console streams at limit", metadata: ["limit": "\(streamSlots.limit)"])
            return .refused(ConsoleReply(status: 503, html: "too many live pages open; this page updates on reload",
                                         contentType: "text/plain; charset=utf-8"))
        }
        let sessions = self.sessions, clock = context.clock
        return .stream(ConsoleLiveStream(feed: store, start: start, slots: streamSlots,
                                         stillValid: { sessions.actor(of: session, now: clock.now()) != nil }))
    }
}
