import Foundation
import LeadCore
import Synchronization

/// A clock tests move by hand; nothing waits for real time.
public final class ManualWallClock: WallClock {
    private let state: Mutex<Date>
    public init(_ start: Date) { state = Mutex(start) }
    public func now() -> Date { state.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { state.withLock { $0 += seconds } }
    public func set(_ date: Date) { state.withLock { $0 = date } }
}
