/// A mail a core decision asks the store to queue in the outbox (kind, recipient, built-in text,
/// and the variables a template renders instead).
public struct QueuedNotice: Hashable, Sendable {
    public var kind: String
    public var recipient: EmailAddress
    public var lead: LeadID?
    public var subject: String
    public var body: String
    public var variables: [String: TemplateValue]
    /// The recipient's language; nil: the configured default.
    public var language: String?

    public init(kind: String, recipient: EmailAddress, lead: LeadID? = nil, subject: String, body: String,
                variables: [String: TemplateValue], language: String?) {
        self.kind = kind; self.recipient = recipient; self.lead = lead; self.subject = subject; self.body = body
        self.variables = variables; self.language = language
    }
}
