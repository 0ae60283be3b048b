import Foundation
import LeadCore
import LeadHTTP
import Logging

/// `http.max_connections` against the process's descriptor limit: the soft limit is raised to the
/// hard one (as the unit's `LimitNOFILE=` does), and the cap is lowered, with a warning, when it would
/// leave fewer than `reserve` descriptors for the database, mail-drops and outgoing mail.
enum ConnectionLimit {
    static let reserve = 128

    static func makeGate(configured: Int, context: DaemonContext) -> ConnectionGate {
        let available = raiseDescriptorLimit() - reserve
        var limit = configured
        if available < configured {
            limit = max(1, available)
            context.logger.warning("http connection cap lowered", metadata: [
                "http.max_connections": "\(configured)", "http.effective_max_connections": "\(limit)",
                "nofile.limit": "\(available + reserve)",
            ])
        }
        let notice = OncePerMinute()
        return ConnectionGate(limit: limit) { [limit, metrics = context.metrics, logger = context.logger, clock = context.clock] outcome in
            metrics.connection(outcome)
            guard outcome != .admitted, notice.due("connections", at: clock.now()) else { return }
            logger.warning("http connection limit reached", metadata: [
                "http.max_connections": "\(limit)",
                "http.connection": "\(outcome == .refused ? "refused" : "closed the longest-idle one")",
            ])
        }
    }

    /// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit in force.
    static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))
    }
}
