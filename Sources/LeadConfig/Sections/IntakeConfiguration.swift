import LeadCore

/// `[intake]` and `[regions]`
/// - `intake.default_country` (ISO 3166 code, default `"CN"`): country of national phone numbers.
/// - `intake.duplicate_match` (`"email"` | `"phone"` | `"either"` | `"off"`, default `"either"`):
///   what makes a new input the same person as an open lead (then it is a re-inquiry on it).
/// - `intake.duplicate_window` (duration, default `30d`, range 1h–365d).
/// - `intake.capture_retention` (duration, default `90d`, range 1d–3650d): how long the raw input
///   (mail file, webhook body) is kept with its lead; the lead's fields stay.
/// - `[regions]`: region name → list of provinces (any form; stored canonical). Default: China's
///   customary regions (华北, 东北, 华东, 华中, 华南, 西南, 西北, 港澳台).
public struct IntakeConfiguration: Sendable, Equatable {
    public var normaliser: LeadNormaliser
    public var duplicates: DuplicatePolicy
    public var regions: RegionGroups
    public var captureRetention: Duration

    public init(normaliser: LeadNormaliser = LeadNormaliser(), duplicates: DuplicatePolicy = DuplicatePolicy(),
                regions: RegionGroups = .chinaDefault, captureRetention: Duration = .seconds(90 * 86_400)) {
        self.normaliser = normaliser; self.duplicates = duplicates; self.regions = regions
        self.captureRetention = captureRetention
    }

    static func decode(_ root: TableReader) -> IntakeConfiguration {
        let table = root.section("intake")
        defer { table.finish() }
        var config = IntakeConfiguration()
        if let country = table.text("default_country") {
            if PhoneNumber.callingCodes[country.uppercased()] != nil {
                config.normaliser = LeadNormaliser(defaultCountry: country.uppercased())
            } else {
                table.report("default_country", "\"\(country)\" is not a country code leadrouter knows (e.g. \"CN\", \"HK\", \"US\")")
            }
        }
        config.duplicates = DuplicatePolicy(
            match: table.choice("duplicate_match", default: .either),
            windowSeconds: table.duration("duplicate_window", default: .seconds(30 * 86_400),
                                          range: .seconds(3_600) ... .seconds(365 * 86_400)).wholeSeconds)
        config.captureRetention = table.duration("capture_retention", default: .seconds(90 * 86_400),
                                                 range: .seconds(86_400) ... .seconds(3_650 * 86_400))
        if root.hasKey("regions") {
            var groups: [String: [String]] = [:]
            for (name, provinces) in root.stringArrayTable("regions") {
                var canonical: [String] = []
                for province in provinces {
                    if let name = ProvinceCatalog.canonical(province) {
                        canonical.append(name)
                    } else {
                        root.context.report(root.path.appending("regions").appending(name), "unknown province \"\(province)\"")
                    }
                }
                groups[name] = canonical
            }
            config.regions = RegionGroups(groups)
        }
        return config
    }
}
