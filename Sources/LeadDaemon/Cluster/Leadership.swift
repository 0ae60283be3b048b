import Synchronization

/// Whether this node does the periodic work now. A daemon alone on its store always does; on a
/// shared database the cluster service sets it from the leader row.
final class Leadership: Sendable {
    private let leading: Mutex<Bool>

    init(leading: Bool) { self.leading = Mutex(leading) }

    var isLeader: Bool { leading.withLock { $0 } }

    /// Returns true when this call changed it (worth a log line).
    func update(_ now: Bool) -> Bool {
        leading.withLock { current in
            defer { current = now }
            return current != now
        }
    }
}
