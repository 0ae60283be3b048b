import Foundation

/// A plain TCP connection to 127.0.0.1 that sends what it is told and nothing else: an idle client,
/// a request whose response is awaited, or a connection the server is expected to close.
public final class RawConnection: Sendable {
    public let fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPClientError.connect(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { let error = errno; close(fd); throw HTTPClientError.connect(error) }
    }

    public func send(_ text: String) {
        _ = text.withCString { Foundation.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Bytes available now, without waiting (empty when none have arrived).
    public func availableText() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT | MSG_PEEK))
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
    }

    /// Bytes that have arrived, consumed (empty when none have).
    public func read() -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var text = [UInt8]()
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard n > 0 else { return String(decoding: text, as: UTF8.self) }
            text += buffer[..<n]
        }
    }

    /// True once the server has closed it (a read returns end of file or a reset); bytes that
    /// arrived before are read and dropped.
    public var closedByServer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n > 0 { continue }
            return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    deinit { close(fd) }
}
