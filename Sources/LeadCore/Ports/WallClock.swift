import Foundation

/// The only way code reads the time of day. Logic takes `now` as a parameter; the scheduler
/// and the HTTP edge own a clock and pass its reading in.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
