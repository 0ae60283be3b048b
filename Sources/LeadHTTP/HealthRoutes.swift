import Foundation
import Hummingbird
import Prometheus

/// `GET /livez`, `GET /readyz` and `GET /metrics`.
public enum HealthRoutes {
    public static func register<Context: RequestContext>(
        on router: Router<Context>, readiness: @escaping ReadinessProbe, metrics: PrometheusCollectorRegistry
    ) {
        router.get("livez") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("readyz") { _, _ in
            let report = await readiness()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(report)) ?? Data("{\"ready\":false}".utf8)
            return Response(status: report.ready ? .ok : .serviceUnavailable,
                            headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
    }
}
