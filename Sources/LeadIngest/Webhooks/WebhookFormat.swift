/// One lead a webhook request carries (a request may carry several).
public struct WebhookLead: Sendable, Equatable {
    public var eventID: String
    public var draft: LeadDraft
    public var warnings: [String]
}

import LeadCore
