import Foundation
import Synchronization

private let nextPort = Mutex<Int>(20_000 + Int(getpid()) % 8_000)

/// A TCP port on 127.0.0.1 for a test server. Ports come from below the kernel's ephemeral range
/// (32768+), one counter per test process, so no two tests of a run get the same port and no
/// outgoing connection can take it between this check and the server's bind.
public func freeLocalPort() throws -> Int {
    for _ in 0..<2_000 {
        let candidate = nextPort.withLock { port -> Int in
            defer { port = port >= 32_000 ? 20_000 : port + 1 }
            return port
        }
        if canBind(candidate) { return candidate }
    }
    throw POSIXError(.EADDRINUSE)
}

private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
