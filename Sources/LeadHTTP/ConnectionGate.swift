import NIOConcurrencyHelpers
import NIOCore

/// Admits at most `limit` open connections on one listener.
///
/// A connection is *busy* from the first byte of a request until its response end, otherwise *idle*
/// (connected and silent, or kept alive after a response). A client that trickles a request counts
/// as busy; `http.idle_timeout` ends it once it stalls. When a connection
/// arrives at the limit, the connection idle the longest is closed to make room; when every open
/// connection is busy the new one is closed at once (refused at accept, never left in the backlog).
/// So a flood of idle connections cannot keep a signed webhook, `/livez` or `/readyz` out.
public final class ConnectionGate: Sendable {
    public enum Outcome: Sendable, Equatable {
        case admitted
        /// Admitted after closing the longest-idle connection.
        case admittedByEvicting
        /// Closed at once: every open connection is busy.
        case refused
    }

    private struct Entry {
        let channel: any Channel
        var busy = 0
        /// Bytes arrived since the last response ended (a request on its way).
        var receiving = false
        var idleSince: UInt64
        var isIdle: Bool { busy == 0 && !receiving }
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var tick: UInt64 = 0
    }

    public let limit: Int
    private let state = NIOLockedValueBox(State())
    private let onOutcome: @Sendable (Outcome) -> Void

    public init(limit: Int, onOutcome: @escaping @Sendable (Outcome) -> Void = { _ in }) {
        precondition(limit > 0, "a connection limit is at least 1")
        self.limit = limit
        self.onOutcome = onOutcome
    }

    /// Connections open now.
    public var openCount: Int { state.withLockedValue { $0.open.count } }

    /// Decides about a freshly accepted connection; closes whatever must be closed.
    @discardableResult
    public func admit(_ channel: any Channel) -> Outcome {
        let id = ObjectIdentifier(channel)
        let (outcome, victim): (Outcome, (any Channel)?) = state.withLockedValue { state in
            state.tick += 1
            var victim: (any Channel)?
            if state.open.count >= limit {
                guard let oldest = state.open.filter({ $0.value.isIdle }).min(by: { $0.value.idleSince < $1.value.idleSince }) else {
                    return (.refused, nil)
                }
                state.open[oldest.key] = nil
                victim = oldest.value.channel
            }
            state.open[id] = Entry(channel: channel, idleSince: state.tick)
            return (victim == nil ? .admitted : .admittedByEvicting, victim)
        }
        if let victim { victim.close(promise: nil) }
        if outcome == .refused {
            channel.close(promise: nil)
        } else {
            channel.closeFuture.whenComplete { [weak self] _ in self?.remove(id) }
        }
        onOutcome(outcome)
        return outcome
    }

    func bytesArrived(on channel: any Channel) {
        state.withLockedValue { state in state.open[ObjectIdentifier(channel)]?.receiving = true }
    }

    func requestBegan(on channel: any Channel) {
        state.withLockedValue { state in state.open[ObjectIdentifier(channel)]?.busy += 1 }
    }

    func responseEnded(on channel: any Channel) {
        state.withLockedValue { state in
            state.tick += 1
            let tick = state.tick
            guard var entry = state.open[ObjectIdentifier(channel)] else { return }
            entry.busy = max(0, entry.busy - 1)
            entry.receiving = false
            entry.idleSince = tick
            state.open[ObjectIdentifier(channel)] = entry
        }
    }

    private func remove(_ id: ObjectIdentifier) {
        state.withLockedValue { state in _ = state.open.removeValue(forKey: id) }
    }
}
