import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1 child channel behind a `ConnectionGate`: the gate decides at accept, and a
/// small handler tells it when a request starts and its response ends.
struct GatedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    struct Refused: Error {}

    let inner: HTTP1Channel
    let gate: ConnectionGate

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration, gate: ConnectionGate) {
        var configuration = configuration
        let additional = configuration.additionalChannelHandlers
        configuration.additionalChannelHandlers = { [gate] in [RequestActivityHandler(gate: gate)] + additional() }
        self.inner = HTTP1Channel(responder: responder, configuration: configuration)
        self.gate = gate
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // A refused channel is already closed by the gate; NIO drops a failed child initialiser.
        guard gate.admit(channel) != .refused else { return channel.eventLoop.makeFailedFuture(Refused()) }
        do {
            try channel.pipeline.syncOperations.addHandler(ByteActivityHandler(gate: gate))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    static func builder(configuration: HTTP1Channel.Configuration, gate: ConnectionGate) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatedHTTP1Channel(responder: responder, configuration: configuration, gate: gate)
        }
    }
}

/// Marks a connection busy from request head to response end.
final class RequestActivityHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let gate: ConnectionGate

    init(gate: ConnectionGate) { self.gate = gate }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { gate.requestBegan(on: context.channel) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { gate.responseEnded(on: context.channel) }
        context.write(data, promise: promise)
    }
}

/// First in the pipeline: tells the gate that bytes of a request arrived (before any parsing).
final class ByteActivityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let gate: ConnectionGate

    init(gate: ConnectionGate) { self.gate = gate }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        gate.bytesArrived(on: context.channel)
        context.fireChannelRead(data)
    }
}
