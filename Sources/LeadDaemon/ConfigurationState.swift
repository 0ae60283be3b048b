import Foundation
import LeadConfig
import LeadCore
import Synchronization

/// The configuration in force, swapped whole on reload. Readers take a consistent snapshot.
public final class ConfigurationState: Sendable {
    public struct Snapshot: Sendable {
        public var configuration: DaemonConfiguration
        /// The routing engine of this configuration (nil when no routing is configured).
        public var routing: RoutingEngine? { configuration.routingEngine }
        /// 1 at start, +1 per successful reload.
        public var generation: Int
        public var loadedAt: Date
    }

    private let current: Mutex<Snapshot>

    public init(_ configuration: DaemonConfiguration, loadedAt: Date) {
        current = Mutex(Snapshot(configuration: configuration, generation: 1, loadedAt: loadedAt))
    }

    public var snapshot: Snapshot { current.withLock { $0 } }

    /// Installs a new configuration; returns the new snapshot.
    @discardableResult
    public func replace(with configuration: DaemonConfiguration, at now: Date) -> Snapshot {
        current.withLock { state in
            state = Snapshot(configuration: configuration, generation: state.generation + 1, loadedAt: now)
            return state
        }
    }
}

