import Foundation

public struct PollTimeout: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public init(what: String, seconds: Double) { self.what = what; self.seconds = seconds }
    public var description: String { "timed out after \(seconds)s waiting for \(what)" }
}

/// Polls `condition` until it returns a value or the deadline passes. The only waiting tests do:
/// never a bare sleep for some amount of time to pass. The deadline (60 s unless given) only
/// catches a hang: CI may share its two cores with other work, so slowness is not a failure here.
@discardableResult
public func poll<T>(_ what: String, timeout: Double = 60, every interval: Duration = .milliseconds(50),
                    _ condition: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let value = try await condition() { return value }
        if Date() >= deadline { throw PollTimeout(what: what, seconds: timeout) }
        try await Task.sleep(for: interval)
    }
}
