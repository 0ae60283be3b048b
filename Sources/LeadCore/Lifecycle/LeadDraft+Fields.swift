/// A lead's fields by name, as the lifecycle and `leadctl leads set` see them: the lead fields
/// (`industry`, `company`, …) and custom fields by their own names (`budget_range`).
extension LeadDraft {
    public static let fieldNames = ["name", "company", "email", "phone", "country", "province", "city", "industry", "source", "campaign", "message"]

    public var fieldValues: [String: String] {
        var values = customFields
        for name in Self.fieldNames { if let value = value(of: name) { values[name] = value } }
        return values
    }

    public func value(of name: String) -> String? {
        switch name {
        case "name": self.name
        case "company": company
        case "email": email
        case "phone": phone
        case "country": country
        case "province": province
        case "city": city
        case "industry": industry
        case "source": source
        case "campaign": campaign
        case "message": message
        default: customFields[name]
        }
    }

    public mutating func set(_ name: String, to value: String) {
        switch name {
        case "name": self.name = value
        case "company": company = value
        case "email": email = value
        case "phone": phone = value
        case "country": country = value
        case "province": province = value
        case "city": city = value
        case "industry": industry = value
        case "source": source = value
        case "campaign": campaign = value
        case "message": message = value
        default: customFields[name] = value
        }
    }
}
