import Foundation
import LeadCore
import Synchronization

/// The host's clock moved by a measured offset: on a shared database, every node's `now` is the
/// database's clock (measured by the cluster service), so leases, due times and the leader's
/// time to live compare alike on every host whatever its own clock says.
final class OffsetWallClock: WallClock, Sendable {
    private let base: any WallClock
    private let offset = Mutex<TimeInterval>(0)

    init(_ base: any WallClock) { self.base = base }

    func now() -> Date { base.now().addingTimeInterval(offset.withLock { $0 }) }

    /// The host clock's distance behind the database's (positive: the host is behind).
    var currentOffset: TimeInterval { offset.withLock { $0 } }

    func set(offset value: TimeInterval) { offset.withLock { $0 = value } }

    /// The host's own reading (for measuring the offset).
    func hostNow() -> Date { base.now() }
}
