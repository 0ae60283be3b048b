import Foundation
import Synchronization

/// Wakes the SLA timer early when a deadline nearer than the one it sleeps for may have been
/// written (an assignment, an activity). A missed wake-up costs at most `scheduler.recheck`.
/// A row known to fall due no earlier than the timer's planned wake does not wake it: at a
/// thousand new leads a second, each arming clocks days ahead, the timer would otherwise run a
/// pass (a write transaction) per commit, each queued for the writer beside the intake.
final class DeadlineWakeup: Sendable {
    private struct State {
        /// A notify came while nobody waited: the next wait returns at once, unless every such
        /// notify named a row due no earlier than that wait's planned end (`pendingEarliest`).
        var pending = false
        var pendingEarliest: Date?
        var waiter: CheckedContinuation<Void, Never>?
        /// When the waiting timer wakes anyway (nil: unknown).
        var plannedWake: Date?
    }
    private let state = Mutex(State())

    /// Wakes the waiting timer, or the next wait when nobody waits now. `earliest`: the first
    /// new row's due time, when known — no wake when the timer wakes by then anyway.
    func notify(earliest: Date? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                // Unknown (nil) once any notify came without a time: the next wait then returns at once.
                if !state.pending { state.pendingEarliest = earliest } else if let known = state.pendingEarliest {
                    state.pendingEarliest = earliest.map { min($0, known) }
                }
                state.pending = true
                return nil
            }
            if let earliest, let planned = state.plannedWake, earliest >= planned { return nil }
            state.waiter = nil
            state.plannedWake = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `timeout`, on `notify()`, or on cancellation, whichever is first.
    /// `plannedWake`: the wall time `timeout` ends at (lets `notify(earliest:)` skip later rows).
    func wait(upTo timeout: Duration, plannedWake: Date? = nil) async {
        let timer = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            self.resumeWaiter()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if state.pending {
                        let later = if let earliest = state.pendingEarliest, let plannedWake { earliest >= plannedWake } else { false }
                        state.pending = false
                        state.pendingEarliest = nil
                        if !later { return true }
                    }
                    state.waiter = continuation
                    state.plannedWake = plannedWake
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.resumeWaiter()
        }
        timer.cancel()
    }

    /// Whether the timer is parked in `wait` now (for tests).
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }

    private func resumeWaiter() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil; state.plannedWake = nil }
            return state.waiter
        }?.resume()
    }
}
