import Foundation
import Synchronization

/// A real `NOTIFY_SOCKET`: an AF_UNIX datagram socket that records what a child process sends
/// with sd_notify (`READY=1`, `STATUS=…`, `RELOADING=1`, `STOPPING=1`, `WATCHDOG=1`).
public final class NotifySocketListener: Sendable {
    public let path: String
    private let fd: Int32
    private let received = Mutex<[String]>([])

    public init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        guard let address = unixSocketAddress(path) else { close(fd); throw POSIXError(.ENAMETOOLONG) }
        let result = withSockaddr(address) { bind(fd, $0, $1) }
        guard result == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Reads every datagram waiting on the socket.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard n > 0 else { return }
            let message = String(decoding: buffer[0..<n], as: UTF8.self)
            received.withLock { $0.append(message) }
        }
    }

    /// Every datagram so far, in order.
    public var messages: [String] {
        drain()
        return received.withLock { $0 }
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
