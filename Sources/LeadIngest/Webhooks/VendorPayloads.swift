import Foundation
import LeadCore

/// The vendor layouts: Meta Lead Ads, Typeform, HubSpot and Google Ads.
enum VendorPayloads {
    /// Meta `leadgen` notifications (`entry[].changes[].value`), or lead-retrieval objects
    /// (`{id, field_data}`) alone or in an array, as Meta's test tool and Graph API give them.
    static func meta(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> [WebhookLead] {
        var values: [JSONValue] = []
        if let entries = root["entry"]?.arrayValue {
            for entry in entries {
                for change in entry["changes"]?.arrayValue ?? [] where change["field"]?.text == "leadgen" {
                    if let value = change["value"] { values.append(value) }
                }
            }
        } else if let array = root.arrayValue {
            values = array.map { $0["value"] ?? $0 }
        } else {
            values = [root]
        }
        guard !values.isEmpty else { throw .unprocessable("no leadgen change in the notification") }
        return try values.map { value throws(WebhookError) in
            guard let id = (value["leadgen_id"] ?? value["id"])?.text else { throw .unprocessable("a leadgen change without leadgen_id") }
            var draft = decoder.draft(eventID: id, receivedAt: receivedAt)
            draft.customFields["meta_leadgen_id"] = id
            for key in ["form_id", "ad_id", "page_id", "adgroup_id"] {
                if let text = value[key]?.text { draft.customFields["meta_\(key)"] = text }
            }
            var warnings: [String] = []
            var needsDetails = false
            if let fieldData = value["field_data"]?.arrayValue {
                applyMetaFieldData(fieldData, to: &draft, labels: decoder.labels)
            } else {
                needsDetails = true
                warnings.append("no field_data: the lead's details are fetched from the Graph API (GET /\(id))")
            }
            var lead = WebhookLead(eventID: id, draft: draft, warnings: warnings)
            lead.needsDetails = needsDetails
            return lead
        }
    }

    /// Meta's `field_data` (`[{name, values}]`, in notifications from the test tool and in the
    /// Graph API's lead object): standard question names to lead fields, the rest by the label
    /// table, else custom fields under their own names.
    static func applyMetaFieldData(_ fieldData: [JSONValue], to draft: inout LeadDraft, labels: FieldLabels) {
        var first: String? = nil
        var last: String? = nil
        for field in fieldData {
            guard let name = field["name"]?.text, let text = field["values"]?.arrayValue?.compactMap(\.text).joined(separator: ", "),
                  !text.isEmpty else { continue }
            switch name.lowercased() {
            case "full_name", "name": draft.name = text
            case "first_name": first = text
            case "last_name": last = text
            case "email", "work_email": draft.email = draft.email ?? text
            case "phone_number", "phone", "work_phone_number": draft.phone = draft.phone ?? text
            case "company_name", "company": draft.company = text
            case "city": draft.city = text
            case "state", "province": draft.province = text
            case "country": draft.country = text
            default:
                if let field = labels.field(for: Substring(name)) { MailLeadExtractor.set(field, text, on: &draft) }
                else { draft.customFields[name] = text }
            }
        }
        if draft.name == nil, first != nil || last != nil {
            draft.name = [first, last].compactMap { $0 }.joined(separator: " ")
        }
    }

    /// Typeform `form_response`: every answer, whatever its type (text, email, phone_number, choice,
    /// choices, number, boolean, date, url, file_url, payment), goes to the field mapped to its
    /// `ref` in `[webhook.fields]`, else to the field its question's title names (the label table),
    /// else to `custom_fields` under its ref. Hidden fields and the score are kept too: nothing
    /// Typeform sent is dropped.
    static func typeform(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        guard let response = root["form_response"] else { throw .unprocessable("no form_response") }
        guard let token = (response["token"] ?? root["event_id"])?.text else { throw .unprocessable("form_response without token") }
        var draft = decoder.draft(eventID: token, receivedAt: receivedAt)
        if let form = response["form_id"]?.text { draft.customFields["typeform_form_id"] = form }
        let definitions = response["definition"]?["fields"]?.arrayValue ?? []
        var warnings: [String] = []
        for answer in response["answers"]?.arrayValue ?? [] {
            let field = answer["field"]
            let id = field?["id"]?.text ?? ""
            let definition = definitions.first { $0["id"]?.text == id }
            let ref = field?["ref"]?.text ?? definition?["ref"]?.text ?? id
            let title = definition?["title"]?.text ?? ""
            let type = answer["type"]?.text ?? ""
            guard let value = typeformValue(answer, type: type) else {
                warnings.append("Typeform answer \(ref.isEmpty ? "?" : ref) of type \(type) has no value; kept in the raw capture")
                continue
            }
            let target: LeadField? = decoder.fields.first(where: { $0.value == ref || (!id.isEmpty && $0.value == id) })?.key
                ?? (type == "email" ? .email : type == "phone_number" ? .phone : nil)
                ?? typeformField(title: title, labels: decoder.labels, byWords: type == "text")
            if let target {
                let before = draft
                MailLeadExtractor.set(target, value, on: &draft)
                if before == draft, target != .message { draft.customFields[ref.isEmpty ? "typeform_answer" : ref] = value }
            } else {
                draft.customFields[ref.isEmpty ? "typeform_answer" : ref] = value
            }
        }
        if case .object(let hidden)? = response["hidden"] {
            for (key, value) in hidden {
                guard let text = value.text, !text.isEmpty else { continue }
                if let mapped = decoder.fields.first(where: { $0.value == key })?.key ?? decoder.labels.field(for: Substring(key)) {
                    MailLeadExtractor.set(mapped, text, on: &draft)
                } else {
                    draft.customFields["hidden_" + key] = text
                }
            }
        }
        if let score = response["calculated"]?["score"]?.text { draft.customFields["typeform_score"] = score }
        try decoder.requireContact(draft)
        return WebhookLead(eventID: token, draft: draft, warnings: warnings)
    }

    /// An answer's value as text: a choice's label (or the "other" text), choices joined by ", ".
    static func typeformValue(_ answer: JSONValue, type: String) -> String? {
        let text: String?
        switch type {
        case "choice":
            text = answer["choice"]?["label"]?.text ?? answer["choice"]?["other"]?.text
        case "choices":
            let labels = (answer["choices"]?["labels"]?.arrayValue ?? []).compactMap(\.text)
                + [answer["choices"]?["other"]?.text].compactMap { $0 }
            text = labels.isEmpty ? nil : labels.joined(separator: ", ")
        case "payment":
            let payment = answer["payment"]
            text = [payment?["amount"]?.text, payment?["name"]?.text, payment?["last4"]?.text.map { "****" + $0 }]
                .compactMap { $0 }.joined(separator: " ")
        case "multi_format":
            text = answer["multi_format"]?["text"]?.text ?? answer["multi_format"]?["audio_url"]?.text
        default:
            text = answer[type]?.text
        }
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The lead field a question's title names: the label table (`手机号码`, `Company`), then, for
    /// text answers only, words such titles contain (`What is your first name?`, `您的公司名称是？`);
    /// a choice whose title says "phone" is a preference, not a number.
    static func typeformField(title: String, labels: FieldLabels, byWords: Bool) -> LeadField? {
        let trimmed = title.trimmingCharacters(in: "?？:：*! ")
        if let field = labels.field(for: Substring(trimmed)) { return field }
        guard byWords else { return nil }
        let t = trimmed.lowercased()
        if t.contains("e-mail") || t.contains("email") || t.contains("邮箱") || t.contains("郵箱") || t.contains("電郵") { return .email }
        if t.contains("phone") || t.contains("mobile") || t.contains("电话") || t.contains("手机") || t.contains("電話") || t.contains("手機") { return .phone }
        if t.contains("company") || t.contains("organization") || t.contains("公司") || t.contains("单位") || t.contains("單位") { return .company }
        if t.contains("name") || t.contains("姓名") || t.contains("称呼") || t.contains("稱呼") { return .name }
        if t.contains("industry") || t.contains("行业") || t.contains("行業") { return .industry }
        if t.contains("province") || t.contains("省份") || t.contains("地区") || t.contains("地區") { return .province }
        if t.contains("city") || t.contains("城市") { return .city }
        return nil
    }

    /// HubSpot sends arrays of events; each contact creation is recorded with its object id.
    static func hubspot(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> [WebhookLead] {
        guard let events = root.arrayValue ?? (root["eventId"] != nil ? [root] : nil) else {
            throw .unprocessable("expected an array of HubSpot events")
        }
        var leads: [WebhookLead] = []
        for event in events {
            guard let eventID = event["eventId"]?.text else { throw .unprocessable("an event without eventId") }
            let type = event["subscriptionType"]?.text ?? ""
            guard type.hasPrefix("contact.") || type.isEmpty else { continue }
            var draft = decoder.draft(eventID: eventID, receivedAt: receivedAt)
            for key in ["objectId", "portalId", "subscriptionType", "propertyName", "propertyValue"] {
                if let text = event[key]?.text { draft.customFields["hubspot_\(key)"] = text }
            }
            if event["propertyName"]?.text == "email" { draft.email = event["propertyValue"]?.text }
            if event["propertyName"]?.text == "phone" { draft.phone = event["propertyValue"]?.text }
            leads.append(WebhookLead(eventID: eventID, draft: draft,
                                     warnings: ["HubSpot events carry ids only: contact \(event["objectId"]?.text ?? "?") details must be fetched from HubSpot"]))
        }
        return leads
    }

    static func googleAds(_ root: JSONValue, decoder: WebhookDecoder, receivedAt: Date) throws(WebhookError) -> WebhookLead {
        guard let leadID = root["lead_id"]?.text else { throw .unprocessable("no lead_id") }
        var draft = decoder.draft(eventID: leadID, receivedAt: receivedAt)
        var first: String? = nil
        var last: String? = nil
        for column in root["user_column_data"]?.arrayValue ?? [] {
            guard let value = column["string_value"]?.text, !value.isEmpty else { continue }
            switch column["column_id"]?.text ?? "" {
            case "FULL_NAME": draft.name = value
            case "FIRST_NAME": first = value
            case "LAST_NAME": last = value
            case "EMAIL", "WORK_EMAIL": draft.email = draft.email ?? value
            case "PHONE_NUMBER", "WORK_PHONE": draft.phone = draft.phone ?? value
            case "COMPANY_NAME": draft.company = value
            case "CITY": draft.city = value
            case "REGION": draft.province = value
            case "COUNTRY": draft.country = value
            case let other: draft.customFields[other.lowercased()] = value
            }
        }
        if draft.name == nil, first != nil || last != nil { draft.name = [first, last].compactMap { $0 }.joined(separator: " ") }
        if let campaign = root["campaign_id"]?.text { draft.campaign = campaign }
        for key in ["form_id", "gcl_id", "adgroup_id", "creative_id"] {
            if let text = root[key]?.text { draft.customFields["google_\(key)"] = text }
        }
        if root["is_test"] == .bool(true) { draft.customFields["is_test"] = "true" }
        try decoder.requireContact(draft)
        return WebhookLead(eventID: leadID, draft: draft, warnings: [])
    }
}
