import Foundation
import Hummingbird
import LeadCore
import NIOCore

/// The admin API, behind a bearer token. LeadHTTP checks the token and reads the body; the
/// daemon does the work.
public protocol AdminHandling: Sendable {
    /// The configured token, or nil when the admin API is off.
    var adminToken: String? { get }
    func assign(lead: String, body: [UInt8]) async -> WebhookReply
}

public enum AdminRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, handler: any AdminHandling) {
        router.post("leads/:id/assign") { request, context -> Response in
            guard let token = handler.adminToken else { return WebhookRoutes.reply(.error(404, "the admin API is off (no http.admin_token_file)")) }
            let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            guard constantTimeEqual(Array(given.utf8), Array(token.utf8)) else {
                return WebhookRoutes.reply(.error(401, "missing or wrong admin token"))
            }
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: 16 << 10) } catch {
                return WebhookRoutes.reply(.error(413, "body over 16 KiB"))
            }
            return WebhookRoutes.reply(await handler.assign(lead: context.parameters.get("id") ?? "", body: Array(buffer: body)))
        }
    }

    /// Compares through SHA-256-free folding: equal lengths compared byte by byte without early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
