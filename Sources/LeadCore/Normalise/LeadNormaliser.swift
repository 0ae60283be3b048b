/// Brings a draft's fields to their canonical forms: e-mail trimmed and lower-cased, phone in
/// E.164, province canonical. A value that does not fit is kept as given, never rejected for that.
public struct LeadNormaliser: Sendable, Equatable {
    public var defaultCountry: String

    public init(defaultCountry: String = "CN") { self.defaultCountry = defaultCountry }

    public func normalise(_ draft: LeadDraft) -> LeadDraft {
        var result = draft
        result.name = clean(draft.name)
        result.company = clean(draft.company)
        result.email = clean(draft.email).map { text in
            EmailAddress(rawValue: text).map { $0.rawValue.lowercased() } ?? text
        }
        result.phone = clean(draft.phone).map { PhoneNumber.e164($0, defaultCountry: defaultCountry) ?? $0 }
        result.province = clean(draft.province).map { ProvinceCatalog.canonical($0) ?? $0 }
        result.country = clean(draft.country)
        result.city = clean(draft.city)
        result.industry = clean(draft.industry)
        result.source = clean(draft.source)
        result.campaign = clean(draft.campaign)
        result.message = draft.message.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        return result
    }

    private func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}
