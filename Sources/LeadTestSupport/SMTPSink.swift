import Foundation

/// A real SMTP server on 127.0.0.1 (`scripts/lib/smtp-sink.py`, aiosmtpd): every accepted message
/// is a file the test can read. Started per test on its own port and stopped by its own pid.
public final class SMTPSink: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    private let arguments: [String]
    private let workDirectory: URL
    private(set) var child: ChildProcess?

    /// One received message: its bytes and its envelope.
    public struct Received: Sendable {
        public var raw: String
        public var mailFrom: String
        public var recipients: [String]
        public var tls: Bool
        public var authenticated: Bool
        public var peer: String

        /// The first header with this name, unfolded.
        public func header(_ name: String) -> String? {
            let head = raw.components(separatedBy: "\r\n\r\n").first ?? raw
            var result: String? = nil
            for line in head.components(separatedBy: "\r\n") {
                if result != nil, line.hasPrefix(" ") || line.hasPrefix("\t") { result! += line.dropFirst(); continue }
                if result != nil { break }
                if line.lowercased().hasPrefix(name.lowercased() + ":") { result = String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
            }
            return result
        }
    }

    /// `options` are the script's flags (`--starttls CERT KEY`, `--auth U:P`, `--reject S`, `--tempfail N`).
    public init(in directory: URL, options: [String] = [], port: Int? = nil) throws {
        self.port = try port ?? freeLocalPort()
        self.workDirectory = directory
        folder = directory.appendingPathComponent("smtp-\(self.port)")
        arguments = ["--port", "\(self.port)", "--dir", folder.path] + options
    }

    /// Starts the server (scripts/lib/smtp-sink.py, aiosmtpd) and waits until it listens.
    public func start() async throws {
        child = try await PythonHelper.start("smtp-sink.py", arguments, in: workDirectory, name: "smtp-sink-\(port)")
    }

    /// Stops it without waiting (`stopAndWait` when the test needs it gone).
    public func stop() {
        guard let child else { return }
        PythonHelper.stop(child)
        self.child = nil
    }

    public func stopAndWait() async {
        guard let child else { return }
        await PythonHelper.stopAndWait(child)
        self.child = nil
    }

    /// Every message received so far, in order.
    public var messages: [Received] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = folder.appendingPathComponent(String(name.dropLast(4)))
            guard let raw = try? Data(contentsOf: base.appendingPathExtension("eml")),
                  let meta = try? JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any]
            else { return nil }
            return Received(raw: String(decoding: raw, as: UTF8.self), mailFrom: meta["mail_from"] as? String ?? "",
                            recipients: meta["rcpt_tos"] as? [String] ?? [], tls: meta["tls"] as? Bool ?? false,
                            authenticated: meta["auth"] as? Bool ?? false, peer: meta["peer"] as? String ?? "")
        }
    }

    deinit { stop() }

    /// A self-signed certificate for 127.0.0.1 and localhost: (certificate, key) paths. An EC P-256
    /// key: as good for a test's TLS as RSA and a fraction of the CPU to make (tests run in parallel).
    public static func selfSignedCertificate(in directory: URL) async throws -> (String, String) {
        let cert = directory.appendingPathComponent("smtp-cert.pem").path
        let key = directory.appendingPathComponent("smtp-key.pem").path
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ], in: directory, name: "openssl")
        guard result.status == 0 else { throw SMTPSinkError.exited(result.stderr) }
        return (cert, key)
    }
}

public enum SMTPSinkError: Error { case exited(String) }
