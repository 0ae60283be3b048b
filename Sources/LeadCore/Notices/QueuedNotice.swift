import Foundation

/// A mail a core decision asks the store to queue in the outbox (kind, recipient, built-in text,
/// and the variables a template renders instead).
public struct QueuedNotice: Hashable, Sendable {
    public var kind: String
    public var recipient: EmailAddress
    public var cc: [EmailAddress]
    public var lead: LeadID?
    public var subject: String
    public var body: String
    public var variables: [String: TemplateValue]
    /// The recipient's language; nil: the configured default.
    public var language: String?
    /// A message for this `[[channel]]` (a robot's group, a webhook) instead of mail; `recipient`
    /// is then whom it is about (shown by `leadctl outbox`, never sent to).
    public var channel: String?
    /// Mobile numbers (E.164) the robot message @-mentions.
    public var mentions: [String] = []

    public init(kind: String, recipient: EmailAddress, cc: [EmailAddress] = [], lead: LeadID? = nil, subject: String, body: String,
                variables: [String: TemplateValue], language: String?, channel: String? = nil, mentions: [String] = []) {
        self.kind = kind; self.recipient = recipient; self.cc = cc; self.lead = lead; self.subject = subject; self.body = body
        self.variables = variables; self.language = language; self.channel = channel; self.mentions = mentions
    }

    /// The same notice for a channel, @-mentioning `mentions`.
    public func toChannel(_ channel: String, mentions: [String]) -> QueuedNotice {
        var copy = self
        copy.channel = channel
        copy.mentions = mentions
        copy.cc = []
        return copy
    }

    /// The variables as stored with an outbox row (JSON, keys sorted).
    public var encodedVariables: String { NoticeVariables.encode(variables) }
}

extension SLANotice {
    /// The notice as an outbox row.
    public var queued: QueuedNotice {
        QueuedNotice(kind: eventKind ?? kind.rawValue, recipient: recipient, cc: cc, lead: lead, subject: subject, body: body,
                     variables: variables, language: language, channel: channel, mentions: mentions)
    }
}

extension NoticeVariables {
    /// Template variables as JSON (keys sorted), for an outbox row.
    /// Written by hand in the form `TemplateValue`'s Codable conformance reads (`{"text":{"_0":…}}`),
    /// keys sorted: it runs inside the writing transaction, where Foundation's `JSONEncoder` was
    /// a twentieth of the daemon's time during a deadline storm.
    public static func encode(_ variables: [String: TemplateValue]) -> String {
        var out = ""
        write(variables, into: &out)
        return out
    }

    private static func write(_ object: [String: TemplateValue], into out: inout String) {
        out += "{"
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            out += JSONText.quote(key)
            out += ":"
            write(object[key]!, into: &out)
        }
        out += "}"
    }

    private static func write(_ value: TemplateValue, into out: inout String) {
        switch value {
        case .text(let text):
            out += #"{"text":{"_0":"# + JSONText.quote(text) + "}}"
        case .flag(let flag):
            out += #"{"flag":{"_0":"# + (flag ? "true" : "false") + "}}"
        case .list(let rows):
            out += #"{"list":{"_0":["#
            for (index, row) in rows.enumerated() {
                if index > 0 { out += "," }
                write(row, into: &out)
            }
            out += "]}}"
        }
    }

    /// An outbox row's variables; a row written before templates (or unreadable) has none.
    public static func decode(_ text: String) -> [String: TemplateValue] {
        (try? JSONDecoder().decode([String: TemplateValue].self, from: Data(text.utf8))) ?? [:]
    }
}
