import Foundation
import Hummingbird
import Prometheus

/// `GET /livez`, `GET /readyz` and `GET /metrics`. `/readyz` says which check fails to anyone, and
/// why (database error text, paths) only to a caller whose bearer token `showsDetail` accepts (the
/// admin token): the reasons are internal.
public enum HealthRoutes {
    public static func register<Context: RequestContext>(
        on router: Router<Context>, readiness: @escaping ReadinessProbe, metrics: PrometheusCollectorRegistry,
        servesMetrics: Bool = true, showsDetail: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        router.get("livez") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("readyz") { request, _ in
            var report = await readiness()
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            if !(bearer.map(showsDetail) ?? false) {
                report.checks = report.checks.mapValues { $0 == "ok" ? "ok" : "failing" }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(report)) ?? Data("{\"ready\":false}".utf8)
            return Response(status: report.ready ? .ok : .serviceUnavailable,
                            headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        if servesMetrics { registerMetrics(on: router, metrics: metrics) }
    }

    /// `GET /metrics` (beside the webhooks, or alone on `http.metrics_listen`).
    public static func registerMetrics<Context: RequestContext>(on router: Router<Context>, metrics: PrometheusCollectorRegistry) {
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
    }
}
