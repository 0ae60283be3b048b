import Crypto
import Foundation
import LeadCore

/// A robot message as each vendor's custom-robot API takes it (read from the vendors' docs:
/// WeCom 群机器人, DingTalk 自定义机器人, Feishu 自定义机器人), signed where the vendor signs.
/// Pure: `now` comes in, the request goes out.
public enum RobotEncoder {
    public static func request(_ message: ChannelMessage, to endpoint: ChannelEndpoint, now: Date) -> ChannelRequest {
        let json = ["Content-Type: application/json; charset=utf-8"]
        switch endpoint.kind {
        case .wecom:
            return ChannelRequest(url: endpoint.url, headers: json, body: Array(wecom(message, format: endpoint.format).utf8))
        case .dingtalk:
            var url = endpoint.url
            if let secret = endpoint.secret {
                let (timestamp, sign) = dingtalkSignature(secret: secret, now: now)
                url += (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
            }
            return ChannelRequest(url: url, headers: json, body: Array(dingtalk(message, format: endpoint.format).utf8))
        case .feishu:
            return ChannelRequest(url: endpoint.url, headers: json, body: Array(feishu(message, format: endpoint.format, secret: endpoint.secret, now: now).utf8))
        case .webhook:
            let event = WebhookEvent(type: "channel.test", id: "test-\(Int64(now.timeIntervalSince1970 * 1000))", at: now,
                                     dataJSON: JSONText.object(["title": message.title, "text": message.text]))
            return StandardWebhookSigner.request(event, to: endpoint, now: now)
        }
    }

    /// The national number WeCom and DingTalk match members by: `+8613800138000` → `13800138000`.
    static func mobile(_ e164: String) -> String {
        e164.hasPrefix("+86") ? String(e164.dropFirst(3)) : e164.hasPrefix("+") ? String(e164.dropFirst()) : e164
    }

    /// `{"msgtype":"text","text":{"content":…,"mentioned_mobile_list":[…]}}`, or markdown. WeCom's
    /// markdown cannot @-mention by number, so a message with mentions goes as text.
    static func wecom(_ message: ChannelMessage, format: ChannelFormat) -> String {
        let mobiles = message.mentions.map(mobile)
        if format == .markdown, mobiles.isEmpty {
            return #"{"msgtype":"markdown","markdown":{"content":"# + JSONText.quote(message.body(heading: "### ")) + "}}"
        }
        return #"{"msgtype":"text","text":{"content":"# + JSONText.quote(message.body())
            + #","mentioned_mobile_list":["# + mobiles.map(JSONText.quote).joined(separator: ",") + "]}}"
    }

    /// DingTalk highlights an @ only when `@NUMBER` also appears in the text.
    static func dingtalk(_ message: ChannelMessage, format: ChannelFormat) -> String {
        let mobiles = message.mentions.map(mobile)
        let ats = mobiles.isEmpty ? "" : "\n" + mobiles.map { "@\($0)" }.joined(separator: " ")
        let at = #""at":{"atMobiles":["# + mobiles.map(JSONText.quote).joined(separator: ",") + #"],"isAtAll":false}"#
        switch format {
        case .text:
            return #"{"msgtype":"text","text":{"content":"# + JSONText.quote(message.body() + ats) + "}," + at + "}"
        case .markdown:
            return #"{"msgtype":"markdown","markdown":{"title":"# + JSONText.quote(message.title) + #","text":"#
                + JSONText.quote(message.body(heading: "#### ") + ats) + "}," + at + "}"
        }
    }

    /// Feishu signs in the body: `timestamp` (seconds) and `sign`.
    static func feishu(_ message: ChannelMessage, format: ChannelFormat, secret: String?, now: Date) -> String {
        var fields: [String] = []
        if let secret {
            let timestamp = Int64(now.timeIntervalSince1970)
            fields.append(#""timestamp":"# + JSONText.quote(String(timestamp)))
            fields.append(#""sign":"# + JSONText.quote(feishuSignature(secret: secret, timestamp: timestamp)))
        }
        switch format {
        case .text:
            fields.append(#""msg_type":"text","content":{"text":"# + JSONText.quote(message.body()) + "}")
        case .markdown:
            fields.append(#""msg_type":"interactive","card":{"header":{"title":{"tag":"plain_text","content":"# + JSONText.quote(message.title)
                          + #"}},"elements":[{"tag":"markdown","content":"# + JSONText.quote(message.text) + "}]}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// DingTalk: `sign` = URL-encoded base64 of HMAC-SHA256 keyed with the secret over
    /// "timestamp\nsecret", the timestamp in milliseconds.
    public static func dingtalkSignature(secret: String, now: Date) -> (timestamp: Int64, sign: String) {
        let timestamp = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        let base64 = Data(mac).base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return (timestamp, base64.addingPercentEncoding(withAllowedCharacters: allowed) ?? base64)
    }

    /// Feishu: `sign` = base64 of HMAC-SHA256 keyed with "timestamp\nsecret" over nothing, the
    /// timestamp in seconds.
    public static func feishuSignature(secret: String, timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: SymmetricKey(data: Array("\(timestamp)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }
}
