import Foundation

/// What the intake decision reads from a store, inside the transaction that applies it.
public protocol IntakeFacts {
    /// The lead an input with this origin already reached (a redelivery), if any.
    func leadHolding(_ origin: LeadOrigin) throws -> LeadID?
    /// How many labelled form notifications this address has sent (before this input).
    func formsSent(by address: String) throws -> Int
    /// Open leads created since `since` whose `key` column (`email` or `phone`) is `value`,
    /// newest first, at most a few: the candidates for "the same person".
    func openLeads(_ key: DuplicateKey, _ value: String, createdSince since: Date) throws -> [(LeadID, DuplicatePolicy.Contact)]
}

/// The contact field a re-inquiry matched on.
public enum DuplicateKey: String, Hashable, Sendable { case email, phone }

/// One input's fate, and the input as it is to be kept.
public struct IntakeDecision: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// The same origin again: nothing is written.
        case redelivered(LeadID)
        /// The same person as an open lead: a re-inquiry activity and the capture on that lead.
        case reinquiry(LeadID, matchedOn: DuplicateKey)
        /// A new lead from `item`.
        case newLead
    }

    public var outcome: Outcome
    /// The input as kept: an e-mail that is a form service's address moved out, with a warning.
    public var item: IntakeItem
    /// The form sender to tally (a labelled form notification's From address).
    public var formSender: String?
}

/// Decides each accepted input: a redelivery (its origin was seen), a re-inquiry (the same person
/// as an open lead within the duplicate window), or a new lead. Inputs that could not be read at
/// all never get here: they are quarantined with their reason (`QuarantineItem`).
public enum IntakeDecider {
    /// Addresses that sent this many labelled form notifications are a form service's.
    public static let formSenderThreshold = 2

    public static func decide(_ item: IntakeItem, duplicates: DuplicatePolicy, now: Date, facts: any IntakeFacts) throws -> IntakeDecision {
        if let lead = try facts.leadHolding(item.draft.origin) {
            return IntakeDecision(outcome: .redelivered(lead), item: item, formSender: nil)
        }
        var item = item
        let sender = item.draft.formSender?.lowercased()
        // A mail whose only e-mail is its From/Reply-To header, from an address known to send
        // form notifications: that address is the service's, never the person's.
        if item.draft.emailFromHeader, let email = item.draft.email?.lowercased() {
            let forms = try facts.formsSent(by: email) + (sender == email ? 1 : 0)
            if forms >= formSenderThreshold {
                item.draft.customFields["form_sender"] = email
                item.draft.email = nil
                item.draft.emailFromHeader = false
                item.warnings.append("\(email) has sent \(forms) form notifications: a form service's address, not taken as this lead's e-mail")
            }
        }
        let (email, phone) = duplicates.keys(of: item.draft)
        let since = now.addingTimeInterval(-TimeInterval(duplicates.windowSeconds))
        for (key, value) in [(DuplicateKey.email, email), (.phone, phone)] {
            guard let value else { continue }
            for (lead, contact) in try facts.openLeads(key, value, createdSince: since)
            where DuplicatePolicy.isSamePerson(item.draft, as: contact) {
                return IntakeDecision(outcome: .reinquiry(lead, matchedOn: key), item: item, formSender: sender)
            }
        }
        return IntakeDecision(outcome: .newLead, item: item, formSender: sender)
    }
}
