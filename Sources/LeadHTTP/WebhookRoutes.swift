import Foundation
import Hummingbird
import LeadCore
import NIOCore

/// What the webhook routes need from the daemon: a body limit per endpoint and a handler that
/// authenticates, decodes and commits. LeadHTTP only moves bytes and maps outcomes to statuses.
public protocol WebhookHandling: Sendable {
    /// The body limit of endpoint `name`, or nil when there is no such webhook.
    func maxBodyBytes(for name: String) -> Int?
    /// `peer` is the client's IP address when known (failed authentications are limited per peer).
    func handlePost(name: String, method: String, uri: String, headers: [String: String],
                    query: [String: String], body: [UInt8], peer: String?) async -> WebhookReply
    func handleGet(name: String, query: [String: String]) async -> WebhookReply
}

/// An HTTP answer: status and a JSON (or plain) body.
public struct WebhookReply: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String
    /// A `Retry-After` header (seconds), for 429 and 503.
    public var retryAfterSeconds: Int?

    public init(status: Int, json: String) { self.status = status; self.contentType = "application/json"; self.body = json }
    public init(status: Int, text: String) { self.status = status; self.contentType = "text/plain; charset=utf-8"; self.body = text }

    /// `{"error": "..."}`, escaped.
    public static func error(_ status: Int, _ message: String) -> WebhookReply {
        WebhookReply(status: status, json: JSONText.object(["error": message]))
    }
}

public enum WebhookRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, handler: any WebhookHandling) {
        router.post("webhooks/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard let limit = handler.maxBodyBytes(for: name) else { return reply(.error(404, "no webhook named \(name)")) }
            var request = request
            if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
                return reply(.error(413, "body over the limit of \(limit) bytes"))
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                return reply(.error(413, "body over the limit of \(limit) bytes"))
            }
            let answer = await handler.handlePost(
                name: name, method: request.method.rawValue, uri: request.uri.string, headers: headers(request),
                query: query(request), body: Array(buffer: buffer),
                peer: (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress)
            return reply(answer)
        }
        router.get("webhooks/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return reply(await handler.handleGet(name: name, query: query(request)))
        }
    }

    static func headers(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for field in request.headers { result[field.name.canonicalName] = result[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value }
        return result
    }

    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            result[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        return result
    }

    public static func reply(_ answer: WebhookReply) -> Response {
        var headers: HTTPFields = [.contentType: answer.contentType]
        if let seconds = answer.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
