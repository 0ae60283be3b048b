import Foundation

/// A webhook request as the HTTP layer received it: raw body bytes (signatures are checked on
/// these, before any parsing) and lower-cased header names.
public struct WebhookRequest: Sendable {
    public var method: String
    /// Path and query as sent (`/webhooks/site?x=1`), for schemes that sign the URI.
    public var uri: String
    public var headers: [String: String]
    public var query: [String: String]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [String: String], query: [String: String] = [:], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.query = query
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The headers worth keeping in the capture log, without credentials.
    public var capturedHeaders: String {
        let secret: Set<String> = ["authorization", "cookie", "x-api-key", "proxy-authorization"]
        return headers.keys.sorted().map { name in
            "\(name): \(secret.contains(name) ? "(removed)" : headers[name]!)"
        }.joined(separator: "\n")
    }
}

/// Why a webhook request was refused; the HTTP layer maps each case to a status.
public enum WebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 401: missing, wrong, stale or replayed authentication.
    case unauthorized(String)
    /// 400: the body cannot be read at all (not JSON, bad form encoding).
    case malformed(String)
    /// 422: readable, but not a lead we can use.
    case unprocessable(String)
    /// 413
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unauthorized(let why): why
        case .malformed(let why): why
        case .unprocessable(let why): why
        case .tooLarge(let limit): "body over the limit of \(limit) bytes"
        }
    }
}
