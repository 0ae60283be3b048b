import Dispatch
import Foundation
import LeadConfig
import LeadCore
import LeadIngest
import LeadMail
import ServiceLifecycle

/// Fetches the details of leads that arrived as ids only (Meta lead ads) and routes them: claims
/// one due fetch at a time (a lease, like the outbox), GETs the Graph API through libcurl on a
/// thread of its own, and records the result with the lead's fields and its routing in one
/// transaction. Failures retry with backoff (`DetailFetchPolicy`) until `details_attempts`, then
/// the fetch is dead-lettered with its reason; a lead still waiting at its `details_wait` is
/// routed with what is known and flagged `details=missing`.
struct DetailFetcher: Service {
    let context: DaemonContext
    let store: any DetailFetchStore
    static let lease: TimeInterval = 60

    func run() async throws {
        let lane = HTTPLane()
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let recheck = context.state.snapshot.configuration.scheduler.recheck
            do {
                let now = context.clock.now()
                if let routing = context.state.snapshot.routing {
                    for (lead, decision) in try await store.routeLeadsAwaitingDetails(routing: routing, at: now) {
                        context.logger.warning("lead routed without details", metadata: ["lead.id": "\(lead)"])
                        report(decision, lead: lead)
                    }
                }
                if let job = try await store.claimDetailFetch(at: now, lease: Self.lease) {
                    try await attempt(job, lane: lane, unit: Double.random(in: 0...1, using: &generator))
                    continue
                }
                let next = try await store.nextDetailFetchEvent()
                let wait = next.map { Duration.milliseconds(max(1, Int64(($0.timeIntervalSince(context.clock.now()) * 1000).rounded(.up)))) } ?? recheck
                await cancelWhenGracefulShutdown { await context.detailWakeup.wait(upTo: min(wait, recheck)) }
            } catch {
                context.metrics.storeFailed()
                context.logger.error("database unavailable", metadata: ["error": "\(error)"])
                await cancelWhenGracefulShutdown { await context.detailWakeup.wait(upTo: .seconds(1)) }
            }
        }
    }

    private func attempt(_ job: DetailFetchJob, lane: HTTPLane, unit: Double) async throws {
        let configuration = context.state.snapshot.configuration
        let webhook = configuration.webhooks.first { $0.name == job.webhook }
        let result: DetailFetchResult
        if let details = webhook?.metaDetails {
            let url = MetaGraphLead.url(graphURL: details.graphURL, leadgenID: job.objectID, token: details.pageToken.value)
            let response = await lane.get(url)
            let blank = LeadDraft(origin: LeadOrigin(channel: .webhook, name: job.webhook, key: job.objectID), receivedAt: context.clock.now())
            let finished = context.clock.now()
            switch MetaGraphLead.read(status: response.status, body: response.body, transportError: response.transportError, into: blank) {
            case .details(let draft):
                result = .fetched(configuration.intake.normaliser.normalise(draft), response: response.body)
            case .failure(let error, let permanent):
                let policy = DetailFetchPolicy(baseSeconds: Double(details.backoff.wholeSeconds), maxAttempts: details.attempts)
                result = policy.afterFailure(attempt: job.attempts, error: error, permanent: permanent, now: finished, unit: unit)
            }
        } else {
            result = .dead(error: "webhook \(job.webhook) is no longer a meta-leadgen webhook with a page_token_file")
        }
        let decision: RoutingDecision?
        do {
            decision = try await store.finishDetailFetch(job, result, routing: context.state.snapshot.routing, at: context.clock.now())
        } catch is StaleLease {
            // Our lease ran out mid-fetch and another attempt holds the row: its result stands.
            context.logger.warning("detail fetch finish stale", metadata: ["lead.id": "\(job.lead)", "fetch.attempts": "\(job.attempts)"])
            return
        }
        switch result {
        case .fetched:
            context.metrics.detailFetch(vendor: job.vendor, outcome: "fetched")
            context.logger.info("lead details fetched", metadata: ["lead.id": "\(job.lead)", "fetch.attempts": "\(job.attempts)"])
        case .retry(let at, let error):
            context.metrics.detailFetch(vendor: job.vendor, outcome: "retry")
            context.logger.warning("lead details fetch failed", metadata: [
                "lead.id": "\(job.lead)", "fetch.attempts": "\(job.attempts)", "fetch.error": "\(error)",
                "fetch.retry_at": "\(RFC3339Text.string(at))",
            ])
        case .dead(let error):
            context.metrics.detailFetch(vendor: job.vendor, outcome: "dead")
            context.logger.error("lead details fetch dead", metadata: [
                "lead.id": "\(job.lead)", "fetch.attempts": "\(job.attempts)", "fetch.error": "\(error)",
            ])
        }
        if let decision { report(decision, lead: job.lead) }
    }

    private func report(_ decision: RoutingDecision, lead: LeadID) {
        IntakeReporting.routed(decision, lead: lead, context: context)
        SLAReporting.armed(decision.clocks, lead: lead, context: context)
    }
}

/// A thread of its own for blocking libcurl GETs, with one handle kept for connection reuse.
final class HTTPLane: @unchecked Sendable {
    private let queue = DispatchQueue(label: "leadrouter.http-get")
    private var transport: HTTPTransport?

    func get(_ url: String) async -> HTTPTransport.Response {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if transport == nil { transport = HTTPTransport() }
                guard let transport else {
                    continuation.resume(returning: .init(status: 0, body: [], transportError: "curl_easy_init failed"))
                    return
                }
                continuation.resume(returning: transport.get(url))
            }
        }
    }
}
