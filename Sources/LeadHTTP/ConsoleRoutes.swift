import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The web console's requests as the daemon sees them: the path's page, the session cookie, a
/// form's fields and the headers that tell a same-origin form from a foreign one.
public struct ConsoleRequest: Sendable {
    public var page: String
    public var sessionCookie: String?
    public var form: [String: String]
    /// The URL's query parameters.
    public var query: [String: String] = [:]
    /// `Origin`, `Sec-Fetch-Site` and `Host` as sent.
    public var origin: String?
    public var fetchSite: String?
    public var host: String?
    /// `X-Forwarded-Proto` from a reverse proxy (`https` marks the cookie `Secure`).
    public var forwardedProto: String?

    public init(page: String, sessionCookie: String?, form: [String: String] = [:], origin: String? = nil, fetchSite: String? = nil,
                host: String? = nil) {
        self.page = page; self.sessionCookie = sessionCookie; self.form = form; self.origin = origin; self.fetchSite = fetchSite
        self.host = host
    }

    /// A state-changing request from this console's own pages. A browser's `Sec-Fetch-Site`
    /// decides (same-origin, or none: typed by the user); without it (older clients, curl) an
    /// `Origin`, when sent, must name this host ("null" is refused).
    public var isSameOrigin: Bool {
        if let fetchSite { return fetchSite == "same-origin" || fetchSite == "none" }
        guard let origin else { return true }
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let port = url.port.map { ":\($0)" } ?? ""
        return originHost + port == host || (url.port == nil && originHost == host.split(separator: ":").first.map(String.init))
    }
}

/// A console answer: HTML (or a redirect), with a cookie to set.
public struct ConsoleReply: Sendable {
    public var status: Int
    public var html: String
    public var location: String?
    public var setCookie: String?
    public var contentType: String
    /// `Content-Disposition` (a download).
    public var disposition: String?

    public init(status: Int = 200, html: String = "", location: String? = nil, setCookie: String? = nil,
                contentType: String = "text/html; charset=utf-8") {
        self.status = status; self.html = html; self.location = location; self.setCookie = setCookie; self.contentType = contentType
    }

    public static func redirect(_ location: String, setCookie: String? = nil) -> ConsoleReply {
        ConsoleReply(status: 303, location: location, setCookie: setCookie)
    }
}

public protocol ConsoleHandling: Sendable {
    func get(_ request: ConsoleRequest) async -> ConsoleReply
    func post(_ request: ConsoleRequest) async -> ConsoleReply
    /// `GET /ui/events`: a Server-Sent Events stream, or why not (no session, too many streams).
    func events(_ request: ConsoleRequest, lastEventID: String?) async -> ConsoleEvents
}

/// The answer to `GET /ui/events`.
public enum ConsoleEvents: Sendable {
    case refused(ConsoleReply)
    case stream(any ConsoleEventStream)
}

/// One open event stream: `run` writes SSE text until the stream ends (client gone, session
/// expired, daemon stopping); a failed write means the client left.
public protocol ConsoleEventStream: Sendable {
    func run(_ write: (String) async throws -> Void) async
}

/// `/ui…`: pages on GET, forms on POST (`application/x-www-form-urlencoded`, at most 16 KiB).
/// Every answer carries the console's security headers.
public enum ConsoleRoutes {
    public static let sessionCookie = "lr_session"

    public static func register<Context: RequestContext>(on router: Router<Context>, handler: any ConsoleHandling) {
        router.get("ui") { request, _ in reply(await handler.get(consoleRequest(request, page: "", form: [:]))) }
        router.get("ui/events") { request, _ -> Response in
            let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!]
            switch await handler.events(consoleRequest(request, page: "events", form: [:]), lastEventID: lastEventID) {
            case .refused(let answer):
                return reply(answer)
            case .stream(let stream):
                var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8"]
                for (name, value) in securityHeaders { headers[name] = value }
                // Proxies (nginx) pass each event on at once instead of buffering the stream.
                headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                    await stream.run { text in try await writer.write(ByteBuffer(string: text)) }
                    try await writer.finish(nil)
                })
            }
        }
        router.get("ui/:page") { request, context in
            reply(await handler.get(consoleRequest(request, page: context.parameters.get("page") ?? "", form: [:])))
        }
        router.get("ui/leads/:id") { request, context in
            reply(await handler.get(consoleRequest(request, page: "leads/" + (context.parameters.get("id") ?? ""), form: [:])))
        }
        router.post("ui/:page") { request, context -> Response in
            await post(request, page: context.parameters.get("page") ?? "")
        }
        router.post("ui/leads/:id/:action") { request, context -> Response in
            await post(request, page: "leads/\(context.parameters.get("id") ?? "")/\(context.parameters.get("action") ?? "")")
        }

        @Sendable func post(_ request: Request, page: String) async -> Response {
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: 16 << 10) } catch {
                return reply(ConsoleReply(status: 413, html: "form over 16 KiB"))
            }
            let form = parseForm(String(decoding: Array(buffer: body), as: UTF8.self))
            return reply(await handler.post(consoleRequest(request, page: page, form: form)))
        }
    }

    static func consoleRequest(_ request: Request, page: String, form: [String: String]) -> ConsoleRequest {
        var console = ConsoleRequest(page: page, sessionCookie: cookie(named: sessionCookie, in: request.headers[values: .cookie]), form: form,
                                     origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!],
                                     host: request.head.authority ?? request.headers[HTTPField.Name("Host")!])
        console.query = parseForm(String(request.uri.query ?? ""))
        console.forwardedProto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]
        return console
    }

    /// The value of cookie `name` among `Cookie:` headers.
    static func cookie(named name: String, in headers: [String]) -> String? {
        for header in headers {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name { return String(pair[1]) }
            }
        }
        return nil
    }

    /// `a=1&b=%E4%B8%AD` into fields (`+` is a space).
    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first.map(decode), !key.isEmpty else { continue }
            fields[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// No script but our own, no framing, no sniffing, no referrer (lead ids) to other sites.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (.cacheControl, "no-store"),
    ]

    static func reply(_ answer: ConsoleReply) -> Response {
        var headers: HTTPFields = [.contentType: answer.contentType]
        for (name, value) in securityHeaders { headers[name] = value }
        if let location = answer.location { headers[.location] = location }
        if let cookie = answer.setCookie { headers[.setCookie] = cookie }
        if let disposition = answer.disposition { headers[.contentDisposition] = disposition }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.html)))
    }
}
