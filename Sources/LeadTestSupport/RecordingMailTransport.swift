import Foundation
import LeadMail
import Synchronization

/// The mail transport's twin for in-process tests: answers each send with the next scripted
/// outcome (then `.sent` once the script is used up) and keeps what it was given.
public final class RecordingMailTransport: MailTransport {
    public struct Sent: Sendable, Equatable {
        public var message: String
        public var sender: String
        public var recipients: [String]
    }

    private let script: Mutex<[SMTPOutcome]>
    private let log = Mutex<[Sent]>([])

    public init(outcomes: [SMTPOutcome] = []) { script = Mutex(outcomes) }

    public func send(_ message: [UInt8], from sender: String, to recipients: [String], settings: SMTPSettings) async -> SMTPOutcome {
        log.withLock { $0.append(Sent(message: String(decoding: message, as: UTF8.self), sender: sender, recipients: recipients)) }
        return script.withLock { $0.isEmpty ? .sent(reply: "250 2.0.0 Ok: queued") : $0.removeFirst() }
    }

    /// Every message handed over, in order.
    public var sent: [Sent] { log.withLock { $0 } }

    /// Outcomes for the next sends.
    public func script(_ outcomes: SMTPOutcome...) { script.withLock { $0.append(contentsOf: outcomes) } }
}
