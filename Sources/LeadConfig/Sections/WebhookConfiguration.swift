import Foundation
import LeadCore

/// `[[webhook]]`: an HTTP endpoint `POST /webhooks/<name>` that takes leads.
/// - `name` (identifier, required, unique).
/// - `format` (`json`, `form`, `meta-leadgen`, `typeform`, `hubspot`, `google-ads`; required).
/// - `auth` (`json`/`form` only: `"standard"` — Standard Webhooks HMAC, `"bearer"`, or `"none"`;
///   default `"standard"`). Vendor formats use their own scheme. `none` must be written out and
///   logs a warning at start.
/// - `secret_file` (secret file; required unless `auth = "none"`): the HMAC secret (`whsec_…`
///   base64 or plain), bearer token, Meta App Secret, Typeform secret, HubSpot client secret, or
///   Google Ads `google_key`.
/// - `verify_token_file` (secret file, `meta-leadgen` only): answers Meta's `GET` handshake.
/// - `public_url` (URL, `hubspot` only, required): the URL HubSpot calls (it is signed).
/// - `source` (string, default: the format): the lead source label.
/// - `max_body` (size, default `"64KiB"`, range 1KiB–10MiB): larger bodies get 413.
/// - `rate_limit` (requests per second, 1–100000, optional): more from this source get 429 with
///   `Retry-After: 1` (a token bucket holding one second's worth); checked before authentication.
/// - `id_path` (JSON path or form field): where the sender's event id is (idempotency key);
///   default `webhook-id`, else the body's SHA-256.
/// - `[webhook.fields]`: lead field → JSON path (`"$.contact.name"`) or form field name.
public struct WebhookConfiguration: Sendable, Equatable {
    public enum Authentication: Sendable, Equatable {
        case standard(secret: Secret)
        case bearer(token: Secret)
        case none
        case vendor(secret: Secret)
    }

    public enum AuthKind: String, Sendable, CaseIterable { case standard, bearer, none }

    public var name: String
    public var format: WebhookFormat
    public var authentication: Authentication
    public var verifyToken: Secret?
    public var publicURL: String?
    public var source: String
    public var maxBodyBytes: Int
    public var idPath: String?
    public var fields: [String: String]
    /// Requests per second this source may send (nil: no limit).
    public var rateLimit: Int?

    static func decodeAll(_ root: TableReader) -> [WebhookConfiguration] {
        var seen: Set<String> = []
        return root.tables("webhook").compactMap { table in
            defer { table.finish() }
            let name = table.text("name", required: true)
            if let name {
                if !TeamID.isValidIdentifier(name) { table.report("name", "\"\(name)\" is not an identifier (ASCII letters, digits, '.', '_', '-')") }
                if !seen.insert(name).inserted { table.report("name", "duplicate webhook name \"\(name)\"") }
            }
            var format: WebhookFormat? = nil
            if let text = table.string("format", required: true) {
                format = WebhookFormat(rawValue: text)
                if format == nil {
                    table.report("format", "\"\(text)\" is not one of \(WebhookFormat.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                }
            }
            let generic = format == .json || format == .form
            let kind: AuthKind = generic ? table.choice("auth", default: .standard) : .standard
            if !generic, table.hasKey("auth") { table.report("auth", "only json and form webhooks choose auth; \(format?.rawValue ?? "this format") has its own scheme") }
            let secret = kind == .none ? nil : table.secretFile("secret_file", required: true)
            if kind == .none, table.hasKey("secret_file") { _ = table.string("secret_file"); table.report("secret_file", "a secret with auth = \"none\" is never checked") }
            let verifyToken = format == .metaLeadgen ? table.secretFile("verify_token_file") : nil
            if format != .metaLeadgen, table.hasKey("verify_token_file") { _ = table.string("verify_token_file"); table.report("verify_token_file", "only meta-leadgen webhooks have a verify token") }
            var publicURL: String? = nil
            if format == .hubspot {
                publicURL = table.text("public_url", required: true)
                if let url = publicURL, URL(string: url)?.scheme?.hasPrefix("http") != true {
                    table.report("public_url", "\"\(url)\" is not an http(s) URL")
                }
            } else if table.hasKey("public_url") {
                _ = table.string("public_url"); table.report("public_url", "only hubspot webhooks sign their URL")
            }
            var fields: [String: String] = [:]
            for (field, path) in table.stringTable("fields") {
                if LeadField(configName: field) == nil {
                    table.context.report(table.path.appending("fields").appending(field),
                                         "\"\(field)\" is not a lead field (name, company, email, phone, country, province, city, industry, source, campaign, message or custom:NAME)")
                }
                fields[field] = path
            }
            let source = table.text("source")
            let maxBody = table.size("max_body", default: 64 << 10, range: 1 << 10 ... 10 << 20)
            let rateLimit: Int? = table.hasKey("rate_limit") ? table.int("rate_limit", default: 100, range: 1 ... 100_000) : nil
            let idPath = table.text("id_path")
            guard let name, let format else { return nil }
            let authentication: Authentication
            switch (generic, kind, secret) {
            case (true, .none, _): authentication = .none
            case (true, .bearer, let secret?): authentication = .bearer(token: secret)
            case (true, .standard, let secret?): authentication = .standard(secret: secret)
            case (false, _, let secret?): authentication = .vendor(secret: secret)
            default: return nil
            }
            var webhook = WebhookConfiguration(name: name, format: format, authentication: authentication, verifyToken: verifyToken,
                                               publicURL: publicURL, source: source ?? format.rawValue, maxBodyBytes: maxBody,
                                               idPath: idPath, fields: fields)
            webhook.rateLimit = rateLimit
            return webhook
        }
    }
}
