import Foundation
import LeadIngest
import Logging
import ServiceLifecycle

/// Runs one mail-drop: reconcile at start, then scan whenever inotify says something arrived and
/// at least every `rescan_interval`; expired `done/` and `tmp/` files are removed hourly.
/// A failing store leaves the files in `new/` and is retried on the next wake-up.
struct MaildropService: Service {
    let intake: any MaildropProcessing
    let context: DaemonContext

    func run() async throws {
        let configuration = intake.configuration
        let watcher = InotifyWatcher(folders: [intake.spool.folder(.new)], interval: configuration.rescanInterval)
        defer { watcher.stop() }
        let metadata: Logger.Metadata = ["maildrop": "\(configuration.name)"]
        do {
            let recovered = try await intake.reconcile()
            if recovered > 0 { context.logger.notice("maildrop recovered claimed files", metadata: metadata.merging(["count": "\(recovered)"]) { $1 }) }
        } catch {
            context.logger.error("maildrop scan failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        var lastCleanup = Date.distantPast
        // The first pass runs at once; later ones when the watcher wakes us.
        var pending = true
        var iterator = watcher.wakeups.cancelOnGracefulShutdown().makeAsyncIterator()
        while true {
            if pending {
                do {
                    try await intake.scan()
                } catch {
                    context.logger.error("maildrop scan failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                }
                let now = context.clock.now()
                if now.timeIntervalSince(lastCleanup) > 3_600 {
                    intake.spool.removeExpired(now: now, doneRetention: TimeInterval(configuration.doneRetention.wholeSeconds))
                    lastCleanup = now
                }
            }
            guard await iterator.next() != nil else { return }
            pending = true
        }
    }
}

extension Dictionary where Key == String, Value == Logger.MetadataValue {
    func merging(_ other: [String: Logger.MetadataValue]) -> Self { merging(other) { $1 } }
}
