import Dispatch
import Foundation
import LeadIngest

/// Reads claimed mail-drop files on a thread of their own, off the Swift concurrency pool: a slow
/// disk (or anything strange that `MaildirSpool.read` has not already refused) can never take
/// the threads that answer HTTP. One serial queue per mail-drop.
final class SpoolReader: Sendable {
    private let queue: DispatchQueue
    let spool: MaildirSpool

    init(spool: MaildirSpool, name: String) {
        self.spool = spool
        queue = DispatchQueue(label: "leadrouter.maildrop.\(name)")
    }

    func read(claimed name: String, limit: Int, now: Date) async throws -> (bytes: [UInt8], size: Int) {
        let spool = self.spool
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try spool.read(claimed: name, limit: limit, now: now) })
            }
        }
    }
}
