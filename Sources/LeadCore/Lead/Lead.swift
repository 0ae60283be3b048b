import Foundation

/// A lead as stored: the accepted draft plus its identity, status and current owner.
public struct Lead: Hashable, Sendable, Codable {
    public var id: LeadID
    public var draft: LeadDraft
    public var status: LeadStatus
    public var owner: RepID?
    public var team: TeamID?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: LeadID, draft: LeadDraft, status: LeadStatus, owner: RepID?, team: TeamID?,
                createdAt: Date, updatedAt: Date) {
        self.id = id; self.draft = draft; self.status = status; self.owner = owner; self.team = team
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}
