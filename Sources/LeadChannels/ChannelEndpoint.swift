import Foundation
import LeadCore

/// A configured channel as the encoders need it: where to post, how to sign, which layout.
public struct ChannelEndpoint: Hashable, Sendable {
    public var name: String
    public var kind: ChannelKind
    /// The robot's full webhook URL (for WeCom with its `key`, for DingTalk with its `access_token`).
    public var url: String
    /// DingTalk's and Feishu's signing secret (`SEC…`), or the webhook's Standard Webhooks secret
    /// (`whsec_` + base64, or the raw key).
    public var secret: String?
    public var format: ChannelFormat

    public init(name: String, kind: ChannelKind, url: String, secret: String? = nil, format: ChannelFormat = .text) {
        self.name = name; self.kind = kind; self.url = url; self.secret = secret; self.format = format
    }
}

/// One HTTP request to send: everything the transport needs, nothing it must decide.
public struct ChannelRequest: Hashable, Sendable {
    public var url: String
    /// `Name: value` lines.
    public var headers: [String]
    public var body: [UInt8]

    public init(url: String, headers: [String], body: [UInt8]) { self.url = url; self.headers = headers; self.body = body }
}
