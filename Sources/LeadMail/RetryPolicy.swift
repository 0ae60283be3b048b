import Foundation

/// What to do after an attempt: exponential backoff with full jitter (AWS's "full jitter":
/// a uniform delay between 0 and min(cap, base × 2^(attempt−1))) for transient failures, the dead
/// letters for permanent ones or once the message is older than `giveUpAfter`. Pure: the random
/// draw comes in.
public struct RetryPolicy: Sendable, Equatable {
    public enum Disposition: Sendable, Equatable {
        case sent(reply: String)
        case retry(afterSeconds: Double, reason: String)
        case dead(reason: String)
    }

    public var baseSeconds: Double
    public var capSeconds: Double
    public var giveUpAfterSeconds: Double

    public init(baseSeconds: Double = 30, capSeconds: Double = 3_600, giveUpAfterSeconds: Double = 86_400) {
        self.baseSeconds = baseSeconds; self.capSeconds = capSeconds; self.giveUpAfterSeconds = giveUpAfterSeconds
    }

    /// The longest delay after the `attempt`-th failure (1-based).
    public func ceiling(afterAttempt attempt: Int) -> Double {
        min(capSeconds, baseSeconds * Double(1 << min(max(attempt - 1, 0), 40)))
    }

    /// `unit` is a uniform draw from 0...1.
    public func disposition(for outcome: SMTPOutcome, attempt: Int, ageSeconds: Double, unit: Double) -> Disposition {
        switch outcome {
        case .sent(let reply):
            return .sent(reply: reply)
        case .permanent(let code, let reason):
            return .dead(reason: "\(code) \(reason)".trimmingCharacters(in: .whitespaces))
        case .transient(_, let reason, let failureClass):
            let delay = ceiling(afterAttempt: attempt) * min(max(unit, 0), 1)
            if ageSeconds + delay > giveUpAfterSeconds {
                return .dead(reason: "gave up after \(Int(ageSeconds)) s and \(attempt) attempts; last: \(failureClass): \(reason)")
            }
            return .retry(afterSeconds: delay, reason: "\(failureClass): \(reason)")
        }
    }
}
