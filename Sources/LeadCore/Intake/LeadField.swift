/// Which lead field a form label fills. Custom fields keep their own name.
public enum LeadField: Hashable, Sendable, CustomStringConvertible {
    case name, company, email, phone, country, province, city, industry, source, campaign, message
    case custom(String)

    /// `"name"`, `"phone"`, … or `"custom:budget_range"`, as written in the config.
    public init?(configName: String) {
        switch configName {
        case "name": self = .name
        case "company": self = .company
        case "email": self = .email
        case "phone": self = .phone
        case "country": self = .country
        case "province": self = .province
        case "city": self = .city
        case "industry": self = .industry
        case "source": self = .source
        case "campaign": self = .campaign
        case "message": self = .message
        default:
            guard configName.hasPrefix("custom:"), configName.count > 7 else { return nil }
            self = .custom(String(configName.dropFirst(7)))
        }
    }

    public var description: String {
        switch self {
        case .name: "name"
        case .company: "company"
        case .email: "email"
        case .phone: "phone"
        case .country: "country"
        case .province: "province"
        case .city: "city"
        case .industry: "industry"
        case .source: "source"
        case .campaign: "campaign"
        case .message: "message"
        case .custom(let name): "custom:\(name)"
        }
    }
}
