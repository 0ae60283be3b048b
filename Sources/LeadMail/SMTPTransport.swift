import CCurl
import Foundation

/// One SMTP connection through libcurl: an easy handle kept between messages, so libcurl reuses
/// the connection. `curl_easy_perform` blocks, so a transport belongs to one dedicated thread (the
/// daemon gives each its own serial queue) and never runs on the Swift concurrency pool.
public final class SMTPTransport {
    private let handle: UnsafeMutableRawPointer
    private let settings: SMTPSettings

    public init?(settings: SMTPSettings) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.settings = settings
    }

    deinit {
        curl_easy_reset(handle)   // no callbacks into freed state while the connection closes
        curl_easy_cleanup(handle)
    }

    /// Sends `message` (RFC 5322 bytes, CRLF line ends) from `sender` to `recipients`.
    public func send(_ message: [UInt8], from sender: String, to recipients: [String]) -> SMTPOutcome {
        let upload = UploadState(bytes: message)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        let state = Unmanaged.passRetained(upload)
        defer { state.release() }

        curl_easy_reset(handle)   // options only: the connection cache stays
        var code = configure(sender: sender, recipients: list, state: state.toOpaque())
        if code == CURLE_OK { code = curl_easy_perform(handle) }
        var response = 0
        _ = leadrouter_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        // The handle must not keep pointers to this call's state: closing the cached connection
        // later (QUIT, at cleanup) would call the debug callback with freed memory.
        curl_easy_reset(handle)
        let reply = upload.errorReply ?? upload.lastReply
        if code == CURLE_OK { return .sent(reply: upload.lastReply) }
        let reason = reply.isEmpty ? String(cString: curl_easy_strerror(code)) : reply
        switch code {
        case CURLE_LOGIN_DENIED:
            return .transient(code: response, reason: reason, failureClass: "auth")
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return .transient(code: response, reason: String(cString: curl_easy_strerror(code)), failureClass: "tls")
        default:
            if response >= 500, response < 600 { return .permanent(code: response, reason: reason) }
            if response >= 400, response < 500 { return .transient(code: response, reason: reason, failureClass: "4xx") }
            return .transient(code: response, reason: String(cString: curl_easy_strerror(code)), failureClass: "connection")
        }
    }

    private func configure(sender: String, recipients: UnsafeMutablePointer<curl_slist>?, state: UnsafeMutableRawPointer) -> CURLcode {
        var codes: [CURLcode] = [
            leadrouter_curl_setopt_string(handle, CURLOPT_URL, settings.url + "/" + settings.localName),
            leadrouter_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            leadrouter_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
            leadrouter_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>"),
            leadrouter_curl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients)),
            leadrouter_curl_setopt_read(handle, uploadCallback),
            leadrouter_curl_setopt_pointer(handle, CURLOPT_READDATA, state),
            leadrouter_curl_setopt_debug(handle, replyCallback),
            leadrouter_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, state),
            leadrouter_curl_setopt_long(handle, CURLOPT_VERBOSE, 1),
            leadrouter_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout.milliseconds)),
            leadrouter_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.milliseconds)),
        ]
        if !settings.url.hasPrefix("smtps://") {
            let level: curl_usessl = switch settings.startTLS {
            case .required: CURLUSESSL_ALL
            case .opportunistic: CURLUSESSL_TRY
            case .off: CURLUSESSL_NONE
            }
            codes.append(leadrouter_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(level.rawValue)))
        }
        if let username = settings.username { codes.append(leadrouter_curl_setopt_string(handle, CURLOPT_USERNAME, username)) }
        if let password = settings.password { codes.append(leadrouter_curl_setopt_string(handle, CURLOPT_PASSWORD, password)) }
        if let caFile = settings.caFile { codes.append(leadrouter_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        return codes.first { $0 != CURLE_OK } ?? CURLE_OK
    }
}

/// The message being uploaded and the server's last reply, shared with the C callbacks.
final class UploadState {
    let bytes: [UInt8]
    var offset = 0
    var lastReply = ""
    /// The first 4xx or 5xx reply: why a transaction failed.
    var errorReply: String?

    init(bytes: [UInt8]) { self.bytes = bytes }
}

private let uploadCallback: curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
    let room = size * count
    let n = min(room, state.bytes.count - state.offset)
    guard n > 0 else { return 0 }
    state.bytes.withUnsafeBufferPointer { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + state.offset, byteCount: n)
    }
    state.offset += n
    return n
}

/// Keeps the last line the server sent (libcurl passes server replies as CURLINFO_HEADER_IN).
private let replyCallback: curl_debug_callback = { _, type, data, size, userdata in
    guard type == CURLINFO_HEADER_IN, let data, let userdata else { return 0 }
    let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !line.isEmpty else { return 0 }
    state.lastReply = String(line.prefix(512))
    if state.errorReply == nil, let first = line.first, first == "4" || first == "5" { state.errorReply = state.lastReply }
    return 0
}

