import LeadConfig
import LeadIngest

/// A mail-drop's processing: lead intake or activity (BCC) mail. `MaildropService` drives either.
public protocol MaildropProcessing: Sendable {
    var configuration: MaildropConfiguration { get }
    var spool: MaildirSpool { get }
    /// Files per pass of `process`.
    var batchSize: Int { get }
    /// Start-up reconciliation of files left in `cur/` by a crash.
    func reconcile() async throws -> Int
    /// Processes claimed files (in `cur/`); on a store failure the uncommitted ones go back to `new/`.
    func process(_ names: [String]) async throws
}

extension MaildropProcessing {
    /// Scans `new/` until a pass finds nothing; returns how many files it took.
    @discardableResult
    public func scan() async throws -> Int {
        var total = 0
        // A file put back during this scan (a hard link still being delivered) waits for the next.
        var seen: Set<String> = []
        while true {
            let names = spool.names(in: .new).filter { !seen.contains($0) }
            seen.formUnion(names)
            guard !names.isEmpty else { return total }
            var taken = 0
            for chunk in stride(from: 0, to: names.count, by: batchSize).map({ Array(names[$0..<min($0 + batchSize, names.count)]) }) {
                let claimed = chunk.filter(spool.claim)
                try await process(claimed)
                taken += claimed.count
            }
            total += taken
            if taken == 0 { return total }
        }
    }
}
