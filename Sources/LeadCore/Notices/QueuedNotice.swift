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

    public init(kind: String, recipient: EmailAddress, cc: [EmailAddress] = [], lead: LeadID? = nil, subject: String, body: String,
                variables: [String: TemplateValue], language: String?) {
        self.kind = kind; self.recipient = recipient; self.cc = cc; self.lead = lead; self.subject = subject; self.body = body
        self.variables = variables; self.language = language
    }

    /// The variables as stored with an outbox row (JSON, keys sorted).
    public var encodedVariables: String { NoticeVariables.encode(variables) }
}

extension SLANotice {
    /// The notice as an outbox row.
    public var queued: QueuedNotice {
        QueuedNotice(kind: kind.rawValue, recipient: recipient, cc: cc, lead: lead, subject: subject, body: body,
                     variables: variables, language: language)
    }
}

extension NoticeVariables {
    /// Template variables as JSON (keys sorted), for an outbox row.
    public static func encode(_ variables: [String: TemplateValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(variables)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// An outbox row's variables; a row written before templates (or unreadable) has none.
    public static func decode(_ text: String) -> [String: TemplateValue] {
        (try? JSONDecoder().decode([String: TemplateValue].self, from: Data(text.utf8))) ?? [:]
    }
}
