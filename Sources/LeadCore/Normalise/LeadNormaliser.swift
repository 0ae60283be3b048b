/// Brings a draft's fields to their canonical forms: e-mail trimmed and lower-cased, phone in
/// E.164, province canonical. A value that does not fit is kept as given, never rejected for that.
/// Control characters (NUL, escape, CR…) are removed from every field (the message keeps its line
/// breaks and tabs): they come from forms and mail as bytes nobody typed, a NUL would cut the
/// value short in C APIs and they have no business in mail headers or logs.
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
        result.message = draft.message.map { Self.withoutControls($0, keepingLines: true) }
            .flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        result.customFields = Dictionary(draft.customFields.compactMap { key, value in
            clean(key).map { ($0, Self.withoutControls(value, keepingLines: true)) }
        }, uniquingKeysWith: { first, _ in first })
        return result
    }

    /// A field edit (`PATCH /leads/ID`, status-change `fields`, `leadctl leads set|move`) goes
    /// through the same cleaning as intake, and an e-mail or phone must be one: the cleaned fields,
    /// or the problems (the change is refused whole).
    public func edit(_ fields: [String: String]) -> Result<[String: String], FieldProblems> {
        var cleaned: [String: String] = [:]
        var problems: [String] = []
        for (rawName, value) in fields {
            guard let name = clean(rawName) else { problems.append("a field name is empty"); continue }
            switch name {
            case "email":
                guard let text = clean(value), let address = EmailAddress(rawValue: text) else {
                    problems.append("email \"\(Self.withoutControls(value, keepingLines: false))\" is not an e-mail address"); continue
                }
                cleaned[name] = address.rawValue.lowercased()
            case "phone":
                guard let text = clean(value), let phone = PhoneNumber.e164(text, defaultCountry: defaultCountry) else {
                    problems.append("phone \"\(Self.withoutControls(value, keepingLines: false))\" is not a phone number"); continue
                }
                cleaned[name] = phone
            case "province":
                cleaned[name] = clean(value).map { ProvinceCatalog.canonical($0) ?? $0 } ?? ""
            case "message":
                cleaned[name] = Self.withoutControls(value, keepingLines: true)
            default:
                cleaned[name] = LeadDraft.fieldNames.contains(name) ? (clean(value) ?? "") : Self.withoutControls(value, keepingLines: true)
            }
        }
        return problems.isEmpty ? .success(cleaned) : .failure(FieldProblems(problems: problems.sorted()))
    }

    /// Free text a person types beside a change (a reason, a note): controls removed, lines kept.
    public static func note(_ text: String) -> String { withoutControls(text, keepingLines: true) }

    private func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = Self.withoutControls(value, keepingLines: false).trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Drops C0/C1 controls and DEL; a line break or tab inside a one-line field becomes a space.
    static func withoutControls(_ text: String, keepingLines: Bool) -> String {
        // Fast path on the bytes (this runs on every field of every lead): C0 and DEL are single
        // bytes, C1 (U+0080–U+009F) is 0xC2 0x80…0x9F in UTF-8.
        var previous: UInt8 = 0
        let clean = text.utf8.allSatisfy { byte in
            defer { previous = byte }
            return byte >= 0x20 && byte != 0x7F && !(previous == 0xC2 && byte >= 0x80 && byte <= 0x9F)
        }
        if clean { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard scalar.properties.generalCategory == .control else { scalars.append(scalar); continue }
            switch scalar {
            case "\n", "\t": scalars.append(keepingLines ? scalar : " ")
            case "\r": if !keepingLines { scalars.append(" ") }
            default: break
            }
        }
        return String(scalars)
    }
}

/// Why a field edit was refused, one sentence per field.
public struct FieldProblems: Error, Hashable, Sendable {
    public var problems: [String]
}
