import Foundation
import LeadCore

/// `[[channel]]`: a group robot or an outbound webhook messages can go to besides mail.
/// - `name` (identifier, required, unique).
/// - `kind` (`wecom`, `dingtalk`, `feishu`, `webhook`; required).
/// - `url_file` (secret file): the robot's full webhook URL, which carries its credential
///   (WeCom `…/webhook/send?key=…`, DingTalk `…/robot/send?access_token=…`, Feishu
///   `…/bot/v2/hook/…`). WeCom may give `key_file` (the key alone) instead.
/// - `url` (`webhook` only, required there): the receiver's `https://` URL (`http://` only to a
///   loopback address).
/// - `secret_file` (secret file): DingTalk's or Feishu's signing secret (`SEC…`; optional, as the
///   robot's security settings say); a webhook's Standard Webhooks secret (`whsec_…`; required).
/// - `format` (`text` or `markdown`, default `text`): robots only.
/// - `rate_limit` (messages per minute, 1–10000; default the vendor's documented limit: WeCom and
///   DingTalk 20, Feishu 100, a webhook 600): more wait their turn in the outbox.
/// - `ca_file` (path): trust this CA instead of the system's (a private CA, a test sink).
/// - `timeout` (duration, default `"10s"`, range 1s–60s): per request.
/// - `retry_base` (duration, default `"10s"`, range 1s–1h): the first retry's wait when the vendor
///   names none, doubled per attempt (full jitter) up to 10 minutes.
/// - `give_up_after` (duration, default `"2d"`, range 1m–30d): a message failing this long is dead.
/// - `events` (`webhook` only; default all): which events it receives.
public struct ChannelConfiguration: Sendable, Equatable {
    public var name: String
    public var kind: ChannelKind
    public var url: Secret
    public var secret: Secret?
    public var format: ChannelFormat
    public var perMinute: Int
    public var caFile: URL?
    public var timeout: Duration
    public var events: Set<String>
    public var retryBase: Duration = .seconds(10)
    public var giveUpAfter: Duration = .seconds(2 * 86_400)

    /// Every event an outbound webhook can receive (`Config/schemas/events/TYPE.schema.json`).
    public static let eventTypes: Set<String> = [
        "lead.created", "lead.assigned", "lead.reassigned", "lead.status_changed", "sla.warning", "sla.breached", "sla.escalated",
        "activity.logged",
    ]

    public init(name: String, kind: ChannelKind, url: Secret, secret: Secret? = nil, format: ChannelFormat = .text, perMinute: Int? = nil,
                caFile: URL? = nil, timeout: Duration = .seconds(10), events: Set<String> = ChannelConfiguration.eventTypes) {
        self.name = name; self.kind = kind; self.url = url; self.secret = secret; self.format = format
        self.perMinute = perMinute ?? kind.defaultPerMinute; self.caFile = caFile; self.timeout = timeout; self.events = events
    }

    static func decodeAll(_ root: TableReader) -> [ChannelConfiguration] {
        var seen: Set<String> = []
        return root.tables("channel").compactMap { table in
            defer { table.finish() }
            let name = table.text("name", required: true)
            if let name {
                if !TeamID.isValidIdentifier(name) { table.report("name", "\"\(name)\" is not an identifier (ASCII letters, digits, '.', '_', '-')") }
                if !seen.insert(name).inserted { table.report("name", "channel \"\(name)\" is defined twice") }
            }
            guard let kindText = table.text("kind", required: true) else { return nil }
            guard let kind = ChannelKind(rawValue: kindText) else {
                table.report("kind", "\"\(kindText)\" is not one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            let url = address(kind, table)
            let secret = table.secretFile("secret_file")
            if kind == .webhook, secret == nil, !table.hasKey("secret_file") {
                table.report("secret_file", "a webhook channel signs its events: give its Standard Webhooks secret (whsec_…)")
            }
            if kind == .wecom, table.hasKey("secret_file") {
                table.report("secret_file", "WeCom robots do not sign; the key in the URL is the credential")
            }
            let format = table.choice("format", default: ChannelFormat.text)
            if kind == .webhook, table.hasKey("format") { table.report("format", "a webhook channel sends JSON events, not text") }
            var events = ChannelConfiguration.eventTypes
            if let listed = table.stringArray("events") {
                if kind != .webhook { table.report("events", "only a webhook channel takes an event filter") }
                let unknown = listed.filter { !ChannelConfiguration.eventTypes.contains($0) }
                if !unknown.isEmpty {
                    table.report("events", "unknown event \(unknown.joined(separator: ", ")); known: \(ChannelConfiguration.eventTypes.sorted().joined(separator: ", "))")
                }
                events = Set(listed)
            }
            var caFile: URL?
            if let path = table.text("ca_file") {
                caFile = table.resolve(path)
                if !FileManager.default.fileExists(atPath: caFile!.path) { table.report("ca_file", "no file \(caFile!.path)") }
            }
            let perMinute = table.int("rate_limit", default: kind.defaultPerMinute, range: 1...10_000)
            let timeout = table.duration("timeout", default: .seconds(10), range: .seconds(1) ... .seconds(60))
            let retryBase = table.duration("retry_base", default: .seconds(10), range: .seconds(1) ... .seconds(3_600))
            let giveUpAfter = table.duration("give_up_after", default: .seconds(2 * 86_400), range: .seconds(60) ... .seconds(30 * 86_400))
            guard let name, let url else { return nil }
            var channel = ChannelConfiguration(name: name, kind: kind, url: url, secret: secret, format: format, perMinute: perMinute,
                                               caFile: caFile, timeout: timeout, events: events)
            channel.retryBase = retryBase
            channel.giveUpAfter = giveUpAfter
            return channel
        }
    }

    /// The URL to post to: `url` for a webhook, the secret `url_file` for a robot (or WeCom's `key_file`).
    private static func address(_ kind: ChannelKind, _ table: TableReader) -> Secret? {
        if kind == .webhook {
            guard let text = table.text("url", required: true) else { return nil }
            guard let url = URL(string: text), let scheme = url.scheme, let host = url.host,
                  scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
                table.report("url", "\"\(text)\" is not an https:// URL (http:// only to a loopback address)")
                return nil
            }
            return Secret(value: text, source: "url")
        }
        if table.hasKey("url") {
            table.report("url", "a robot's URL carries its credential: put it in a file and give url_file")
            return nil
        }
        if kind == .wecom, table.hasKey("key_file") {
            guard let key = table.secretFile("key_file") else { return nil }
            return Secret(value: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key.value, source: key.source, isRead: key.isRead)
        }
        guard let url = table.secretFile("url_file", required: true) else { return nil }
        if url.isRead, !(url.value.hasPrefix("https://") || url.value.hasPrefix("http://127.0.0.1")) {
            table.report("url_file", "the file must hold the robot's https:// webhook URL")
            return nil
        }
        return url
    }
}
