import Dispatch
import Foundation
import LeadChannels
import LeadMail

/// Posts channel requests on a thread of its own (libcurl blocks), keeping one connection.
final class ChannelLane: @unchecked Sendable {
    private let queue = DispatchQueue(label: "leadrouter.channels")
    private var transport: HTTPTransport?

    func post(_ request: ChannelRequest, caFile: String?, timeoutSeconds: Int) async -> HTTPTransport.Response {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if transport == nil { transport = HTTPTransport() }
                guard let transport else {
                    continuation.resume(returning: HTTPTransport.Response(status: 0, body: [], transportError: "curl_easy_init failed"))
                    return
                }
                continuation.resume(returning: transport.post(request.url, headers: request.headers, body: request.body, caFile: caFile,
                                                              timeoutSeconds: timeoutSeconds))
            }
        }
    }
}
