import Foundation

/// Where a channel message goes: a group robot of one of the chat suites Chinese sales teams live
/// in, or a signed JSON webhook to the company's CRM or data warehouse.
public enum ChannelKind: String, Hashable, Sendable, CaseIterable {
    /// 企业微信 group robot: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`.
    case wecom
    /// 钉钉 custom robot: `https://oapi.dingtalk.com/robot/send?access_token=…`, signed in the URL.
    case dingtalk
    /// 飞书 custom bot: `https://open.feishu.cn/open-apis/bot/v2/hook/…`, signed in the body.
    case feishu
    /// Any HTTPS endpoint, JSON events signed the Standard Webhooks way.
    case webhook

    /// The vendor's documented limit per robot and minute (WeCom and DingTalk 20, Feishu 100);
    /// a webhook's receiver sets its own (default 600).
    public var defaultPerMinute: Int {
        switch self {
        case .wecom, .dingtalk: 20
        case .feishu: 100
        case .webhook: 600
        }
    }
}

/// How a robot message is laid out.
public enum ChannelFormat: String, Hashable, Sendable, CaseIterable {
    case text
    /// WeCom and DingTalk markdown; Feishu: a card with a markdown element.
    case markdown
}

/// One message for a group robot: a title (markdown heading, DingTalk's required title), the text,
/// and the people to @-mention by mobile number (E.164; WeCom and DingTalk take them, Feishu's
/// custom bots cannot look people up by number, so their names stay in the text).
public struct ChannelMessage: Hashable, Sendable {
    public var title: String
    public var text: String
    public var mentions: [String]
    /// The text is the whole message (a robot template wrote it): no title line is put before it;
    /// the title still goes where the vendor has a field for it (DingTalk markdown, Feishu card).
    public var standalone: Bool

    public init(title: String, text: String, mentions: [String] = [], standalone: Bool = false) {
        self.title = title; self.text = text; self.mentions = mentions; self.standalone = standalone
    }

    /// The text with the title line before it (`heading`: its Markdown prefix), unless standalone.
    public func body(heading: String = "") -> String { standalone ? text : "\(heading)\(title)\n\(text)" }
}

/// What one attempt's answer means.
public enum ChannelAnswer: Hashable, Sendable {
    case sent(String)
    /// Try again; `after` is the vendor's own wait (Retry-After, a throttling window) when it gave one.
    case retry(after: TimeInterval?, reason: String)
    case dead(String)
}
