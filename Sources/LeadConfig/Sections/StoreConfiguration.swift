/// `[store]`
/// - `store.synchronous` (`"full"` | `"normal"`, default `"full"`): SQLite's durability. `full` survives
///   power loss after every commit; `normal` may lose the last commits on power loss (never on a crash).
/// - `store.busy_timeout` (duration, default `5s`, range 1s–60s): how long a write waits for a lock.
public struct StoreConfiguration: Sendable, Equatable {
    public enum Synchronous: String, Sendable, CaseIterable { case full, normal }

    public var synchronous: Synchronous
    public var busyTimeout: Duration

    public init(synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5)) {
        self.synchronous = synchronous; self.busyTimeout = busyTimeout
    }

    static func decode(_ table: TableReader) -> StoreConfiguration {
        defer { table.finish() }
        return StoreConfiguration(
            synchronous: table.choice("synchronous", default: .full),
            busyTimeout: table.duration("busy_timeout", default: .seconds(5), range: .seconds(1) ... .seconds(60)))
    }
}
