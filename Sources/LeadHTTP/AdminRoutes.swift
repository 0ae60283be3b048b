import Foundation
import Hummingbird
import LeadCore
import NIOCore

/// The admin API, behind a bearer token. LeadHTTP checks the token and reads the body; the
/// daemon does the work.
public protocol AdminHandling: Sendable {
    /// The configured token, or nil when the admin API is off.
    var adminToken: String? { get }
    /// The rep whose API token this is (`[[rep]] token_file`), if any.
    func rep(withToken token: String) -> String?
    func assign(lead: String, body: [UInt8]) async -> WebhookReply
    /// `POST /reps/{id}/handover` (admin token only).
    func handover(rep: String, body: [UInt8]) async -> WebhookReply
    func recordActivity(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply
    /// `POST /leads/{id}/status`
    func changeStatus(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply
    /// `PATCH /leads/{id}`
    func setFields(lead: String, body: [UInt8], caller: APICaller) async -> WebhookReply
}

/// Who called the API: the admin token may touch every lead, a rep's token only that rep's.
public enum APICaller: Sendable, Equatable {
    case admin
    case rep(String)
}

public enum AdminRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, handler: any AdminHandling) {
        router.post("leads/:id/assign") { request, context -> Response in
            await adminOnly(request) { body in await handler.assign(lead: context.parameters.get("id") ?? "", body: body) }
        }
        router.post("reps/:id/handover") { request, context -> Response in
            await adminOnly(request) { body in await handler.handover(rep: context.parameters.get("id") ?? "", body: body) }
        }
        router.post("leads/:id/activities") { request, context -> Response in
            await withCaller(request, context) { lead, body, caller in await handler.recordActivity(lead: lead, body: body, caller: caller) }
        }
        router.post("leads/:id/status") { request, context -> Response in
            await withCaller(request, context) { lead, body, caller in await handler.changeStatus(lead: lead, body: body, caller: caller) }
        }
        router.patch("leads/:id") { request, context -> Response in
            await withCaller(request, context) { lead, body, caller in await handler.setFields(lead: lead, body: body, caller: caller) }
        }

        /// The admin token, then a body of at most 16 KiB.
        @Sendable func adminOnly(_ request: Request, _ body: ([UInt8]) async -> WebhookReply) async -> Response {
            guard let token = handler.adminToken else { return WebhookRoutes.reply(.error(404, "the admin API is off (no http.admin_token_file)")) }
            guard ConstantTime.equal(Array(bearer(request).utf8), Array(token.utf8)) else {
                return WebhookRoutes.reply(.error(401, "missing or wrong admin token"))
            }
            var request = request
            let bytes: ByteBuffer
            do { bytes = try await request.collectBody(upTo: 16 << 10) } catch {
                return WebhookRoutes.reply(.error(413, "body over 16 KiB"))
            }
            return WebhookRoutes.reply(await body(Array(buffer: bytes)))
        }

        /// The admin token or a rep's token, then a body of at most 16 KiB.
        @Sendable func withCaller(_ request: Request, _ context: Context,
                                  _ body: (String, [UInt8], APICaller) async -> WebhookReply) async -> Response {
            let given = bearer(request)
            let caller: APICaller
            if let token = handler.adminToken, ConstantTime.equal(Array(given.utf8), Array(token.utf8)) {
                caller = .admin
            } else if !given.isEmpty, let rep = handler.rep(withToken: given) {
                caller = .rep(rep)
            } else {
                return WebhookRoutes.reply(.error(401, "missing or wrong token (the admin token or a rep's token)"))
            }
            var request = request
            let bytes: ByteBuffer
            do { bytes = try await request.collectBody(upTo: 16 << 10) } catch {
                return WebhookRoutes.reply(.error(413, "body over 16 KiB"))
            }
            return WebhookRoutes.reply(await body(context.parameters.get("id") ?? "", Array(buffer: bytes), caller))
        }
    }

    static func bearer(_ request: Request) -> String {
        request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
    }
}
