import Foundation
import LeadCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("138 0013 8000", "+8613800138000"), ("+86-138-0013-8000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"), ("8613800138000", "+8613800138000"),
        ("0086 13800138000", "+8613800138000"), ("１３８００１３８０００", "+8613800138000"),
        ("(021) 6888-1234", "+862168881234"), ("010-88881234", "+861088881234"),
        ("0755 8888 1234", "+8675588881234"), ("+852 2123 4567", "+85221234567"),
        ("+1 (415) 555-0100", "+14155550100"), ("13800138000 转 123", "+8613800138000"),
    ])
    func normalisesToE164(raw: String, e164: String) {
        #expect(PhoneNumber.e164(raw, defaultCountry: "CN") == e164)
    }

    @Test(arguments: ["", "abc", "123", "12800138000", "+86 123", "电话: 请回电", "1380013800a"])
    func leavesWhatIsNotAPhoneAlone(raw: String) {
        #expect(PhoneNumber.e164(raw, defaultCountry: "CN") == nil)
    }

    @Test func usesTheDefaultCountryForNationalNumbers() {
        #expect(PhoneNumber.e164("(415) 555-0100", defaultCountry: "US") == "+14155550100")
        #expect(PhoneNumber.e164("020 7946 0018", defaultCountry: "GB") == "+442079460018")
        #expect(PhoneNumber.e164("2123 4567", defaultCountry: "HK") == "+85221234567")
    }
}

@Suite struct ProvinceCatalogTests {
    @Test(arguments: [
        ("上海", "上海市"), ("上海市", "上海市"), ("Shanghai", "上海市"), ("沪", "上海市"), (" shanghai shi ", "上海市"),
        ("广东", "广东省"), ("粤", "广东省"), ("Guangdong Province", "广东省"), ("廣東", "广东省"),
        ("内蒙古", "内蒙古自治区"), ("Inner Mongolia", "内蒙古自治区"), ("新疆", "新疆维吾尔自治区"),
        ("香港", "香港特别行政区"), ("Hong Kong", "香港特别行政区"), ("臺灣", "台湾省"), ("京", "北京市"),
    ])
    func mapsCommonFormsToOneCanonicalName(form: String, canonical: String) {
        #expect(ProvinceCatalog.canonical(form) == canonical)
    }

    @Test func coversEveryProvinceLevelDivision() {
        #expect(ProvinceCatalog.canonicalNames.count == 34)
        #expect(Set(ProvinceCatalog.canonicalNames).count == 34)
        for name in ProvinceCatalog.canonicalNames { #expect(ProvinceCatalog.canonical(name) == name) }
    }

    @Test(arguments: ["", "California", "浦东新区", "Springfield"])
    func unknownPlacesAreNotGuessed(form: String) {
        #expect(ProvinceCatalog.canonical(form) == nil)
    }

    @Test func regionGroupsContainTheirProvinces() {
        #expect(RegionGroups.chinaDefault.groups(containing: "上海市") == ["华东"])
        #expect(RegionGroups.chinaDefault.groups(containing: "广东省") == ["华南"])
        #expect(RegionGroups.chinaDefault.groups(containing: "Nowhere") == [])
        let all = RegionGroups.chinaDefault.groups.values.flatMap { $0 }
        #expect(Set(all) == Set(ProvinceCatalog.canonicalNames))
    }
}

@Suite struct LeadNormaliserTests {
    @Test func normalisesContactFieldsAndKeepsUnknownValues() {
        let draft = LeadDraft(
            name: "  王小明 ", email: " Wang.XM@Example.CN ", phone: "138 0013 8000", province: "沪",
            city: "", industry: " 制造业", origin: LeadOrigin(channel: .manual, name: "t", key: "1"),
            receivedAt: Date(timeIntervalSince1970: 0))
        let result = LeadNormaliser().normalise(draft)
        #expect(result.name == "王小明")
        #expect(result.email == "wang.xm@example.cn")
        #expect(result.phone == "+8613800138000")
        #expect(result.province == "上海市")
        #expect(result.city == nil)
        #expect(result.industry == "制造业")

        var odd = draft
        odd.email = "not an email"
        odd.phone = "call me"
        odd.province = "Atlantis"
        let kept = LeadNormaliser().normalise(odd)
        #expect(kept.email == "not an email")
        #expect(kept.phone == "call me")
        #expect(kept.province == "Atlantis")
    }
}

/// Bytes nobody typed: NUL, escape, CR/LF from a form's hidden field or a broken mail. A NUL cut
/// values short in SQLite's C API, a CR/LF in a one-line field belongs to no header.
@Suite struct ControlCharacterTests {
    @Test func controlsAreRemovedFromEveryFieldAndOneLineFieldsStayOneLine() {
        var draft = LeadDraft(name: "Wang\u{0}Wei\u{1B}[31m", email: " a@b.cn\u{0} ",
                              origin: LeadOrigin(channel: .webhook, name: "w", key: "k"), receivedAt: Date(timeIntervalSince1970: 0))
        draft.company = "ACME\r\nBcc: x@evil.example"
        draft.message = "line 1\r\nline\u{7F} 2\u{85}\tend"
        draft.customFields = ["note\u{0}": "a\u{0}b", "": "dropped"]
        let clean = LeadNormaliser().normalise(draft)
        #expect(clean.name == "WangWei[31m")
        #expect(clean.email == "a@b.cn")
        #expect(clean.company == "ACME  Bcc: x@evil.example")
        #expect(clean.message == "line 1\nline 2\tend")
        #expect(clean.customFields == ["note": "ab"])
    }

    @Test func textWithoutControlsIsUntouched() {
        let draft = LeadDraft(name: "张伟 (Zhang Wei) 😀", origin: LeadOrigin(channel: .webhook, name: "w", key: "k"),
                              receivedAt: Date(timeIntervalSince1970: 0))
        #expect(LeadNormaliser().normalise(draft).name == "张伟 (Zhang Wei) 😀")
    }
}

/// The arithmetic text formats against Foundation's formatters, over instants that cross days,
/// leap days, years and time zones with half-hour offsets.
@Suite struct TimeTextTests {
    @Test func matchesFoundationsFormatters() {
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: "UTC")
        iso.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, 951_782_400, 1_709_164_799.999, 1_796_000_000, 4_102_444_800, 86_399.5]
        let instants = fixed + (0..<2_000).map { _ in TimeInterval(Int.random(in: 0...4_102_444_800, using: &generator)) + 0.25 }
        for zone in ["UTC", "Asia/Shanghai", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"] {
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.timeZone = TimeZone(identifier: zone)
            local.dateFormat = "yyyy-MM-dd HH:mm"
            for seconds in instants {
                let date = Date(timeIntervalSince1970: seconds)
                #expect(LocalTimeText.string(date, zone: zone) == "\(local.string(from: date)) (\(zone))", "\(seconds) \(zone)")
                if zone == "UTC" { #expect(RFC3339Text.string(date) == iso.string(from: date), "\(seconds)") }
            }
        }
    }
}
