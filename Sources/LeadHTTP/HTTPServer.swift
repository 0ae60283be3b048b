import Hummingbird
import HummingbirdCore
import LeadCore
import Logging
import NIOCore

/// Builds the Hummingbird application on the configured address: health, metrics and webhooks.
public enum HTTPServer {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)

        var bindAddress: BindAddress {
            switch self {
            case .tcp(let host, let port): .hostname(host, port: port)
            case .unix(let path): .unixDomainSocket(path: path)
            }
        }
    }

    public static func makeApplication(
        address: Address,
        readiness: @escaping ReadinessProbe,
        metrics: PrometheusCollectorRegistry,
        logger: Logger,
        webhooks: (any WebhookHandling)? = nil,
        admin: (any AdminHandling)? = nil,
        console: (any ConsoleHandling)? = nil,
        idleTimeout: Duration = .seconds(30),
        maxHeaderBytes: Int = 16 << 10,
        servesMetrics: Bool = true,
        connectionGate: ConnectionGate? = nil,
        onRunning: @escaping @Sendable (String) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: PeerRequestContext.self)
        HealthRoutes.register(on: router, readiness: readiness, metrics: metrics, servesMetrics: servesMetrics, showsDetail: { given in
            guard let token = admin?.adminToken else { return false }
            return ConstantTime.equal(Array(given.utf8), Array(token.utf8))
        })
        if let webhooks { WebhookRoutes.register(on: router, handler: webhooks) }
        if let admin { AdminRoutes.register(on: router, handler: admin) }
        if let console { ConsoleRoutes.register(on: router, handler: console) }
        // Idle and slow connections are closed after `idleTimeout`; header blocks are bounded.
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: .nanoseconds(idleTimeout.nanoseconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: 100))
        return Application(
            router: router,
            server: connectionGate.map { GatedHTTP1Channel.builder(configuration: http1, gate: $0) } ?? .http1(configuration: http1),
            configuration: .init(address: address.bindAddress, serverName: "leadrouterd"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress.map(describe) ?? "\(address)")
            },
            logger: logger)
    }

    /// The web console alone, on `ui.listen` (then the main listener does not serve `/ui`).
    public static func makeConsoleApplication(address: Address, console: any ConsoleHandling, logger: Logger,
                                              idleTimeout: Duration = .seconds(30), maxHeaderBytes: Int = 16 << 10,
                                              onRunning: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let router = Router(context: PeerRequestContext.self)
        ConsoleRoutes.register(on: router, handler: console)
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: .nanoseconds(idleTimeout.nanoseconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: 100))
        return Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: .init(address: address.bindAddress, serverName: "leadrouterd"),
            onServerRunning: { channel in await onRunning(channel.localAddress.map(describe) ?? "\(address)") },
            logger: logger)
    }

    /// `GET /metrics` alone, on `http.metrics_listen`.
    public static func makeMetricsApplication(address: Address, metrics: PrometheusCollectorRegistry, logger: Logger,
                                              onRunning: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        HealthRoutes.registerMetrics(on: router, metrics: metrics)
        return Application(
            router: router,
            configuration: .init(address: address.bindAddress, serverName: "leadrouterd"),
            onServerRunning: { channel in await onRunning(channel.localAddress.map(describe) ?? "\(address)") },
            logger: logger)
    }

    private static func describe(_ address: SocketAddress) -> String {
        switch address {
        case .unixDomainSocket: address.pathname.map { "unix:\($0)" } ?? "unix"
        default: "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
    }
}

import Prometheus
