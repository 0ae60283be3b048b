import Foundation
import Synchronization

/// A real `NOTIFY_SOCKET`: an AF_UNIX datagram socket that records what a child process sends
/// with sd_notify (`READY=1`, `STATUS=…`, `RELOADING=1`, `STOPPING=1`, `WATCHDOG=1`).
/// A thread reads it all the time, like systemd does: an unread socket fills up, and then the
/// daemon's sd_notify blocks.
public final class NotifySocketListener: Sendable {
    public let path: String
    private let fd: Int32
    private let shared = Shared()

    private final class Shared: Sendable {
        let received = Mutex<[String]>([])
        let stopped = Atomic<Bool>(false)
    }

    public init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        guard let address = unixSocketAddress(path) else { close(fd); throw POSIXError(.ENAMETOOLONG) }
        let result = withSockaddr(address) { bind(fd, $0, $1) }
        guard result == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let reader = Thread { [fd, shared] in
            var buffer = [UInt8](repeating: 0, count: 8192)
            while !shared.stopped.load(ordering: .relaxed) {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else { continue }
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                shared.received.withLock { $0.append(message) }
            }
        }
        reader.start()
    }

    deinit {
        shared.stopped.store(true, ordering: .relaxed)
        unlink(path)
        // The reader wakes within its receive timeout and stops; the descriptor is closed after it.
        let fd = self.fd
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { close(fd) }
    }

    /// Every datagram so far, in order.
    public var messages: [String] {
        shared.received.withLock { $0 }
    }

    /// Each assignment (`KEY=value`) of every datagram, in order.
    public var assignments: [String] {
        messages.flatMap { $0.split(separator: "\n").map(String.init) }
    }

    /// Waits until an assignment equal to `assignment` arrives after the first `after` assignments;
    /// returns its index.
    @discardableResult
    public func waitFor(_ assignment: String, after: Int = 0, timeout: Double = 30) async throws -> Int {
        try await poll("\(assignment) on NOTIFY_SOCKET", timeout: timeout) {
            let all = assignments
            guard after < all.count else { return nil }
            return all[after...].firstIndex(of: assignment)
        }
    }
}
