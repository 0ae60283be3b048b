/// When a new input is the same person as an open lead (`[intake] duplicate_match`,
/// `duplicate_window`): then it is a re-inquiry on that lead, not a new lead.
///
/// The merge rule: a re-inquiry needs the *person's* e-mail or phone. An e-mail taken from a
/// mail's From/Reply-To header is the person's only when that address is not a form service's
/// (see `IntakeStore`); and an open lead whose other contact field contradicts the input (the
/// same e-mail with a different phone, or the same phone with a different e-mail) is another
/// person: the input becomes a new lead.
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

    /// The contact fields of an open lead a draft matched on.
    public struct Contact: Hashable, Sendable {
        public var email: String?
        public var phone: String?
        public init(email: String?, phone: String?) { self.email = email; self.phone = phone }
    }

    /// Whether `draft` may be merged into the open lead with `existing` contacts: no contact field
    /// that both have may differ. A lead without a phone does not contradict a draft with one.
    public static func isSamePerson(_ draft: LeadDraft, as existing: Contact) -> Bool {
        func agrees(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b else { return true }
            return a.lowercased() == b.lowercased()
        }
        return agrees(draft.email, existing.email) && agrees(draft.phone, existing.phone)
    }
}
