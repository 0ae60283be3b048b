import Synchronization

/// Wakes the SLA timer early when a deadline nearer than the one it sleeps for may have been
/// written (an assignment, an activity). A missed wake-up costs at most `scheduler.recheck`.
final class DeadlineWakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    /// Wakes the waiting timer, or the next wait when nobody waits now.
    func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else { state.pending = true; return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `timeout`, on `notify()`, or on cancellation, whichever is first.
    func wait(upTo timeout: Duration) async {
        let timer = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            self.resumeWaiter()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled { state.pending = false; return true }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.resumeWaiter()
        }
        timer.cancel()
    }

    private func resumeWaiter() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }
}
