// leadbench: load generator for scripts/bench. Talks only to 127.0.0.1.
//   leadbench webhooks PORT NAME SECRET_FILE CONNECTIONS REQUESTS
//   leadbench maildrop MAILDIR_ROOT FILES          (delivers FILES mails and times the drain)
import Crypto
import Foundation
import LeadIngest
import Synchronization

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func connect(port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    let ok = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    precondition(ok == 0, "cannot connect to 127.0.0.1:\(port)")
    return fd
}

/// Sends one request on a keep-alive connection and reads the whole response; returns the status.
func exchange(_ fd: Int32, _ request: [UInt8], buffer: inout [UInt8]) -> Int {
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { return -1 }
        sent += n
    }
    var received: [UInt8] = []
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { return -1 }
        received += buffer[0..<n]
        guard let end = received.firstRange(of: [13, 10, 13, 10]) else { continue }
        let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        if received.count - end.upperBound >= length {
            return Int(head.split(separator: " ")[1]) ?? -1
        }
    }
}

func webhooks(port: Int, name: String, secretFile: String, connections: Int, requests: Int) {
    let secretText = try! String(contentsOfFile: secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let key = SymmetricKey(data: WebhookAuthenticator.standardSecret(secretText))
    let perConnection = requests / connections
    let run = UInt64(Date().timeIntervalSince1970 * 1000)
    // Signed requests are built before the clock starts: the figure is the daemon's, not the signer's.
    let prepared: [[[UInt8]]] = (0..<connections).map { c in
        (0..<perConnection).map { i in
            let id = "bench-\(run)-\(c)-\(i)"
            let body = "{\"name\":\"客户\(i)\",\"email\":\"\(id)@bench.example.cn\",\"phone\":\"138\(String(format: "%08d", (c * perConnection + i) % 100_000_000))\",\"province\":\"浙江\",\"company\":\"杭州某某\"}"
            let ts = String(Int(Date().timeIntervalSince1970))
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).\(body)".utf8), using: key)
            let head = "POST /webhooks/\(name) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nwebhook-id: \(id)\r\nwebhook-timestamp: \(ts)\r\nwebhook-signature: v1,\(Data(mac).base64EncodedString())\r\n\r\n"
            return Array(head.utf8) + Array(body.utf8)
        }
    }
    let results = Mutex<(latencies: [Double], failed: Int)>(([], 0))
    let start = monotonic()
    let threads = (0..<connections).map { c in
        Thread {
            let fd = connect(port: port)
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 16_384)
            var latencies: [Double] = []
            latencies.reserveCapacity(perConnection)
            var failed = 0
            for i in 0..<perConnection {
                let t0 = monotonic()
                let status = exchange(fd, prepared[c][i], buffer: &buffer)
                latencies.append(monotonic() - t0)
                if !(200..<300).contains(status) { failed += 1 }
            }
            results.withLock { $0.latencies += latencies; $0.failed += failed }
        }
    }
    threads.forEach { $0.start() }
    while results.withLock({ $0.latencies.count }) < connections * perConnection { usleep(1_000) }
    let elapsed = monotonic() - start
    let (all, failed) = results.withLock { ($0.latencies, $0.failed) }
    let sorted = all.sorted()
    let total = connections * perConnection
    print(String(format: "webhooks: %d signed JSON leads over %d connections in %.2f s: %.0f leads/s, p50 %.2f ms, p99 %.2f ms, %d not 2xx",
                 total, connections, elapsed, Double(total) / elapsed, percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, failed))
}

func maildrop(root: String, files: Int) {
    let url = URL(fileURLWithPath: root)
    let spool = MaildirSpool(root: url)
    let doneBefore = spool.names(in: .done).count
    let run = UInt64(Date().timeIntervalSince1970)
    // Deliver into a staging Maildir first (tmp/, fsync, rename), then move the whole batch into
    // the watched new/ at once: the clock measures the daemon taking mail, not the producer.
    let stage = url.deletingLastPathComponent().appendingPathComponent("stage-\(run)")
    try! MaildirSpool(root: stage).prepare()
    var names: [String] = []
    for i in 0..<files {
        let mail = "From: \"客户\(i)\" <m\(run)-\(i)@bench.example.cn>\r\nSubject: 询价 \(i)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n姓名：客户\(i)\r\n电话：139 \(String(format: "%04d %04d", i / 10_000 % 10_000, i % 10_000))\r\n省份：广东\r\n"
        names.append(try! MaildirSpool.deliver(Array(mail.utf8), to: stage))
    }
    let start = monotonic()
    for name in names { rename(stage.path + "/new/" + name, spool.path(.new, name)) }
    while spool.names(in: .done).count + spool.names(in: .quarantine).count < doneBefore + files {
        usleep(2_000)
    }
    let elapsed = monotonic() - start
    print(String(format: "maildrop: %d mails (GB-style web-form text, UTF-8) taken from new/ to done/ in %.2f s: %.0f mails/s",
                 files, elapsed, Double(files) / elapsed))
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "webhooks" where arguments.count == 7:
    webhooks(port: Int(arguments[2])!, name: arguments[3], secretFile: arguments[4],
             connections: Int(arguments[5])!, requests: Int(arguments[6])!)
case "maildrop" where arguments.count == 4:
    maildrop(root: arguments[2], files: Int(arguments[3])!)
default:
    FileHandle.standardError.write(Data("usage: leadbench webhooks PORT NAME SECRET_FILE CONNECTIONS REQUESTS | leadbench maildrop ROOT FILES\n".utf8))
    exit(64)
}
