import Foundation
import Glibc
import LeadCore
import Synchronization

/// Wakes a consumer when files arrive in watched folders (inotify `IN_MOVED_TO`/`IN_CLOSE_WRITE`),
/// and at least every `interval` in any case: inotify is a hint, the periodic wake-up is the
/// backstop (Postfix pickup's `wakeup 60`). A dedicated thread blocks in poll(2), never the Swift
/// concurrency pool.
public final class InotifyWatcher: Sendable {
    public let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let inotify: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let stopped = Mutex(false)

    /// Watches `folders`; if inotify is unavailable, the periodic wake-up still runs.
    public init(folders: [URL], interval: Duration) {
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if inotify >= 0 {
            for folder in folders {
                _ = inotify_add_watch(inotify, folder.path, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE))
            }
        }
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        stopPipe = (fds[0], fds[1])
        let timeoutMs = Int32(clamping: interval.milliseconds)
        let thread = Thread { [self] in self.loop(timeoutMs: timeoutMs) }
        thread.name = "leadrouter-inotify"
        thread.start()
    }

    private func loop(timeoutMs: Int32) {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !stopped.withLock({ $0 }) {
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
            if fds[1].revents != 0 { break }
            if ready > 0, fds[0].revents != 0 {
                while read(inotify, &buffer, buffer.count) > 0 {}          // drain; the content is only a hint
            }
            continuation.yield(())
        }
        continuation.finish()
        if inotify >= 0 { close(inotify) }
        close(stopPipe.read)
    }

    /// Ends the thread and the stream.
    public func stop() {
        guard stopped.withLock({ state in defer { state = true }; return !state }) else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        close(stopPipe.write)
    }
}
