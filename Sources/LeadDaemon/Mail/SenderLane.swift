import Dispatch
import Foundation
import LeadMail

/// One sender: a serial dispatch queue (a thread of its own, off the Swift concurrency pool,
/// since `curl_easy_perform` blocks) owning one SMTP transport, so its connection is reused.
final class SenderLane: MailTransport, @unchecked Sendable {
    private let queue: DispatchQueue
    private var transport: SMTPTransport?
    private var settings: SMTPSettings?

    init(index: Int) {
        queue = DispatchQueue(label: "leadrouter.smtp.\(index)")
    }

    /// Sends on the lane's thread; a changed configuration (reload) gets a new connection.
    func send(_ message: [UInt8], from sender: String, to recipients: [String], settings: SMTPSettings) async -> SMTPOutcome {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if self.settings != settings || transport == nil {
                    transport = SMTPTransport(settings: settings)
                    self.settings = settings
                }
                guard let transport else {
                    continuation.resume(returning: .transient(code: 0, reason: "curl_easy_init failed", failureClass: "connection"))
                    return
                }
                continuation.resume(returning: transport.send(message, from: sender, to: recipients))
            }
        }
    }
}
