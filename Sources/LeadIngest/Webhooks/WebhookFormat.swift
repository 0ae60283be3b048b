/// One lead decoded from a webhook body, with the sender's event id (its idempotency key).
public struct WebhookLead: Sendable, Equatable {
    public var eventID: String
    public var draft: LeadDraft
    public var warnings: [String]
    /// The notification carried ids only (Meta lead ads): the answers must be fetched.
    public var needsDetails: Bool = false

    public init(eventID: String, draft: LeadDraft, warnings: [String], needsDetails: Bool = false) {
        self.eventID = eventID; self.draft = draft; self.warnings = warnings; self.needsDetails = needsDetails
    }
}

import LeadCore
