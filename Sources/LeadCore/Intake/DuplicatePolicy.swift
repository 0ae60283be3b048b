/// When a new input is the same person as an open lead (`[intake] duplicate_match`,
/// `duplicate_window`): then it is a re-inquiry on that lead, not a new lead.
public struct DuplicatePolicy: Hashable, Sendable {
    public enum Match: String, Sendable, CaseIterable { case email, phone, either, off }

    public var match: Match
    public var windowSeconds: Int64

    public init(match: Match = .either, windowSeconds: Int64 = 30 * 86_400) {
        self.match = match; self.windowSeconds = windowSeconds
    }

    /// The (normalised) keys a draft is matched on under this policy.
    public func keys(of draft: LeadDraft) -> (email: String?, phone: String?) {
        switch match {
        case .off: (nil, nil)
        case .email: (draft.email, nil)
        case .phone: (nil, draft.phone)
        case .either: (draft.email, draft.phone)
        }
    }
}
