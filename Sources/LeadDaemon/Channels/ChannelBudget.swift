import Foundation
import Synchronization

/// Each channel's sends in the last minute, against its `rate_limit`: a channel whose minute is
/// full is left out of the claim, so its messages wait in the outbox (queued, not dropped) and
/// nobody's attempts are spent. Per daemon: several daemons on one store each keep their own.
final class ChannelBudget: Sendable {
    private let sent = Mutex<[String: [Date]]>([:])

    /// The channels (name → messages per minute) with room at `now`.
    func ready(_ limits: [String: Int], now: Date) -> Set<String> {
        sent.withLock { sent in
            Set(limits.filter { name, limit in (sent[name] ?? []).count { now.timeIntervalSince($0) < 60 } < limit }.keys)
        }
    }

    func spend(_ channel: String, at now: Date) {
        sent.withLock { sent in
            sent[channel] = (sent[channel] ?? []).filter { now.timeIntervalSince($0) < 60 } + [now]
        }
    }

    /// When the first full channel gets room again (nil: none is full).
    func nextRoom(_ limits: [String: Int], now: Date) -> Date? {
        sent.withLock { sent in
            limits.compactMap { name, limit -> Date? in
                let recent = (sent[name] ?? []).filter { now.timeIntervalSince($0) < 60 }
                return recent.count >= limit ? recent.sorted()[recent.count - limit].addingTimeInterval(60) : nil
            }.min()
        }
    }
}
