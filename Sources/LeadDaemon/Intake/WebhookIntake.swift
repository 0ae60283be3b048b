import Foundation
import LeadConfig
import LeadCore
import LeadHTTP
import LeadIngest
import Logging
import Synchronization

/// `POST /webhooks/<name>`: authenticate on the raw body, decode, normalise, commit (group
/// commit), then answer. 2xx only once the lead is durable; 503 when the store cannot take it.
public struct WebhookIntake: WebhookHandling {
    let context: DaemonContext
    let committer: IntakeCommitter
    let limits = RateLimits()
    let failedAuth = FailedAuthentications()
    let unauthenticatedNotice = OncePerMinute()

    public init(context: DaemonContext, committer: IntakeCommitter) {
        self.context = context
        self.committer = committer
    }

    private func endpoint(_ name: String) -> WebhookConfiguration? {
        context.state.snapshot.configuration.webhooks.first { $0.name == name }
    }

    public func maxBodyBytes(for name: String) -> Int? { endpoint(name)?.maxBodyBytes }

    public func handleGet(name: String, query: [String: String]) async -> WebhookReply {
        guard let webhook = endpoint(name), webhook.format == .metaLeadgen, let token = webhook.verifyToken else {
            return .error(405, "only meta-leadgen webhooks with a verify_token_file answer GET")
        }
        guard query["hub.mode"] == "subscribe", let given = query["hub.verify_token"], let challenge = query["hub.challenge"],
              WebhookAuthenticator.constantTimeEqual(Array(given.utf8), Array(token.value.utf8)) else {
            context.metrics.intake(channel: "webhook", source: webhook.source, outcome: "rejected")
            return .error(403, "verification failed")
        }
        return WebhookReply(status: 200, text: challenge)
    }

    public func handlePost(name: String, method: String, uri: String, headers: [String: String],
                           query: [String: String], body: [UInt8], peer: String?) async -> WebhookReply {
        guard let webhook = endpoint(name) else { return .error(404, "no webhook named \(name)") }
        let now = context.clock.now()
        // A peer that keeps failing authentication waits a second before its requests cost an HMAC;
        // other peers (the real senders) are not affected.
        let failureLimit = context.state.snapshot.configuration.http.failedAuthLimit
        if let peer, failureLimit > 0, failedAuth.isBlocked(peer, at: now) {
            context.metrics.rejected(channel: "webhook", reason: "auth_rate_limited")
            var reply = WebhookReply.error(429, "too many failed authentications from this address; retry after 1 s")
            reply.retryAfterSeconds = 1
            return reply
        }
        let request = WebhookRequest(method: method, uri: uri, headers: headers, query: query, body: body)
        if webhook.authentication == .none, unauthenticatedNotice.due(webhook.name, at: now) {
            context.logger.warning("webhook without authentication", metadata: ["webhook": "\(webhook.name)"])
        }
        do {
            try Self.authenticator(webhook).verify(request, now: now)
        } catch {
            if let peer, failureLimit > 0 { failedAuth.recordFailure(peer, rate: failureLimit, at: now) }
            reject(webhook, error, status: 401)
            return .error(401, error.description)
        }
        // The source's rate limit counts authenticated requests only: unsigned floods cannot spend it.
        if let rate = webhook.rateLimit, !limits.take(webhook.name, rate: rate, at: now) {
            context.metrics.rejected(channel: "webhook", reason: "rate_limited")
            var reply = WebhookReply.error(429, "over the rate limit of \(rate) requests a second for \(webhook.name); retry after 1 s")
            reply.retryAfterSeconds = 1
            return reply
        }
        let leads: [WebhookLead]
        do {
            leads = try decoder(webhook).decode(request, receivedAt: now)
        } catch {
            let status = if case .malformed = error { 400 } else { 422 }
            reject(webhook, error, status: status)
            await keep(request, webhook: webhook, reason: error.description, kind: error.kind, now: now)
            return .error(status, error.description)
        }
        let normaliser = context.state.snapshot.configuration.intake.normaliser
        let items = leads.map { lead in
            var item = IntakeItem(draft: normaliser.normalise(lead.draft), raw: RawCapture(headers: request.capturedHeaders, body: body),
                                  warnings: lead.warnings)
            if lead.needsDetails {
                // Meta sends ids only: acknowledge now, fetch the answers as durable work, route then.
                if let details = webhook.metaDetails {
                    item.detailFetch = DetailFetchRequest(vendor: "meta", webhook: webhook.name, objectID: lead.eventID,
                                                          routeBy: now.addingTimeInterval(TimeInterval(details.wait.wholeSeconds)))
                } else {
                    item.draft.customFields["details"] = "missing: no page_token_file to fetch them from the Graph API"
                }
            }
            return item
        }
        do {
            let snapshot = context.state.snapshot
            let commits = try await committer.commit(items, duplicates: snapshot.configuration.intake.duplicates,
                                                     routing: snapshot.routing, at: now)
            for (item, commit) in zip(items, commits) { IntakeReporting.accepted(item, commit: commit, context: context) }
            if items.contains(where: { $0.detailFetch != nil }) { context.detailWakeup.notify() }
            return Self.accepted(leads, commits.map(\.outcome))
        } catch {
            context.metrics.storeFailed()
            context.logger.error("database unavailable", metadata: ["error": "\(error)", "webhook": "\(name)"])
            return .error(503, "the lead store is unavailable; retry later")
        }
    }

    static func accepted(_ leads: [WebhookLead], _ outcomes: [IntakeOutcome]) -> WebhookReply {
        // Built by hand: this runs for every request, and JSONSerialization costs more than the rest.
        let entries = zip(leads, outcomes).map { lead, outcome in
            let kind: String = switch outcome {
            case .created: "created"
            case .redelivered: "redelivered"
            case .reinquiry: "reinquiry"
            }
            return "{\"event_id\":\(JSONText.quote(lead.eventID)),\"lead_id\":\(outcome.leadID.rawValue),\"outcome\":\"\(kind)\"}"
        }
        let created = outcomes.contains { if case .created = $0 { true } else { false } }
        return WebhookReply(status: created ? 201 : 200, json: "{\"leads\":[" + entries.joined(separator: ",") + "]}")
    }

    private func reject(_ webhook: WebhookConfiguration, _ error: WebhookError, status: Int) {
        context.metrics.intake(channel: "webhook", source: webhook.source, outcome: "rejected")
        context.metrics.rejected(channel: "webhook", reason: error.kind)
        context.logger.warning("webhook rejected", metadata: [
            "webhook": "\(webhook.name)", "http.status": "\(status)", "intake.reason": "\(error.description)",
        ])
    }

    /// An authenticated request that is not a usable lead is kept for the admin (quarantine).
    private func keep(_ request: WebhookRequest, webhook: WebhookConfiguration, reason: String, kind: String, now: Date) async {
        let origin = LeadOrigin(channel: .webhook, name: webhook.name, key: request.header("webhook-id") ?? WebhookDecoder.bodyDigest(request.body))
        let item = QuarantineItem(origin: origin, reason: reason, raw: RawCapture(headers: request.capturedHeaders, body: request.body),
                                  receivedAt: now)
        if let id = try? await context.store.recordQuarantine(item, at: now) {
            IntakeReporting.quarantined(item, id: id, context: context, kind: kind)
        }
    }

    func decoder(_ webhook: WebhookConfiguration) -> WebhookDecoder {
        var fields: [LeadField: String] = [:]
        for (name, path) in webhook.fields { if let field = LeadField(configName: name) { fields[field] = path } }
        return WebhookDecoder(name: webhook.name, format: webhook.format, source: webhook.source, fields: fields,
                              idPath: webhook.idPath)
    }

    static func authenticator(_ webhook: WebhookConfiguration) -> WebhookAuthenticator {
        switch webhook.authentication {
        case .none: .none
        case .bearer(let token): .bearer(token: token.value)
        case .standard(let secret): .standardWebhooks(secret: WebhookAuthenticator.standardSecret(secret.value))
        case .vendor(let secret):
            switch webhook.format {
            case .metaLeadgen: .meta(appSecret: secret.value)
            case .typeform: .typeform(secret: secret.value)
            case .hubspot: .hubspot(clientSecret: secret.value, publicURL: webhook.publicURL ?? "")
            case .googleAds: .googleKey(key: secret.value)
            case .json, .form: .standardWebhooks(secret: WebhookAuthenticator.standardSecret(secret.value))
            }
        }
    }
}

extension WebhookError {
    /// A bounded label for metrics.
    var kind: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .malformed: "malformed"
        case .unprocessable: "unprocessable"
        case .tooLarge: "too_large"
        }
    }
}

/// Failed authentications per peer address: a token bucket each; a peer that runs its bucket dry
/// is blocked for a second. At most `capacity` peers are remembered (the stalest are dropped).
final class FailedAuthentications: Sendable {
    private struct Peer { var bucket: TokenBucket; var blockedUntil: Date }
    private let peers = Mutex<[String: Peer]>([:])
    let capacity = 10_000

    func isBlocked(_ peer: String, at now: Date) -> Bool {
        peers.withLock { $0[peer].map { $0.blockedUntil > now } ?? false }
    }

    func recordFailure(_ peer: String, rate: Int, at now: Date) {
        peers.withLock { peers in
            var entry = peers[peer] ?? Peer(bucket: TokenBucket(rate: rate, now: now), blockedUntil: .distantPast)
            if entry.bucket.rate != Double(rate) { entry.bucket = TokenBucket(rate: rate, now: now) }
            if !entry.bucket.take(at: now) { entry.blockedUntil = now.addingTimeInterval(1) }
            peers[peer] = entry
            if peers.count > capacity {
                for key in peers.filter({ $0.value.blockedUntil < now }).sorted(by: { $0.value.bucket.updated < $1.value.bucket.updated })
                    .prefix(peers.count - capacity).map(\.key) {
                    peers.removeValue(forKey: key)
                }
            }
        }
    }
}

/// Says yes at most once a minute per key (a warning repeated for every request would flood the journal).
final class OncePerMinute: Sendable {
    private let last = Mutex<[String: Date]>([:])

    func due(_ key: String, at now: Date) -> Bool {
        last.withLock { last in
            if let previous = last[key], now.timeIntervalSince(previous) < 60 { return false }
            last[key] = now
            return true
        }
    }
}

/// A token bucket per webhook (its source), created on first use with the configured rate.
final class RateLimits: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])

    func take(_ key: String, rate: Int, at now: Date) -> Bool {
        buckets.withLock { buckets in
            var bucket = buckets[key].flatMap { $0.rate == Double(rate) ? $0 : nil } ?? TokenBucket(rate: rate, now: now)
            let allowed = bucket.take(at: now)
            buckets[key] = bucket
            return allowed
        }
    }
}
