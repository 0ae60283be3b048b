import Foundation

/// Exactly what arrived, kept with the lead (the capture log): mail file or webhook body, and
/// the request headers with secrets removed.
public struct RawCapture: Hashable, Sendable {
    public var headers: String
    public var body: [UInt8]

    public init(headers: String = "", body: [UInt8]) { self.headers = headers; self.body = body }
}

/// One accepted input, normalised and ready to commit.
public struct IntakeItem: Hashable, Sendable {
    public var draft: LeadDraft
    public var raw: RawCapture
    /// Charset fallbacks and the like, kept with the capture.
    public var warnings: [String]
    /// Set when the lead's details must be fetched before it is routed.
    public var detailFetch: DetailFetchRequest?

    public init(draft: LeadDraft, raw: RawCapture, warnings: [String] = [], detailFetch: DetailFetchRequest? = nil) {
        self.draft = draft; self.raw = raw; self.warnings = warnings; self.detailFetch = detailFetch
    }
}

/// What committing an intake item did.
public enum IntakeOutcome: Hashable, Sendable {
    /// A new lead.
    case created(LeadID)
    /// The same input again (same mail-drop file, same webhook event id): nothing new.
    case redelivered(LeadID)
    /// The same person again (e-mail or phone of an open lead, within the window): recorded as a
    /// re-inquiry activity on that lead.
    case reinquiry(LeadID)

    public var leadID: LeadID {
        switch self {
        case .created(let id), .redelivered(let id), .reinquiry(let id): id
        }
    }
}

/// Input that could not become a lead, kept with its reason until an admin retries or releases it.
public struct QuarantineItem: Hashable, Sendable {
    public var origin: LeadOrigin
    public var reason: String
    public var raw: RawCapture
    public var receivedAt: Date

    public init(origin: LeadOrigin, reason: String, raw: RawCapture, receivedAt: Date) {
        self.origin = origin; self.reason = reason; self.raw = raw; self.receivedAt = receivedAt
    }
}

public struct QuarantineEntry: Hashable, Sendable {
    public enum State: String, Sendable, CaseIterable { case held, retried }
    public var id: Int64
    public var origin: LeadOrigin
    public var reason: String
    public var receivedAt: Date
    public var state: State

    public init(id: Int64, origin: LeadOrigin, reason: String, receivedAt: Date, state: State) {
        self.id = id; self.origin = origin; self.reason = reason; self.receivedAt = receivedAt; self.state = state
    }
}

/// Where an input already stands in the store (used to reconcile after a crash).
public enum IntakeState: Hashable, Sendable {
    case lead(LeadID)
    case quarantined(Int64)
}

/// One input a lead was made of: the one that created it, or a re-inquiry merged into it.
public struct LeadInput: Hashable, Sendable {
    public var origin: LeadOrigin
    /// Nil for the input that created the lead; the re-inquiry activity otherwise.
    public var reinquiryActivity: Int64?
    public var receivedAt: Date
    public var warnings: [String]
    public var raw: RawCapture

    public init(origin: LeadOrigin, reinquiryActivity: Int64?, receivedAt: Date, warnings: [String], raw: RawCapture) {
        self.origin = origin; self.reinquiryActivity = reinquiryActivity; self.receivedAt = receivedAt
        self.warnings = warnings; self.raw = raw
    }
}
