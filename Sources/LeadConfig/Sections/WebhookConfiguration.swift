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
/// - `page_token_file` (secret file, `meta-leadgen` only): a page access token with
///   `leads_retrieval`. With it, a notification that carries ids only is acknowledged at once, its
///   lead recorded as *pending details*, and the answers fetched from the Graph API (durable work,
///   retried with backoff) before the lead is routed. Without it such a lead is routed at once with
///   `details=missing`.
/// - `graph_url` (URL, `meta-leadgen` only, default `"https://graph.facebook.com/v21.0"`).
/// - `details_wait` (duration, `meta-leadgen` only, default `"15m"`, range 0s–7d): a lead whose
///   details have not arrived by then is routed with what is known and flagged `details=missing`.
/// - `details_attempts` (1–100, default 10): fetch attempts before the fetch is dead-lettered.
/// - `details_backoff` (duration, default `"5s"`, range 1s–1h): the first retry's delay, doubled
///   per attempt (with jitter) up to 10 minutes.
/// - `public_url` (URL, `hubspot` only, required): the URL HubSpot calls (it is signed).
/// - `source` (string, default: the format): the lead source label. An `auth = "none"` webhook whose
///   source is in `mail.welcome_sources` is refused unless `allow_unauthenticated_welcome = true`:
///   anyone could make the daemon mail any address.
/// - `max_body` (size, default `"64KiB"`, range 1KiB–10MiB): larger bodies get 413.
/// - `rate_limit` (requests per second, 1–100000, optional): more from this source get 429 with
///   `Retry-After: 1` (a token bucket holding one second's worth); counts authenticated requests
///   only, so unsigned floods cannot spend it (`http.failed_auth_limit` slows those per peer).
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
    /// Meta lead ads: how the details of id-only notifications are fetched (nil: not fetched).
    public var metaDetails: MetaDetails?

    /// `page_token_file`, `graph_url`, `details_wait`, `details_attempts`.
    public struct MetaDetails: Sendable, Equatable {
        public var pageToken: Secret
        public var graphURL: String
        public var wait: Duration
        public var attempts: Int
        public var backoff: Duration

        public init(pageToken: Secret, graphURL: String = "https://graph.facebook.com/v21.0", wait: Duration = .seconds(900),
                    attempts: Int = 10, backoff: Duration = .seconds(5)) {
            self.pageToken = pageToken; self.graphURL = graphURL; self.wait = wait; self.attempts = attempts; self.backoff = backoff
        }
    }

    static func decodeAll(_ root: TableReader, welcomeSources: Set<String> = []) -> [WebhookConfiguration] {
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
            var metaDetails: MetaDetails? = nil
            if format == .metaLeadgen {
                let token = table.secretFile("page_token_file")
                let graphURL = table.text("graph_url") ?? "https://graph.facebook.com/v21.0"
                if URL(string: graphURL)?.scheme?.hasPrefix("http") != true { table.report("graph_url", "\"\(graphURL)\" is not an http(s) URL") }
                let wait = table.duration("details_wait", default: .seconds(900), range: .seconds(0) ... .seconds(7 * 86_400))
                let attempts = table.int("details_attempts", default: 10, range: 1 ... 100)
                let backoff = table.duration("details_backoff", default: .seconds(5), range: .seconds(1) ... .seconds(3_600))
                if let token { metaDetails = MetaDetails(pageToken: token, graphURL: graphURL, wait: wait, attempts: attempts, backoff: backoff) }
            } else {
                for key in ["page_token_file", "graph_url", "details_wait", "details_attempts", "details_backoff"] where table.hasKey(key) {
                    _ = table.string(key); table.report(key, "only meta-leadgen webhooks fetch lead details")
                }
            }
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
            let allowWelcome = table.bool("allow_unauthenticated_welcome", default: false)
            if kind == .none, generic, welcomeSources.contains(source ?? format?.rawValue ?? ""), !allowWelcome {
                table.report("auth", "an unauthenticated webhook cannot send welcome mail (its source \"\(source ?? format?.rawValue ?? "")\" is in mail.welcome_sources): anyone could make the daemon mail any address; authenticate it, or set allow_unauthenticated_welcome = true")
            }
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
            webhook.metaDetails = metaDetails
            return webhook
        }
    }
}
