import Foundation

/// A token bucket: `rate` tokens a second, holding at most `rate` (one second's burst). Pure:
/// the caller passes the time.
public struct TokenBucket: Hashable, Sendable {
    public var rate: Double
    public private(set) var tokens: Double
    public private(set) var updated: Date

    public init(rate: Int, now: Date) {
        self.rate = Double(rate); tokens = Double(rate); updated = now
    }

    /// Takes a token if there is one.
    public mutating func take(at now: Date) -> Bool {
        tokens = min(rate, tokens + max(0, now.timeIntervalSince(updated)) * rate)
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
