import Hummingbird
import NIOCore

/// The request context of leadrouter's HTTP server: Hummingbird's core context plus the peer's
/// address, so failed authentications can be limited per peer.
public struct PeerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text (a Unix-socket peer has none).
    public var peer: String? { remoteAddress?.ipAddress }
}
