import Foundation

/// A lead as accepted from intake, before the store gives it an identity.
/// Field values are kept as given; normalisation happens before a draft is built.
public struct LeadDraft: Hashable, Sendable, Codable {
    public var name: String?
    public var company: String?
    public var email: String?
    public var phone: String?
    public var country: String?
    public var province: String?
    public var city: String?
    public var industry: String?
    public var source: String?
    public var campaign: String?
    public var message: String?
    public var customFields: [String: String]
    public var origin: LeadOrigin
    public var receivedAt: Date
    /// The e-mail came from the mail's From/Reply-To header, not from a field the person filled in.
    public var emailFromHeader: Bool = false
    /// The From address of a form-notification mail (a form service's address, never the lead's).
    public var formSender: String? = nil

    public init(
        name: String? = nil, company: String? = nil, email: String? = nil, phone: String? = nil,
        country: String? = nil, province: String? = nil, city: String? = nil, industry: String? = nil,
        source: String? = nil, campaign: String? = nil, message: String? = nil,
        customFields: [String: String] = [:], origin: LeadOrigin, receivedAt: Date
    ) {
        self.name = name; self.company = company; self.email = email; self.phone = phone
        self.country = country; self.province = province; self.city = city; self.industry = industry
        self.source = source; self.campaign = campaign; self.message = message
        self.customFields = customFields; self.origin = origin; self.receivedAt = receivedAt
    }
}
