import LeadCore

/// Label → field, for `Label: value` lines in web-form notification mail. Labels match after
/// trimming, lower-casing and dropping a trailing `*` (required-field marks).
public struct FieldLabels: Sendable, Equatable {
    public private(set) var table: [String: LeadField]

    public init(_ table: [String: LeadField]) {
        self.table = Dictionary(table.map { (Self.key($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public func field(for label: Substring) -> LeadField? { table[Self.key(String(label))] }

    /// The configured table over the defaults (a config entry replaces the default for its label).
    public func merging(_ other: [String: LeadField]) -> FieldLabels {
        var merged = table
        for (label, field) in other { merged[Self.key(label)] = field }
        return FieldLabels(merged)
    }

    static func key(_ label: String) -> String {
        CJKText.collapsingSpaces(label.trimmingWhitespace().trimmingCharacters(in: "*＊:：").trimmingWhitespace().lowercased())
    }

    /// Labels web forms use, in Chinese and English.
    public static let defaults = FieldLabels([
        "姓名": .name, "名字": .name, "联系人": .name, "称呼": .name, "客户姓名": .name, "您的姓名": .name,
        "name": .name, "full name": .name, "your name": .name, "contact name": .name, "contact": .name,
        "公司": .company, "公司名称": .company, "单位": .company, "企业名称": .company, "company": .company,
        "company name": .company, "organization": .company, "organisation": .company,
        "邮箱": .email, "电子邮件": .email, "电子邮箱": .email, "邮件": .email, "email": .email, "e-mail": .email,
        "email address": .email, "your email": .email,
        "电话": .phone, "手机": .phone, "手机号": .phone, "手机号码": .phone, "联系电话": .phone, "电话号码": .phone,
        "phone": .phone, "mobile": .phone, "telephone": .phone, "tel": .phone, "phone number": .phone,
        "国家": .country, "country": .country,
        "省份": .province, "省": .province, "地区": .province, "所在地区": .province, "所在省份": .province,
        "province": .province, "state": .province, "region": .province,
        "城市": .city, "所在城市": .city, "city": .city,
        "行业": .industry, "所属行业": .industry, "industry": .industry,
        "来源": .source, "source": .source, "渠道": .source,
        "活动": .campaign, "campaign": .campaign, "utm_campaign": .campaign,
        "留言": .message, "备注": .message, "需求": .message, "咨询内容": .message, "内容": .message,
        "message": .message, "comments": .message, "comment": .message, "inquiry": .message, "enquiry": .message,
    ])
}
