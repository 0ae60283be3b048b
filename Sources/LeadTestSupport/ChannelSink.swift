import Foundation

/// A chat robot or webhook receiver on 127.0.0.1 (`scripts/lib/channel-sink.py`) that checks each
/// request's key or signature with its own code and answers like the vendor. Started per test on
/// its own port, over TLS with a self-signed certificate; stopped by its own pid.
public final class ChannelSink: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    public let certificate: String
    private let arguments: [String]
    private let workDirectory: URL
    private var child: ChildProcess?

    /// One request as the sink saw it.
    public struct Received: @unchecked Sendable {
        public var path: String
        public var query: [String: String]
        public var headers: [String: String]
        public var body: String
        public var json: [String: Any]
        public var verified: Bool
        public var why: String
        /// With `schemas`: the event checked against its type's JSON Schema.
        public var schemaOK: Bool?
        public var schemaError: String?
    }

    /// `kind`: wecom, dingtalk, feishu, webhook; `answers`: e.g. ["throttled", "success"].
    /// `schemas`: check each webhook event against `DIR/TYPE.schema.json`.
    public init(in directory: URL, kind: String, key: String? = nil, secret: String? = nil, answers: [String] = ["success"],
                schemas: URL? = nil) async throws {
        port = try freeLocalPort()
        workDirectory = directory
        folder = directory.appendingPathComponent("\(kind)-sink-\(port)")
        let (cert, privateKey) = try await SMTPSink.selfSignedCertificate(in: directory)
        certificate = cert
        var arguments = ["--port", "\(port)", "--kind", kind, "--dir", folder.path, "--tls", cert, privateKey, "--answers", answers.joined(separator: ",")]
        if let key { arguments += ["--key", key] }
        if let secret { arguments += ["--secret", secret] }
        if let schemas { arguments += ["--schemas", schemas.path] }
        self.arguments = arguments
    }

    public func start() async throws {
        child = try await PythonHelper.start("channel-sink.py", arguments, in: workDirectory, name: "channel-sink-\(port)")
    }

    public func stop() {
        guard let child else { return }
        PythonHelper.stop(child)
        self.child = nil
    }

    /// Every request so far, in order.
    public var received: [Received] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
                  let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return Received(path: record["path"] as? String ?? "", query: record["query"] as? [String: String] ?? [:],
                            headers: record["headers"] as? [String: String] ?? [:], body: record["body"] as? String ?? "",
                            json: record["json"] as? [String: Any] ?? [:], verified: record["verified"] as? Bool ?? false,
                            why: record["why"] as? String ?? "", schemaOK: record["schema_ok"] as? Bool,
                            schemaError: record["schema_error"] as? String)
        }
    }

    deinit { stop() }
}
