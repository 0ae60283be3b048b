import CCurl
import Foundation

/// HTTPS through libcurl: GET for the vendor APIs leads are fetched from (Meta's Graph API), POST
/// for channels (group robots, outbound webhooks). Like `SMTPTransport`, it blocks: the daemon runs
/// it on a thread of its own, never on the Swift concurrency pool. The handle is kept between
/// requests so the connection is reused.
public final class HTTPTransport {
    public struct Response: Sendable, Equatable {
        /// The HTTP status, or 0 when no response arrived.
        public var status: Int
        public var body: [UInt8]
        /// libcurl's error when the request failed before a response (connection, TLS, timeout).
        public var transportError: String?
        /// The answer's `Retry-After`, as sent.
        public var retryAfter: String?

        public init(status: Int, body: [UInt8], transportError: String?, retryAfter: String? = nil) {
            self.status = status; self.body = body; self.transportError = transportError; self.retryAfter = retryAfter
        }
    }

    private let handle: UnsafeMutableRawPointer
    /// Longest body kept; a larger answer is cut off and reported as an error.
    public let maxBodyBytes: Int

    public init?(maxBodyBytes: Int = 1 << 20) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.maxBodyBytes = maxBodyBytes
    }

    deinit {
        curl_easy_reset(handle)
        curl_easy_cleanup(handle)
    }

    /// GETs `url` with `headers` ("Name: value"), giving up after `timeoutSeconds` in all.
    public func get(_ url: String, headers: [String] = [], timeoutSeconds: Int = 30) -> Response {
        perform(url, headers: headers, body: nil, caFile: nil, timeoutSeconds: timeoutSeconds)
    }

    /// POSTs `body` to `url`; `caFile` replaces the system's trust store (a private CA).
    public func post(_ url: String, headers: [String], body: [UInt8], caFile: String? = nil, timeoutSeconds: Int = 30) -> Response {
        perform(url, headers: headers, body: body, caFile: caFile, timeoutSeconds: timeoutSeconds)
    }

    private func perform(_ url: String, headers: [String], body: [UInt8]?, caFile: String?, timeoutSeconds: Int) -> Response {
        let sink = BodySink(limit: maxBodyBytes)
        let state = Unmanaged.passRetained(sink)
        defer { state.release() }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        curl_easy_reset(handle)
        var codes: [CURLcode] = [
            leadrouter_curl_setopt_string(handle, CURLOPT_URL, url),
            leadrouter_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            body == nil ? leadrouter_curl_setopt_long(handle, CURLOPT_HTTPGET, 1) : leadrouter_curl_setopt_long(handle, CURLOPT_POST, 1),
            leadrouter_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds),
            leadrouter_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, min(10, timeoutSeconds)),
            leadrouter_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            leadrouter_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            leadrouter_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)),
            leadrouter_curl_setopt_write(handle, httpGetWrite),
            leadrouter_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, state.toOpaque()),
        ]
        if let caFile { codes.append(leadrouter_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        let payload = body ?? []
        if body != nil { codes.append(leadrouter_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, payload.count)) }
        var code = codes.first { $0 != CURLE_OK } ?? CURLE_OK
        if code == CURLE_OK {
            code = payload.withUnsafeBytes { bytes in
                // The body is read during `curl_easy_perform` only, while these bytes are alive.
                if body != nil {
                    let set = leadrouter_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                    guard set == CURLE_OK else { return set }
                }
                return curl_easy_perform(handle)
            }
        }
        var status = 0
        _ = leadrouter_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let retryAfter = leadrouter_curl_response_header(handle, "Retry-After").map { String(cString: $0) }
        curl_easy_reset(handle)          // no pointer to this call's state stays in the handle
        codes.removeAll()
        if sink.overflowed { return Response(status: status, body: sink.bytes, transportError: "response larger than \(maxBodyBytes) bytes") }
        if code != CURLE_OK { return Response(status: status, body: sink.bytes, transportError: String(cString: curl_easy_strerror(code))) }
        return Response(status: status, body: sink.bytes, transportError: nil, retryAfter: retryAfter)
    }
}

private final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false
    init(limit: Int) { self.limit = limit }
}

/// libcurl's write callback: appends to the sink; returning less than given aborts the transfer.
private let httpGetWrite: curl_write_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard sink.bytes.count + length <= sink.limit else { sink.overflowed = true; return 0 }
    pointer.withMemoryRebound(to: UInt8.self, capacity: length) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}
