import Foundation

/// A minimal HTTP/1.1 client over a real loopback TCP socket (no URLSession), for tests. Its timeout
/// (60 s by default) only catches a hang: CI may share two cores with other work, so a slow reply is
/// not a failure here (timing figures live in scripts/bench).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
}

/// `timedOut`: no complete reply within the timeout (what had arrived is kept), told apart from a
/// server that closed the connection unanswered (`malformed("")`).
public enum HTTPClientError: Error { case connect(Int32), malformed(String), timedOut(seconds: Int, received: String) }

public func httpRequest(_ method: String = "GET", host: String = "127.0.0.1", port: Int, path: String,
                        body: Data = Data(), headers: [String: String] = [:], timeout: Int = 60) throws -> HTTPResponse {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPClientError.connect(errno) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(host)
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw HTTPClientError.connect(errno) }
    return try exchange(fd: fd, method: method, hostHeader: "\(host):\(port)", path: path, body: body,
                        headers: headers, timeout: timeout)
}

/// The same over a unix stream socket (`http.listen = "unix:PATH"`).
public func httpRequest(_ method: String = "GET", unixSocket socketPath: String, path: String,
                        body: Data = Data(), headers: [String: String] = [:], timeout: Int = 60) throws -> HTTPResponse {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPClientError.connect(errno) }
    defer { close(fd) }
    guard let address = unixSocketAddress(socketPath) else { throw HTTPClientError.connect(ENAMETOOLONG) }
    let connected = withSockaddr(address) { connect(fd, $0, $1) }
    guard connected == 0 else { throw HTTPClientError.connect(errno) }
    return try exchange(fd: fd, method: method, hostHeader: "localhost", path: path, body: body,
                        headers: headers, timeout: timeout)
}

private func exchange(fd: Int32, method: String, hostHeader: String, path: String, body: Data,
                      headers: [String: String], timeout: Int) throws -> HTTPResponse {
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    let request = Data((head + "\r\n").utf8) + body
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
            throw HTTPClientError.timedOut(seconds: timeout, received: String(decoding: received, as: UTF8.self))
        }
        if n <= 0 { break }
        received.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw HTTPClientError.malformed(text) }
    let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let statusParts = lines.first?.split(separator: " ") ?? []
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPClientError.malformed(text) }
    var headerFields: [String: String] = [:]
    for line in lines.dropFirst() {
        if let colon = line.firstIndex(of: ":") {
            headerFields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
    return HTTPResponse(status: status, headers: headerFields, body: String(text[split.upperBound...]))
}

/// Runs a blocking call on its own thread, so blocking sockets in tests never occupy the Swift
/// concurrency pool (two threads on a two-core machine) that every other test needs too.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// `httpRequest` over TCP, off the concurrency pool.
public func offPoolRequest(_ method: String = "GET", port: Int, path: String, body: Data = Data(),
                           headers: [String: String] = [:]) async throws -> HTTPResponse {
    try await offPool { try httpRequest(method, port: port, path: path, body: body, headers: headers) }
}

/// `httpRequest` over a unix socket, off the concurrency pool.
public func offPoolRequest(unixSocket: String, path: String) async throws -> HTTPResponse {
    try await offPool { try httpRequest(unixSocket: unixSocket, path: path) }
}
