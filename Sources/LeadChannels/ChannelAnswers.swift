import Foundation
import LeadCore

/// What a vendor's answer means for the outbox: sent, retry (throttled, busy, 5xx, no answer) or
/// dead (a wrong key or signature, a refused message: sending it again cannot help). The codes are
/// the vendors' documented ones; an unknown non-zero code is dead, so a misconfigured robot shows
/// in the dead letters instead of retrying for days.
public enum ChannelAnswers {
    /// The HTTP exchange as the transport saw it.
    public struct Exchange: Sendable {
        public var status: Int
        public var retryAfter: String?
        public var body: [UInt8]
        public var transportError: String?

        public init(status: Int, retryAfter: String? = nil, body: [UInt8], transportError: String? = nil) {
            self.status = status; self.retryAfter = retryAfter; self.body = body; self.transportError = transportError
        }
    }

    public static func classify(_ exchange: Exchange, kind: ChannelKind, now: Date) -> ChannelAnswer {
        if let error = exchange.transportError { return .retry(after: nil, reason: "no answer: \(error)") }
        let text = String(decoding: exchange.body.prefix(512), as: UTF8.self)
        let waited = retryAfter(exchange.retryAfter, now: now)
        switch exchange.status {
        case 200..<300: break
        case 408, 425, 429, 500..<600: return .retry(after: waited, reason: "HTTP \(exchange.status): \(text)")
        default: return .dead("HTTP \(exchange.status): \(text)")
        }
        guard kind != .webhook else { return .sent("HTTP \(exchange.status)") }
        let json = (try? JSONSerialization.jsonObject(with: Data(exchange.body))) as? [String: Any]
        // WeCom and DingTalk answer errcode/errmsg; Feishu code/msg (older: StatusCode/StatusMessage).
        let code = (json?["errcode"] ?? json?["code"] ?? json?["StatusCode"]) as? Int
        let message = (json?["errmsg"] ?? json?["msg"] ?? json?["StatusMessage"]) as? String ?? text
        guard let code else { return .retry(after: waited, reason: "an answer without a result code: \(text)") }
        if code == 0 { return .sent("\(code) \(message)") }
        let reason = "\(kind.rawValue) error \(code): \(message)"
        switch (kind, code) {
        // Throttled: WeCom 45009 (20 a minute); DingTalk 130101 (over 20 a minute: limited for
        // 10 minutes) and 90018/90030; Feishu 11232 (100 a minute, 5 a second).
        case (.wecom, 45009): return .retry(after: waited ?? 60, reason: reason)
        case (.dingtalk, 130101), (.dingtalk, 90018), (.dingtalk, 90030): return .retry(after: waited ?? 600, reason: reason)
        case (.feishu, 11232): return .retry(after: waited ?? 60, reason: reason)
        // The vendor is busy: -1 (WeCom, DingTalk "system busy"); Feishu 9499 can be either, kept dead.
        case (.wecom, -1), (.dingtalk, -1): return .retry(after: waited, reason: reason)
        default: return .dead(reason)
        }
    }

    /// `Retry-After` in seconds or as an HTTP date, as seconds from `now`.
    static func retryAfter(_ value: String?, now: Date) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return TimeInterval(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSince(now)) }
    }
}
