import Synchronization

/// Wakes every sender when new outbox rows were written (each sender waits on its own wake-up).
final class OutboxWakeup: Sendable {
    private let waiters = Mutex<[DeadlineWakeup]>([])

    func register() -> DeadlineWakeup {
        let wakeup = DeadlineWakeup()
        waiters.withLock { $0.append(wakeup) }
        return wakeup
    }

    func notify() {
        for waiter in waiters.withLock({ $0 }) { waiter.notify() }
    }
}
