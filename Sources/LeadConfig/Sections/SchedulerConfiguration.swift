/// `[scheduler]`
/// - `scheduler.max_sleep` (duration, default `5s`, range 1s–60s): the longest the work loop sleeps
///   when nothing is due. It also bounds how often the heartbeat is written. Under systemd the loop
///   wakes at least twice per `WatchdogSec=`.
/// - `scheduler.recheck` (duration, default `2s`, range 1s–60s): the SLA timer sleeps until the
///   earliest deadline but re-reads it at least this often, so a wall-clock step or a deadline
///   written by `leadctl` is noticed within this time.
/// - `scheduler.batch` (integer, default 100, 1–10000): deadlines decided per transaction. After
///   downtime the backlog is worked off oldest first in such batches, with intake in between.
/// - `scheduler.catch_up_pause_ms` (integer milliseconds, default 5, 0–1000): the pause between
///   full batches. Intake commits queued meanwhile go first (the writer serves in arrival order),
///   so intake waits for one batch at most; the pause leaves it the writer between batches.
///   At 1,000,000 leads, 20,000 rows due at once were decided in 7.1 s with 20 ms and 3.8 s
///   with 5 ms, intake p99 21 ms and 16 ms (scripts/bench deadlines).
/// - `scheduler.digest_threshold` (integer, default 10, 1–10000): more notices than this for one
///   recipient in one batch are combined into one digest message.
public struct SchedulerConfiguration: Sendable, Equatable {
    public var maxSleep: Duration
    public var recheck: Duration
    public var batch: Int
    public var catchUpPause: Duration
    public var digestThreshold: Int

    public init(maxSleep: Duration = .seconds(5), recheck: Duration = .seconds(2), batch: Int = 100,
                catchUpPause: Duration = .milliseconds(5), digestThreshold: Int = 10) {
        self.maxSleep = maxSleep; self.recheck = recheck; self.batch = batch
        self.catchUpPause = catchUpPause; self.digestThreshold = digestThreshold
    }

    static func decode(_ table: TableReader) -> SchedulerConfiguration {
        defer { table.finish() }
        return SchedulerConfiguration(
            maxSleep: table.duration("max_sleep", default: .seconds(5), range: .seconds(1) ... .seconds(60)),
            recheck: table.duration("recheck", default: .seconds(2), range: .seconds(1) ... .seconds(60)),
            batch: table.int("batch", default: 100, range: 1 ... 10_000),
            catchUpPause: .milliseconds(table.int("catch_up_pause_ms", default: 5, range: 0 ... 1_000)),
            digestThreshold: table.int("digest_threshold", default: 10, range: 1 ... 10_000))
    }
}
