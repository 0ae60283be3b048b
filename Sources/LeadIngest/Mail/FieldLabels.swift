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

    /// Labels web forms use: simplified and traditional Chinese (Big5 forms from Taiwan and Hong
    /// Kong), the variants form services print (金数据, 问卷星, 腾讯问卷, site plug-ins), and English.
    /// README "Intake" has the table.
    public static let defaults = FieldLabels([
        // name
        "姓名": .name, "名字": .name, "联系人": .name, "称呼": .name, "客户姓名": .name, "您的姓名": .name, "你的姓名": .name,
        "联系人姓名": .name, "真实姓名": .name, "您的称呼": .name, "怎么称呼您": .name,
        "聯絡人": .name, "聯繫人": .name, "稱呼": .name, "客戶姓名": .name, "您的稱呼": .name, "聯絡人姓名": .name, "真實姓名": .name,
        "name": .name, "full name": .name, "your name": .name, "contact name": .name, "contact": .name,
        "first and last name": .name, "contact person": .name,
        // company
        "公司": .company, "公司名称": .company, "单位": .company, "企业名称": .company, "单位名称": .company,
        "公司全称": .company, "您的公司": .company, "所在公司": .company, "工作单位": .company,
        "公司名稱": .company, "單位": .company, "企業名稱": .company, "單位名稱": .company, "公司全稱": .company,
        "company": .company, "company name": .company, "organization": .company, "organisation": .company,
        "business name": .company, "company/organization": .company,
        // e-mail
        "邮箱": .email, "电子邮件": .email, "电子邮箱": .email, "邮件": .email, "邮箱地址": .email, "联系邮箱": .email,
        "您的邮箱": .email, "工作邮箱": .email, "企业邮箱": .email, "e-mail地址": .email, "email地址": .email,
        "郵箱": .email, "電郵": .email, "電子郵件": .email, "電子郵箱": .email, "郵件": .email, "電郵地址": .email,
        "郵箱地址": .email, "聯絡電郵": .email, "電子信箱": .email, "信箱": .email,
        "email": .email, "e-mail": .email, "email address": .email, "your email": .email, "work email": .email,
        "e-mail address": .email, "mail": .email,
        // phone
        "电话": .phone, "手机": .phone, "手机号": .phone, "手机号码": .phone, "联系电话": .phone, "电话号码": .phone,
        "联系方式": .phone, "联系手机": .phone, "您的电话": .phone, "您的手机": .phone, "您的手机号": .phone,
        "手机/电话": .phone, "电话/手机": .phone, "座机": .phone, "移动电话": .phone, "固定电话": .phone,
        "手機": .phone, "電話": .phone, "手機號": .phone, "手機號碼": .phone, "聯絡電話": .phone, "聯繫電話": .phone,
        "電話號碼": .phone, "聯絡方式": .phone, "聯繫方式": .phone, "行動電話": .phone, "您的電話": .phone,
        "phone": .phone, "mobile": .phone, "telephone": .phone, "tel": .phone, "phone number": .phone,
        "mobile phone": .phone, "mobile number": .phone, "cell": .phone, "cell phone": .phone, "phone no.": .phone,
        "contact number": .phone, "whatsapp": .phone,
        // country
        "国家": .country, "國家": .country, "国家/地区": .country, "國家/地區": .country, "country": .country,
        // province
        "省份": .province, "省": .province, "地区": .province, "所在地区": .province, "所在省份": .province,
        "所在地": .province, "省市": .province, "所在省市": .province, "区域": .province, "省/市": .province,
        "地區": .province, "所在地區": .province, "區域": .province, "縣市": .province,
        "province": .province, "state": .province, "region": .province, "state/province": .province,
        // city
        "城市": .city, "所在城市": .city, "city": .city,
        // industry
        "行业": .industry, "所属行业": .industry, "所在行业": .industry, "行业类别": .industry,
        "行業": .industry, "所屬行業": .industry, "行業類別": .industry,
        "industry": .industry,
        // source, campaign
        "来源": .source, "渠道": .source, "來源": .source, "source": .source,
        "活动": .campaign, "活動": .campaign, "campaign": .campaign, "utm_campaign": .campaign,
        // message
        "留言": .message, "备注": .message, "需求": .message, "咨询内容": .message, "内容": .message,
        "留言内容": .message, "需求描述": .message, "您的需求": .message, "问题描述": .message,
        "備註": .message, "諮詢內容": .message, "內容": .message, "留言內容": .message,
        "message": .message, "comments": .message, "comment": .message, "inquiry": .message, "enquiry": .message,
        "your message": .message, "how can we help": .message,
    ])
}
