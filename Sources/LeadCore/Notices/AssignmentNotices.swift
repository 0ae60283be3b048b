/// The mail queued in the assignment's transaction: the owner's "new lead" notice, and an
/// acknowledgement to the customer for leads from the listed sources (opt-in; never for a
/// re-inquiry, which is not assigned again).
public struct AssignmentNotices: Hashable, Sendable {
    public var notifyOwner: Bool
    public var welcomeSources: Set<String>

    public init(notifyOwner: Bool = false, welcomeSources: Set<String> = []) {
        self.notifyOwner = notifyOwner; self.welcomeSources = welcomeSources
    }
}
