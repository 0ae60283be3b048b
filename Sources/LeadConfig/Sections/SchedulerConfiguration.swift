/// `[scheduler]`
/// - `scheduler.max_sleep` (duration, default `5s`, range 1s–60s): the longest the work loop sleeps
///   when nothing is due. It also bounds how often the heartbeat is written. Under systemd the loop
///   wakes at least twice per `WatchdogSec=`.
public struct SchedulerConfiguration: Sendable, Equatable {
    public var maxSleep: Duration

    public init(maxSleep: Duration = .seconds(5)) { self.maxSleep = maxSleep }

    static func decode(_ table: TableReader) -> SchedulerConfiguration {
        defer { table.finish() }
        return SchedulerConfiguration(
            maxSleep: table.duration("max_sleep", default: .seconds(5), range: .seconds(1) ... .seconds(60)))
    }
}
