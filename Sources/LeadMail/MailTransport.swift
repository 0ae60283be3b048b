/// Where the outbox sender hands a rendered message: SMTP through libcurl in the daemon
/// (`SenderLane`), a recording twin in tests (`RecordingMailTransport`).
public protocol MailTransport: Sendable {
    /// Sends `message` (RFC 5322 bytes) from `sender` to `recipients`; never throws: every failure
    /// is an outcome the retry policy judges.
    func send(_ message: [UInt8], from sender: String, to recipients: [String], settings: SMTPSettings) async -> SMTPOutcome
}
